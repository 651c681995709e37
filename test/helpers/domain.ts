// Reading and writing the programme through the domains themselves, for tests that check what
// a page wrote (or set the stage for one) without going through another page.
import type { FastifyInstance } from 'fastify';
import { listRapporteurs } from '../../server/domains/conclusions/assignments.ts';
import { getAudit, type AuditQuery } from '../../server/domains/audit/service.ts';
import type { ItemKind } from '../../server/domains/programme/items.ts';
import type { EventRow } from '../../server/domains/programme/repository.ts';
import type { CollectionKind } from '../../server/domains/programme/resources/index.ts';
import { createItem, itemOf, itemsOf } from '../../server/domains/programme/service.ts';
import { createSession, type SessionBody } from '../../server/domains/programme/sessions.ts';
import { eventRepresentation, type WriteContext } from '../../server/domains/programme/write.ts';
import { readProgramme } from '../../server/domains/releases/reader.ts';

export function domainOf(app: FastifyInstance) {
  const db = app.db;
  return {
    /** Every item of a kind, as the API lists them. */
    items: (event: EventRow, kind: ItemKind) => itemsOf(readProgramme(db, { id: event.id }, 'working'), kind),
    item: (event: EventRow, kind: ItemKind, id: string) => itemOf(readProgramme(db, { id: event.id }, 'working'), kind, id),
    event: (row: EventRow) => eventRepresentation(row),
    audit: (event: EventRow, query: AuditQuery) => getAudit(db, event, query),
    rapporteurs: (event: EventRow, sessionId: string) => listRapporteurs(db, event, sessionId),
    createItem: (ctx: WriteContext, kind: CollectionKind, body: Record<string, unknown>) => createItem(ctx, kind, body),
    createSession: (ctx: WriteContext, body: SessionBody) => createSession(ctx, body),
  };
}
