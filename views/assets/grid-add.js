// "Add a session here" on the scheduling grid: a click on an empty cell opens the new-session form
// (the page the cell's link leads to) in a dialog over the grid. A refused save shows the form again
// there, with its errors; a saved one closes it and the grid is swapped for the one the save led to.
// Loaded by grid.js, whose helpers it uses (window.forumGrid); without it the link opens the form page.
(function () {
  'use strict';

  var grid = window.forumGrid;
  if (!grid) return;
  var t = grid.t;
  var el = grid.el;
  var fetchPage = grid.fetchPage;
  var opener = null;

  function dialog() {
    var box = document.getElementById('grid-add-dialog');
    if (box) return box;
    box = el('dialog', { id: 'grid-add-dialog', className: 'grid-script__dialog', 'aria-labelledby': 'grid-add-title' });
    var head = el('div', { className: 'grid-script__dialog-head' });
    var close = el('button', { type: 'button', className: 'admin-button--secondary' }, t('close'));
    close.addEventListener('click', function () { box.close(); });
    head.appendChild(el('h2', { id: 'grid-add-title' }));
    head.appendChild(close);
    var body = el('div', { className: 'grid-script__dialog-body' });
    box.appendChild(head);
    box.appendChild(body);
    box.addEventListener('close', function () {
      body.textContent = '';
      if (opener && document.contains(opener)) opener.focus();
    });
    box.addEventListener('submit', function (event) {
      var form = event.target;
      event.preventDefault();
      var fields = new FormData(form);
      // The button pressed may say what comes next ("create and add another").
      if (event.submitter && event.submitter.name) fields.append(event.submitter.name, event.submitter.value);
      var sent = form.enctype === 'multipart/form-data' ? fields : new URLSearchParams(fields);
      fetchPage(form.action, { method: 'POST', body: sent }).then(function (answer) {
        if (answer.doc.querySelector('[data-grid-page]')) {
          box.close();
          grid.swapIn(answer.doc, 'new', t('added'));
        } else if (showForm(answer.doc, answer.response.url)) {
          // Saved, and a fresh form for the next one: the grid behind it shows the saved one.
          if (answer.response.redirected) grid.refresh(null, t('added'));
        } else {
          window.location.assign(answer.response.url);
        }
      }).catch(function () { grid.alertUser(t('offline')); box.close(); });
    });
    document.body.appendChild(box);
    return box;
  }

  /** Shows the form of a fetched page (and its error summary) in the dialog; false when it has none. */
  function showForm(doc, address) {
    var form = doc.querySelector('main form.admin-form') || doc.querySelector('main form[method="post"]');
    if (!form) return false;
    form.setAttribute('action', new URL(form.getAttribute('action') || address, address).href);
    var box = dialog();
    var heading = doc.querySelector('main h1');
    box.querySelector('h2').textContent = heading ? heading.textContent.trim() : t('addTitle');
    var body = box.querySelector('.grid-script__dialog-body');
    body.textContent = '';
    var summary = doc.querySelector('main .admin-error-summary');
    if (summary && !form.contains(summary)) body.appendChild(document.adoptNode(summary));
    body.appendChild(document.adoptNode(form));
    if (!box.open) box.showModal();
    // After a refusal the error summary is read first, as on the page itself.
    var first = body.querySelector('.admin-error-summary') || body.querySelector('input:not([type="hidden"]), select, textarea');
    if (first) first.focus();
    return true;
  }

  document.addEventListener('click', function (event) {
    var link = grid.active() && event.target.closest && event.target.closest('[data-grid-page] a.grid__add');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    opener = link;
    fetchPage(link.href).then(function (answer) {
      if (!answer.response.ok || !showForm(answer.doc, answer.response.url)) window.location.assign(link.href);
    }).catch(function () { window.location.assign(link.href); });
  });

  // Said for whoever waits for the dialog (the browser tests): from now on, a cell's link opens it.
  grid.addsInDialog = true;
})();
