// Parts of a programme ("Première partie…"): a label, a title, and the hours their sessions are expected in.
import { sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const part = simpleResource('part', {
  label: { type: 'localized', max: 200, required: true },
  title: { type: 'localized', max: 300, required: true },
  position: { type: 'position' },
  start: { type: 'time', column: 'startsAt', nullable: true },
  end: { type: 'time', column: 'endsAt', nullable: true },
}, {
  positioned: true,
  inUse: (db, _event, row) => {
    const sessions = sessionsUsing(db, 'part', row.id);
    return sessions.length > 0 ? { reason: 'sessions', sessions } : null;
  },
});
