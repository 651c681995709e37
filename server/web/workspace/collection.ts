// A collection of the workspace (parts, time slots, rooms, people, organisations, outputs): its
// list, its form to create and edit an item, deleting one. The routes, the saving, the refusals
// and what is shown after them are the same for every kind; a collection's file (collections/)
// says only its form's words, its list's columns and, if it has any, its own actions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Programme } from '../../domains/programme/assemble.ts';
import { findRow, findRowsByPublicIds } from '../../domains/programme/items.ts';
import type { CollectionKind } from '../../domains/programme/resources/index.ts';
import type { InUse as DomainInUse } from '../../domains/programme/resources/resource.ts';
import { RESOURCES } from '../../domains/programme/resources/index.ts';
import { createItem, itemOf, removeItem, updateItem } from '../../domains/programme/service.ts';
import { ConflictError, StaleVersionError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import type { FieldDef, FormSpec } from '../shared/forms/fields.ts';
import { fromEntity, readForm, versionOf } from '../shared/forms/read.ts';
import { fixedOptions, formView, type Option } from '../shared/forms/view.ts';
import { RESOURCE_PATHS } from '../shared/resources.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { SECTIONS } from './nav.ts';
import { PageQuery } from './schemas.ts';
import { type FormState, type InUse, render, save, type Scope, scopeOf, staleBy, staleMessage, workingCopy, writeContext } from './kit.ts';

/** A cell of a list: a text (content or interface, with its language), a link on the first. */
export interface Cell {
  text: { text: string; lang: string } | null;
  href?: string;
  header?: boolean;
  datetime?: string | null;
}

export interface ListRow {
  id: string;
  cells: Cell[];
  move?: { up: boolean; down: boolean; action: string; label: string };
}

export interface WorkspaceCollection {
  kind: CollectionKind;
  /** The form's fields, made with field() from the kind's descriptor. */
  fields: FieldDef[];
  /** i18n keys of the list's columns. */
  columns: MessageKey[];
  rows: (scope: Scope, programme: Programme, edit: (id: string) => string) => ListRow[];
  /** Lists of choices the form needs beyond the fixed ones. */
  options?: (scope: Scope, programme: Programme) => Record<string, Option[]>;
  /** Whether the list offers to move items up and down (parts). */
  reorder?: boolean;
  /** Actions of the kind's own, beside creating, editing and deleting. */
  routes?: (app: FastifyInstance) => void;
}

export const formOf = (c: WorkspaceCollection): FormSpec => ({ fields: c.fields, schemas: RESOURCES[c.kind].schemas });

/** A confirmation that agrees with the kind ("Salle créée.", "Créneau supprimé."), in place of the generic one. */
function kindConfirmation(request: FastifyRequest, c: WorkspaceCollection, status: number): { flash?: string } {
  const saved = (request.query as { saved?: string }).saved;
  if (status >= 300 || (saved !== 'created' && saved !== 'deleted')) return {};
  return { flash: translate(scopeOf(request).locale, `admin.saved.${saved}.${RESOURCE_PATHS[c.kind]}`) };
}

function showList(request: FastifyRequest, reply: FastifyReply, c: WorkspaceCollection) {
  const scope = scopeOf(request);
  const path = RESOURCE_PATHS[c.kind];
  const t = (key: MessageKey) => translate(scope.locale, key);
  return render(request, reply, 'workspace/list', 200, {
    ...kindConfirmation(request, c, 200),
    title: t(SECTIONS[path].label),
    section: path,
    newUrl: `${scope.base}/${path}/new`,
    newLabel: t(`admin.${path}.new`),
    columns: c.columns.map(t),
    rows: c.rows(scope, workingCopy(request), (id) => `${scope.base}/${path}/${id}`),
    reorder: c.reorder ?? false,
    empty: t('admin.list.empty'),
  });
}

function showItem(request: FastifyRequest, reply: FastifyReply, c: WorkspaceCollection, id: string | null, state: FormState) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const path = RESOURCE_PATHS[c.kind];
  const options = { ...fixedOptions(locale), ...c.options?.(scope, workingCopy(request)) };
  const form = formView(formOf(c), {
    locale, values: state.values, errors: state.errors, current: state.current, options, languages: event.languages, defaultLanguage: event.defaultLanguage,
  });
  const url = id ? `${base}/${path}/${id}` : null;
  // Deleting is offered only when nothing uses the item; otherwise what uses it is named in its place.
  const usedBy = id ? usedByOf(request, c, id) : null;
  return render(request, reply, 'workspace/form', state.status, {
    ...kindConfirmation(request, c, state.status),
    title: translate(locale, id ? `admin.${path}.edit` : `admin.${path}.new`),
    section: path,
    backUrl: `${base}/${path}`,
    backLabel: translate(locale, SECTIONS[path].label),
    stale: staleMessage(locale, state),
    formError: state.formError ?? null,
    inUse: state.inUse ?? null,
    errorSummary: form.errorSummary,
    form: { action: url ?? `${base}/${path}`, version: id ? state.values.version : null, fields: form.fields, submitLabel: translate(locale, id ? 'admin.form.save' : 'admin.form.create') },
    deleteForm: url && !usedBy && { action: `${url}/delete`, version: state.values.version, confirm: translate(locale, 'admin.form.confirmDelete') },
    usedBy: state.inUse ? null : usedBy,
  });
}

/** The words of what uses an item, by kind: kinds that are said the same way share them. */
const USED_BY_WORDS: Record<CollectionKind, string> = {
  part: 'place', room: 'place', slot: 'slots', person: 'contributor', organisation: 'contributor', output: 'outputs',
};

