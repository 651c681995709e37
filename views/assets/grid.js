// The scheduling grid's script: see server/web/workspace/grid/. The grid works without it; with it,
// a block is dragged to another room or time, resized by its bottom handle, or dropped from the list
// of sessions without a time, and the conflicts the drop would cause are said before it. Each drop
// (and each move form sent) is the API's versioned write (If-Match): a stale one is refused, never
// overwrites. After any answer the grid is read again from the server, which lays it out and marks
// its conflicts, and swapped in place: no page load. Empty cells open the new-session form in a dialog.
(function () {
  'use strict';

  var data = null;
  var snap = 15;
  var drag = null;
  var busy = false;
  var chrome = null;

  function readData() {
    var element = document.getElementById('grid-data');
    if (!element) return null;
    try { return JSON.parse(element.textContent); } catch (e) { return null; }
  }

  function t(key, params) {
    var text = (data && data.messages && data.messages[key]) || '';
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }

  // Times are minutes since the day's midnight, in the event's zone (the page's rows are).
  function toMinutes(clock) {
    var match = /^(\d{1,2}):(\d{2})/.exec(clock || '');
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(minutes) {
    if (minutes === 1440) return '24:00';
    var m = ((minutes % 1440) + 1440) % 1440;
    return pad(Math.floor(m / 60)) + ':' + pad(m % 60);
  }
  function localDateTime(day, minutes) {
    var days = Math.floor(minutes / 1440);
    var date = day;
    if (days !== 0) {
      var d = new Date(day + 'T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + days);
      date = d.toISOString().slice(0, 10);
    }
    return date + 'T' + clock(minutes - days * 1440);
  }
  function spanOf(session) {
    var start = toMinutes(session.start);
    var end = toMinutes(session.end);
    if (end <= start) end += 1440;
    return { start: start, end: end };
  }

  function page() { return document.querySelector('[data-grid-page]'); }
  function table() { var p = page(); return p && p.querySelector('table[data-grid]'); }
  function statusRegion() { var p = page(); return p && p.querySelector('[data-grid-status]'); }
  function say(text) { var region = statusRegion(); if (region && region.textContent !== text) region.textContent = text; }

  /** A new role=alert element each time: one inserted with its text is announced at once. */
  function alertUser(text) {
    if (chrome.alert && chrome.alert.parentNode) chrome.alert.parentNode.removeChild(chrome.alert);
    chrome.alert = null;
    if (!text) return;
    chrome.alert = document.createElement('p');
    chrome.alert.className = 'grid-script__alert';
    chrome.alert.setAttribute('role', 'alert');
    chrome.alert.textContent = text;
    placeChrome();
  }

  // ---- geometry: rows give the time, head cells the room ----------------------------------

  function rowsOf(grid) {
    var rows = Array.prototype.slice.call(grid.querySelectorAll('tbody tr[data-time]'));
    var dayEnd = toMinutes(data.dayEnd) || 1440;
    return rows.map(function (row, i) {
      var rect = row.getBoundingClientRect();
      var start = toMinutes(row.getAttribute('data-time'));
      var next = rows[i + 1] ? toMinutes(rows[i + 1].getAttribute('data-time')) : Math.max(dayEnd, start + data.step);
      return { top: rect.top, bottom: rect.bottom, start: start, span: next - start };
    });
  }

  function minutesAt(rows, y, clamp) {
    if (rows.length === 0) return null;
    var last = rows[rows.length - 1];
    if (y < rows[0].top) return clamp ? rows[0].start : null;
    if (y >= last.bottom) return clamp ? last.start + last.span : null;
    for (var i = 0; i < rows.length; i += 1) {
      var row = rows[i];
      if (y >= row.top && y < row.bottom) return row.start + ((y - row.top) / Math.max(1, row.bottom - row.top)) * row.span;
    }
    return null;
  }

  function yAt(rows, minutes) {
    for (var i = 0; i < rows.length; i += 1) {
      var row = rows[i];
      if (minutes < row.start + row.span) return row.top + Math.max(0, (minutes - row.start) / row.span) * (row.bottom - row.top);
    }
    return rows.length ? rows[rows.length - 1].bottom : 0;
  }

  function columnAt(grid, x) {
    var heads = grid.querySelectorAll('thead th[data-room]');
    for (var i = 0; i < heads.length; i += 1) {
      var rect = heads[i].getBoundingClientRect();
      if (x >= rect.left && x < rect.right) return { id: heads[i].getAttribute('data-room'), name: heads[i].textContent.trim(), left: rect.left, right: rect.right };
    }
    return null;
  }

  // ---- what a drop would cause, from the page's own data ---------------------------------

  function sessionData(id) {
    var all = (data.sessions || []).concat(data.unscheduled || []);
    for (var i = 0; i < all.length; i += 1) if (all[i].id === id) return all[i];
    return null;
  }
  function shares(a, b) {
    return (a || []).some(function (x) { return (b || []).indexOf(x) !== -1; });
  }

  function conflictsOf(id, target) {
    var me = sessionData(id) || {};
    var found = [];
    if (target.end > 1440) found.push(t('conflictOutside'));
    (data.sessions || []).forEach(function (other) {
      if (other.id === id || other.status === 'cancelled') return;
      var span = spanOf(other);
      if (!(target.start < span.end && span.start < target.end)) return;
      if (target.room && other.room === target.room) found.push(t('conflictRoom', { room: target.roomName, title: other.title }));
      else if (shares(me.people, other.people)) found.push(t('conflictPerson', { title: other.title }));
      else if (shares(me.organisations, other.organisations)) found.push(t('conflictOrganisation', { title: other.title }));
    });
    return found;
  }

  function placeOf(target) {
    var times = { start: clock(target.start), end: clock(target.end) };
    if (target.allRooms) return t('placeAllRooms', times);
    times.room = target.roomName;
    return t('place', times);
  }

  // ---- dragging ------------------------------------------------------------------------

  function snapTo(minutes, round) { return (round ? Math.round : Math.floor)(minutes / snap) * snap; }

  function targetOf(event) {
    var grid = table();
    var rows = rowsOf(grid);
    var at = minutesAt(rows, event.clientY, drag.mode === 'resize');
    var column = drag.keepColumn || columnAt(grid, event.clientX);
    if (at === null || !column) return null;
    var start = drag.start;
    var end;
    if (drag.mode === 'resize') end = Math.max(start + snap, snapTo(at, true));
    else {
      start = Math.max(0, drag.mode === 'move' ? snapTo(at - drag.grab, true) : snapTo(at, false));
      end = start + drag.duration;
    }
    return {
      room: column.id || null, roomName: column.name, allRooms: !!drag.keepColumn && !column.id,
      start: start, end: end, left: column.left, right: column.right, top: yAt(rows, start), bottom: yAt(rows, end),
    };
  }

  function showTarget(target) {
    var ghost = drag.ghost;
    if (!target) { ghost.hidden = true; say(''); return; }
    var conflicts = conflictsOf(drag.id, target);
    var place = placeOf(target);
    var scroller = drag.scroller;
    var origin = scroller.getBoundingClientRect();
    ghost.hidden = false;
    ghost.style.left = (target.left - origin.left + scroller.scrollLeft) + 'px';
    ghost.style.width = Math.max(24, target.right - target.left) + 'px';
    ghost.style.top = (target.top - origin.top + scroller.scrollTop) + 'px';
    ghost.style.height = Math.max(16, target.bottom - target.top) + 'px';
    ghost.classList.toggle('grid-script__ghost--conflict', conflicts.length > 0);
    ghost.firstChild.textContent = place;
    var list = ghost.lastChild;
    list.textContent = '';
    conflicts.forEach(function (text) {
      var item = document.createElement('li');
      item.textContent = '⚠ ' + text;
      list.appendChild(item);
    });
    say([t('target', { place: place })].concat(conflicts.length ? conflicts : [t('noConflict')]).join(' '));
  }

  function begin() {
    var block = drag.block;
    var p = page();
    var scroller = p.querySelector('.grid__scroll') || p;
    drag.ghost = document.createElement('div');
    drag.ghost.className = 'grid-script__ghost';
    drag.ghost.setAttribute('aria-hidden', 'true');
    drag.ghost.appendChild(document.createElement('p'));
    drag.ghost.appendChild(document.createElement('ul'));
    scroller.appendChild(drag.ghost);
    drag.scroller = scroller;
    if (drag.mode !== 'place') {
      var cell = block.closest('td');
      var rect = cell.getBoundingClientRect();
      // A roomless block across every room (a break) keeps its columns: only its time moves.
      if (drag.mode === 'resize' || (!drag.room && cell.colSpan > 1)) {
        drag.keepColumn = { id: drag.room, name: (columnAt(table(), rect.left + 1) || {}).name || '', left: rect.left, right: rect.right };
      }
      var at = minutesAt(rowsOf(table()), drag.y, true);
      drag.grab = at === null ? 0 : at - drag.start;
    }
    // What the live region says during the drag must not push the grid under the pointer.
    var region = statusRegion();
    if (region) { region.style.height = region.offsetHeight + 'px'; region.style.overflow = 'hidden'; }
    drag.active = true;
    block.classList.add('grid-script__dragging');
    document.documentElement.classList.add('grid-script--dragging');
    try { block.setPointerCapture(drag.pointerId); } catch (e) { /* the pointer is gone */ }
    if (window.getSelection) window.getSelection().removeAllRanges();
  }

  function end(cancelled) {
    var finished = drag;
    drag = null;
    if (!finished.active) return;
    finished.block.classList.remove('grid-script__dragging');
    document.documentElement.classList.remove('grid-script--dragging');
    if (finished.ghost.parentNode) finished.ghost.parentNode.removeChild(finished.ghost);
    var region = statusRegion();
    if (region) { region.style.height = ''; region.style.overflow = ''; }
    // The click that ends a drag on a link must not follow it.
    document.addEventListener('click', swallow, true);
    setTimeout(function () { document.removeEventListener('click', swallow, true); }, 0);
    if (cancelled || !finished.target) { say(t('cancelled')); return; }
    var target = finished.target;
    if (finished.mode !== 'place' && target.start === finished.start && target.end === finished.start + finished.duration && target.room === finished.room) {
      say(t('cancelled'));
      return;
    }
    write(finished.id, finished.version, {
      start: localDateTime(data.day, target.start), end: localDateTime(data.day, target.end), room: target.room,
    }, placeOf(target));
  }

  function swallow(event) { event.preventDefault(); event.stopPropagation(); }

  document.addEventListener('pointerdown', function (event) {
    if (!data || busy || drag || event.button !== 0 || !event.isPrimary) return;
    var block = event.target.closest && event.target.closest('[data-grid-page] .grid__block');
    if (!block || event.target.closest('details, input, select, textarea, button')) return;
    var unscheduled = block.hasAttribute('data-unscheduled');
    var resizing = !!event.target.closest('.grid-script__resize');
    var start = toMinutes(block.getAttribute('data-start'));
    if (!unscheduled && start === null) return;
    var duration = Number(block.getAttribute('data-duration')) || 60;
    drag = {
      mode: unscheduled ? 'place' : resizing ? 'resize' : 'move', block: block, pointerId: event.pointerId,
      id: block.getAttribute('data-session'), version: block.getAttribute('data-version'),
      room: block.getAttribute('data-room') || null, start: start, duration: duration,
      x: event.clientX, y: event.clientY, active: false, target: null, keepColumn: null, grab: 0,
    };
    if (resizing) event.preventDefault();
  });

  document.addEventListener('pointermove', function (event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    if (!drag.active) {
      if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 5) return;
      begin();
    }
    event.preventDefault();
    drag.target = targetOf(event);
    showTarget(drag.target);
  });

  document.addEventListener('pointerup', function (event) {
    if (drag && event.pointerId === drag.pointerId) end(false);
  });
  document.addEventListener('pointercancel', function (event) {
    if (drag && event.pointerId === drag.pointerId) end(true);
  });
  document.addEventListener('keydown', function (event) {
    if (drag && event.key === 'Escape') { event.preventDefault(); end(true); }
  });
  // Links and images of a block would start the browser's own drag, which ends pointer events.
  document.addEventListener('dragstart', function (event) {
    if (data && event.target.closest && event.target.closest('[data-grid-page] .grid__block')) event.preventDefault();
  });

  // ---- writes: the API, then the grid read again ------------------------------------------

  function json(response) {
    return response.json().then(function (body) { return body; }, function () { return null; })
      .then(function (body) { return { status: response.status, body: body }; });
  }

  function reasonOf(problem) {
    var errors = (problem && problem.errors) || [];
    var reasons = errors.map(function (error) {
      var params = {};
      Object.keys(error.params || {}).forEach(function (name) { params[name] = String(error.params[name]).slice(0, 16).replace('T', ' '); });
      return t('error.' + error.code, params);
    }).filter(Boolean);
    return reasons.length ? reasons.join(' ') : ((problem && problem.title) || '') + '.';
  }

  function lastEditor(id) {
    var url = data.api + '/audit?entity=session&limit=1&entityId=' + encodeURIComponent(id);
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(json)
      .then(function (answer) { var entry = answer.body && answer.body.entries && answer.body.entries[0]; return entry ? entry.actor.name : null; })
      .catch(function () { return null; });
  }

  function write(id, version, body, place) {
    busy = true;
    alertUser('');
    say(t('saving'));
    var block = document.getElementById('session-' + id);
    if (block) block.setAttribute('aria-busy', 'true');
    fetch(data.api + '/sessions/' + encodeURIComponent(id), {
      method: 'PATCH', credentials: 'same-origin', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'If-Match': '"' + version + '"', Accept: 'application/json' },
    }).then(json).then(function (answer) {
      if (answer.status === 200) return refresh(id, t('moved', { place: place }));
      var type = (answer.body && answer.body.type) || '';
      if (answer.status === 409 && /stale-version$/.test(type)) {
        return lastEditor(id).then(function (name) {
          alertUser(name ? t('stale', { name: name }) : t('staleAnonymous'));
          return refresh(id, '');
        });
      }
      alertUser(answer.status === 422 ? t('refused', { reason: reasonOf(answer.body) }) : t('failed', { status: answer.status }));
      return refresh(id, '');
    }).catch(function () {
      alertUser(t('offline'));
      if (block) block.removeAttribute('aria-busy');
    }).then(function () { busy = false; });
  }

  function parse(html) { return new DOMParser().parseFromString(html, 'text/html'); }

  function refresh(focusId, message) {
    return fetch(data.gridUrl, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.text(); })
      .then(function (html) { swapIn(parse(html), focusId, message); });
  }

  /** Puts the grid of a fetched page in place of this one, keeping the live region and the toolbar. */
  function swapIn(doc, focusId, message) {
    var fresh = doc.querySelector('[data-grid-page]');
    var old = page();
    if (!fresh || !old) { window.location.assign(data.gridUrl); return; }
    var oldStatus = old.querySelector('[data-grid-status]');
    var newStatus = fresh.querySelector('[data-grid-status]');
    if (oldStatus && newStatus) {
      var said = newStatus.textContent.trim();
      newStatus.parentNode.replaceChild(oldStatus, newStatus);
      oldStatus.textContent = message || said;
    }
    old.parentNode.replaceChild(document.adoptNode(fresh), old);
    setUp();
    var target = focusId && document.getElementById('session-' + focusId);
    if (target) {
      target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }

  // ---- the move forms (keyboard, no pointer): the same write ------------------------------

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!data || !form.closest('[data-grid-page] .grid__block') || !/\/move$/.test(form.getAttribute('action') || '')) return;
    event.preventDefault();
    if (busy) return;
    var block = form.closest('.grid__block');
    var field = function (name) { var control = form.elements.namedItem(name); return control ? control.value : ''; };
    var day = field('day') || data.day;
    var start = toMinutes(field('start'));
    var end = field('duration') ? start + Number(field('duration')) : toMinutes(field('end'));
    if (start === null || end === null || isNaN(end)) return;
    if (end <= start && !field('duration')) end += 1440;
    var room = form.elements.namedItem('room');
    var roomName = room && room.selectedIndex >= 0 ? room.options[room.selectedIndex].text.trim() : '';
    var place = t('place', { room: roomName, start: clock(start), end: clock(end) });
    if (day !== data.day) place = day + ', ' + place;
    write(block.getAttribute('data-session'), field('version') || block.getAttribute('data-version'), {
      start: localDateTime(day, start), end: localDateTime(day, end), room: field('room') || null,
    }, place);
  });

  // ---- "add a session here": the new-session form in a dialog ----------------------------

  var opener = null;

  function dialog() {
    var box = document.getElementById('grid-add-dialog');
    if (box) return box;
    box = document.createElement('dialog');
    box.id = 'grid-add-dialog';
    box.className = 'grid-script__dialog';
    box.setAttribute('aria-labelledby', 'grid-add-title');
    var head = document.createElement('div');
    head.className = 'grid-script__dialog-head';
    var title = document.createElement('h2');
    title.id = 'grid-add-title';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'admin-button--secondary';
    close.textContent = t('close');
    close.addEventListener('click', function () { box.close(); });
    head.appendChild(title);
    head.appendChild(close);
    var body = document.createElement('div');
    body.className = 'grid-script__dialog-body';
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
      fetch(form.action, { method: 'POST', body: sent, credentials: 'same-origin' }).then(function (response) {
        return response.text().then(function (html) { return { response: response, doc: parse(html) }; });
      }).then(function (answer) {
        if (answer.doc.querySelector('[data-grid-page]')) {
          var before = (data.sessions || []).concat(data.unscheduled || []).map(function (s) { return s.id; });
          box.close();
          swapIn(answer.doc, null, t('added'));
          var added = (data.sessions || []).concat(data.unscheduled || []).filter(function (s) { return before.indexOf(s.id) === -1; })[0];
          var block = added && document.getElementById('session-' + added.id);
          if (block) { block.setAttribute('tabindex', '-1'); block.focus(); }
        } else if (showForm(answer.doc, answer.response.url)) {
          // Saved, and a fresh form for the next one: the grid behind it shows the saved one.
          if (answer.response.redirected) refresh(null, t('added'));
        } else {
          window.location.assign(answer.response.url);
        }
      }).catch(function () { alertUser(t('offline')); box.close(); });
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
    var link = data && event.target.closest && event.target.closest('[data-grid-page] a.grid__add');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || typeof HTMLDialogElement === 'undefined') return;
    event.preventDefault();
    opener = link;
    fetch(link.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } }).then(function (response) {
      return response.text().then(function (html) { return { response: response, doc: parse(html) }; });
    }).then(function (answer) {
      if (!answer.response.ok || !showForm(answer.doc, answer.response.url)) window.location.assign(link.href);
    }).catch(function () { window.location.assign(link.href); });
  });

  // ---- set-up, again after each swap ------------------------------------------------------

  function makeChrome() {
    var toolbar = document.createElement('div');
    toolbar.className = 'grid-script__toolbar';
    var label = document.createElement('label');
    label.setAttribute('for', 'grid-snap');
    label.textContent = t('snap');
    var select = document.createElement('select');
    select.id = 'grid-snap';
    [5, 10, 15].forEach(function (minutes) {
      var option = document.createElement('option');
      option.value = String(minutes);
      option.textContent = t('snapOption', { minutes: minutes });
      select.appendChild(option);
    });
    snap = Math.min(15, data.step || 15);
    select.value = String(snap);
    select.addEventListener('change', function () { snap = Number(select.value) || 15; });
    var hint = document.createElement('p');
    hint.className = 'grid-script__hint';
    hint.textContent = t('hint');
    toolbar.appendChild(label);
    toolbar.appendChild(select);
    toolbar.appendChild(hint);
    return { toolbar: toolbar, alert: null };
  }

  /** The toolbar and the alert sit right after the live region, in whichever grid is shown. */
  function placeChrome() {
    var region = statusRegion();
    if (!region) return;
    region.parentNode.insertBefore(chrome.toolbar, region.nextSibling);
    if (chrome.alert) region.parentNode.insertBefore(chrome.alert, chrome.toolbar);
  }

  function setUp() {
    data = readData();
    if (!data) return;
    if (!chrome) chrome = makeChrome();
    page().classList.add('grid--scripted');
    placeChrome();
    page().querySelectorAll('.grid__block[data-start]:not([data-unscheduled])').forEach(function (block) {
      if (block.querySelector('.grid-script__resize')) return;
      var handle = document.createElement('span');
      handle.className = 'grid-script__resize';
      handle.setAttribute('aria-hidden', 'true');
      handle.title = t('resize');
      block.appendChild(handle);
    });
  }

  setUp();
})();
