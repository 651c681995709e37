// The sessions list's "tick all" and "untick all" buttons. Without this script the boxes work
// one by one; the buttons only exist when the script runs, so none is left doing nothing.
(function () {
  'use strict';
  var form = document.querySelector('form.bulk-form');
  if (!form) return;
  var boxes = function () { return form.querySelectorAll('input[type="checkbox"][name="sessions"]'); };
  var bar = document.createElement('p');
  bar.className = 'bulk-select-all';
  function button(text, checked) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'admin-button--secondary';
    b.textContent = text;
    b.addEventListener('click', function () {
      boxes().forEach(function (box) { box.checked = checked; });
    });
    return b;
  }
  bar.appendChild(button(form.getAttribute('data-select-all'), true));
  bar.appendChild(document.createTextNode(' '));
  bar.appendChild(button(form.getAttribute('data-select-none'), false));
  var selection = form.querySelector('.bulk-selection');
  selection.insertBefore(bar, selection.firstChild);
})();
