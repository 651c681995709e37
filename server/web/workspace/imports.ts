// Imports in the browser: a form takes a file (our JSON, frab XML, a CSV of sessions), which is
// staged and previewed (what the import would create, change and remove, tried in a
// transaction that is rolled back); the organiser then confirms, and the import is written in
// one transaction, or cancels. For an event (/admin/events/:slug/import) or, for organisers of
// every event, a new event from a file (/admin/import).
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { Type } from 'typebox';
import { organises } from '../../domains/accounts/permissions.ts';
import { CSV_COLUMNS, CsvImportError, type CsvProblem } from '../../domains/interop/csv-import.ts';
import {
  deleteStagedImport, fileKind, findStagedImport, fingerprintOf, readImport, runImport, stageImport, StaleImportError, STAGED_TOKEN_PATTERN,
  type ImportPreview, type ReadImport, type StagedOptions,
} from '../../domains/interop/staged-imports.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { ImportError } from '../../domains/programme/sync.ts';
import { LANGUAGES, type Language, type StagedImportRow } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { isValidTimeZone } from '../../time.ts';
import { textFault } from '../../unicode.ts';
import { EventParams } from '../shared/schemas.ts';
import { SLUG_PATTERN } from '../../domains/programme/schemas.ts';
import { render, scopeOf, userOf } from './kit.ts';
import { SECTIONS } from './nav.ts';
import { Presenter } from '../shared/presenter.ts';
import { localClock, localDate } from '../../time.ts';
import { LangOnly } from './schemas.ts';

const Token = Type.String({ pattern: STAGED_TOKEN_PATTERN, maxLength: 43 });
const CsrfField = Type.String({ maxLength: 200 });
const FormQuery = Type.Object({
  lang: LangOnly.properties.lang,
  imported: Type.Optional(Type.String({ maxLength: 24, pattern: '^\\d{1,6}-\\d{1,6}-\\d{1,6}$' })),
  cancelled: Type.Optional(Type.Literal('1')),
});
/** The upload form: the file comes as bytes (multipart), its options as short texts. */
const UploadBody = Type.Object({
  _csrf: CsrfField,
  file: Type.Optional(Type.Unsafe<Buffer | string | (Buffer | string)[]>({})),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  language: Type.Optional(Type.String({ maxLength: 2 })),
  slug: Type.Optional(Type.String({ maxLength: 60 })),
}, { additionalProperties: false });
const ConfirmBody = Type.Object({ _csrf: CsrfField, fingerprint: Type.String({ maxLength: 40, pattern: '^(new|r\\d{1,15})$' }) }, { additionalProperties: false });
const CancelBody = Type.Object({ _csrf: CsrfField }, { additionalProperties: false });
const EventToken = Type.Object({ slug: EventParams.properties.slug, token: Token });
const TokenOnly = Type.Object({ token: Token });
const SLUG = new RegExp(SLUG_PATTERN);

interface UploadBodyValue { file?: Buffer | string | (Buffer | string)[]; timezone?: string; language?: string; slug?: string }
interface FormError { field?: string; importer?: string; csv?: string }

/** The name of the file a request carried, kept beside its body (multipart gives the body only the bytes). */
const fileNames = new WeakMap<FastifyRequest, string>();
/** Requests whose file was over the limit: the form says so (413) instead of an error page. */
const tooBig = new WeakSet<FastifyRequest>();

/** Where a page is: an event's, or the new-event pages of organisers of every event. */
interface Place { event: EventRow | null; base: string; locale: Language }
const placeOf = (request: FastifyRequest): Place => {
  const slug = (request.params as { slug?: string }).slug;
  if (slug === undefined) return { event: null, base: '/admin/import', locale: requestLocale(request) };
  const scope = scopeOf(request);
  return { event: scope.event, base: `${scope.base}/import`, locale: scope.locale };
};

