// <forum-programme event="slug" lang="fr">: the released programme of an event, on any site.
// Load this script from the programme's site; the element reads <that site>/events/<event>/embed.json
// and shows it in its shadow root, in the host page's fonts and colours. Attributes: event (the
// event's address name), lang (fr, en or es), heading-level (of the event's title, 2 by default),
// base (another address of the programme's site), src (the JSON's own address). Texts from data
// are written with textContent only.
(() => {
  'use strict';
  const NAME = 'forum-programme';
  if (typeof window === 'undefined' || !window.customElements || window.customElements.get(NAME)) return;

  // Where this script came from (its folder: the programme's site), unless an element says otherwise.
  const current = document.currentScript;
  const SCRIPT_BASE = current && current.src ? new URL('./', new URL(current.src, document.baseURI)).href : new URL('/', window.location.href).href;

  const LANGUAGES = ['fr', 'en', 'es'];
  const WORDS = {
    fr: {
      loading: 'Chargement du programme…',
      failed: 'Le programme n’a pas pu être chargé.',
      unknown: 'Ce programme n’est pas publié ou n’existe pas.',
      noEvent: 'Indiquez l’évènement dans l’attribut event.',
      cancelled: 'Annulée',
      unscheduled: 'Horaire à venir',
      empty: 'Aucune séance pour le moment.',
    },
    en: {
      loading: 'Loading the programme…',
      failed: 'The programme could not be loaded.',
      unknown: 'This programme is not published or does not exist.',
      noEvent: 'Name the event in the event attribute.',
      cancelled: 'Cancelled',
      unscheduled: 'Time to be announced',
      empty: 'No session yet.',
    },
    es: {
      loading: 'Cargando el programa…',
      failed: 'No se pudo cargar el programa.',
      unknown: 'Este programa no está publicado o no existe.',
      noEvent: 'Indique el evento en el atributo event.',
      cancelled: 'Cancelada',
      unscheduled: 'Horario por anunciar',
      empty: 'Todavía no hay sesiones.',
    },
  };

  // Inherits the host's font and colour; custom properties and parts let the host adjust the rest.
  const STYLE = `
:host { display: block; font: inherit; color: inherit; }
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.programme, h1, h2, h3, h4, h5, h6, p, ol, ul, li, a, time, span { font-family: inherit; color: inherit; }
.heading { font-size: 1.4em; font-weight: bold; line-height: 1.25; margin: 0 0 .25em; }
.day { font-size: 1.15em; font-weight: bold; line-height: 1.25; margin: 1.25em 0 .5em; }
.dates { margin: 0 0 1em; }
.sessions { list-style: none; margin: 0; padding: 0; }
.session { display: grid; grid-template-columns: minmax(7em, max-content) 1fr; gap: .15em 1em; padding: .6em 0;
  border-top: 1px solid var(--forum-programme-rule, rgba(128, 128, 128, .35)); }
.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
.what { min-width: 0; }
.title { font-weight: bold; }
a { color: var(--forum-programme-link, inherit); text-decoration: underline; text-underline-offset: .15em; }
a:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
.cancelled .title { text-decoration: line-through; }
.badge { font-size: .85em; font-weight: bold; margin-inline-end: .4em; text-transform: uppercase; letter-spacing: .03em; }
.title-line { margin: 0; }
.meta { margin: .15em 0 0; font-size: .92em; }
.meta span + span::before { content: " · "; }
.status { margin: 0; }
@media (max-width: 30em) { .session { grid-template-columns: 1fr; } }
`;

  const wordsFor = (lang) => WORDS[lang] || WORDS.fr;

  /** fr, en or es from a language tag (fr-CA → fr); null when none of them. */
  function language(tag) {
    const primary = String(tag || '').trim().toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.includes(primary) ? primary : null;
  }

  /** Only web addresses become links. */
  function webAddress(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function make(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** A text of the JSON ({ text, lang? }), in a span that names its language when it is a fallback. */
  function text(value, className) {
    if (!value || typeof value.text !== 'string') return null;
    const node = make('span', { class: className, lang: value.lang ? language(value.lang) : null });
    node.textContent = value.text;
    return node;
  }

  class ForumProgramme extends HTMLElement {
    static get observedAttributes() { return ['event', 'lang', 'src', 'base', 'heading-level']; }

    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.loads = 0;
      this.controller = null;
      this.queued = false;
    }

    connectedCallback() { this.refresh(); }

    disconnectedCallback() {
      if (this.controller) this.controller.abort();
    }

    attributeChangedCallback(_name, before, after) {
      if (before !== after && this.isConnected) this.refresh();
    }

    /** The language asked for: the element's own lang, else its page's; null lets the event decide. */
    get language() {
      const own = language(this.getAttribute('lang'));
      if (own) return own;
      const near = this.parentElement && this.parentElement.closest('[lang]');
      return language(near ? near.getAttribute('lang') : null);
    }

    get jsonUrl() {
      const src = this.getAttribute('src');
      if (src) return new URL(src, document.baseURI).href;
      const event = (this.getAttribute('event') || '').trim();
      if (event === '') return null;
      const base = this.getAttribute('base');
      const root = base ? new URL(base, document.baseURI).href : SCRIPT_BASE;
      const url = new URL(`events/${encodeURIComponent(event)}/embed.json`, root.endsWith('/') ? root : `${root}/`);
      if (this.language) url.searchParams.set('lang', this.language);
      return url.href;
    }

    /** One load for several attribute changes made together. */
    refresh() {
      if (this.queued) return;
      this.queued = true;
      Promise.resolve().then(() => {
        this.queued = false;
        this.load();
      });
    }

    async load() {
      const words = wordsFor(this.language || 'fr');
      if (this.controller) this.controller.abort();
      const load = ++this.loads;
      let url = null;
      try {
        url = this.jsonUrl;
      } catch {
        url = null;
      }
      if (!url) {
        this.removeAttribute('aria-busy');
        this.show(this.status(this.hasAttribute('src') || this.hasAttribute('base') ? words.failed : words.noEvent, true));
        return;
      }
      this.controller = typeof AbortController === 'function' ? new AbortController() : null;
      this.setAttribute('aria-busy', 'true');
      this.show(this.status(words.loading, false));
      let outcome;
      try {
        const response = await fetch(url, { mode: 'cors', credentials: 'omit', headers: { Accept: 'application/json' }, signal: this.controller ? this.controller.signal : undefined });
        if (response.status === 404) outcome = { error: words.unknown };
        else if (!response.ok) outcome = { error: words.failed };
        else outcome = { data: await response.json() };
      } catch (error) {
        if (error && error.name === 'AbortError') return;
        outcome = { error: words.failed };
      }
      // A later load (an attribute changed meanwhile) has the last word.
      if (load !== this.loads) return;
      this.removeAttribute('aria-busy');
      if (outcome.error) {
        this.show(this.status(outcome.error, true));
        this.dispatchEvent(new CustomEvent('forum-programme:error', { bubbles: true, composed: true, detail: { url } }));
        return;
      }
      try {
        this.show(this.render(outcome.data));
      } catch {
        this.show(this.status(words.failed, true));
        return;
      }
      this.dispatchEvent(new CustomEvent('forum-programme:load', { bubbles: true, composed: true, detail: { url } }));
    }

    status(message, isError) {
      return make('p', { class: isError ? 'status error' : 'status', part: isError ? 'error' : 'status', role: isError ? 'alert' : 'status' }, message);
    }

    show(content) {
      const style = document.createElement('style');
      style.textContent = STYLE;
      this.shadowRoot.replaceChildren(style, content);
    }

    render(data) {
      const lang = language(data.lang) || 'fr';
      const words = wordsFor(lang);
      const level = Math.min(5, Math.max(1, Number.parseInt(this.getAttribute('heading-level') || '2', 10) || 2));
      const event = data.event || {};
      const root = make('section', { class: 'programme', part: 'programme', lang });
      const eventLink = webAddress(event.url);
      const heading = make(`h${level}`, { class: 'heading', part: 'heading' });
      const title = text(event.title, 'event-title');
      if (title) heading.append(eventLink ? make('a', { href: eventLink, part: 'link' }, title) : title);
      root.append(heading);
      if (typeof event.dates === 'string' && event.dates !== '') root.append(make('p', { class: 'dates', part: 'dates' }, event.dates));

      const days = Array.isArray(data.days) ? data.days : [];
      for (const day of days) {
        root.append(make(`h${level + 1}`, { class: 'day', part: 'day' }, make('time', { datetime: day.date }, String(day.label || day.date))));
        root.append(this.list(day.sessions, words));
      }
      const unscheduled = Array.isArray(data.unscheduled) ? data.unscheduled : [];
      if (unscheduled.length > 0) {
        root.append(make(`h${level + 1}`, { class: 'day', part: 'day' }, words.unscheduled));
        root.append(this.list(unscheduled, words));
      }
      if (days.length === 0 && unscheduled.length === 0) root.append(make('p', { class: 'status', part: 'status' }, words.empty));
      return root;
    }

    list(sessions, words) {
      const list = make('ol', { class: 'sessions', part: 'sessions' });
      for (const session of Array.isArray(sessions) ? sessions : []) list.append(this.item(session, words));
      return list;
    }

    item(session, words) {
      const item = make('li', { class: session.cancelled ? 'session cancelled' : 'session', part: 'session', 'data-session': session.id });
      const when = make('p', { class: 'when', part: 'time' });
      if (session.start && session.startTime) {
        when.append(make('time', { datetime: session.start }, session.startTime));
        if (session.end && session.endTime) when.append('–', make('time', { datetime: session.end }, session.endTime));
      }
      const what = make('div', { class: 'what' });
      const title = text(session.title, 'title');
      const href = webAddress(session.url);
      const line = make('p', { class: 'title-line' });
      if (session.cancelled) line.append(make('span', { class: 'badge', part: 'cancelled' }, words.cancelled));
      if (title) {
        if (href) line.append(make('a', { href, class: 'title', part: 'link session-title' }, title));
        else line.append(make('span', { class: 'title', part: 'session-title' }, title));
      }
      what.append(line);

      const meta = make('p', { class: 'meta', part: 'meta' });
      const room = text(session.room, 'room');
      if (room) meta.append(room);
      const speakers = Array.isArray(session.speakers) ? session.speakers : [];
      if (speakers.length > 0) {
        const names = make('span', { class: 'speakers' });
        speakers.forEach((speaker, index) => {
          if (index > 0) names.append(', ');
          const name = text(speaker.name, 'speaker');
          if (name) names.append(name);
          const organisation = text(speaker.organisation, 'organisation');
          if (organisation) names.append(' (', organisation, ')');
        });
        meta.append(names);
      }
      if (meta.childNodes.length > 0) what.append(meta);
      item.append(when, what);
      return item;
    }
  }

  window.customElements.define(NAME, ForumProgramme);
})();
