// schema.org Event data (JSON-LD) of an event's and a session's public pages.
import type { Programme, ProgrammeSession } from '../../domains/programme/assemble.ts';
import type { Presenter } from './presenter.ts';

/** The JSON-LD of an event's programme page, an object the layout writes as a <script type="application/ld+json">. */
export function eventJsonLd(_presenter: Presenter, _programme: Programme, _publicUrl: string): Record<string, unknown> | null {
  return null;
}

/** The JSON-LD of a session's page. */
export function sessionJsonLd(_presenter: Presenter, _programme: Programme, _session: ProgrammeSession, _publicUrl: string): Record<string, unknown> | null {
  return null;
}
