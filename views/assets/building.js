// The new-event form works without this script (the server makes the address from the title
// when it is left empty, and lists every time zone); with it:
// - the address follows the title as it is typed, until the organiser edits the address;
// - a text filter above the time zones narrows their list.
(function () {
  'use strict';

  var form = document.querySelector('form.building-event');
  if (!form) return;

  // The same as slugOf in server/domains/programme/quick.ts.
  var SLUG_MAX = 60;
  function slugOf(title) {
    var words = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
      .split(/[^a-z0-9]+/).filter(function (w) { return w !== ''; });
    var slug = '';
    for (var i = 0; i < words.length; i += 1) {
      var next = slug === '' ? words[i] : slug + '-' + words[i];
      if (next.length > SLUG_MAX) return slug === '' ? words[i].slice(0, SLUG_MAX) : slug;
      slug = next;
    }
    return slug;
  }

  var slug = form.querySelector('#f-slug');
  var language = form.querySelector('#f-defaultLanguage');
  var titles = form.querySelectorAll('input[name^="title."]');
  function titleSlug() {
    var preferred = language ? form.querySelector('#f-title-' + language.value) : null;
    var ordered = [preferred].concat(Array.prototype.slice.call(titles));
    for (var i = 0; i < ordered.length; i += 1) {
      var made = ordered[i] ? slugOf(ordered[i].value) : '';
      if (made !== '') return made;
    }
    return '';
  }
  if (slug) {
    // An address already typed (a form shown again) is the organiser's, unless the title made it.
    var edited = slug.value !== '' && slug.value !== titleSlug();
    slug.addEventListener('input', function () { edited = slug.value !== ''; });
    var follow = function () { if (!edited) slug.value = titleSlug(); };
    titles.forEach(function (input) { input.addEventListener('input', follow); });
    if (language) language.addEventListener('change', follow);
  }

  var zones = form.querySelector('#f-timezone');
  var label = form.getAttribute('data-timezone-filter');
  if (zones && label) {
    var all = Array.prototype.map.call(zones.options, function (o) { return { value: o.value, text: o.text }; });
    var filter = document.createElement('input');
    filter.type = 'search';
    filter.id = 'f-timezone-filter';
    filter.className = 'building-timezone__filter';
    filter.setAttribute('autocomplete', 'off');
    filter.setAttribute('aria-controls', zones.id);
    var filterLabel = document.createElement('label');
    filterLabel.htmlFor = filter.id;
    filterLabel.textContent = label;
    zones.parentNode.insertBefore(filterLabel, zones);
    zones.parentNode.insertBefore(filter, zones);
    // Options are rebuilt rather than hidden: hidden options are still chosen by the keyboard in some browsers.
    filter.addEventListener('input', function () {
      var words = filter.value.toLowerCase().replace(/\s+/g, '_').split('_').filter(Boolean);
      var chosen = zones.value;
      var kept = all.filter(function (o) {
        var text = o.text.toLowerCase();
        return o.value === chosen || words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      zones.innerHTML = '';
      kept.forEach(function (o) {
        var option = document.createElement('option');
        option.value = o.value;
        option.textContent = o.text;
        option.selected = o.value === chosen;
        zones.appendChild(option);
      });
      // With one zone left besides the chosen one, typing chose it.
      if (kept.length === 2 && words.length > 0) {
        var other = kept.filter(function (o) { return o.value !== chosen; })[0];
        zones.value = other.value;
      }
      if (kept.length === 1) zones.value = kept[0].value;
    });
  }
})();
