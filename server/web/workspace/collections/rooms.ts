// Rooms, in the order the programme lists them.
import { room } from '../../../domains/programme/resources/room.ts';
import { field } from '../../shared/forms/fields.ts';
import type { WorkspaceCollection } from '../collection.ts';
import { plain } from '../kit.ts';

export const rooms: WorkspaceCollection = {
  kind: 'room',
  fields: [
    field(room.fields, 'name', { label: 'field.name' }),
    field(room.fields, 'position', { label: 'admin.field.position', hint: 'admin.hint.position' }),
    field(room.fields, 'interpretation', { label: 'interpretation.field', hint: 'interpretation.hint.room' }),
  ],
  columns: ['field.name', 'admin.field.position', 'sessions.title'],
  rows: ({ presenter, locale }, programme, edit) => programme.rooms.map((r) => ({
    id: r.publicId,
    cells: [
      { text: presenter.text(r.name), href: edit(r.publicId), header: true }, { text: plain(String(r.position + 1), locale) },
      { text: plain(String(programme.sessions.filter((s) => s.room?.id === r.id).length), locale) },
    ],
  })),
};
