// The view of a form, for views/partials/admin-field.hbs: each field with its label, hint,
// error, missing-translation markers and, after a stale save, the saved value beside it.
import { CONTRIBUTOR_ROLES, LANGUAGES, SESSION_KINDS, SESSION_STATUSES, USER_ROLES, type Language } from '../../../db/schema.ts';
import { translate, type MessageKey } from '../../../i18n/index.ts';
import { EMPTY_CONTRIBUTOR_ROWS, MAX_CONTRIBUTOR_ROWS, single, type FieldDef, type FormSpec, type FormValues } from './fields.ts';
import { parseInterpretation, parseLinks } from './read.ts';

export interface Option {
  value: string;
  label: string;
  /** The language of the label, when it is content text in another language than the page. */
  lang?: string | undefined;
}

export interface FormViewOptions {
  locale: Language;
  values: FormValues;
  errors?: Map<string, string>;
  /** The saved values, after a stale save: shown beside each field whose typed value differs. */
  current?: FormValues | null;
  /** Choices of the select and checkbox fields, by list name. */
  options?: Record<string, Option[]>;
  /** The event's languages: only these are marked when their translation is missing. */
  languages?: readonly Language[];
  /** The event's default language, which every content field needs. */
  defaultLanguage?: Language;
  /** Fields left out of this form. */
  omit?: string[];
}

const fieldId = (name: string) => `f-${name.replace(/\./g, '-')}`;

/** The label of each select of a contributor's row: the words of the same fields elsewhere. */
const CONTRIBUTOR_PART_LABELS = { role: 'admin.field.role', person: 'admin.field.person', organisation: 'admin.field.organisation' } as const satisfies Record<string, MessageKey>;

function contributorRowCount(values: FormValues): number {
  let last = -1;
  for (const name of Object.keys(values)) {
    const match = /^contributors\.(\d+)\./.exec(name);
    if (match && values[name] !== '' && (name.endsWith('.person') || name.endsWith('.organisation'))) last = Math.max(last, Number(match[1]));
  }
  return last + 1;
}

function contributorsOf(values: FormValues): string[] {
  const rows: string[] = [];
  for (let i = 0; i < MAX_CONTRIBUTOR_ROWS; i += 1) {
    const person = single(values, `contributors.${i}.person`) ?? '';
    const organisation = single(values, `contributors.${i}.organisation`) ?? '';
    if (person === '' && organisation === '') continue;
    rows.push([single(values, `contributors.${i}.role`) ?? 'speaker', person, organisation].join('|'));
  }
  return rows;
}

/** What every field's view needs: the reader's words, errors and saved values, and the summary being built. */
interface ViewContext {
  o: FormViewOptions;
  values: FormValues;
  t: (key: MessageKey, params?: Record<string, unknown>) => string;
  languages: readonly Language[];
  /** The field's error (reported once in the summary), or undefined. */
  error(name: string, label: string, id: string): string | undefined;
  /** Whether a stale save's saved value of this field differs from the typed one. */
  differs(name: string): boolean;
  shown(value: string): string;
  optionsOf(field: FieldDef): Option[];
  labelOf(field: FieldDef, value: string): string;
}

const describedBy = (...ids: (string | false | null | undefined)[]) => ids.filter(Boolean).join(' ') || null;

interface Base { label: string; id: string; hint: string | null; hintId: string | null; compare: boolean }

