// A plausible congress of any size, for benchmarks and load tests: a pure function of its
// options (slug, size, seed, dates), giving a programme in our JSON format. The same options give
// the same document, byte for byte: a seeded PRNG (never Math.random) and ids derived from the
// slug, the seed and each row's place. Every text is French first, usually with English and
// Spanish; some lack one or the other, so that the fallbacks are exercised. A few clashes are
// put in on purpose (a person in two parallel sessions, two sessions in one room at once), and
// nowhere else: the conflict checks should find exactly those.
import { v5 as uuidv5 } from 'uuid';
import type { ContributorRole, LocalizedText, SessionKind } from '../../db/schema.ts';
import { EVENT_FIRST_DATE, EVENT_LAST_DATE } from '../programme/bounds.ts';
import { SLUG_PATTERN } from '../programme/schemas.ts';
import { isValidTimeZone, localToInstant, toZonedIso } from '../../time.ts';
import { PROGRAMME_FORMAT, type ProgrammeDocumentValue } from './programme-json.ts';
import {
  type Tri, tri, join, capital, COLON, ACTIONS, TOPICS, ANGLES, PLACES, KIND_PREFIX, AGENDA_OPENING, AGENDA_MIDDLE, AGENDA_CLOSING, ABSTRACT_MORE, THEMES, OUTPUTS, ROOM_NAMES,
} from './generator-words.ts';
import { castOf } from './generator-cast.ts';
import { eventOf, regularSession, type DocSession } from './generator-sessions.ts';
import { Draw, mulberry32, Random } from './generator-random.ts';

export { mulberry32 };

export interface GenerateOptions {
  slug: string;
  sessions: number;
  days: number;
  rooms: number;
  seed: number;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** IANA time zone of the event. */
  timezone: string;
}

export const GENERATE_LIMITS = { sessions: [1, 10_000], days: [1, 14], rooms: [1, 200], seed: [0, 4_294_967_295] } as const;
export const GENERATE_DEFAULTS = { sessions: 2000, days: 5, rooms: 12, seed: 1, start: '2027-10-04', timezone: 'Africa/Johannesburg' } as const;

/** Options that cannot make a congress: told in one sentence naming the option. */
export class GenerateError extends Error {
  override name = 'GenerateError';
}

/** The options as typed on the command line, checked and bounded. */
export function parseGenerateOptions(raw: {
  slug?: string | undefined; sessions?: string | undefined; days?: string | undefined; rooms?: string | undefined;
  seed?: string | undefined; start?: string | undefined; timezone?: string | undefined;
}): GenerateOptions {
  if (raw.slug === undefined) throw new GenerateError('generate needs --slug, the address of the new event (e.g. --slug big-congress)');
  if (raw.slug.length > 60 || !new RegExp(SLUG_PATTERN).test(raw.slug)) {
    throw new GenerateError(`--slug must be lower-case letters and digits, words joined by dashes, at most 60 characters, not "${raw.slug}"`);
  }
  const whole = (name: keyof typeof GENERATE_LIMITS, value: string | undefined): number => {
    const [min, max] = GENERATE_LIMITS[name];
    if (value === undefined) return GENERATE_DEFAULTS[name];
    const n = value.length <= 12 && /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max)) throw new GenerateError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    return n;
  };
  const sessions = whole('sessions', raw.sessions);
  const days = whole('days', raw.days);
  const rooms = whole('rooms', raw.rooms);
  const seed = whole('seed', raw.seed);
  const start = raw.start ?? GENERATE_DEFAULTS.start;
  if (start.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(start) || addDays(start, 0) !== start) {
    throw new GenerateError(`--start must be a date as YYYY-MM-DD, not "${start}"`);
  }
  // The bounds every event is held to (bounds.ts); the import would refuse the congress otherwise.
  if (start < EVENT_FIRST_DATE || start > EVENT_LAST_DATE || addDays(start, days - 1) > EVENT_LAST_DATE) {
    throw new GenerateError(`a congress of ${count(days, 'day', 'days')} from ${start} would not lie between ${EVENT_FIRST_DATE} and ${EVENT_LAST_DATE}: choose another --start`);
  }
  const timezone = raw.timezone ?? GENERATE_DEFAULTS.timezone;
  if (timezone.length > 64 || !isValidTimeZone(timezone)) {
    throw new GenerateError(`--timezone must be an IANA time zone such as Africa/Johannesburg, not "${timezone}"`);
  }
  return { slug: raw.slug, sessions, days, rooms, seed, start, timezone };
}

