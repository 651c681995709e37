// Schemas the API's routes share: addresses, If-Match, what a write answers, and the shapes of
// conflicts, assignments and the audit log. Resources' own schemas come from their descriptors.
import { Type, type TSchema } from 'typebox';
import { AUDIT_ACTIONS } from '../../db/schema.ts';
import { DateTimeOutput, Localized, Nullable, PublicId, strict } from '../../domains/programme/schemas.ts';

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 200, description: 'The ETag of the version the change starts from' })),
});

export const ConflictOut = Type.Object({
  type: Type.Enum(['contributor-double-booked', 'room-double-booked', 'slot-outside-event', 'session-outside-part']),
  message: Type.String(),
  sessions: Type.Array(Type.Object({ id: PublicId, title: Localized(300) })),
  contributor: Type.Optional(Type.Object({ kind: Type.Enum(['person', 'organisation']), id: PublicId, name: Type.String() })),
  room: Type.Optional(Type.Object({ id: PublicId, name: Localized(200) })),
  slot: Type.Optional(Type.Object({ id: PublicId, start: DateTimeOutput, end: DateTimeOutput })),
  part: Type.Optional(Type.Object({ id: PublicId, label: Localized(200) })),
});
export const ConflictList = Type.Object({ conflicts: Type.Array(ConflictOut) });

/** What a write answers: the entity as it now is, and the conflicts the write caused. */
export const written = <T extends TSchema>(entity: T) => Type.Object({ data: entity, warnings: Type.Array(ConflictOut) });

export const AssignmentCreate = Type.Object({ user: PublicId }, strict);
export const AssignmentOut = Type.Object({
  session: PublicId,
  user: Type.Object({ id: PublicId, name: Type.String(), email: Type.String() }),
  assignedAt: Type.String({ format: 'date-time' }),
});

export const AUDIT_ENTITIES = ['event', 'part', 'room', 'slot', 'session', 'organisation', 'person', 'output', 'assignment', 'release', 'conclusions', 'import', 'contact', 'message', 'outbox', 'message-settings', 'webhook', 'follow-up', 'feedback'] as const;

export const AuditQuery = Type.Object({
  entity: Type.Optional(Type.Enum(AUDIT_ENTITIES)),
  entityId: Type.Optional(PublicId),
  user: Type.Optional(PublicId),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries older than this entry id (paging)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
}, strict);
export const AuditOut = Type.Object({
  entries: Type.Array(Type.Object({
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({ id: Nullable(PublicId), name: Type.String() }),
    action: Type.Enum(AUDIT_ACTIONS),
    entity: Type.String(),
    entityId: Type.String(),
    before: Nullable(Type.Object({}, { additionalProperties: true })),
    after: Nullable(Type.Object({}, { additionalProperties: true })),
  })),
  next: Nullable(Type.Integer({ description: 'Pass as ?before= for older entries' })),
});
