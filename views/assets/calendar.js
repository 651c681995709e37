// Progressive enhancement of the calendar parts of a page. Without this script everything
// still works: each session's agenda form is sent with its button and comes back to the same
// place, the address is copied by hand.
(function () {
  'use strict';

  var body = document.body;
  var toggles = document.querySelectorAll('form.agenda-toggle');
  if (toggles.length && window.fetch && window.URLSearchParams) {
    for (var i = 0; i < toggles.length; i += 1) enhance(toggles[i]);
  }

  // The form's button becomes a checkbox "Dans mon agenda", saved as soon as it is ticked.
  function enhance(form) {
    var button = form.querySelector('.agenda-toggle__button');
    var id = form.querySelector('input[name="listed"]').value;
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'agenda-' + id;
    box.checked = form.hasAttribute('data-in-agenda');
    var label = document.createElement('label');
    label.htmlFor = box.id;
    label.textContent = body.getAttribute('data-agenda-toggle') || '';
    var title = button.querySelector('.visually-hidden');
    if (title) label.appendChild(title.cloneNode(true));
    button.hidden = true;
    form.insertBefore(label, button);
    form.insertBefore(box, label);
    box.addEventListener('change', function () { save(form, box, id); });
  }

  function save(form, box, id) {
    var status = form.querySelector('.agenda-toggle__status');
    var fields = new URLSearchParams();
    var eventField = form.querySelector('input[name="event"]');
    if (eventField) fields.append('event', eventField.value);
    fields.append('listed', id);
    if (box.checked) fields.append('session', id);
    status.textContent = body.getAttribute('data-agenda-saving') || '';
    fetch(form.action, {
      method: 'POST',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
      credentials: 'same-origin',
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(function (answer) {
      created(answer.agenda);
      status.textContent = answer.message;
      showBar(answer.agenda, answer.bar);
    }).catch(function () {
      box.checked = !box.checked;
      status.textContent = body.getAttribute('data-agenda-failed') || '';
    });
  }

  // The agenda exists from now on: every toggle changes it instead of creating another.
  function created(agenda) {
    for (var i = 0; i < toggles.length; i += 1) {
      toggles[i].action = agenda;
      var eventField = toggles[i].querySelector('input[name="event"]');
      if (eventField) eventField.parentNode.removeChild(eventField);
    }
  }

  // The bar that leads to the agenda, made after the first tick and kept counting.
  function showBar(agenda, text) {
    var link = document.querySelector('.agenda-bar__link');
    if (!link) {
      var bar = document.createElement('p');
      bar.className = 'agenda-bar';
      link = document.createElement('a');
      link.className = 'agenda-bar__link';
      bar.appendChild(link);
      document.getElementById('main').insertAdjacentElement('afterend', bar);
    }
    link.href = agenda;
    link.textContent = text;
  }

  var address = document.getElementById('feed-address');
  if (address && navigator.clipboard) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'subscribe__copy';
    button.textContent = address.getAttribute('data-copy-label');
    var done = document.createElement('span');
    done.setAttribute('role', 'status');
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(address.value).then(function () {
        done.textContent = address.getAttribute('data-copied-label');
      });
    });
    address.insertAdjacentElement('afterend', done);
    address.insertAdjacentElement('afterend', button);
  }
})();
