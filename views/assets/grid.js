// The scheduling grid's script: see server/web/workspace/grid/. The grid works without it; with it,
// a block is dragged to another room or time, resized by its bottom handle, or dropped from the list
// of sessions without a time, and the conflicts the drop would cause are said before it. Each drop
// (and each move form sent) is the API's versioned write (If-Match): a stale one is refused, never
// overwrites. After any answer the grid is read again from the server, which lays it out and marks
// its conflicts, and swapped in place: no page load. Empty cells open the new-session form in a dialog (grid-add.js).
(function () {
  'use strict';

  // The page's #grid-data, the snap in minutes, the drag under way, a write under way, the toolbar and alert.
  var data = null, snap = 15, drag = null, busy = false, chrome = null;

  function readData() {
    var element = document.getElementById('grid-data');
    try { return element ? JSON.parse(element.textContent) : null; } catch (e) { return null; }
  }

  /** An element with these attributes (className and htmlFor as properties) and this text. */
  function el(tag, props, text) {
    var element = document.createElement(tag);
    Object.keys(props || {}).forEach(function (name) {
      if (name === 'className' || name === 'htmlFor') element[name] = props[name]; else element.setAttribute(name, props[name]);
    });
    if (text) element.textContent = text;
    return element;
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
  function clock(minutes) {
    if (minutes === 1440) return '24:00';
    var m = ((minutes % 1440) + 1440) % 1440;
    return String(100 + Math.floor(m / 60)).slice(1) + ':' + String(100 + (m % 60)).slice(1);
  }
  /** "YYYY-MM-DDTHH:MM" as the API takes it: past midnight is the next day's clock. */
  function localDateTime(day, minutes) {
    var days = Math.floor(minutes / 1440);
    return new Date(Date.parse(day + 'T00:00:00Z') + days * 86400000).toISOString().slice(0, 10) + 'T' + clock(minutes - days * 1440);
  }
  function spanOf(session) {
    var start = toMinutes(session.start), end = toMinutes(session.end);
    return { start: start, end: end <= start ? end + 1440 : end };
  }

  function page() { return document.querySelector('[data-grid-page]'); }
  function table() { return document.querySelector('[data-grid-page] table[data-grid]'); }
  function statusRegion() { return document.querySelector('[data-grid-page] [data-grid-status]'); }
  function say(text) { var region = statusRegion(); if (region && region.textContent !== text) region.textContent = text; }

  /** A new role=alert element each time: one inserted with its text is announced at once. */
  function alertUser(text) {
    if (chrome.alert) chrome.alert.remove();
    chrome.alert = text ? el('p', { className: 'grid-script__alert', role: 'alert' }, text) : null;
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

  /** The time at a height of the page; above or below the rows, none (or the first or last, to clamp). */
  function minutesAt(rows, y, clamp) {
    var first = rows[0], last = rows[rows.length - 1];
    if (!first || y < first.top) return clamp && first ? first.start : null;
    if (y >= last.bottom) return clamp ? last.start + last.span : null;
    var row = rows.filter(function (r) { return y >= r.top && y < r.bottom; })[0];
    return row ? row.start + ((y - row.top) / Math.max(1, row.bottom - row.top)) * row.span : null;
  }

  function yAt(rows, minutes) {
    var row = rows.filter(function (r) { return minutes < r.start + r.span; })[0];
    if (!row) return rows.length ? rows[rows.length - 1].bottom : 0;
    return row.top + Math.max(0, (minutes - row.start) / row.span) * (row.bottom - row.top);
  }

  function columnAt(grid, x) {
    var head = Array.prototype.filter.call(grid.querySelectorAll('thead th[data-room]'), function (th) {
      var rect = th.getBoundingClientRect();
      return x >= rect.left && x < rect.right;
    })[0];
    var rect = head && head.getBoundingClientRect();
    return head ? { id: head.getAttribute('data-room'), name: head.textContent.trim(), left: rect.left, right: rect.right } : null;
  }

  // ---- what a drop would cause, from the page's own data ---------------------------------

  function shares(a, b) { return (a || []).some(function (x) { return (b || []).indexOf(x) !== -1; }); }
  function conflictsOf(id, target) {
    var me = (data.sessions || []).concat(data.unscheduled || []).filter(function (s) { return s.id === id; })[0] || {};
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
    var start = drag.mode === 'resize' ? drag.start : Math.max(0, drag.mode === 'move' ? snapTo(at - drag.grab, true) : snapTo(at, false));
    var end = drag.mode === 'resize' ? Math.max(start + snap, snapTo(at, true)) : start + drag.duration;
    return {
      room: column.id || null, roomName: column.name, allRooms: !!drag.keepColumn && !column.id,
      start: start, end: end, left: column.left, right: column.right, top: yAt(rows, start), bottom: yAt(rows, end),
    };
  }

  function showTarget(target) {
    var ghost = drag.ghost;
    if (!target) { ghost.hidden = true; say(''); return; }
    var conflicts = conflictsOf(drag.id, target), place = placeOf(target);
    var scroller = drag.scroller, origin = scroller.getBoundingClientRect();
    ghost.hidden = false;
    Object.assign(ghost.style, {
      left: (target.left - origin.left + scroller.scrollLeft) + 'px', width: Math.max(24, target.right - target.left) + 'px',
      top: (target.top - origin.top + scroller.scrollTop) + 'px', height: Math.max(16, target.bottom - target.top) + 'px',
    });
    ghost.classList.toggle('grid-script__ghost--conflict', conflicts.length > 0);
    ghost.firstChild.textContent = place;
    var list = ghost.lastChild;
    list.textContent = '';
    conflicts.forEach(function (text) { list.appendChild(el('li', {}, '⚠ ' + text)); });
    say([t('target', { place: place })].concat(conflicts.length ? conflicts : [t('noConflict')]).join(' '));
  }

  function begin() {
    var block = drag.block;
    var p = page();
    var scroller = p.querySelector('.grid__scroll') || p;
    drag.ghost = el('div', { className: 'grid-script__ghost', 'aria-hidden': 'true' });
    drag.ghost.appendChild(el('p'));
    drag.ghost.appendChild(el('ul'));
    drag.scroller = scroller;
    scroller.appendChild(drag.ghost);
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
    if (region) Object.assign(region.style, { height: region.offsetHeight + 'px', overflow: 'hidden' });
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
    finished.ghost.remove();
    if (statusRegion()) Object.assign(statusRegion().style, { height: '', overflow: '' });
    // The click that ends a drag on a link must not follow it.
    document.addEventListener('click', swallow, true);
    setTimeout(function () { document.removeEventListener('click', swallow, true); }, 0);
    var target = finished.target;
    var same = target && finished.mode !== 'place' && target.start === finished.start && target.end === finished.start + finished.duration && target.room === finished.room;
    if (cancelled || !target || same) { say(t('cancelled')); return; }
    write(finished.id, finished.version, { day: data.day, start: target.start, end: target.end, room: target.room }, placeOf(target));
  }

  // Near the window's edge (or the grid's, sideways) the page scrolls under the pointer: a grid may be larger than the screen.
  function autoScroll(event) {
    var box = drag.scroller.getBoundingClientRect();
    window.scrollBy(0, event.clientY < 40 ? -20 : event.clientY > window.innerHeight - 40 ? 20 : 0);
    drag.scroller.scrollLeft += event.clientX < box.left + 40 ? -20 : event.clientX > box.right - 40 ? 20 : 0;
  }

  function swallow(event) { event.preventDefault(); event.stopPropagation(); }

  document.addEventListener('pointerdown', function (event) {
    if (!data || busy || drag || event.button !== 0 || !event.isPrimary) return;
    var block = event.target.closest && event.target.closest('[data-grid-page] .grid__block');
    if (!block || event.target.closest('details, input, select, textarea, button')) return;
    var unscheduled = block.hasAttribute('data-unscheduled'), resizing = !!event.target.closest('.grid-script__resize');
    var start = toMinutes(block.getAttribute('data-start'));
    // A finger elsewhere than on a handle scrolls the page (on a phone the grid is mostly blocks).
    if ((!unscheduled && start === null) || (event.pointerType === 'touch' && !event.target.closest('.grid-script__resize, .grid-script__grip'))) return;
    drag = {
      mode: unscheduled ? 'place' : resizing ? 'resize' : 'move', block: block, pointerId: event.pointerId,
      id: block.getAttribute('data-session'), version: block.getAttribute('data-version'),
      room: block.getAttribute('data-room') || null, start: start, duration: Number(block.getAttribute('data-duration')) || 60,
      x: event.clientX, y: event.clientY, active: false, target: null, keepColumn: null, grab: 0,
    };
    if (resizing) event.preventDefault();
  });

  document.addEventListener('pointermove', function (event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    // A press that has not moved yet is maybe a click.
    if (!drag.active && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 5) return;
    if (!drag.active) begin();
    event.preventDefault();
    autoScroll(event);
    showTarget(drag.target = targetOf(event));
  });

  document.addEventListener('pointerup', function (event) { if (drag && event.pointerId === drag.pointerId) end(false); });
  document.addEventListener('pointercancel', function (event) { if (drag && event.pointerId === drag.pointerId) end(true); });
  document.addEventListener('keydown', function (event) { if (drag && event.key === 'Escape') { event.preventDefault(); end(true); } });
  // The browser's own drag (of a link, an image or a leftover text selection) would end the pointer's events.
  document.addEventListener('dragstart', function (event) { if (drag) event.preventDefault(); });

  // ---- writes: the API, then the grid read again ------------------------------------------

  function json(response) {
    return response.json().catch(function () { return null; }).then(function (body) { return { status: response.status, body: body }; });
  }

  // The event refused the move (422): the same move is sent as the block's move form would send it (a large
  // day's blocks have none), which the server refuses in turn with its reason in the reader's words, and the grid.
  function refused(id, version, move, problem) {
    var form = document.querySelector('#session-' + id + ' form[action$="/move"]'), csrf = document.querySelector('input[name="_csrf"]');
    if (!form && !csrf) return alertUser(t('refused', { reason: (problem && problem.title) || '' }));
    var fields = form ? new URLSearchParams(new FormData(form)) : new URLSearchParams({ _csrf: csrf.value, version: String(version) });
    [['day', move.day], ['start', clock(move.start)], ['duration', String(move.end - move.start)], ['room', move.room || '']].forEach(function (pair) { fields.set(pair[0], pair[1]); });
    fields.delete('end');
    var action = form ? form.action : data.gridUrl.replace(/\?.*$/, '') + '/sessions/' + encodeURIComponent(id) + '/move';
    return fetchPage(action, { method: 'POST', body: fields }).then(function (answer) { swapIn(answer.doc, id, ''); });
  }

  function lastEditor(id) {
    return fetch(data.api + '/audit?entity=session&limit=1&entityId=' + encodeURIComponent(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(json)
      .then(function (answer) { var entry = answer.body && answer.body.entries && answer.body.entries[0]; return entry ? entry.actor.name : null; })
      .catch(function () { return null; });
  }

  /** Moves a session (times in minutes of move.day) with the API, then shows the grid as the server has it. */
  function write(id, version, move, place) {
    busy = true;
    alertUser('');
    say(t('saving'));
    var block = document.getElementById('session-' + id);
    if (block) block.setAttribute('aria-busy', 'true');
    fetch(data.api + '/sessions/' + encodeURIComponent(id), {
      method: 'PATCH', credentials: 'same-origin', body: JSON.stringify({ start: localDateTime(move.day, move.start), end: localDateTime(move.day, move.end), room: move.room }),
      headers: { 'Content-Type': 'application/json', 'If-Match': '"' + version + '"', Accept: 'application/json' },
    }).then(json).then(function (answer) {
      if (answer.status === 200) return refresh(id, t('moved', { place: place }), move.day);
      if (answer.status === 409 && /stale-version$/.test((answer.body && answer.body.type) || '')) {
        return lastEditor(id).then(function (name) {
          alertUser(name ? t('stale', { name: name }) : t('staleAnonymous'));
          return refresh(id, '');
        });
      }
      if (answer.status === 422) return refused(id, version, move, answer.body);
      alertUser(t('failed', { status: answer.status }));
      return refresh(id, '');
    }).catch(function () {
      alertUser(t('offline'));
      if (block) block.removeAttribute('aria-busy');
    }).then(function () { busy = false; });
  }

  /** A page of the workspace, parsed: { response, doc }. */
  function fetchPage(url, options) {
    return fetch(url, Object.assign({ credentials: 'same-origin', headers: { Accept: 'text/html' } }, options)).then(function (response) {
      return response.text().then(function (html) { return { response: response, doc: new DOMParser().parseFromString(html, 'text/html') }; });
    });
  }

  // The grid of this day, or of the day a session was moved to (whose address the window then shows, without a load).
  function refresh(focusId, message, day) {
    var other = day && day !== data.day;
    return fetchPage(other ? data.gridUrl.replace(/day=[\d-]+/, 'day=' + day) : data.gridUrl).then(function (answer) {
      swapIn(answer.doc, focusId, message);
      if (other) history.replaceState(null, '', data.gridUrl);
    });
  }

  function ids() { return (data.sessions || []).concat(data.unscheduled || []).map(function (s) { return s.id; }); }

  // Puts the grid of a fetched page in place of this one, keeping the live region and the toolbar; the
  // focus goes to the block of focusId, or with focusId 'new' to the session the fetched page added.
  function swapIn(doc, focusId, message) {
    var before = ids(), fresh = doc.querySelector('[data-grid-page]'), old = page();
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
    if (focusId === 'new') focusId = ids().filter(function (id) { return before.indexOf(id) === -1; })[0];
    var target = focusId && document.getElementById('session-' + focusId);
    if (target) { target.setAttribute('tabindex', '-1'); target.focus(); }
  }

  // ---- the move forms (keyboard, no pointer): the same write ------------------------------

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!data || !form.closest('[data-grid-page] .grid__block') || !/\/move$/.test(form.getAttribute('action') || '')) return;
    event.preventDefault();
    var block = form.closest('.grid__block');
    if (busy) return;
    var field = function (name) { var control = form.elements.namedItem(name); return control ? control.value : ''; };
    var day = field('day') || data.day, start = toMinutes(field('start'));
    var end = field('duration') ? start + Number(field('duration')) : toMinutes(field('end'));
    if (start === null || end === null || isNaN(end)) return;
    if (end <= start && !field('duration')) end += 1440; // an end before the start is the next morning's
    var chosen = function (name) { var c = form.elements.namedItem(name); return c && c.options && c.selectedIndex >= 0 ? c.options[c.selectedIndex].text.trim() : ''; };
    var place = t('place', { room: chosen('room'), start: clock(start), end: clock(end) });
    if (day !== data.day) place = (chosen('day') || day) + ', ' + place;
    write(block.getAttribute('data-session'), field('version') || block.getAttribute('data-version'), { day: day, start: start, end: end, room: field('room') || null }, place);
  });

  // ---- set-up, again after each swap ------------------------------------------------------

  function makeChrome() {
    var toolbar = el('div', { className: 'grid-script__toolbar' });
    var select = el('select', { id: 'grid-snap' });
    [5, 10, 15].forEach(function (minutes) { select.appendChild(el('option', { value: String(minutes) }, t('snapOption', { minutes: minutes }))); });
    select.value = String(snap = Math.min(15, data.step || 15)); // 15 minutes, or the grid's finer step
    select.addEventListener('change', function () { snap = Number(select.value) || 15; });
    toolbar.appendChild(el('label', { htmlFor: 'grid-snap' }, t('snap')));
    toolbar.appendChild(select);
    toolbar.appendChild(el('p', { className: 'grid-script__hint' }, t('hint')));
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
    if (!(data = readData())) return;
    chrome = chrome || makeChrome();
    page().classList.add('grid--scripted');
    placeChrome();
    page().querySelectorAll('.grid__block[data-session]').forEach(function (block) {
      if (block.querySelector('.grid-script__grip')) return;
      block.appendChild(el('span', { className: 'grid-script__grip', 'aria-hidden': 'true', title: t('grip') }, '⠿'));
      if (block.hasAttribute('data-start')) block.appendChild(el('span', { className: 'grid-script__resize', 'aria-hidden': 'true', title: t('resize') }));
    });
  }

  setUp();
  // "Add a session here" in a dialog is grid-add.js, which uses these (without it the links open the form page).
  if (data) {
    window.forumGrid = { t: t, el: el, fetchPage: fetchPage, swapIn: swapIn, refresh: refresh, alertUser: alertUser, active: function () { return !!data; } };
    if (typeof HTMLDialogElement !== 'undefined') document.head.appendChild(el('script', { src: '/assets/grid-add.js' }));
  }
})();