/** A size as people read it: "10,5 Mo", "2 kB" (the unit's words come from the language's own formats). */
const megabytes = (bytes: number, locale: Language) => new Intl.NumberFormat(locale, {
  style: 'unit', unit: bytes >= 1_000_000 ? 'megabyte' : 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1,
}).format(bytes >= 1_000_000 ? bytes / 1_000_000 : bytes / 1000);

function showForm(request: FastifyRequest, reply: FastifyReply, maxBytes: number, status: number, values: UploadBodyValue, error: FormError = {}) {
  const { event, base, locale } = placeOf(request);
  const query = request.query as { imported?: string; cancelled?: string };
  const done = status === 200 && query.imported ? doneMessage(locale, query.imported) : null;
  return render(request, reply, 'workspace/import', status, {
    title: translate(locale, event ? 'imports.title' : 'imports.newEvent.title'),
    section: 'import',
    styles: ['imports.css'],
    action: base,
    forEvent: event !== null,
    templateHref: event ? `${base}/template.csv` : null,
    editorHref: event ? `/admin/events/${event.slug}` : null,
    done,
    cancelled: status === 200 && query.cancelled === '1',
    fileHint: translate(locale, 'imports.hint.file', { size: megabytes(maxBytes, locale) }),
    values: { timezone: typeof values.timezone === 'string' ? values.timezone : '', slug: typeof values.slug === 'string' ? values.slug : '' },
    languages: [{ value: '', label: translate(locale, 'imports.language.file'), selected: !values.language },
      ...LANGUAGES.map((l) => ({ value: l, label: translate(locale, `language.${l}` as MessageKey), selected: values.language === l, code: l }))],
    error,
    errorSummary: error.field ? [{ href: '#import-file', text: error.field }] : [],
  });
}

/** "Programme importé : 12 sessions créées, 3 modifiées, 0 supprimée." from ?imported=12-3-0. */
function doneMessage(locale: Language, imported: string): string {
  const [created, changed, removed] = imported.split('-').map(Number) as [number, number, number];
  const plural = new Intl.PluralRules(locale);
  const count = (what: 'created' | 'changed' | 'removed', n: number) => translate(locale, `imports.done.${what}.${plural.select(n) === 'one' ? 'one' : 'other'}` as MessageKey, { count: n });
  return translate(locale, 'imports.done', { created: count('created', created), changed: count('changed', changed), removed: count('removed', removed) });
}

/** A refusal of the importer, in the reader's language when it is the CSV reader's. */
export function importFailure(locale: Language, error: ImportError): FormError {
  if (error instanceof CsvImportError) return { csv: csvMessage(locale, error.csv) };
  return { importer: error.message };
}

/**
 * The headers of the template, in the page's language: the words the reader knows the columns
 * by (those the changelog names fields with, where it names them), all of them read back.
 */
export const HEADER_KEYS: Record<(typeof CSV_COLUMNS)[number], MessageKey> = {
  title: 'changes.field.title', day: 'imports.template.header.day', start: 'imports.template.header.start', end: 'imports.template.header.end',
  duration: 'imports.template.header.duration', room: 'imports.template.header.room', part: 'changes.field.part', kind: 'imports.template.header.kind',
  contributors: 'changes.field.contributors', id: 'imports.template.header.id',
};

function csvMessage(locale: Language, problem: CsvProblem): string {
  const column = problem.header ?? (problem.column ? translate(locale, HEADER_KEYS[problem.column]) : null);
  const where = problem.line === null ? translate(locale, 'imports.csv.where.file')
    : column === null ? translate(locale, 'imports.csv.where.line', { line: problem.line })
      : translate(locale, 'imports.csv.where.lineColumn', { line: problem.line, column });
  return translate(locale, 'imports.csv.refusal', { where, problem: translate(locale, `imports.csv.error.${problem.code}` as MessageKey, problem.params) });
}

