// The venue screen's script (/events/:slug/now). It ticks the clock in the event's zone, set by
// the server's time (data-now) rather than the screen's own, and every data-refresh-seconds it
// fetches the page again and puts in place what changed, without reloading: the rooms (or the
// before/after message), the date and the "updated at" line. When a fetch fails it says since when
// the screen is offline, keeps what it shows, and tries again at the next turn.
// Without this script the page is whole as it is served, with a link that reloads it.
(function () {
  'use strict';
  var root = document.getElementById('kiosk');
  if (!root || typeof window.fetch !== 'function' || typeof window.DOMParser !== 'function') return;

  var MIN_SECONDS = 5;
  var MAX_SECONDS = 600;
  var DEFAULT_SECONDS = 60;

  var seconds = Number(root.getAttribute('data-refresh-seconds'));
  if (!isFinite(seconds) || seconds <= 0) seconds = DEFAULT_SECONDS;
  seconds = Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, seconds));

  var zone = root.getAttribute('data-zone') || undefined;
  var offlineText = root.getAttribute('data-offline') || '';
  var lang = document.documentElement.lang || undefined;

  /** The server's clock minus this screen's, from the page's data-now. */
  var skew = 0;
  function sync(iso) {
    var t = Date.parse(iso || '');
    if (!isNaN(t)) skew = t - Date.now();
  }
  sync(root.getAttribute('data-now'));

  var format = null;
  try {
    format = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  } catch (error) {
    format = null; // An unknown zone: the clock stays as the server wrote it, and is set again at each refresh.
  }
  function clockNow() {
    return format ? format.format(new Date(Date.now() + skew)) : null;
  }

  function setText(element, text) {
    if (element && text !== null && element.textContent !== text) element.textContent = text;
  }

  function tick() {
    setText(root.querySelector('.now-screen__time'), clockNow());
  }

  /** Where the focus is inside an element, as the index of the focused link, or -1. */
  function focusIndex(container) {
    var active = document.activeElement;
    if (!active || !container.contains(active)) return -1;
    return Array.prototype.indexOf.call(container.querySelectorAll('a[href]'), active);
  }

  function swapContent(fresh) {
    var current = document.getElementById('kiosk-content');
    if (!current || !fresh || current.innerHTML === fresh.innerHTML) return;
    var focused = focusIndex(current);
    var x = window.scrollX;
    var y = window.scrollY;
    var replacement = document.importNode(fresh, true);
    current.parentNode.replaceChild(replacement, current);
    if (focused >= 0) {
      var links = replacement.querySelectorAll('a[href]');
      var target = links[Math.min(focused, links.length - 1)];
      if (target) target.focus({ preventScroll: true });
    }
    window.scrollTo(x, y);
  }

  function apply(doc) {
    var fresh = doc.getElementById('kiosk');
    if (!fresh) throw new Error('not the venue screen');
    sync(fresh.getAttribute('data-now'));
    swapContent(doc.getElementById('kiosk-content'));
    var date = doc.querySelector('.now-screen__date');
    setText(root.querySelector('.now-screen__date'), date ? date.textContent : null);
    var updated = doc.getElementById('kiosk-updated');
    setText(document.getElementById('kiosk-updated'), updated ? updated.textContent : null);
    tick();
  }

  var offlineSince = null;
  function online() {
    offlineSince = null;
    setText(document.getElementById('kiosk-offline'), '');
  }
  function offline() {
    if (offlineSince !== null) return;
    offlineSince = clockNow() || '';
    setText(document.getElementById('kiosk-offline'), offlineText.replace('{time}', offlineSince));
  }

  function refresh() {
    fetch(window.location.href, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (html) {
        apply(new DOMParser().parseFromString(html, 'text/html'));
        online();
      })
      .catch(offline)
      .then(schedule, schedule);
  }

  function schedule() {
    window.setTimeout(refresh, seconds * 1000);
  }

  tick();
  window.setInterval(tick, 1000);
  schedule();
})();
