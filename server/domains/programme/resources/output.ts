// The forum's expected outputs ("Résultats"): what sessions serve and recommendations are tied to.
import { sessionsTyingOutput, sessionsUsing } from '../items.ts';
import { simpleResource } from './resource.ts';

export const output = simpleResource('output', {
  statement: { type: 'localized', max: 1000, required: true, multiline: true },
  position: { type: 'position' },
}, {
  positioned: true,
  inUse: (db, event, row) => {
    const sessions = sessionsUsing(db, 'output', row.id);
    if (sessions.length > 0) return { reason: 'sessions', sessions };
    // Rapporteurs' recommendations name outputs by id: deleting one would cut those ties unseen.
    const tying = sessionsTyingOutput(db, event.id, row.publicId);
    return tying.length > 0 ? { reason: 'recommendations', sessions: tying } : null;
  },
});
