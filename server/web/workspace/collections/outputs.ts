// The forum's expected outputs ("Résultats"), numbered in their order.
import { output } from '../../../domains/programme/resources/output.ts';
import { translate } from '../../../i18n/index.ts';
import { field } from '../../shared/forms/fields.ts';
import type { WorkspaceCollection } from '../collection.ts';
import { plain } from '../kit.ts';

export const outputs: WorkspaceCollection = {
  kind: 'output',
  fields: [
    field(output.fields, 'statement', { label: 'admin.field.statement' }),
    field(output.fields, 'position', { label: 'admin.field.position', hint: 'admin.hint.outputPosition' }),
  ],
  columns: ['admin.output.number', 'admin.field.statement', 'sessions.title'],
  rows: ({ presenter, locale }, programme, edit) => programme.outputs.map((o) => ({
    id: o.publicId,
    cells: [
      { text: plain(translate(locale, 'outputs.number', { number: o.position + 1 }), locale), href: edit(o.publicId), header: true },
      { text: presenter.text(o.statement) }, { text: plain(String(programme.sessions.filter((s) => s.outputs.some((x) => x.id === o.id)).length), locale) },
    ],
  })),
};