/** The options a frab file may take, checked; a message when one is wrong. */
function optionsOf(locale: Language, body: UploadBodyValue, forEvent: boolean): StagedOptions | string {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const [timezone, language, slug] = [text(body.timezone), text(body.language), forEvent ? '' : text(body.slug)];
  for (const value of [timezone, language, slug]) if (textFault(value)) return translate(locale, 'imports.error.frabOnly');
  if (timezone !== '' && !isValidTimeZone(timezone)) return translate(locale, 'imports.error.timezone', { value: timezone });
  if (language !== '' && !(LANGUAGES as readonly string[]).includes(language)) return translate(locale, 'imports.error.frabOnly');
  if (slug !== '' && !SLUG.test(slug)) return translate(locale, 'imports.error.slug');
  return { ...(timezone ? { timezone } : {}), ...(language ? { language: language as Language } : {}), ...(slug ? { slug } : {}) };
}

async function upload(request: FastifyRequest, reply: FastifyReply, maxBytes: number) {
  const { event, base, locale } = placeOf(request);
  const body = request.body as UploadBodyValue;
  const show = (status: number, error: FormError) => showForm(request, reply, maxBytes, status, body, error);
  const fileName = fileNames.get(request);
  // A file field sent twice (as text beside the file) still has one file.
  const file = [body.file].flat().find((value) => Buffer.isBuffer(value));
  if (tooBig.has(request)) return show(413, { field: translate(locale, 'imports.error.tooBig', { size: megabytes(maxBytes, locale) }) });
  if (fileName === undefined || file === undefined || file.length === 0) return show(422, { field: translate(locale, 'imports.error.noFile') });
  const options = optionsOf(locale, body, event !== null);
  if (typeof options === 'string') return show(422, { field: options });
  const kind = fileKind(fileName, file.subarray(0, 1000).toString('utf8'));
  if (Object.keys(options).length > 0 && kind !== 'xml') return show(422, { field: translate(locale, 'imports.error.frabOnly') });
  if (kind === 'csv' && !event) return show(422, { field: translate(locale, 'imports.formats.csvNeedsEvent') });
  const user = userOf(request);
  let read: ReadImport;
  try {
    read = readImport(request.server.db, file, fileName, options, maxBytes, event);
    if (read.target && !organises(user, read.target.id)) return show(403, { importer: `you do not organise the event "${read.target.slug}" this file is the programme of` });
    // Read now, so that a file that cannot be read is refused beside the form; the import
    // itself is tried once, for the preview (a large programme takes seconds to write).
  } catch (error) {
    if (error instanceof ImportError) return show(error.statusCode === 413 ? 413 : error.statusCode === 409 ? 409 : 422, importFailure(locale, error));
    throw error;
  }
  const token = stageImport(request.server.db, {
    userId: user.id, eventId: event?.id ?? null, format: read.format, fileName: fileName.slice(0, 200), options, bytes: file,
  }, request.server.now());
  return reply.redirect(`${base}/${token}`, 303);
}

/** The staged file of the address, for the one who staged it; 404 for anyone else, or once it expired. */
function stagedOf(request: FastifyRequest): StagedImportRow {
  const { event } = placeOf(request);
  const { token } = request.params as { token: string };
  const row = findStagedImport(request.server.db, token, userOf(request).id, event?.id ?? null, request.server.now());
  if (!row) throw new NotFoundError('staged import', token);
  return row;
}

