// Progressive enhancement of the calendar parts of a page. Without this script everything
// still works: the agenda form is submitted with its button, the address copied by hand.
(function () {
  'use strict';

  var form = document.getElementById('agenda-form');
  if (form && window.fetch && window.URLSearchParams) {
    var status = form.querySelector('.agenda-form__status');
    var say = function (text) { if (status) status.textContent = text; };

    // Each tick is saved at once, for that session only: the others stay as they are.
    document.addEventListener('change', function (event) {
      var box = event.target;
      if (!box || box.type !== 'checkbox' || box.getAttribute('form') !== 'agenda-form') return;
      var body = new URLSearchParams();
      var eventField = form.querySelector('input[name="event"]');
      if (eventField) body.append('event', eventField.value);
      body.append('listed', box.value);
      if (box.checked) body.append('session', box.value);
      say(form.getAttribute('data-saving') || '');
      fetch(form.action, {
        method: 'POST',
        headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        credentials: 'same-origin',
      }).then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      }).then(function (answer) {
        // The agenda exists from now on: later ticks change it instead of creating another.
        form.action = answer.agenda;
        if (eventField) eventField.parentNode.removeChild(eventField);
        say(answer.message);
      }).catch(function () {
        box.checked = !box.checked;
        say(form.getAttribute('data-failed') || '');
      });
    });
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