function localizedView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, t, languages, o } = c;
  const filled = LANGUAGES.filter((lang) => (single(values, `${field.name}.${lang}`) ?? '').trim() !== '');
  const groupError = c.error(field.name, b.label, fieldId(`${field.name}.${o.defaultLanguage ?? languages[0] ?? 'fr'}`));
  const inputs = LANGUAGES.map((lang) => {
    const name = `${field.name}.${lang}`;
    const inputId = fieldId(name);
    const value = single(values, name) ?? '';
    // Only the event's languages are expected; the marker is in the label, and scripts keep it up to date as one types.
    const tracked = languages.includes(lang);
    const missing = tracked && value.trim() === '' && filled.length > 0;
    const inputError = c.error(name, t('admin.form.fieldInLanguage', { field: b.label, language: t(`language.${lang}`) }), inputId);
    const current = b.compare && c.differs(name) ? c.shown(single(o.current!, name) ?? '') : null;
    return {
      code: lang, name, id: inputId, value, languageName: t(`language.${lang}`), tracked, missing, error: inputError ?? null,
      current,
      describedBy: describedBy(b.hintId, groupError !== undefined && `${b.id}-error`, inputError !== undefined && `${inputId}-error`, current !== null && `${inputId}-current`),
    };
  });
  return { type: 'localized', id: b.id, label: b.label, hint: b.hint, hintId: b.hintId, required: field.required ?? false, multiline: field.multiline ?? false, maxLength: field.maxLength, error: groupError ?? null, inputs };
}

function selectView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, t, o } = c;
  const value = single(values, field.name) ?? '';
  const options = [
    ...(field.nullable || value === '' ? [{ value: '', label: t(field.nullable ? field.noneLabel ?? 'admin.form.none' : 'admin.form.choose') }] : []),
    ...c.optionsOf(field),
  ].map((opt) => ({ ...opt, code: (opt as Option).lang ?? null, selected: opt.value === value }));
  const fieldError = c.error(field.name, b.label, b.id);
  const current = b.compare && c.differs(field.name) ? c.labelOf(field, single(o.current!, field.name) ?? '') : null;
  return {
    type: 'select', id: b.id, name: field.name, label: b.label, hint: b.hint, hintId: b.hintId, required: field.required ?? false, options, error: fieldError ?? null, current,
    describedBy: describedBy(b.hintId, fieldError !== undefined && `${b.id}-error`, current !== null && `${b.id}-current`),
  };
}

function checkboxesView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, t, o } = c;
  const list = values[field.name];
  const checked = new Set(Array.isArray(list) ? list : list === undefined ? [] : [list]);
  const options = c.optionsOf(field).map((opt) => ({ ...opt, code: opt.lang ?? null, id: `${b.id}-${opt.value}`, checked: checked.has(opt.value) }));
  const fieldError = c.error(field.name, b.label, options[0]?.id ?? b.id);
  let current: string | null = null;
  if (b.compare) {
    const saved = o.current![field.name];
    const savedList = Array.isArray(saved) ? saved : saved === undefined ? [] : [saved];
    if ([...checked].sort().join('|') !== [...savedList].sort().join('|')) {
      current = savedList.length === 0 ? t('admin.stale.empty') : savedList.map((v) => c.labelOf(field, v)).join(' · ');
    }
  }
  return {
    type: 'checkboxes', id: b.id, name: field.name, label: b.label, hint: b.hint, hintId: b.hintId, required: field.required ?? false, options, error: fieldError ?? null, current,
    describedBy: describedBy(b.hintId, fieldError !== undefined && `${b.id}-error`, current !== null && `${b.id}-current`),
  };
}

function contributorRowView(c: ViewContext, i: number) {
  const { values, t, o } = c;
  const legend = t('admin.contributors.row', { number: i + 1 });
  const rowError = c.error(`contributors.${i}`, legend, fieldId(`contributors.${i}.person`));
  const selects = (['role', 'person', 'organisation'] as const).map((part) => {
    const name = `contributors.${i}.${part}`;
    const selectId = fieldId(name);
    const value = single(values, name) ?? (part === 'role' ? 'speaker' : '');
    const choices = part === 'role' ? o.options?.roles ?? [] : [{ value: '', label: t('admin.form.none') }, ...((part === 'person' ? o.options?.people : o.options?.organisations) ?? [])];
    const partLabel = t(CONTRIBUTOR_PART_LABELS[part]);
    const partError = c.error(name, `${legend} – ${partLabel}`, selectId);
    return {
      id: selectId, name, label: partLabel, error: partError ?? null,
      options: choices.map((opt) => ({ ...opt, code: (opt as Option).lang ?? null, selected: opt.value === value })),
      describedBy: describedBy(partError !== undefined && `${selectId}-error`, rowError !== undefined && `${fieldId(`contributors.${i}`)}-error`),
    };
  });
  return { index: i, legend, selects, error: rowError ?? null, errorId: `${fieldId(`contributors.${i}`)}-error` };
}