function showPreview(request: FastifyRequest, reply: FastifyReply, maxBytes: number, staged: StagedImportRow, status: number, stale: boolean) {
  const { event, base, locale } = placeOf(request);
  const user = userOf(request);
  let preview: ImportPreview | null = null;
  let failure: FormError | null = null;
  let fingerprint = 'new';
  try {
    const read = readImport(request.server.db, staged.bytes, staged.fileName, staged.options as StagedOptions, maxBytes, event);
    fingerprint = fingerprintOf(read.target);
    preview = runImport(request.server.db, read, { id: user.id, name: user.name }, request.server.now(), { write: false });
    return render(request, reply, 'workspace/import-preview', status, {
      ...previewView(locale, preview, read, staged), title: translate(locale, 'imports.preview.title'), section: 'import', styles: ['imports.css'],
      action: `${base}/${staged.token}`, cancelAction: `${base}/${staged.token}/cancel`, fingerprint, stale, againHref: base,
    });
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    failure = importFailure(locale, error);
    return render(request, reply, 'workspace/import-preview', error.statusCode === 409 ? 409 : 422, {
      title: translate(locale, 'imports.preview.title'), section: 'import', styles: ['imports.css'], failure,
      cancelAction: `${base}/${staged.token}/cancel`, againHref: base, fileName: staged.fileName,
    });
  }
}

async function confirm(request: FastifyRequest, reply: FastifyReply, maxBytes: number) {
  const { event } = placeOf(request);
  const staged = stagedOf(request);
  const user = userOf(request);
  const { fingerprint } = request.body as { fingerprint: string };
  let preview: ImportPreview;
  try {
    const read = readImport(request.server.db, staged.bytes, staged.fileName, staged.options as StagedOptions, maxBytes, event);
    if (read.target && !organises(user, read.target.id)) return showPreview(request, reply, maxBytes, staged, 403, false);
    preview = runImport(request.server.db, read, { id: user.id, name: user.name }, request.server.now(), { write: true, fingerprint });
  } catch (error) {
    if (error instanceof StaleImportError) return showPreview(request, reply, maxBytes, staged, 409, true);
    if (error instanceof ImportError) return showPreview(request, reply, maxBytes, staged, 422, false);
    throw error;
  }
  deleteStagedImport(request.server.db, staged.id);
  const sessions = preview.kinds.find((k) => k.kind === 'session')!;
  return reply.redirect(`/admin/events/${preview.after.slug}/import?imported=${sessions.created.length}-${sessions.changed.length}-${sessions.removed.length}`, 303);
}

const KIND_LABELS: Record<string, MessageKey> = {
  session: SECTIONS.sessions.label, room: SECTIONS.rooms.label, part: SECTIONS.parts.label, slot: SECTIONS.slots.label,
  person: SECTIONS.people.label, organisation: SECTIONS.organisations.label, output: SECTIONS.outputs.label,
};

/** What the preview page shows: per kind, the names of what is created, changed and removed. */
function previewView(locale: Language, preview: ImportPreview, read: ReadImport, staged: StagedImportRow) {
  const presenter = new Presenter(preview.after, locale);
  const zone = preview.after.timezone;
  const at = (instant: Date) => `${localDate(instant, zone)} ${localClock(instant, zone)}`;
  const name = (row: ImportPreview['kinds'][number]['created'][number]) => {
    if ('text' in row) return presenter.text(row.text)!;
    if ('plain' in row) return { text: row.plain, lang: null };
    return { text: translate(locale, 'imports.slot', { from: at(row.from), to: at(row.to) }), lang: locale };
  };
  const kinds = preview.kinds.filter((k) => k.created.length + k.changed.length + k.removed.length > 0).map((k) => ({
    id: `import-${k.kind}`,
    label: translate(locale, KIND_LABELS[k.kind]!),
    lists: ([['created', 'imports.preview.toCreate'], ['changed', 'imports.preview.toChange'], ['removed', 'imports.preview.toRemove']] as const)
      .map(([what, key]) => ({ what, heading: translate(locale, key, { count: k[what].length }), items: k[what].map(name), removed: what === 'removed' })),
  }));
  return {
    fileName: staged.fileName,
    intro: translate(locale, 'imports.preview.intro', { file: staged.fileName, format: translate(locale, `imports.format.${read.format}` as MessageKey) }),
    newEvent: preview.before === null ? translate(locale, 'imports.preview.newEvent', { title: presenter.text(preview.after.title)!.text, slug: preview.after.slug }) : null,
    eventChanged: preview.eventChanged,
    nothing: preview.before !== null && !preview.eventChanged && kinds.length === 0,
    removing: preview.kinds.some((k) => k.removed.length > 0),
    kinds,
    notes: read.notes,
  };
}

