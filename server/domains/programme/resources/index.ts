// Every kind of programme item, with its descriptor: the one list the write API, the workspace
// and the imports go through. Adding a kind here (and its table) is how a new collection starts.
import type { ItemKind } from '../items.ts';
import { organisation } from './organisation.ts';
import { output } from './output.ts';
import { part } from './part.ts';
import { person } from './person.ts';
import type { Resource } from './resource.ts';
import { room } from './room.ts';
import { session } from './session.ts';
import { slot } from './slot.ts';

export const RESOURCES: { [K in ItemKind]: Resource<K> } = { part, room, slot, session, organisation, person, output };

/** The kinds whose fields alone describe them (everything but sessions, which have their own rules). */
export type CollectionKind = Exclude<ItemKind, 'session'>;
