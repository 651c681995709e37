// The public ids of what a frab file holds: its own guids when it gives them, else ids derived
// from the conference, so that they do not change from one import to the next.
import { v5 as uuidv5 } from 'uuid';
import { PUBLIC_ID_PATTERN } from '../../programme/schemas.ts';

/**
 * Public ids of rows without a guid of their own are UUID v5 of "frab/<conference>/<kind>/<key>"
 * in this namespace: importing the same file again, into any database, gives the same ids,
 * so it updates rows in place instead of duplicating them.
 */
const FRAB_NAMESPACE = '03eb4519-5cf8-4ef6-a9a9-eb4b2af30629';

export const UUID = new RegExp(PUBLIC_ID_PATTERN, 'i');

/** The id of a row of some kind ("room", "track", "person"…) named `name` in the file. */
export type IdOf = (kind: string, name: string) => string;

/** Ids derived from the conference's key (its acronym, else its title's slug). */
export function idsOf(key: string): IdOf {
  return (kind, name) => uuidv5(`frab/${key}/${kind}/${name}`, FRAB_NAMESPACE);
}

/** The event's own id, derived the same way. */
export function eventIdOf(key: string): string {
  return uuidv5(`frab/${key}/event`, FRAB_NAMESPACE);
}
