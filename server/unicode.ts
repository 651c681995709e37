// Text every writer of bytes can carry. Requests are checked here (server/web/shared/well-formed.ts
// refuses what this finds), and every writer of a format (iCalendar, XML, CSV, JSON, links, pages)
// cleans what is already stored with the same rules, since data written before the check, or
// straight into the database, never passed it. Pure.
import type { FieldError } from './errors.ts';

declare global {
  // ES2024 (Node 20 has both); the project's TypeScript lib is ES2023.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * The C0 control characters other than TAB, LF and CR, and DEL: RFC 5545 TEXT, XML 1.0 and
 * RFC 4180 forbid them, a page shows nothing for them, and no one types them on purpose.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** What makes a text unfit to be stored, as a field error's code and params (without its pointer). */
export type TextFault = { code: 'lone-surrogate' } | { code: 'control-character'; params: { character: string } };

/** The U+XXXX name of a character, which prints whatever the character is. */
export function codePointName(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a text cannot be stored (half of a surrogate pair alone, a control character), or null. */
export function textFault(value: string): TextFault | null {
  if (!value.isWellFormed()) return { code: 'lone-surrogate' };
  const control = CONTROL.exec(value);
  return control ? { code: 'control-character', params: { character: codePointName(control[0]) } } : null;
}

/** A text as every format can carry it: lone surrogates become U+FFFD, control characters go. Cheap when nothing is wrong. */
export function wellFormedText(value: string): string {
  const whole = value.isWellFormed() ? value : value.toWellFormed();
  return CONTROL.test(whole) ? whole.replace(CONTROLS, '') : whole;
}

/** One step of a JSON pointer (RFC 6901), itself printable: a faulty character in a key shows as U+FFFD. */
function pointerStep(key: string): string {
  return key.toWellFormed().replace(CONTROLS, '\uFFFD').replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Faults reported for one request at most: enough to correct a form, and a bounded answer. */
export const MAX_TEXT_FAULTS = 20;

/**
 * Every faulty string of a parsed value (a JSON body, a form, a query string), keys included,
 * named by its JSON pointer ("#/title/fr"), in document order. The walk keeps its own stack: a
 * body nested a million deep is walked without overflowing the call stack.
 */
export function findTextFaults(value: unknown, root = '#'): FieldError[] {
  const faults: FieldError[] = [];
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0 && faults.length < MAX_TEXT_FAULTS) {
    const [current, pointer] = pending.pop()!;
    if (typeof current === 'string') {
      const fault = textFault(current);
      if (fault) faults.push({ pointer, ...fault });
      continue;
    }
    if (typeof current !== 'object' || current === null || Buffer.isBuffer(current)) continue;
    const children: [unknown, string][] = [];
    if (Array.isArray(current)) {
      current.forEach((item, i) => children.push([item, `${pointer}/${i}`]));
    } else {
      for (const [key, item] of Object.entries(current)) {
        const at = `${pointer}/${pointerStep(key)}`;
        const fault = textFault(key);
        // A faulty key is named once, as itself; what it holds is not looked at.
        if (fault) children.push([key, at]);
        else children.push([item, at]);
      }
    }
    // Reversed onto the stack, so that faults come out in document order.
    for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i]!);
  }
  return faults;
}

/**
 * A copy of plain data (objects, arrays, strings) with every string and key as wellFormedText
 * makes it, for JSON that other tools read: JSON.stringify writes a lone surrogate as "\ud800",
 * which strict parsers refuse, and our own importer would refuse a control character.
 * Anything else (numbers, Dates…) is kept as it is.
 */
export function wellFormedValue<T>(value: T): T {
  if (typeof value === 'string') return wellFormedText(value) as T;
  if (Array.isArray(value)) return value.map((item) => wellFormedValue(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [wellFormedText(key), wellFormedValue(item)])) as T;
}

/**
 * How JSON.stringify writes what wellFormedText would change: C0 controls (\b, \f, \u0001…),
 * DEL as itself, a lone surrogate as \udXXX. A match may be a false alarm (an escaped
 * backslash before "b"): it only costs reading the text again.
 */
const JSON_FAULT = /\\u00(?:0[0-8bBeEfF]|1[0-9a-fA-F])|\\u007[fF]|\\[bf]|\u007F|\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/** JSON text (written by JSON.stringify with this indentation) with its strings as wellFormedText makes them; as it is when nothing needs it. */
export function wellFormedJsonText(text: string, indent = 2): string {
  if (!JSON_FAULT.test(text)) return text;
  const clean = JSON.stringify(wellFormedValue(JSON.parse(text) as unknown), null, indent);
  return text.endsWith('\n') ? `${clean}\n` : clean;
}
