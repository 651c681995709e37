// Conflicts in the reader's language, for the programme editor and the session form: the
// domain reports them as data (domains/programme/conflicts.ts); the words are the workspace's.
import type { Conflict } from '../../domains/programme/conflicts.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { translate } from '../../i18n/index.ts';
import { slotLabel, type Scope } from './kit.ts';

function conflictMessage(scope: Scope, programme: Programme, c: Conflict): string {
  const { presenter, locale } = scope;
  const title = (i: number) => presenter.text(c.sessions[i]?.title)?.text ?? '';
  switch (c.type) {
    case 'contributor-double-booked': {
      const organisation = c.contributor!.kind === 'organisation' ? programme.organisations.find((o) => o.publicId === c.contributor!.id) : undefined;
      const name = organisation ? presenter.orgName(organisation).text : c.contributor!.name;
      return translate(locale, 'admin.conflict.contributor', { name, first: title(0), second: title(1) });
    }
    case 'room-double-booked':
      return translate(locale, 'admin.conflict.room', { room: presenter.text(c.room!.name)?.text ?? '', first: title(0), second: title(1) });
    case 'slot-outside-event': {
      const slot = programme.slots.find((s) => s.publicId === c.slot!.id);
      return translate(locale, 'admin.conflict.slot', { slot: slot ? slotLabel(slot, scope) : c.slot!.start, dates: presenter.eventSummary().dates });
    }
    case 'session-outside-part':
      return translate(locale, 'admin.conflict.part', { session: title(0), part: presenter.text(c.part!.label)?.text ?? '' });
  }
}

/** Each conflict with its message and links, and the conflicts of each session, to mark them in place. */
export function conflictViews(scope: Scope, programme: Programme, conflicts: Conflict[]) {
  const bySession = new Map<string, { id: string; message: string }[]>();
  const list = conflicts.map((c, n) => {
    const id = `conflict-${n + 1}`;
    const message = conflictMessage(scope, programme, c);
    for (const s of c.sessions) {
      const notes = bySession.get(s.id) ?? [];
      notes.push({ id: `${id}-${s.id}`, message });
      bySession.set(s.id, notes);
    }
    return {
      id,
      message,
      sessions: c.sessions.map((s) => ({ href: `#session-${s.id}`, title: scope.presenter.text(s.title) })),
      slotUrl: c.type === 'slot-outside-event' ? `${scope.base}/slots/${c.slot!.id}` : null,
    };
  });
  return { list, bySession };
}
