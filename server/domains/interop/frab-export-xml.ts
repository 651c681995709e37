// schedule.xml, written from the same model as its JSON twin (frabSchedule in frab-export.ts),
// so that both files always say the same thing. It must pass the voc's schedule.xml.xsd.
import type { Programme } from '../programme/assemble.ts';
import { wellFormedText } from '../../unicode.ts';
import { frabSchedule, type FrabEvent, type FrabExportOptions } from './frab-export.ts';

/** Characters XML 1.0 cannot carry at all (control characters, U+FFFE, U+FFFF…): dropped. */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text content: a lone surrogate as U+FFFD and DEL dropped, as in every other export, then the
 * characters XML cannot carry dropped, markup escaped; a CR kept as a reference (parsers would turn it into LF).
 */
export function escapeXml(value: string): string {
  return wellFormedText(value).replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values are double-quoted; line breaks and tabs in them would be normalised to spaces by parsers. */
function escapeAttribute(value: string): string {
  return escapeXml(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

const attributes = (values: Record<string, string | number>) =>
  Object.entries(values).map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`).join('');

const element = (indent: string, name: string, content: string, attrs: Record<string, string | number> = {}) =>
  `${indent}<${name}${attributes(attrs)}>${escapeXml(content)}</${name}>`;

function eventXml(e: FrabEvent, indent: string): string {
  const i = `${indent}  `;
  const lines = [
    `${indent}<event${attributes({ guid: e.guid, id: e.id })}>`,
    element(i, 'date', e.date),
    element(i, 'start', e.start),
    element(i, 'duration', e.duration),
    element(i, 'room', e.room),
    ...(e.xmlSlug ? [element(i, 'slug', e.xmlSlug)] : []),
    element(i, 'url', e.url),
    element(i, 'title', e.title),
    element(i, 'subtitle', e.subtitle),
    element(i, 'track', e.track),
    element(i, 'type', e.type),
    element(i, 'language', e.language),
    element(i, 'abstract', e.abstract),
    element(i, 'description', e.description),
    `${i}<persons>`,
    ...e.persons.map((p) => element(`${i}  `, 'person', p.name, { guid: p.guid })),
    `${i}</persons>`,
    `${i}<links>`,
    ...e.links.map((l) => element(`${i}  `, 'link', l.title, { href: l.url })),
    `${i}</links>`,
    `${indent}</event>`,
  ];
  return lines.join('\n');
}

/** schedule.xml, valid against the voc's schedule.xml.xsd. */
export function renderFrabXml(programme: Programme, options: FrabExportOptions): string {
  const s = frabSchedule(programme, options);
  const c = s.conference;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<schedule>',
    `  <generator${attributes({ name: s.generator.name, system: s.generator.system, version: s.generator.version })}/>`,
    element('  ', 'url', s.selfUrl),
    element('  ', 'version', s.version),
    '  <conference>',
    element('    ', 'acronym', c.acronym),
    element('    ', 'title', c.title),
    element('    ', 'start', c.start),
    element('    ', 'end', c.end),
    element('    ', 'days', String(s.days.length)),
    element('    ', 'timeslot_duration', c.timeslotDuration),
    element('    ', 'base_url', s.baseUrl),
    element('    ', 'url', c.url),
    element('    ', 'time_zone_name', c.timeZoneName),
    ...c.tracks.map((t) => `    <track${attributes(t.slug ? { name: t.name, slug: t.slug } : { name: t.name })}/>`),
    '  </conference>',
  ];
  for (const day of s.days) {
    lines.push(`  <day${attributes({ index: day.index, date: day.date, start: day.start, end: day.end })}>`);
    for (const { room, events } of day.rooms) {
      if (events.length === 0) {
        lines.push(`    <room${attributes({ name: room.name, guid: room.guid })}/>`);
        continue;
      }
      lines.push(`    <room${attributes({ name: room.name, guid: room.guid })}>`);
      for (const e of events) lines.push(eventXml(e, '      '));
      lines.push('    </room>');
    }
    lines.push('  </day>');
  }
  lines.push('</schedule>');
  return `${lines.join('\n')}\n`;
}
