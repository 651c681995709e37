// What a frab file's events say as sessions: their time slot, kind (from the free <type>),
// texts, links, language, speakers and part (from the <track>).
import type { SessionKind, SessionLink } from '../../../db/schema.ts';
import type { ImportedSession, ProgrammeImport } from '../../programme/sync.ts';
import type { Localize } from './conference.ts';
import type { ReadEvent, ReadRoom } from './days.ts';
import type { IdOf } from './ids.ts';
import { plural, someNames } from './notes.ts';
import type { PersonReader } from './persons.ts';
import { htmlToText, isHtml, joinLines, tidyText } from './text.ts';
import { child, childrenNamed, line, oneLine, type XmlElement } from './xml.ts';

const KIND_RULES: [RegExp, SessionKind][] = [
  [/\b(workshops?|ateliers?|hands-on)\b/i, 'workshop'],
  [/\b(panels?)\b/i, 'panel'],
  [/\b(plenar(y|ies)|keynotes?|opening|closing|ceremony|ceremonies)\b/i, 'plenary'],
  [/\b(breaks?|lunch|coffee|pause)\b/i, 'break'],
  [/\b(registration|arrivals?)\b/i, 'registration'],
];

export function kindOf(type: string): SessionKind {
  return KIND_RULES.find(([pattern]) => pattern.test(type))?.[1] ?? 'session';
}

/** The address as the file gives it (not re-encoded: "zügli.app" stays readable), when it is an http(s) URL. */
export function httpUrl(value: string): string | null {
  const trimmed = value.trim();
  try {
    const url = new URL(trimmed);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !/\s/.test(trimmed) ? trimmed : null;
  } catch {
    return null;
  }
}

/** Parts (tracks) that hold a session: the conference's list first, then in order of appearance. */
export function readParts(
  conference: XmlElement, events: Pick<ReadEvent, 'element'>[], idOf: IdOf, { localized }: Localize,
): { parts: ProgrammeImport['parts']; notes: string[] } {
  const trackOrder: string[] = [];
  const conferenceTracks = childrenNamed(conference, 'track').map((t) => oneLine(t.attributes.name ?? t.text)).filter((t) => t !== '');
  const usedTracks = new Set(events.map((r) => line(r.element, 'track')).filter((t) => t !== ''));
  for (const t of [...conferenceTracks, ...events.map((r) => line(r.element, 'track'))]) {
    if (t !== '' && usedTracks.has(t) && !trackOrder.includes(t)) trackOrder.push(t);
  }
  const unusedTracks = [...new Set(conferenceTracks)].filter((t) => !usedTracks.has(t));
  return {
    parts: trackOrder.map((t) => ({ publicId: idOf('track', t), label: localized(t), title: localized(t), startsAt: null, endsAt: null })),
    notes: unusedTracks.length > 0 ? [`Tracks with no session, not imported: ${someNames(unusedTracks)}.`] : [],
  };
}

export interface SessionContext {
  idOf: IdOf;
  localize: Localize;
  /** The title of the links to the sessions' pages: the conference's title, else its acronym. */
  pageTitle: string;
  rooms: Map<string, ReadRoom>;
  persons: PersonReader;
}

/** Reads events as sessions, one by one in the file's order; sessions at the same times share a slot. */
export class SessionReader {
  private readonly slots = new Map<string, { publicId: string; startsAt: Date; endsAt: Date }>();
  private readonly kinds = new Map<string, { kind: SessionKind; count: number }>();
  private htmlTexts = 0;
  private skippedLinks = 0;

  constructor(private readonly context: SessionContext) {}

