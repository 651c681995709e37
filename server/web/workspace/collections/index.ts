// The workspace's collections, in the navigation's order. A new simple kind of item is a
// descriptor in the domain, a file here, and a line in this list.
import type { WorkspaceCollection } from '../collection.ts';
import { organisations } from './organisations.ts';
import { outputs } from './outputs.ts';
import { parts } from './parts.ts';
import { people } from './people.ts';
import { rooms } from './rooms.ts';
import { slots } from './slots.ts';

export const COLLECTIONS: WorkspaceCollection[] = [parts, slots, rooms, people, organisations, outputs];
