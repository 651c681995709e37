// Makes the public programme an offline app: registers the service worker (/sw.js), asks it to
// keep the event's pages (the list named by data-list), and, on a page the worker served from
// its copy (it then carries <meta name="offline-kept">), says so in the page's language.
// When the worker has kept the list, <html> carries data-offline-revision and data-offline-kept.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;

  function showNotice() {
    var meta = document.querySelector('meta[name="offline-kept"]');
    var main = document.getElementById('main');
    if (!meta || !main) return;
    var kept = new Date(meta.getAttribute('content'));
    var date = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: 'long', timeStyle: 'short' }).format(kept);
    var notice = document.createElement('p');
    notice.className = 'offline-notice';
    notice.setAttribute('role', 'status');
    main.insertBefore(notice, main.firstChild);
    notice.textContent = script.getAttribute('data-kept').replace('{date}', date);
  }

  function onMessage(event) {
    var data = event.data;
    if (!data || data.type !== 'offline-kept') return;
    document.documentElement.setAttribute('data-offline-revision', String(data.revision));
    document.documentElement.setAttribute('data-offline-kept', String(data.kept));
  }

  showNotice();
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', onMessage);
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      registration.active.postMessage({ type: 'offline-keep', list: script.getAttribute('data-list') });
    })
    .catch(function () { /* No worker (private window, old browser): the pages work online as before. */ });
})();
