// Who may do what, as plain rules of an account: every front-end and domain asks here.
import type { UserRole } from '../../db/schema.ts';

/** What the rules need to know of an account. */
export interface Principal {
  role: UserRole;
  /** For an organiser, the one event they organise; null means every event. */
  eventId: number | null;
}

/** An organiser of this event (or of every event). */
export function organises(user: Principal, eventId: number): boolean {
  return user.role === 'organiser' && (user.eventId === null || user.eventId === eventId);
}

/** Only organisers of every event create events and accounts. */
export function isOrganiserOfAll(user: Principal): boolean {
  return user.role === 'organiser' && user.eventId === null;
}