function contributorsView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, t, o } = c;
  const count = contributorRowCount(values) + EMPTY_CONTRIBUTOR_ROWS;
  const groupError = c.error(field.name, b.label, b.id);
  const rows = Array.from({ length: count }, (_, i) => contributorRowView(c, i));
  let current: string[] | null = null;
  if (b.compare && contributorsOf(values).join('\n') !== contributorsOf(o.current!).join('\n')) {
    const name = (list: Option[], value: string) => list.find((opt) => opt.value === value)?.label ?? value;
    current = contributorsOf(o.current!).map((row) => {
      const [role, person, organisation] = row.split('|') as [string, string, string];
      const who = [person && name(o.options?.people ?? [], person), organisation && name(o.options?.organisations ?? [], organisation)].filter(Boolean).join(', ');
      return t('admin.contributors.summary', { role: name(o.options?.roles ?? [], role), who });
    });
    if (current.length === 0) current = [t('admin.stale.empty')];
  }
  return {
    type: 'contributors', id: b.id, label: b.label, hint: b.hint, hintId: b.hintId, error: groupError ?? null, rows, nextIndex: count, current,
    describedBy: describedBy(b.hintId, groupError !== undefined && `${b.id}-error`, current !== null && `${b.id}-current`),
  };
}

function linksView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, t, o } = c;
  const value = single(values, field.name) ?? '';
  const fieldError = c.error(field.name, b.label, b.id);
  const lines = (text: string) => parseLinks(text).map((link) => [link.url, link.title].filter(Boolean).join(' '));
  let current: string[] | null = null;
  if (b.compare && lines(value).join('\n') !== lines(single(o.current!, field.name) ?? '').join('\n')) {
    current = lines(single(o.current!, field.name) ?? '');
    if (current.length === 0) current = [t('admin.stale.empty')];
  }
  return {
    type: 'links', id: b.id, name: field.name, label: b.label, hint: b.hint, hintId: b.hintId, value, rows: Math.max(3, value.split('\n').length + 1),
    error: fieldError ?? null, current,
    describedBy: describedBy(b.hintId, fieldError !== undefined && `${b.id}-error`, current !== null && `${b.id}-current`),
  };
}

/** The interpretation's textarea: one language a line, with its channel; after a stale save, the saved lines beside it. */
function interpretationView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, t, o } = c;
  const value = single(values, field.name) ?? '';
  const fieldError = c.error(field.name, b.label, b.id);
  const lines = (text: string) => parseInterpretation(text).map((i) => [i.language, i.channel].filter(Boolean).join(' '));
  let current: string[] | null = null;
  if (b.compare && lines(value).join('\n') !== lines(single(o.current!, field.name) ?? '').join('\n')) {
    current = lines(single(o.current!, field.name) ?? '');
    if (current.length === 0) current = [t('admin.stale.empty')];
  }
  return {
    type: 'lines', id: b.id, name: field.name, label: b.label, hint: b.hint, hintId: b.hintId, value, rows: Math.max(2, value.split('\n').length + 1),
    error: fieldError ?? null, current,
    describedBy: describedBy(b.hintId, fieldError !== undefined && `${b.id}-error`, current !== null && `${b.id}-current`),
  };
}

