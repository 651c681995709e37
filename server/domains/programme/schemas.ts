// The building blocks of the programme's schemas (resources/, events.ts, the front-ends'):
// every string has a maximum length, every id a pattern, and objects refuse unknown fields.
import { Type, type TSchema } from 'typebox';
import { LANGUAGES } from '../../db/schema.ts';

/** An event's address: lower-case words joined by dashes. */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Public ids are UUIDs: what links, feeds and exports carry. */
export const PUBLIC_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export const strict = { additionalProperties: false } as const;

export const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 60 });
export const PublicId = Type.String({ pattern: PUBLIC_ID_PATTERN, maxLength: 36 });
export const Lang = Type.Enum(LANGUAGES);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Content text in fr/en/es; the event's default language is required where the field is. */
export const Localized = (maxLength: number, description?: string) => Type.Object({
  fr: Type.Optional(Type.String({ minLength: 1, maxLength })),
  en: Type.Optional(Type.String({ minLength: 1, maxLength })),
  es: Type.Optional(Type.String({ minLength: 1, maxLength })),
}, { ...strict, minProperties: 1, ...(description ? { description } : {}) });

/**
 * A time of the event: local wall-clock time in the event's zone ("2019-11-12T09:00"), or an
 * instant with its offset ("2019-11-12T09:00:00+02:00"). Answers always carry the offset.
 */
export const DateTimeInput = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?$',
  maxLength: 25,
  description: 'Local time of the event ("2019-11-12T09:00") or ISO 8601 with an offset',
});
export const DateTimeOutput = Type.String({ format: 'date-time', description: 'ISO 8601 with the event\'s UTC offset' });
export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, format: 'date' });
export const Position = Type.Integer({ minimum: 0, maximum: 100000 });
export const Version = Type.Integer({ minimum: 1, description: 'Send it back as If-Match: "<version>" to change or delete this' });