/** What was generated besides the document, for the operator and the tests. */
export interface GeneratedFacts {
  sessions: number;
  cancelled: number;
  rooms: number;
  parts: number;
  slots: number;
  people: number;
  organisations: number;
  outputs: number;
  /** Minutes of each parallel time slot: shorter the more sessions must fit. */
  slotMinutes: number;
  /** The clashes put in on purpose. */
  conflicts: { people: number; rooms: number };
}

export interface GeneratedCongress {
  document: ProgrammeDocumentValue;
  facts: GeneratedFacts;
}

// ---- Randomness and ids


const NAMESPACE = '3b0c9f7e-2d4a-5e61-8f3b-6a1d2c4e5f70';

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d + days);
  return at.toISOString().split('T')[0]!;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const H = (h: number, m = 0) => h * 60 + m;

/**
 * A day: registration (first day) 08:00, opening plenary 08:30, parallel slots until lunch at
 * 13:00, parallel slots from 14:00, closing plenary at 19:00 (last day). Parts are the morning
 * (08:30–13:00) and the afternoon (14:00–19:30). A programme too small for plenaries and
 * lunches (fewer than four sessions for each of them) has parallel slots only.
 */
const MORNING = { start: H(8, 30), end: H(13) };
const AFTERNOON = { start: H(14), end: H(19, 30) };
/** The slot lengths tried, longest first: the longest that holds every session is kept. */
const SLOT_MINUTES = [90, 60, 45, 30, 20, 15, 10];

interface Layout {
  minutes: number;
  morningSlots: number;
  afternoonSlots: number;
  specials: boolean;
}

function layoutOf(options: GenerateOptions): Layout {
  const { sessions, days, rooms } = options;
  const specialCount = 2 * days + 2;
  const specials = sessions >= 4 * specialCount;
  const regular = sessions - (specials ? specialCount : 0);
  // With plenaries the morning's parallel slots start at 09:00 and the afternoon's end at 19:00.
  const morning = specials ? MORNING.end - H(9) : MORNING.end - MORNING.start;
  const afternoon = specials ? H(19) - AFTERNOON.start : AFTERNOON.end - AFTERNOON.start;
  let capacity = 0;
  for (const minutes of SLOT_MINUTES) {
    const morningSlots = Math.floor(morning / minutes);
    const afternoonSlots = Math.floor(afternoon / minutes);
    capacity = days * (morningSlots + afternoonSlots) * rooms;
    if (capacity >= regular) return { minutes, morningSlots, afternoonSlots, specials };
  }
  const most = capacity + (specials ? specialCount : 0);
  throw new GenerateError(`${sessions} sessions do not fit in ${days} day(s) with ${rooms} room(s): at most ${most} (${SLOT_MINUTES.at(-1)}-minute slots); give more --days or --rooms`);
}

// ---- The congress

interface SlotPlan {
  day: number;
  start: number;
  end: number;
  part: number | null;
  /** What the slot holds: parallel sessions (how many), or one special session. */
  content: { type: 'parallel'; count: number } | { type: 'registration' } | { type: 'opening' } | { type: 'lunch' } | { type: 'closing' };
}

