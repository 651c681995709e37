// What the front-ends call each kind of programme item in addresses: /api/v1/events/:slug/<path>
// and /admin/events/:slug/<path> alike.
import type { ItemKind } from '../../domains/programme/items.ts';

export const RESOURCE_PATHS = {
  part: 'parts', room: 'rooms', slot: 'slots', session: 'sessions', organisation: 'organisations', person: 'people', output: 'outputs',
} as const satisfies Record<ItemKind, string>;