/** The CSV template: headers in the page's language, two example rows on the event's first day; UTF-8 with a byte-order mark for spreadsheets. */
function template(request: FastifyRequest, reply: FastifyReply) {
  const { event, locale } = scopeOf(request);
  const t = (key: MessageKey) => translate(locale, key);
  const rows = [
    CSV_COLUMNS.map((c) => t(HEADER_KEYS[c])),
    [t('imports.template.example1.title'), event.startDate, '09:00', '10:00', '', t('imports.template.example1.room'), t('imports.template.example1.part'),
      t('imports.template.example1.kind'), t('imports.template.example1.contributors'), ''],
    [t('imports.template.example2.title'), event.startDate, '10:30', '', '90', t('imports.template.example2.room'), t('imports.template.example1.part'),
      t('imports.template.example2.kind'), t('imports.template.example2.contributors'), ''],
  ];
  const csv = stringify(rows, { delimiter: locale === 'en' ? ',' : ';', record_delimiter: '\r\n' });
  return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${event.slug}-sessions.csv"`)
    .header('Cache-Control', 'private, no-store').send(`\uFEFF${csv}`);
}

/** Registered in the workspace's scope, whose hook has decided who may before anything is read. */
export default async function importRoutes(app: FastifyInstance, options: { importMaxBytes: number }) {
  const maxBytes = options.importMaxBytes;
  // Only in this scope: one file, of at most IMPORT_MAX_BYTES, and a few short fields. Fields
  // come as plain values (keyValues) so that the CSRF check finds its token as in every form.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 1, fileSize: maxBytes, fields: 6, fieldSize: 1000, parts: 8, headerPairs: 20 },
    // A file over the limit is cut short instead of failing the request: the form says so (413),
    // and the other fields are still read (the CSRF token among them).
    throwFileSizeLimit: false,
    async onFile(part) {
      fileNames.set(this, part.filename);
      await part.toBuffer();
      if (part.file.truncated) tooBig.add(this);
    },
  });
  const formPage = (request: FastifyRequest, reply: FastifyReply) => showForm(request, reply, maxBytes, 200, {});
  const places: [string, typeof EventParams | undefined, typeof EventToken | typeof TokenOnly, { access?: 'every-event' }][] = [
    ['/events/:slug/import', EventParams, EventToken, {}], ['/import', undefined, TokenOnly, { access: 'every-event' }],
  ];
  for (const [prefix, params, tokenParams, config] of places) {
    const withParams = params ? { params } : {};
    app.get(prefix, { schema: { ...withParams, querystring: FormQuery }, config }, formPage);
    app.post(prefix, { schema: { ...withParams, querystring: LangOnly, body: UploadBody }, preValidation: app.csrfProtection, config },
      (request, reply) => upload(request, reply, maxBytes));
    app.get(`${prefix}/:token`, { schema: { params: tokenParams, querystring: LangOnly }, config },
      (request, reply) => showPreview(request, reply, maxBytes, stagedOf(request), 200, false));
    app.post(`${prefix}/:token`, { schema: { params: tokenParams, querystring: LangOnly, body: ConfirmBody }, preValidation: app.csrfProtection, config },
      (request, reply) => confirm(request, reply, maxBytes));
    app.post(`${prefix}/:token/cancel`, { schema: { params: tokenParams, querystring: LangOnly, body: CancelBody }, preValidation: app.csrfProtection, config },
      async (request, reply) => {
        deleteStagedImport(request.server.db, stagedOf(request).id);
        return reply.redirect(`${placeOf(request).base}?cancelled=1`, 303);
      });
  }
  app.get('/events/:slug/import/template.csv', { schema: { params: EventParams, querystring: LangOnly } }, template);
}
