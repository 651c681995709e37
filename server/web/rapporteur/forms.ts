// The conclusions form: its fields to content and back, and refusals to messages beside the
// fields. Lists (key points, recommendations, follow-ups) are numbered rows; blank rows are
// dropped, so a form can always offer a few empty ones without JavaScript.
import type { ErrorObject } from 'ajv';
import { checkAgainst, fieldErrorMessage, schemaMessage } from '../shared/forms/check.ts';
import { LANGUAGES, type ConclusionContent, type Language } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { ConclusionContent as ContentSchema, LIMITS } from '../../domains/conclusions/schemas.ts';

export type FormValues = Record<string, string | string[]>;

export const FORM_INTENTS = ['save', 'submit', 'addRows'] as const;

/** Empty rows each list offers beyond its filled ones; "add rows" offers this many more. */
export const EMPTY_ROWS = 2;

const LISTS = { keyPoints: LIMITS.keyPoints, recommendations: LIMITS.recommendations, followUps: LIMITS.followUps } as const;
type ListName = keyof typeof LISTS;

function single(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

function many(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The form fields this module reads, and nothing else (the CSRF token and buttons are not values). */
export function readValues(body: unknown): FormValues {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: FormValues = {};
  for (const name of ['baseRevision', 'language', 'summary', 'challenges', 'participants']) values[name] = single(form, name);
  for (let i = 0; i < LISTS.keyPoints + EMPTY_ROWS; i += 1) values[`keyPoints.${i}`] = single(form, `keyPoints.${i}`);
  for (let i = 0; i < LISTS.recommendations + EMPTY_ROWS; i += 1) {
    values[`recommendations.${i}.text`] = single(form, `recommendations.${i}.text`);
    values[`recommendations.${i}.outputs`] = many(form, `recommendations.${i}.outputs`);
  }
  for (let i = 0; i < LISTS.followUps + EMPTY_ROWS; i += 1) {
    for (const part of ['action', 'owner', 'due']) values[`followUps.${i}.${part}`] = single(form, `followUps.${i}.${part}`);
  }
  return values;
}

const str = (values: FormValues, name: string) => {
  const value = values[name];
  return typeof value === 'string' ? value : '';
};

/** How many rows of a list the values hold, counting up to the last non-blank one. */
export function filledRows(values: FormValues, list: ListName): number {
  let last = -1;
  for (let i = 0; i < LISTS[list] + EMPTY_ROWS; i += 1) {
    const filled = list === 'keyPoints'
      ? str(values, `keyPoints.${i}`).trim() !== ''
      : list === 'recommendations'
        ? str(values, `recommendations.${i}.text`).trim() !== '' || (values[`recommendations.${i}.outputs`] as string[] | undefined ?? []).length > 0
        : ['action', 'owner', 'due'].some((part) => str(values, `followUps.${i}.${part}`).trim() !== '');
    if (filled) last = i;
  }
  return last + 1;
}

export interface ParsedForm {
  baseRevision: number;
  content: ConclusionContent;
  /** Errors found before the content exists: a follow-up with a date but no action… */
  errors: FieldError[];
  /** The form field a pointer into the content names ("#/content/recommendations/0/outputs" → "recommendations.3.outputs"). */
  fieldOf(pointer: string): string;
}

/** The content the form describes; blank rows are left out, and remembered so errors land on the right row. */
export function parseForm(values: FormValues, defaultLanguage: Language): ParsedForm {
  const rowsOf: Record<ListName, number[]> = { keyPoints: [], recommendations: [], followUps: [] };
  const errors: FieldError[] = [];
  const keyPoints: string[] = [];
  for (let i = 0; i < LISTS.keyPoints + EMPTY_ROWS; i += 1) {
    const text = str(values, `keyPoints.${i}`);
    if (text.trim() === '') continue;
    rowsOf.keyPoints.push(i);
    keyPoints.push(text);
  }
  const recommendations: ConclusionContent['recommendations'] = [];
  for (let i = 0; i < LISTS.recommendations + EMPTY_ROWS; i += 1) {
    const text = str(values, `recommendations.${i}.text`);
    const outputs = (values[`recommendations.${i}.outputs`] as string[] | undefined) ?? [];
    if (text.trim() === '' && outputs.length === 0) continue;
    rowsOf.recommendations.push(i);
    if (text.trim() === '') errors.push({ pointer: `#/content/recommendations/${recommendations.length}/text`, code: 'recommendation-text' });
    recommendations.push({ text, outputs });
  }
  const followUps: ConclusionContent['followUps'] = [];
  for (let i = 0; i < LISTS.followUps + EMPTY_ROWS; i += 1) {
    const [action, owner, due] = ['action', 'owner', 'due'].map((part) => str(values, `followUps.${i}.${part}`));
    if ([action, owner, due].every((v) => v!.trim() === '')) continue;
    rowsOf.followUps.push(i);
    if (action!.trim() === '') errors.push({ pointer: `#/content/followUps/${followUps.length}/action`, code: 'follow-up-action' });
    followUps.push({ action: action!, owner: owner!, due: due!.trim() === '' ? null : due!.trim() });
  }
  const language = str(values, 'language');
  const participants = str(values, 'participants').trim();
  const content: ConclusionContent = {
    language: (LANGUAGES as readonly string[]).includes(language) ? language as Language : defaultLanguage,
    summary: str(values, 'summary'),
    keyPoints,
    challenges: str(values, 'challenges'),
    recommendations,
    followUps,
    participants: participants === '' ? null : /^\d{1,7}$/.test(participants) ? Number(participants) : Number.NaN,
  };
  const baseRevision = /^\d{1,7}$/.test(str(values, 'baseRevision')) ? Number(str(values, 'baseRevision')) : 0;
  return {
    baseRevision,
    content,
    errors,
    fieldOf(pointer) {
      const path = pointer.replace(/^#\/(content\/)?/, '').split('/');
      const list = path[0] as ListName;
      if (list in rowsOf) {
        const row = rowsOf[list][Number(path[1])];
        if (row === undefined) return list;
        return list === 'keyPoints' ? `keyPoints.${row}` : `${list}.${row}.${path[2] ?? (list === 'recommendations' ? 'text' : 'action')}`;
      }
      return path[0] ?? '';
    },
  };
}

/** Checks the content against the API's schema: the form refuses what the API would. */
export function checkContent(content: ConclusionContent): ErrorObject[] {
  // NaN is how the form says "participants is not a number"; the schema then names it.
  const checked = Number.isNaN(content.participants) ? { ...content, participants: 'NaN' } : content;
  return checkAgainst(ContentSchema, checked).map((e) => ({ ...e, instancePath: `/content${e.instancePath}` }));
}

/** The values of a form showing this content. */
export function valuesOf(content: ConclusionContent, baseRevision: number): FormValues {
  const values: FormValues = {
    baseRevision: String(baseRevision),
    language: content.language,
    summary: content.summary,
    challenges: content.challenges,
    participants: content.participants === null ? '' : String(content.participants),
  };
  content.keyPoints.forEach((p, i) => { values[`keyPoints.${i}`] = p; });
  content.recommendations.forEach((r, i) => {
    values[`recommendations.${i}.text`] = r.text;
    values[`recommendations.${i}.outputs`] = [...r.outputs];
  });
  content.followUps.forEach((f, i) => {
    values[`followUps.${i}.action`] = f.action;
    values[`followUps.${i}.owner`] = f.owner;
    values[`followUps.${i}.due`] = f.due ?? '';
  });
  return values;
}

/** Errors by form field, in the reader's language; the first of each field only. */
export function errorMessages(locale: Language, form: Pick<ParsedForm, 'fieldOf'>, service: FieldError[], schema: ErrorObject[] = []): Map<string, string> {
  const errors = new Map<string, string>();
  const add = (pointer: string, message: string) => {
    const field = form.fieldOf(pointer);
    if (!errors.has(field)) errors.set(field, message);
  };
  // A date the conclusions name is said in the rapporteurs' words.
  for (const e of service) add(e.pointer, fieldErrorMessage(locale, e, { 'invalid-date': 'conclusions.error.date' }));
  for (const e of schema) {
    const { pointer, message } = schemaMessage(locale, e);
    // A date field's only schema rule is being a real date: say so in those words.
    add(pointer, /\/due$/.test(pointer) ? translate(locale, 'conclusions.error.date') : message);
  }
  return errors;
}
