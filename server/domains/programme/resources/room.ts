// Rooms of an event, in the order the programme lists them.
import { sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const room = simpleResource('room', {
  name: { type: 'localized', max: 200, required: true },
  position: { type: 'position' },
}, {
  positioned: true,
  inUse: (db, _event, row) => {
    const sessions = sessionsUsing(db, 'room', row.id);
    return sessions.length > 0 ? { reason: 'sessions', sessions } : null;
  },
});
