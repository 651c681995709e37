// The first steps of an event being built (rooms, parts, expected outputs, sessions, a release),
// shown on the editor until they are all done; each ticks itself off from the programme.
import type { Db } from '../../db/client.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { findLatestReleaseOfEvent } from '../../domains/releases/repository.ts';
import { translate } from '../../i18n/index.ts';
import { RESOURCE_PATHS } from '../shared/resources.ts';
import type { Scope } from './kit.ts';

export interface FirstSteps {
  steps: { label: string; href: string; done: boolean }[];
}

const STEPS = ['rooms', 'parts', 'outputs', 'sessions', 'release'] as const;

/**
 * The list, or null once every step is done. A step to do links to its form; a step done, to
 * what it made (the rooms, the parts…), with how many. The release is read from the database,
 * since the working copy does not say whether it was ever released.
 */
export function firstSteps(scope: Scope, programme: Programme, db: Db): FirstSteps | null {
  const { base, locale } = scope;
  const released = findLatestReleaseOfEvent(db, programme.event.id) !== null;
  const counts = { rooms: programme.rooms.length, parts: programme.parts.length, outputs: programme.outputs.length, sessions: programme.sessions.length };
  const paths = { rooms: RESOURCE_PATHS.room, parts: RESOURCE_PATHS.part, outputs: RESOURCE_PATHS.output, sessions: RESOURCE_PATHS.session };
  const steps = STEPS.map((step) => {
    if (step === 'release') {
      return { label: translate(locale, `building.firstSteps.release.${released ? 'done' : 'todo'}`), href: `${base}/releases`, done: released };
    }
    const count = counts[step];
    return {
      label: count > 0 ? translate(locale, `building.firstSteps.${step}.done`, { count }) : translate(locale, `building.firstSteps.${step}.todo`),
      href: count > 0 ? `${base}/${paths[step]}` : `${base}/${paths[step]}/new`,
      done: count > 0,
    };
  });
  return steps.every((s) => s.done) ? null : { steps };
}