/** The congress the options describe. Throws a GenerateError when they cannot make one. */
export function generateCongress(options: GenerateOptions): GeneratedCongress {
  const { slug, seed, days, rooms: roomCount, timezone: zone } = options;
  const random = new Random(seed);
  const id = (kind: string, index: number) => uuidv5(`${slug}/${seed}/${kind}/${index}`, NAMESPACE);
  const layout = layoutOf(options);
  const at = (day: number, minutes: number) => {
    const local = `${addDays(options.start, day)}T${clock(minutes)}`;
    try {
      return toZonedIso(localToInstant(local, zone), zone);
    } catch (error) {
      throw new GenerateError(`--start ${options.start} in ${zone}: ${(error as Error).message}`);
    }
  };

  // Rooms: the plenary hall first.
  const rooms = Array.from({ length: roomCount }, (_, i) => ({
    id: id('room', i),
    name: i === 0
      ? tri(['Salle plénière', 'Plenary hall', 'Sala plenaria'])
      : i <= ROOM_NAMES.length
        ? tri([`Salle ${ROOM_NAMES[i - 1]}`, `${ROOM_NAMES[i - 1]} Room`, `Sala ${ROOM_NAMES[i - 1]}`])
        : tri([`Salle ${i + 1}`, `Room ${i + 1}`, `Sala ${i + 1}`]),
  }));

  // Parts: morning and afternoon of each day, each with a theme.
  const themes = random.shuffled(THEMES);
  const parts = Array.from({ length: days * 2 }, (_, p) => {
    const day = Math.floor(p / 2);
    const hours = p % 2 === 0 ? MORNING : AFTERNOON;
    const when: Tri = p % 2 === 0 ? ['matin', 'morning', 'mañana'] : ['après-midi', 'afternoon', 'tarde'];
    return {
      id: id('part', p),
      label: tri([`Jour ${day + 1} – ${when[0]}`, `Day ${day + 1} – ${when[1]}`, `Día ${day + 1} – ${when[2]}`]),
      title: tri(themes[p % themes.length]!),
      theme: themes[p % themes.length]!,
      start: at(day, hours.start),
      end: at(day, hours.end),
    };
  });

  const outputs = OUTPUTS.map((o, i) => ({ id: id('output', i), statement: tri(o.text, { es: o.noSpanish ?? false }) }));

  const { organisations, people } = castOf(options.sessions, random, id);

  // Time slots, day by day, with what each holds.
  const plans: SlotPlan[] = [];
  const parallel: SlotPlan[] = [];
  for (let day = 0; day < days; day += 1) {
    const morning = day * 2;
    const afternoon = morning + 1;
    const add = (start: number, end: number, part: number | null, content: SlotPlan['content']) => {
      const plan = { day, start, end, part, content };
      plans.push(plan);
      if (content.type === 'parallel') parallel.push(plan);
    };
    if (layout.specials && day === 0) add(H(8), MORNING.start, null, { type: 'registration' });
    if (layout.specials) add(MORNING.start, H(9), morning, { type: 'opening' });
    const morningFrom = layout.specials ? H(9) : MORNING.start;
    for (let s = 0; s < layout.morningSlots; s += 1) {
      add(morningFrom + s * layout.minutes, morningFrom + (s + 1) * layout.minutes, morning, { type: 'parallel', count: 0 });
    }
    if (layout.specials) add(MORNING.end, AFTERNOON.start, null, { type: 'lunch' });
    for (let s = 0; s < layout.afternoonSlots; s += 1) {
      add(AFTERNOON.start + s * layout.minutes, AFTERNOON.start + (s + 1) * layout.minutes, afternoon, { type: 'parallel', count: 0 });
    }
    if (layout.specials && day === days - 1) add(H(19), AFTERNOON.end, afternoon, { type: 'closing' });
  }
  // The regular sessions, spread evenly over the parallel slots.
  const regular = options.sessions - (plans.length - parallel.length);
  parallel.forEach((plan, t) => {
    plan.content = { type: 'parallel', count: Math.ceil(((t + 1) * regular) / parallel.length) - Math.ceil((t * regular) / parallel.length) };
  });
  const used = plans.filter((p) => p.content.type !== 'parallel' || p.content.count > 0);
  const slots = used.map((plan, i) => ({ id: id('slot', i), start: at(plan.day, plan.start), end: at(plan.day, plan.end) }));

  // Sessions, slot by slot; nobody is drawn twice within a slot.
  const drawPeople = new Draw(people.length, random);
  const drawOrganisations = new Draw(organisations.length, random);
  const roomOrder = new Draw(roomCount, random);
  const person = () => {
    const i = drawPeople.next();
    return i === null ? null : people[i]!.id;
  };
  const sessions: DocSession[] = [];
  /** Sessions by slot, for the deliberate clashes. */
  const parallelGroups: DocSession[][] = [];
  const contributorsOf = (roles: [ContributorRole, number][], organisationsWanted: number) => {
    const list: DocSession['contributors'] = [];
    for (const [role, count] of roles) {
      for (let n = 0; n < count; n += 1) {
        const who = person();
        if (who !== null) list.push({ role, person: who });
      }
    }
    for (let n = 0; n < organisationsWanted; n += 1) {
      const i = drawOrganisations.next();
      if (i !== null) list.push({ role: 'presenter', organisation: organisations[i]!.id });
    }
    return list;
  };
  used.forEach((plan, s) => {
    drawPeople.newRound();
    drawOrganisations.newRound();
    roomOrder.newRound();
    const slot = slots[s]!.id;
    const part = plan.part === null ? null : parts[plan.part]!;
    const base = { slot, part: part?.id ?? null };
    const nextId = () => id('session', sessions.length);
    const content = plan.content;
    if (content.type === 'registration' || content.type === 'lunch') {
      const title: Tri = content.type === 'registration'
        ? ['Accueil et inscription des participants', 'Welcome and registration of participants', 'Acogida e inscripción de los participantes']
        : ['Déjeuner', 'Lunch', 'Almuerzo'];
      sessions.push({ ...base, id: nextId(), room: null, kind: content.type === 'lunch' ? 'break' : 'registration', status: 'confirmed', title: tri(title), contributors: [], outputs: [] });
      return;
    }
    if (content.type === 'opening' || content.type === 'closing') {
      const title: Tri = content.type === 'closing'
        ? ['Séance de clôture et déclaration finale', 'Closing session and final declaration', 'Sesión de clausura y declaración final']
        : plan.day === 0 ? ['Cérémonie d\'ouverture', 'Opening ceremony', 'Ceremonia de apertura'] : join([['Plénière', 'Plenary', 'Plenaria'], part!.theme], COLON);
      const contributors = contributorsOf([['moderator', 1], ['speaker', 3]], 0);
      contributors.push({ role: 'presenter', organisation: organisations[0]!.id });
      sessions.push({
        ...base, id: nextId(), room: rooms[0]!.id, kind: 'plenary', status: 'confirmed', title: tri(title),
        description: tri(['Allocutions des élus locaux et régionaux\nPrésentation du programme de la journée', 'Addresses by local and regional leaders\nPresentation of the day\'s programme', 'Discursos de los líderes locales y regionales\nPresentación del programa del día']),
        contributors, outputs: content.type === 'closing' ? outputs.map((o) => o.id) : [],
      });
      return;
    }
    const roomsUsed = Array.from({ length: content.count }, () => roomOrder.next()!).sort((a, b) => a - b);
    const group: DocSession[] = [];
    for (const room of roomsUsed) {
      const session = regularSession({ random, base, sessionId: nextId(), room: rooms[room]!.id, contributorsOf, outputs, link: `https://example.org/${slug}/documents/${sessions.length + 1}` });
      sessions.push(session);
      group.push(session);
    }
    parallelGroups.push(group);
  });

  // The deliberate clashes, in slots spread over the congress: a speaker of one session also
  // speaks in a parallel one, or a session is put in the room of a parallel one.
  const eligible = parallelGroups.filter((g) => g.length >= 2 && g[0]!.contributors.some((c) => c.person !== undefined));
  const clashes = Math.min(5, eligible.length);
  const involved = new Set<string>();
  const conflicts = { people: 0, rooms: 0 };
  for (let i = 0; i < clashes; i += 1) {
    const group = eligible[Math.floor(((i + 0.5) * eligible.length) / clashes)]!;
    const [a, b] = [group[0]!, group[1 + random.int(group.length - 1)]!];
    if (i % 2 === 0) {
      b.contributors.push({ role: 'speaker', person: a.contributors.find((c) => c.person !== undefined)!.person! });
      conflicts.people += 1;
    } else {
      a.room = b.room;
      conflicts.rooms += 1;
    }
    involved.add(a.id).add(b.id);
  }

  // About one session in fifty is cancelled; never one of the clashes, which would then hide.
  const cancellable = parallelGroups.flat().filter((s) => !involved.has(s.id));
  const cancelled = random.shuffled(cancellable).slice(0, Math.min(cancellable.length, Math.round(options.sessions / 50)));
  for (const session of cancelled) session.status = 'cancelled';

  const endDate = addDays(options.start, days - 1);
  const document: ProgrammeDocumentValue = {
    format: PROGRAMME_FORMAT,
    event: eventOf({ id: id('event', 0), slug, zone, start: options.start, endDate, sessions: options.sessions, days, rooms: roomCount, seed }),
    parts: parts.map(({ theme: _theme, ...p }) => p),
    rooms,
    outputs,
    organisations,
    people,
    slots,
    sessions: sessions as ProgrammeDocumentValue['sessions'],
  };
  return {
    document,
    facts: {
      sessions: sessions.length,
      cancelled: cancelled.length,
      rooms: rooms.length,
      parts: parts.length,
      slots: slots.length,
      people: people.length,
      organisations: organisations.length,
      outputs: outputs.length,
      slotMinutes: layout.minutes,
      conflicts,
    },
  };
}
