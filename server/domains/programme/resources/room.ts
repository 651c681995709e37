// Rooms of an event, in the order the programme lists them, with the interpretation their
// sessions inherit.
import { sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const room = simpleResource('room', {
  name: { type: 'localized', max: 200, required: true },
  position: { type: 'position' },
  interpretation: {
    type: 'interpretation', nullable: true, emptyIsNull: true,
    description: 'The languages the room\'s booths interpret into, each with the receivers\' channel if any, which its sessions have unless they name their own; null or an empty list: none',
  },
}, {
  positioned: true,
  inUse: (db, _event, row) => {
    const sessions = sessionsUsing(db, 'room', row.id);
    return sessions.length > 0 ? { reason: 'sessions', sessions } : null;
  },
});
