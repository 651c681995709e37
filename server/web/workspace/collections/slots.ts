// Time slots: the spans of time sessions share.
import { slot } from '../../../domains/programme/resources/slot.ts';
import { toZonedIso } from '../../../time.ts';
import { field } from '../../shared/forms/fields.ts';
import type { WorkspaceCollection } from '../collection.ts';
import { plain, slotLabel } from '../kit.ts';

export const slots: WorkspaceCollection = {
  kind: 'slot',
  fields: [field(slot.fields, 'start', { label: 'field.start' }), field(slot.fields, 'end', { label: 'field.end' })],
  columns: ['admin.field.slot', 'sessions.title'],
  rows: (scope, programme, edit) => programme.slots.map((s) => ({
    id: s.publicId,
    cells: [
      { text: plain(slotLabel(s, scope), scope.locale), href: edit(s.publicId), header: true, datetime: toZonedIso(s.startsAt, scope.event.timezone) },
      { text: plain(String(programme.sessions.filter((x) => x.slot?.id === s.id).length), scope.locale) },
    ],
  })),
};
