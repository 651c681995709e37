// People: speakers, moderators, presenters and rapporteurs of sessions, with their organisation.
import { sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const person = simpleResource('person', {
  name: { type: 'text', max: 200, required: true },
  organisation: { type: 'reference', to: 'organisation', column: 'organisationId', nullable: true },
  bio: { type: 'localized', max: 5000, nullable: true, multiline: true },
}, {
  inUse: (db, _event, row) => {
    const sessions = sessionsUsing(db, 'person', row.id);
    return sessions.length > 0 ? { reason: 'sessions', sessions } : null;
  },
});
