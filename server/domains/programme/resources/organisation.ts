// Organisations: those that contribute to sessions, and those people belong to.
import { peopleOfOrganisation, sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const organisation = simpleResource('organisation', {
  name: { type: 'localized', max: 200, required: true },
  fullName: { type: 'localized', max: 300, nullable: true },
  description: { type: 'localized', max: 5000, nullable: true, multiline: true },
}, {
  inUse: (db, _event, row) => {
    const sessions = sessionsUsing(db, 'organisation', row.id);
    if (sessions.length > 0) return { reason: 'sessions', sessions };
    const people = peopleOfOrganisation(db, row.id);
    return people.length > 0 ? { reason: 'people', people } : null;
  },
});
