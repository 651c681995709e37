// The conclusions form works without this script; with it:
// - every keystroke is kept in this browser's local storage until the server confirms a
//   save, so a dropped connection in the conference hall costs nothing: the next visit
//   offers the kept text back;
// - lists get "add" buttons that add a row in place (without them, a button re-shows the
//   form with more rows);
// - a save attempted offline is stopped and said to be kept.
(function () {
  'use strict';

  var form = document.querySelector('form[data-draft-key]');
  if (!form) return;
  var key = form.getAttribute('data-draft-key');
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(key + ':probe', '1');
    storage.removeItem(key + ':probe');
  } catch (error) {
    storage = null; // Private browsing or storage disabled: the form works as without script.
  }

  var baseRevision = form.getAttribute('data-base-revision');
  var confirmed = form.getAttribute('data-confirmed-revision');

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== '_csrf' && el.name !== 'baseRevision' && el.type !== 'submit' && el.type !== 'button';
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === 'checkbox') {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  var saved = snapshot();

  function read() {
    if (!storage) return null;
    try {
      return JSON.parse(storage.getItem(key) || 'null');
    } catch (error) {
      return null;
    }
  }

  function keep() {
    if (!storage) return;
    var values = snapshot();
    if (same(values, saved)) return;
    try {
      storage.setItem(key, JSON.stringify({ baseRevision: baseRevision, at: new Date().toISOString(), values: values }));
    } catch (error) {
      // Storage full: nothing more to do; the server copy is what counts.
    }
  }

  function forget() {
    if (storage) storage.removeItem(key);
  }

  // The server said it has the text (the page confirms a save): the kept copy has done its job.
  if (confirmed !== null) {
    var kept = read();
    if (kept && Number(kept.baseRevision) < Number(confirmed)) forget();
  }

  // A text kept from an earlier visit that the server never got: offer it back, never impose it.
  var draft = read();
  var panel = document.querySelector('[data-restore-panel]');
  if (draft && draft.values && !same(draft.values, saved) && panel) {
    var text = panel.querySelector('[data-restore-text]');
    var when = new Date(draft.at);
    text.textContent = text.getAttribute('data-template').replace('{time}', isNaN(when) ? draft.at : when.toLocaleString(document.documentElement.lang));
    panel.hidden = false;
    panel.querySelector('[data-restore-button]').addEventListener('click', function () {
      restore(draft.values);
      panel.hidden = true;
      var first = form.querySelector('textarea, input:not([type="hidden"])');
      if (first) first.focus();
    });
    panel.querySelector('[data-discard-button]').addEventListener('click', function () {
      forget();
      panel.hidden = true;
    });
  }

  function restore(values) {
    Object.keys(values).forEach(function (name) {
      var value = values[name];
      var matches = form.querySelectorAll('[name="' + name.replace(/"/g, '') + '"]');
      if (matches.length === 0 && !Array.isArray(value) && value !== '') {
        // A row the page does not show yet: add rows to its list until it exists.
        var match = /^(\w+)\.(\d+)/.exec(name);
        var list = match && form.querySelector('[data-list="' + match[1] + '"] [data-rows]');
        while (list && list.querySelectorAll('[data-row]').length <= Number(match[2])) addRow(list, false);
        matches = form.querySelectorAll('[name="' + name.replace(/"/g, '') + '"]');
      }
      Array.prototype.forEach.call(matches, function (el) {
        if (el.type === 'checkbox') el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
        else if (!Array.isArray(value)) el.value = value;
      });
    });
    keep();
  }

  // ---- Rows added in place

  function renumber(row, index) {
    row.querySelectorAll('[id], [name], label[for], [aria-describedby]').forEach(function (el) {
      ['id', 'for', 'aria-describedby'].forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value) el.setAttribute(attribute, value.replace(/^field-(\w+)-\d+/, 'field-$1-' + index).replace(/ field-(\w+)-\d+/g, ' field-$1-' + index));
      });
      var name = el.getAttribute('name');
      if (name) el.setAttribute('name', name.replace(/^(\w+)\.\d+/, '$1.' + index));
    });
    row.querySelectorAll('label, legend').forEach(function (el) {
      el.childNodes.forEach(function (node) {
        if (node.nodeType === 3) node.textContent = node.textContent.replace(/\d+(\s*)$/, (index + 1) + '$1');
      });
    });
    row.querySelectorAll('.field__error').forEach(function (el) { el.remove(); });
    row.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); });
    row.querySelectorAll('textarea, input').forEach(function (el) {
      if (el.type === 'checkbox') el.checked = false;
      else el.value = '';
    });
  }

  function addRow(list, focus) {
    var rows = list.querySelectorAll('[data-row]');
    var last = rows[rows.length - 1];
    if (!last) return;
    var row = last.cloneNode(true);
    renumber(row, rows.length);
    list.appendChild(row);
    if (focus) {
      var first = row.querySelector('textarea, input');
      if (first) first.focus();
    }
  }

  form.querySelectorAll('[data-rows]').forEach(function (list) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'admin-button--secondary';
    button.textContent = list.getAttribute('data-add-label');
    var wrapper = document.createElement('p');
    wrapper.appendChild(button);
    list.parentNode.insertBefore(wrapper, list.nextSibling);
    button.addEventListener('click', function () { addRow(list, true); });
  });
  form.querySelectorAll('[data-no-js-only]').forEach(function (el) { el.hidden = true; });

  // ---- Keeping what is typed

  form.addEventListener('input', keep);
  form.addEventListener('change', keep);

  var offline = document.querySelector('[data-offline-message]');
  form.addEventListener('submit', function (event) {
    keep();
    if (navigator.onLine === false) {
      event.preventDefault();
      if (offline) {
        offline.hidden = false;
        offline.setAttribute('role', 'alert');
      }
    }
  });
  window.addEventListener('online', function () { if (offline) offline.hidden = true; });
})();
