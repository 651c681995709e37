// Time slots: the spans of time sessions share.
import { sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const slot = simpleResource('slot', {
  start: { type: 'time', column: 'startsAt', required: true },
  end: { type: 'time', column: 'endsAt', required: true },
}, {
  inUse: (db, _event, row) => {
    const sessions = sessionsUsing(db, 'slot', row.id);
    return sessions.length > 0 ? { reason: 'sessions', sessions } : null;
  },
});
