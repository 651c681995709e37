// Organisations: those that contribute to sessions, and those people belong to.
import { organisation } from '../../../domains/programme/resources/organisation.ts';
import { field } from '../../shared/forms/fields.ts';
import type { WorkspaceCollection } from '../collection.ts';
import { plain } from '../kit.ts';

export const organisations: WorkspaceCollection = {
  kind: 'organisation',
  fields: [
    field(organisation.fields, 'name', { label: 'admin.field.shortName' }),
    field(organisation.fields, 'fullName', { label: 'admin.field.fullName' }),
    field(organisation.fields, 'description', { label: 'admin.field.about' }),
  ],
  columns: ['admin.field.shortName', 'admin.field.fullName', 'sessions.title'],
  rows: ({ presenter, locale }, programme, edit) => programme.organisations.map((o) => ({
    id: o.publicId,
    cells: [
      { text: presenter.orgName(o), href: edit(o.publicId), header: true }, { text: presenter.text(o.fullName) ?? plain('—', locale) },
      { text: plain(String(programme.sessions.filter((s) => s.contributors.some((x) => x.organisation?.id === o.id)).length), locale) },
    ],
  })),
};
