// The persons of a frab file's events: one person per identity (guid, else id, else name),
// in order of appearance. Two persons may share a name; one person keeps the first name seen.
import type { ProgrammeImport } from '../../programme/sync.ts';
import { UUID, type IdOf } from './ids.ts';
import { plural, someNames } from './notes.ts';
import { attribute, oneLine, type XmlElement } from './xml.ts';

export class PersonReader {
  private readonly peopleByKey = new Map<string, { publicId: string; name: string }>();
  private readonly keysByName = new Map<string, Set<string>>();
  private renamed = 0;
  private nameless = 0;

  constructor(private readonly idOf: IdOf) {}

  /** The public id of the person an event's <person> names; null (and counted) when it names nobody. */
  personOf(element: XmlElement): string | null {
    const name = oneLine(element.text);
    const guid = attribute(element, 'guid').toLowerCase();
    const id = attribute(element, 'id');
    if (name === '' && !UUID.test(guid) && id === '') { this.nameless += 1; return null; }
    const personKey = UUID.test(guid) ? guid : id !== '' ? `id:${id}` : `name:${name}`;
    let person = this.peopleByKey.get(personKey);
    if (!person) {
      if (name === '') { this.nameless += 1; return null; }
      person = { publicId: UUID.test(guid) ? guid : id !== '' ? this.idOf('person', id) : this.idOf('person-name', name), name };
      this.peopleByKey.set(personKey, person);
      const keys = this.keysByName.get(name) ?? new Set<string>();
      keys.add(personKey);
      this.keysByName.set(name, keys);
    } else if (name !== '' && name !== person.name) {
      this.renamed += 1;
    }
    return person.publicId;
  }

  /** Everyone read so far, in order of appearance. */
  people(): ProgrammeImport['people'] {
    return [...this.peopleByKey.values()].map((p) => ({ publicId: p.publicId, name: p.name, organisation: null, bio: null }));
  }

  notes(): string[] {
    const notes: string[] = [];
    const sharedNames = [...this.keysByName].filter(([, keys]) => keys.size > 1).map(([name]) => name);
    if (sharedNames.length > 0) notes.push(`${plural(sharedNames.length, 'name is', 'names are')} shared by different persons; kept apart: ${someNames(sharedNames)}.`);
    if (this.renamed > 0) notes.push(`${plural(this.renamed, 'person appears', 'persons appear')} under another name in a later event; the first name was kept.`);
    if (this.nameless > 0) notes.push(`${plural(this.nameless, 'person has', 'persons have')} no name and ${this.nameless === 1 ? 'was' : 'were'} left out.`);
    return notes;
  }
}