/**
 * What uses an item, by the kind's own in-use check (the one deleting runs), with links: said
 * where the delete button would be, "Utilisée par 3 sessions : …", or null when nothing does.
 */
function usedByOf(request: FastifyRequest, c: WorkspaceCollection, id: string): InUse | null {
  const { event, locale } = scopeOf(request);
  const row = findRow(request.server.db, c.kind, event.id, id);
  const found = row ? (RESOURCES[c.kind].inUse as (db: typeof request.server.db, e: typeof event, r: typeof row) => DomainInUse | null)(request.server.db, event, row) : null;
  if (!found) return null;
  const view = inUseOf(request, found.reason === 'people' ? { people: found.people } : { sessions: found.sessions });
  const count = view.items.length;
  const group = found.reason === 'people' ? 'members' : found.reason === 'recommendations' ? 'recommendations' : USED_BY_WORDS[c.kind];
  return { ...view, message: translate(locale, `admin.usedBy.${group}.${count === 1 ? 'one' : 'other'}` as MessageKey, { count }) };
}

/** What still uses an item that could not be deleted, with links to change it. */
export function inUseOf(request: FastifyRequest, extensions: Record<string, unknown>): InUse {
  const { base, presenter, locale, event } = scopeOf(request);
  const sessionIds = (extensions.sessions ?? []) as string[];
  if (sessionIds.length > 0) {
    const sessions = findRowsByPublicIds(request.server.db, 'session', event.id, sessionIds);
    return {
      message: translate(locale, 'admin.inUse.sessions', { count: sessions.length }),
      items: sessions.map((s) => {
        const title = presenter.text(s.title);
        return { href: `${base}/sessions/${s.publicId}`, text: title?.text ?? s.publicId, code: title && title.lang !== locale ? title.lang : null };
      }),
    };
  }
  const people = findRowsByPublicIds(request.server.db, 'person', event.id, (extensions.people ?? []) as string[]);
  return {
    message: translate(locale, 'admin.inUse.people', { count: people.length }),
    items: people.map((p) => ({ href: `${base}/people/${p.publicId}`, text: p.name, code: null })),
  };
}

function deleteItem(request: FastifyRequest, reply: FastifyReply, c: WorkspaceCollection, id: string) {
  const scope = scopeOf(request);
  const form = formOf(c);
  try {
    removeItem(writeContext(request), c.kind, id, [versionOf(readForm(form, request.body)) ?? 0]);
  } catch (error) {
    if (error instanceof StaleVersionError) {
      const current = fromEntity(form, error.extensions.current as Record<string, unknown>);
      return showItem(request, reply, c, id, { status: 409, values: current, staleDelete: true, staleBy: staleBy(request, c.kind, id) });
    }
    if (error instanceof ConflictError && error.problem === 'in-use') {
      const values = fromEntity(form, itemOf(workingCopy(request), c.kind, id));
      return showItem(request, reply, c, id, { status: 409, values, inUse: inUseOf(request, error.extensions) });
    }
    throw error;
  }
  return reply.redirect(`${scope.base}/${RESOURCE_PATHS[c.kind]}?saved=deleted`, 303);
}

/** The list, the forms and the deletion of a collection, under /admin/events/:slug/<path>. */
export function collectionRoutes(app: FastifyInstance, c: WorkspaceCollection): void {
  const collection = `/events/:slug/${RESOURCE_PATHS[c.kind]}`;
  const page = { schema: { params: EventParams, querystring: PageQuery } };
  const itemPage = { schema: { params: ItemParams, querystring: PageQuery } };
  const form = formOf(c);
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get(collection, page, async (request, reply) => showList(request, reply, c));
  app.get(`${collection}/new`, page, async (request, reply) => showItem(request, reply, c, null, { status: 200, values: {} }));
  app.post(collection, { ...page, preValidation: app.csrfProtection }, async (request, reply) => {
    const scope = scopeOf(request);
    return save(request, reply, scope.locale, {
      form, mode: 'create', values: readForm(form, request.body),
      show: (state) => showItem(request, reply, c, null, state),
      write: (body) => createItem(writeContext(request), c.kind, body),
      done: (data) => `${scope.base}/${RESOURCE_PATHS[c.kind]}?saved=created#item-${data.id as string}`,
    });
  });
  app.get(`${collection}/:id`, itemPage, async (request, reply) => {
    const item = itemOf(workingCopy(request), c.kind, idOf(request));
    return showItem(request, reply, c, idOf(request), { status: 200, values: fromEntity(form, item) });
  });
  app.post(`${collection}/:id`, { ...itemPage, preValidation: app.csrfProtection }, async (request, reply) => {
    const scope = scopeOf(request);
    const id = idOf(request);
    itemOf(workingCopy(request), c.kind, id);
    const values = readForm(form, request.body);
    return save(request, reply, scope.locale, {
      form, mode: 'patch', values, entity: c.kind, entityId: id,
      show: (state) => showItem(request, reply, c, id, state),
      write: (body) => updateItem(writeContext(request), c.kind, id, [versionOf(values) ?? 0], body),
      done: () => `${scope.base}/${RESOURCE_PATHS[c.kind]}/${id}?saved=updated`,
    });
  });
  app.post(`${collection}/:id/delete`, { ...itemPage, preValidation: app.csrfProtection }, async (request, reply) => deleteItem(request, reply, c, idOf(request)));
  c.routes?.(app);
}
