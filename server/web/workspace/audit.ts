// An event's audit log in the workspace: every change, who made it and when, the fields before
// and after, filtered by kind of item and by person, in pages. Read by organisers, not machines:
// each item by its name (linked while it exists), fields by their forms' words, values readable
// (a slot as its day and times, a room by its name), the machinery's own fields left out.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getAudit, getAuditActors } from '../../domains/audit/service.ts';
import { PublicId } from '../../domains/programme/schemas.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { LANGUAGES, type LocalizedText } from '../../db/schema.ts';
import { isMessageKey, translate, type MessageKey } from '../../i18n/index.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import type { FieldDef } from '../shared/forms/fields.ts';
import { RESOURCE_PATHS } from '../shared/resources.ts';
import { COLLECTIONS } from './collections/index.ts';
import { EVENT_FORM } from './events.ts';
import { render, type Scope, scopeOf, slotLabel, workingCopy } from './kit.ts';
import { SESSION_FORM } from './sessions.ts';
import { EventParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

const AUDIT_ENTITIES = ['event', 'part', 'room', 'slot', 'session', 'organisation', 'person', 'output', 'assignment', 'release', 'conclusions'] as const;
/** The log may hold entities this page does not name (an import): they are shown as "other". */
const isAuditEntity = (value: string): value is (typeof AUDIT_ENTITIES)[number] => (AUDIT_ENTITIES as readonly string[]).includes(value);
/** The name of each kind of entity: the words the forms use for the same thing, else the log's own. */
const ENTITY_NAMES = {
  event: 'field.event', part: 'field.part', room: 'field.room', slot: 'admin.field.slot', session: 'kind.session', organisation: 'admin.field.organisation',
  person: 'admin.field.person', output: 'admin.entity.output', assignment: 'admin.entity.assignment', release: 'admin.entity.release', conclusions: 'conclusions.title',
} as const satisfies Record<(typeof AUDIT_ENTITIES)[number], MessageKey>;
const AuditPageQuery = Type.Object({
  ...PageQuery.properties,
  entity: Type.Optional(Type.Union([Type.Enum(AUDIT_ENTITIES), Type.Literal('')])),
  user: Type.Optional(Type.Union([PublicId, Type.Literal('')])),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** Audit entries per page. */
const AUDIT_PAGE_SIZE = 50;
/** Fields the log keeps for the machinery (versions, calendar sequences, timestamps), not for readers. */
const HIDDEN_AUDIT_FIELDS = new Set(['id', 'version', 'sequence', 'updatedAt', 'revision']);

/** Each kind's fields by the words of their forms ("Créneau", not "slot"). */
const FIELD_LABELS: Record<string, Record<string, MessageKey>> = Object.fromEntries([
  ['session', labelsOf(SESSION_FORM.fields, { start: 'field.start', end: 'field.end' })],
  ['event', labelsOf(EVENT_FORM.fields, {})],
  ...COLLECTIONS.map((c) => [c.kind, labelsOf(c.fields, {})]),
]);

function labelsOf(fields: FieldDef[], more: Record<string, MessageKey>): Record<string, MessageKey> {
  // A form's own times (a session's new start and end) are no saved field: the log's start and end are the session's.
  return { ...Object.fromEntries(fields.filter((f) => f.compare !== false).map((f) => [f.name, f.label])), ...more };
}

type Json = Record<string, unknown>;

/** What an audit page knows to name things: the working copy, by public id, and the reader's language. */
class AuditWords {
  private readonly names = new Map<string, string>();
  private readonly kinds = new Map<string, string>();

  constructor(private readonly scope: Scope, programme: Programme) {
    const text = (value: LocalizedText | null | undefined) => scope.presenter.text(value)?.text ?? '';
    const add = (kind: string, id: string, name: string) => { this.names.set(id, name); this.kinds.set(id, kind); };
    for (const p of programme.parts) add('part', p.publicId, text(p.label));
    for (const r of programme.rooms) add('room', r.publicId, text(r.name));
    for (const s of programme.slots) add('slot', s.publicId, slotLabel(s, scope));
    for (const p of programme.people) add('person', p.publicId, p.name);
    for (const o of programme.organisations) add('organisation', o.publicId, text(o.name));
    for (const o of programme.outputs) add('output', o.publicId, this.t('outputs.number', { number: o.position + 1 }));
    for (const s of programme.sessions) add('session', s.publicId, text(s.row.title));
  }

  t(key: MessageKey, params?: Record<string, unknown>): string {
    return translate(this.scope.locale, key, params);
  }

  /** Whether the item is still in the working copy, to link to it. */
  exists(kind: string, id: string): boolean {
    return this.kinds.get(id) === kind;
  }

  /** An item by its name now, else by what its entry says (a deleted one), else its id. */
  itemName(kind: string, id: string, rep: Json | null): string {
    if (kind === 'event') return this.scope.presenter.text(this.scope.event.title)?.text ?? id;
    if (this.exists(kind, id)) return this.names.get(id)!;
    if (!rep) return id;
    if (kind === 'slot' && typeof rep.start === 'string' && typeof rep.end === 'string') return this.times(rep.start, rep.end);
    if (kind === 'output' && typeof rep.position === 'number') return this.t('outputs.number', { number: rep.position + 1 });
    for (const field of ['title', 'label', 'name', 'statement']) {
      const value = rep[field];
      if (typeof value === 'string' && value !== '') return value;
      if (value && typeof value === 'object') return this.scope.presenter.text(value as LocalizedText)?.text ?? id;
    }
    return id;
  }

  private times(start: string, end: string): string {
    return slotLabel({ startsAt: new Date(start), endsAt: new Date(end) }, this.scope);
  }

  private instant(value: string): string {
    const zone = this.scope.event.timezone;
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? value : this.t('admin.audit.instant', { day: longDate(localDate(at, zone), this.scope.locale), time: localClock(at, zone) });
  }

  /** An audit value as one line of text: references by name, texts per language, lists, and "—" for nothing. */
  value(field: string, value: unknown): string {
    if (value === null || value === undefined || value === '') return '—';
    if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => this.value(field, v)).join(' · ');
    if (typeof value === 'string') {
      if (this.names.has(value)) return this.names.get(value)!;
      if (field === 'kind' || field === 'status') return isMessageKey(`${field}.${value}`) ? this.t(`${field}.${value}` as MessageKey) : value;
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return this.instant(value);
      return value;
    }
    if (typeof value === 'number') return String(field === 'position' ? value + 1 : value);
    if (typeof value === 'boolean') return String(value);
    const entries = Object.entries(value as Json);
    if (entries.length > 0 && entries.every(([k]) => (LANGUAGES as readonly string[]).includes(k))) {
      return entries.map(([lang, text]) => this.t('admin.audit.inLanguage', { lang, text: this.value(field, text) })).join(' · ');
    }
    const object = value as Json;
    if (field === 'contributors') {
      const who = [object.person, object.organisation].filter((v) => typeof v === 'string').map((v) => this.value('', v)).join(', ');
      return isMessageKey(`admin.role.${String(object.role)}`) ? `${who} (${this.t(`admin.role.${String(object.role)}` as MessageKey)})` : who;
    }
    if (field === 'links') return [object.title, object.url].filter((v) => typeof v === 'string' && v !== '').join(' ');
    return entries.filter(([, v]) => v !== null).map(([k, v]) => this.t('admin.audit.inLanguage', { lang: k, text: this.value(k, v) })).join(', ');
  }

  /** The fields an audit entry changed, by their form labels, with their values before and after. */
  changes(kind: string, before: Json | null, after: Json | null) {
    const labels = FIELD_LABELS[kind] ?? {};
    const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((f) => !HIDDEN_AUDIT_FIELDS.has(f));
    return fields
      .filter((f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null))
      .map((f) => ({
        field: labels[f] ? this.t(labels[f]) : f,
        before: before ? this.value(f, before[f]) : '—',
        after: after ? this.value(f, after[f]) : '—',
      }));
  }
}

export default async function auditRoutes(app: FastifyInstance) {
  app.get('/events/:slug/audit', { schema: { params: EventParams, querystring: AuditPageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const { locale, event, base } = scope;
    const words = new AuditWords(scope, workingCopy(request));
    const { entity, user, before } = request.query as { entity?: string; user?: string; before?: number };
    const page = getAudit(app.db, event, { entity: entity || undefined, user: user || undefined, before, limit: AUDIT_PAGE_SIZE });
    const zone = event.timezone;
    const filters = (more: Record<string, string>) => {
      const query = new URLSearchParams({ ...(entity ? { entity } : {}), ...(user ? { user } : {}), ...more }).toString();
      return `${base}/audit${query ? `?${query}` : ''}`;
    };
    const entries = page.entries.map((e) => {
      const at = new Date(e.at);
      const path = (RESOURCE_PATHS as Record<string, string>)[e.entity];
      return {
        at: `${localDate(at, zone)} ${localClock(at, zone)}`,
        atIso: toZonedIso(at, zone),
        actor: e.actor.name,
        action: translate(locale, `admin.audit.action.${e.action}`),
        entity: translate(locale, isAuditEntity(e.entity) ? ENTITY_NAMES[e.entity] : 'admin.entity.other'),
        entityId: e.entityId,
        name: words.itemName(e.entity, e.entityId, (e.after ?? e.before) as Json | null),
        entityUrl: path && words.exists(e.entity, e.entityId) ? `${base}/${path}/${e.entityId}` : e.entity === 'event' ? `${base}/settings` : null,
        changes: words.changes(e.entity, e.before as Json | null, e.after as Json | null),
      };
    });
    return render(request, reply, 'workspace/audit', 200, {
      title: translate(locale, 'admin.nav.audit'),
      section: 'audit',
      action: `${base}/audit`,
      entityOptions: [{ value: '', label: translate(locale, 'admin.audit.allEntities'), selected: !entity },
        ...AUDIT_ENTITIES.map((k) => ({ value: k, label: translate(locale, ENTITY_NAMES[k]), selected: entity === k }))],
      userOptions: [{ value: '', label: translate(locale, 'admin.audit.everyone'), selected: !user },
        ...getAuditActors(app.db, event).map((a) => ({ value: a.id, label: a.name, selected: user === a.id }))],
      entries,
      filtered: Boolean(entity || user),
      resetUrl: `${base}/audit`,
      newerUrl: before !== undefined ? filters({}) : null,
      olderUrl: page.next !== null ? filters({ before: String(page.next) }) : null,
      timezone: zone,
    });
  });
}
