// The organisers' workspace works without this script; with it:
// - the missing-translation markers follow what is typed;
// - a contributors list gets an "add a row" button (the page already offers three empty rows);
// - deleting asks for confirmation.
(function () {
  'use strict';

  function updateMissing(fieldset) {
    var boxes = fieldset.querySelectorAll('.admin-localized__input');
    var filled = false;
    boxes.forEach(function (box) {
      var control = box.querySelector('input, textarea');
      if (control && control.value.trim() !== '') filled = true;
    });
    boxes.forEach(function (box) {
      var control = box.querySelector('input, textarea');
      var marker = box.querySelector('.admin-missing');
      if (!control || !marker) return;
      var missing = filled && control.value.trim() === '';
      marker.hidden = !missing;
      box.classList.toggle('admin-localized__input--missing', missing);
    });
  }

  document.querySelectorAll('fieldset.admin-localized').forEach(function (fieldset) {
    fieldset.addEventListener('input', function () { updateMissing(fieldset); });
  });

  function renumber(row, index, legendTemplate) {
    row.querySelectorAll('[id], [name], label[for], [aria-describedby]').forEach(function (el) {
      ['id', 'for', 'aria-describedby'].forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value) el.setAttribute(attribute, value.replace(/contributors-\d+-/g, 'contributors-' + index + '-'));
      });
      var name = el.getAttribute('name');
      if (name) el.setAttribute('name', name.replace(/^contributors\.\d+\./, 'contributors.' + index + '.'));
    });
    var legend = row.querySelector('legend');
    if (legend) legend.textContent = legendTemplate.replace('{number}', String(index + 1));
    row.querySelectorAll('.field__error').forEach(function (el) { el.remove(); });
    row.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); });
    row.querySelectorAll('select').forEach(function (select) {
      select.selectedIndex = 0;
      if (/\.role$/.test(select.name)) select.value = 'speaker';
    });
  }

  document.querySelectorAll('.admin-contributors__rows').forEach(function (list) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'admin-button--secondary';
    button.textContent = list.getAttribute('data-add-label');
    var wrapper = document.createElement('p');
    wrapper.className = 'admin-contributors__add';
    wrapper.appendChild(button);
    list.parentNode.insertBefore(wrapper, list.nextSibling);
    button.addEventListener('click', function () {
      var rows = list.querySelectorAll('.admin-contributor');
      var last = rows[rows.length - 1];
      if (!last) return;
      var index = Number(list.getAttribute('data-next-index')) || rows.length;
      var row = last.cloneNode(true);
      renumber(row, index, list.getAttribute('data-row-legend') || '{number}');
      list.appendChild(row);
      list.setAttribute('data-next-index', String(index + 1));
      var first = row.querySelector('select');
      if (first) first.focus();
    });
  });

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  // After a refused save, the error summary takes the focus so that it is read first.
  var summary = document.querySelector('.admin-error-summary');
  if (summary) summary.focus();
})();
