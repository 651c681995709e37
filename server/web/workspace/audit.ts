// An event's audit log in the workspace: every change, who made it and when, the fields before
// and after, filtered by kind of item and by person, in pages.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getAudit, getAuditActors } from '../../domains/audit/service.ts';
import { PublicId } from '../../domains/programme/schemas.ts';
import { LANGUAGES } from '../../db/schema.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { localClock, localDate, toZonedIso } from '../../time.ts';
import { RESOURCE_PATHS } from '../shared/resources.ts';
import { render, scopeOf } from './kit.ts';
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
const HIDDEN_AUDIT_FIELDS = new Set(['id', 'version']);

/** An audit value as one line of text: texts per language, lists, and "—" for nothing. */
function auditValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '—' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(auditValue).join(' ; ');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k]) => (LANGUAGES as readonly string[]).includes(k))) {
    return entries.map(([k, v]) => `${k} : ${auditValue(v)}`).join(' · ');
  }
  return entries.filter(([, v]) => v !== null).map(([k, v]) => `${k} : ${auditValue(v)}`).join(', ');
}

/** The fields an audit entry changed, with their values before and after. */
function changesOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((f) => !HIDDEN_AUDIT_FIELDS.has(f));
  return fields
    .filter((f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null))
    .map((field) => ({ field, before: before ? auditValue(before[field]) : '—', after: after ? auditValue(after[field]) : '—' }));
}

export default async function auditRoutes(app: FastifyInstance) {
  app.get('/events/:slug/audit', { schema: { params: EventParams, querystring: AuditPageQuery } }, async (request, reply) => {
    const { locale, event, base } = scopeOf(request);
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
        entityUrl: path && e.action !== 'delete' ? `${base}/${path}/${e.entityId}` : e.entity === 'event' ? `${base}/settings` : null,
        changes: changesOf(e.before, e.after),
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