function inputView(c: ViewContext, field: FieldDef, b: Base) {
  const { values, o } = c;
  const value = field.type === 'password' ? '' : single(values, field.name) ?? '';
  const fieldError = c.error(field.name, b.label, b.id);
  const current = b.compare && field.type !== 'password' && c.differs(field.name) ? c.shown(single(o.current!, field.name) ?? '') : null;
  const inputType = { text: 'text', number: 'number', date: 'date', time: 'time', datetime: 'datetime-local', email: 'email', password: 'password' }[field.type as string] ?? 'text';
  return {
    type: 'input', inputType, id: b.id, name: field.name, label: b.label, hint: b.hint, hintId: b.hintId, value, required: field.required ?? false,
    maxLength: field.maxLength ?? null, autocomplete: field.autocomplete ?? null, error: fieldError ?? null, current,
    describedBy: describedBy(b.hintId, fieldError !== undefined && `${b.id}-error`, current !== null && `${b.id}-current`),
  };
}

const VIEWS: Partial<Record<FieldDef['type'], (c: ViewContext, field: FieldDef, b: Base) => unknown>> = {
  localized: localizedView, select: selectView, checkboxes: checkboxesView, contributors: contributorsView, links: linksView, interpretation: interpretationView,
};

/**
 * The fields of a form as the templates render them, and the error summary. Every control
 * gets an id and a label; hints, errors, missing-translation markers and saved values are
 * tied to it with aria-describedby.
 */
export function formView(form: FormSpec, o: FormViewOptions) {
  const { locale, values } = o;
  const errors = o.errors ?? new Map<string, string>();
  const t = (key: MessageKey, params?: Record<string, unknown>) => translate(locale, key, params);
  const summary: { href: string; text: string }[] = [];
  const seenErrors = new Set<string>();
  const c: ViewContext = {
    o, values, t, languages: o.languages ?? LANGUAGES,
    error: (name, label, id) => {
      const message = errors.get(name);
      if (message !== undefined && !seenErrors.has(name)) {
        seenErrors.add(name);
        summary.push({ href: `#${id}`, text: t('admin.errors.item', { field: label, message }) });
      }
      return message;
    },
    differs: (name) => o.current != null && (single(values, name) ?? '') !== (single(o.current, name) ?? ''),
    shown: (value) => (value === '' ? t('admin.stale.empty') : value),
    optionsOf: (field) => o.options?.[field.options ?? ''] ?? [],
    labelOf: (field, value) => {
      if (value === '') return t(field.nullable ? field.noneLabel ?? 'admin.form.none' : 'admin.stale.empty');
      return (o.options?.[field.options ?? ''] ?? []).find((opt) => opt.value === value)?.label ?? value;
    },
  };
  const fields = form.fields.filter((f) => !o.omit?.includes(f.name)).map((field) => {
    const hint = field.hint ? t(field.hint) : null;
    const id = fieldId(field.name);
    const base: Base = { label: t(field.label), id, hint, hintId: hint ? `${id}-hint` : null, compare: o.current != null && field.compare !== false };
    return (VIEWS[field.type] ?? inputView)(c, field, base);
  });
  // Errors of fields this form does not show (a rule across fields) still reach the summary.
  for (const [name, message] of errors) {
    if (!seenErrors.has(name)) summary.push({ href: `#${fieldId(name.split('.')[0]!)}`, text: message });
  }
  return { fields, errorSummary: summary };
}

/** The choices that do not depend on the event: kinds, statuses, roles, languages. */
export function fixedOptions(locale: Language): Record<string, Option[]> {
  return {
    kinds: SESSION_KINDS.map((kind) => ({ value: kind, label: translate(locale, `kind.${kind}`) })),
    statuses: SESSION_STATUSES.map((status) => ({ value: status, label: translate(locale, `status.${status}`) })),
    roles: CONTRIBUTOR_ROLES.map((role) => ({ value: role, label: translate(locale, `admin.role.${role}`) })),
    languages: LANGUAGES.map((lang) => ({ value: lang, label: translate(lang, `language.${lang}`), lang })),
    userRoles: USER_ROLES.map((role) => ({ value: role, label: translate(locale, `admin.userRole.${role}`) })),
  };
}