  session(r: ReadEvent): ImportedSession {
    const { idOf, localize: { localized, localizedOrNull }, rooms } = this.context;
    const { element } = r;
    const track = line(element, 'track');
    const sessionLanguage = line(element, 'language');
    const kind = this.kind(line(element, 'type'));
    const links = this.links(element);
    const contributors = this.contributors(element);
    const subtitle = joinLines(this.text(element, 'subtitle'));
    return {
      publicId: r.publicId,
      part: track === '' ? null : idOf('track', track),
      slot: this.slot(r.startsAt, r.endsAt),
      room: r.roomKey === null ? null : rooms.get(r.roomKey)!.publicId,
      kind,
      status: 'confirmed',
      title: localized(r.title),
      subtitle: localizedOrNull(subtitle),
      abstract: localizedOrNull(this.text(element, 'abstract')),
      description: localizedOrNull(this.text(element, 'description')),
      language: sessionLanguage === '' ? null : sessionLanguage,
      // frab has no interpretation: the room's, if organisers set one.
      interpretation: null,
      links: links.length > 0 ? links : null,
      contributors,
      outputs: [],
    };
  }

  /** Every slot, in the order of the first session in each. */
  allSlots(): ProgrammeImport['slots'] {
    return [...this.slots.values()];
  }

  private slot(startsAt: Date, endsAt: Date): string {
    const slotKey = `${startsAt.toISOString()}/${endsAt.toISOString()}`;
    let slot = this.slots.get(slotKey);
    if (!slot) {
      slot = { publicId: this.context.idOf('slot', slotKey), startsAt, endsAt };
      this.slots.set(slotKey, slot);
    }
    return slot.publicId;
  }

  private kind(type: string): SessionKind {
    const kind = kindOf(type);
    const typeLabel = type === '' ? '(no type)' : type;
    const seenKind = this.kinds.get(typeLabel) ?? { kind, count: 0 };
    seenKind.count += 1;
    this.kinds.set(typeLabel, seenKind);
    return kind;
  }

  private text(element: XmlElement, name: string): string {
    const raw = child(element, name)?.text ?? '';
    // In HTML, whitespace outside <pre> means nothing: the markup alone makes the lines.
    if (isHtml(raw)) {
      this.htmlTexts += 1;
      return htmlToText(raw);
    }
    return tidyText(raw);
  }

  /** The event's page (<url>) first, then its <links>; each address once, and only http(s) ones. */
  private links(element: XmlElement): SessionLink[] {
    const links: SessionLink[] = [];
    const addLink = (href: string, title: string) => {
      const url = httpUrl(href);
      if (url === null) { this.skippedLinks += 1; return; }
      if (!links.some((l) => l.url === url)) links.push({ url, title: title === '' ? url : title });
    };
    const pageUrl = line(element, 'url');
    if (pageUrl !== '') addLink(pageUrl, this.context.pageTitle);
    for (const list of childrenNamed(element, 'links')) {
      for (const link of childrenNamed(list, 'link')) {
        const href = (link.attributes.href ?? '').trim();
        if (href === '') { this.skippedLinks += 1; continue; }
        const titled = line(link, 'title');
        addLink(href, titled !== '' ? titled : oneLine(link.text));
      }
    }
    return links;
  }

  /** The event's persons as speakers, each once. */
  private contributors(element: XmlElement): ImportedSession['contributors'] {
    const contributors: ImportedSession['contributors'] = [];
    for (const list of childrenNamed(element, 'persons')) {
      for (const p of childrenNamed(list, 'person')) {
        const person = this.context.persons.personOf(p);
        if (person !== null && !contributors.some((c) => c.person === person)) contributors.push({ role: 'speaker', person, organisation: null });
      }
    }
    return contributors;
  }

  notes(): string[] {
    const notes = [`Types mapped to kinds: ${[...this.kinds].map(([t, k]) => `${t} → ${k.kind} (${k.count})`).join(', ')}.`];
    if (this.htmlTexts > 0) notes.push(`${plural(this.htmlTexts, 'text was', 'texts were')} HTML and ${this.htmlTexts === 1 ? 'was' : 'were'} converted to plain text (paragraphs, line breaks and list items kept).`);
    if (this.skippedLinks > 0) notes.push(`${plural(this.skippedLinks, 'link was', 'links were')} left out: not an http(s) address.`);
    return notes;
  }
}
