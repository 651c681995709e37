// People: speakers, moderators, presenters and rapporteurs, with their organisation.
import { person } from '../../../domains/programme/resources/person.ts';
import { field } from '../../shared/forms/fields.ts';
import type { WorkspaceCollection } from '../collection.ts';
import { plain, textOption } from '../kit.ts';

export const people: WorkspaceCollection = {
  kind: 'person',
  fields: [
    field(person.fields, 'name', { label: 'field.name' }),
    field(person.fields, 'organisation', { label: 'admin.field.organisation', options: 'organisations' }),
    field(person.fields, 'bio', { label: 'admin.field.bio' }),
  ],
  options: (scope, programme) => ({ organisations: programme.organisations.map((o) => textOption(scope, o.publicId, o.name)) }),
  columns: ['field.name', 'admin.field.organisation', 'sessions.title'],
  rows: ({ presenter, locale }, programme, edit) => programme.people.map((p) => {
    const organisation = programme.organisations.find((o) => o.id === p.organisationId);
    return {
      id: p.publicId,
      cells: [
        { text: plain(p.name, locale), href: edit(p.publicId), header: true }, { text: organisation ? presenter.orgName(organisation) : plain('—', locale) },
        { text: plain(String(programme.sessions.filter((s) => s.contributors.some((x) => x.person?.id === p.id)).length), locale) },
      ],
    };
  }),
};
