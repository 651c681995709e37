// The days of a frab file, their rooms and the events listed in them: each event's identity,
// title and times, and the room it is listed under. What the events say beyond that is read
// by the sessions reader.
import { ImportError } from '../../programme/sync.ts';
import type { Conference } from './conference.ts';
import { UUID } from './ids.ts';
import { plural, someNames, tally } from './notes.ts';
import { joinLines, tidyText } from './text.ts';
import { dayTimes, TimeReader, type DayTimes } from './times.ts';
import { attribute, child, childrenNamed, hasContent, line, oneLine, type XmlElement } from './xml.ts';

// Elements read, or left out on purpose because they add nothing an operator would miss: the
// rest, when they hold something, are counted in the "ignored" note.
const EVENT_ELEMENTS = new Set([
  'date', 'start', 'end', 'duration', 'room', 'title', 'subtitle', 'abstract', 'description', 'track', 'type', 'language', 'persons', 'links', 'url',
  // Slugs are made from titles by the generator: ours are our own.
  'slug',
]);

export interface ReadEvent {
  element: XmlElement;
  /** The event's id attribute, or its position in the file when it has none. */
  ref: string;
  title: string;
  publicId: string;
  startsAt: Date;
  endsAt: Date;
  roomKey: string | null;
}

export interface ReadRoom {
  publicId: string;
  name: string;
}

export interface Days {
  /** Every event, in the order of the file. */
  events: ReadEvent[];
  /** The rooms that hold an event, by key (their guid, else their name), in order of appearance. */
  rooms: Map<string, ReadRoom>;
  /** What was assumed of identities, times and rooms, in the order an operator would check it. */
  notes: string[];
}

/** Reads schedule/day/room/event; what is not read is counted in `ignored`. A file without events is refused. */
export function readDays(root: XmlElement, conference: Pick<Conference, 'zone' | 'dayChange' | 'idOf'>, ignored: Map<string, number>): Days {
  const reader = new DaysReader(conference, ignored);
  for (const day of childrenNamed(root, 'day')) reader.day(day);
  if (reader.events.length === 0) throw new ImportError('the file has no events (schedule/day/room/event): there is nothing to import');
  return { events: reader.events, rooms: reader.rooms, notes: reader.notes() };
}

class DaysReader {
  readonly events: ReadEvent[] = [];
  readonly rooms = new Map<string, ReadRoom>();
  private readonly times: TimeReader;
  private readonly roomsSeen: string[] = []; // every room element's name, in order, to tell which ones hold nothing
  private readonly roomNameMismatch: string[] = [];
  private readonly guidOwner = new Map<string, string>();
  private withoutGuid = 0;
  private position = 0;

  constructor(private readonly conference: Pick<Conference, 'zone' | 'dayChange' | 'idOf'>, private readonly ignored: Map<string, number>) {
    this.times = new TimeReader(conference.zone, conference.dayChange);
  }

  day(day: XmlElement): void {
    const times = dayTimes(day);
    for (const e of day.children) if (e.name !== 'room' && hasContent(e)) tally(this.ignored, `day/${e.name}`);
    for (const roomElement of childrenNamed(day, 'room')) {
      const roomName = oneLine(roomElement.attributes.name ?? '');
      const roomGuid = attribute(roomElement, 'guid').toLowerCase();
      this.roomsSeen.push(roomName);
      for (const e of roomElement.children) if (e.name !== 'event' && hasContent(e)) tally(this.ignored, `room/${e.name}`);
      for (const element of childrenNamed(roomElement, 'event')) this.event(element, times, roomName, roomGuid);
    }
  }

  private event(element: XmlElement, day: DayTimes, roomName: string, roomGuid: string): void {
    this.position += 1;
    const idAttribute = attribute(element, 'id');
    const ref = idAttribute !== '' ? idAttribute : `#${this.position}`;
    const title = joinLines(tidyText(child(element, 'title')?.text ?? ''));
    if (title === '') throw new ImportError(`event ${idAttribute !== '' ? idAttribute : `number ${this.position} in the file`} has no title`);
    const where = `session "${title}" (event ${ref})`;

    for (const e of element.children) if (!EVENT_ELEMENTS.has(e.name) && hasContent(e)) tally(this.ignored, e.name);
    const publicId = this.identity(element, idAttribute, ref, where);
    const { startsAt, endsAt } = this.times.read(element, day, { where, title });
    const roomKey = this.room(line(element, 'room'), roomName, roomGuid, ref);
    this.events.push({ element, ref, title, publicId, startsAt, endsAt, roomKey });
  }

  /** Identity: the generator's guid, else one derived from the conference and the event id. */
  private identity(element: XmlElement, idAttribute: string, ref: string, where: string): string {
    const guid = attribute(element, 'guid').toLowerCase();
    let publicId: string;
    if (UUID.test(guid)) {
      publicId = guid;
    } else {
      if (idAttribute === '') throw new ImportError(`${where} has neither a guid nor an id, so it cannot keep its identity from one import to the next`);
      this.withoutGuid += 1;
      publicId = this.conference.idOf('event', idAttribute);
    }
    const owner = this.guidOwner.get(publicId);
    if (owner !== undefined) {
      throw new ImportError(UUID.test(guid)
        ? `events ${owner} and ${ref} have the same guid ${guid}; each event needs its own`
        : `two events have the id ${idAttribute} and no guid, so they cannot be told apart`);
    }
    this.guidOwner.set(publicId, ref);
    return publicId;
  }

  /** Room: the room element it is listed under (its <room> names it again). */
  private room(eventRoom: string, roomName: string, roomGuid: string, ref: string): string | null {
    const name = roomName !== '' ? roomName : eventRoom;
    if (roomName !== '' && eventRoom !== '' && eventRoom !== roomName) this.roomNameMismatch.push(ref);
    if (name === '') return null;
    const roomKey = UUID.test(roomGuid) ? roomGuid : `name:${name}`;
    if (!this.rooms.has(roomKey)) this.rooms.set(roomKey, { publicId: UUID.test(roomGuid) ? roomGuid : this.conference.idOf('room', name), name });
    return roomKey;
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.withoutGuid > 0) notes.push(`${plural(this.withoutGuid, 'event has', 'events have')} no guid; ids derived from the conference and the event id.`);
    notes.push(...this.times.notes());
    const mismatch = this.roomNameMismatch;
    if (mismatch.length > 0) notes.push(`${plural(mismatch.length, 'event names', 'events name')} another room in its <room> than the room it is listed under; the room it is listed under was kept (events ${someNames(mismatch)}).`);
    const usedRoomNames = new Set([...this.rooms.values()].map((r) => r.name));
    const emptyRooms = [...new Set(this.roomsSeen.filter((n) => n !== '' && !usedRoomNames.has(n)))];
    if (emptyRooms.length > 0) notes.push(`${plural(emptyRooms.length, 'room has', 'rooms have')} no session and ${emptyRooms.length === 1 ? 'was' : 'were'} not imported: ${someNames(emptyRooms)}.`);
    return notes;
  }
}
