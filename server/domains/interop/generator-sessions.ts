// The sessions and the event of the generated congress (generator.ts), drawn from its words.
import type { ContributorRole, LocalizedText, SessionKind } from '../../db/schema.ts';
import {
  ABSTRACT_MORE, ACTIONS, AGENDA_CLOSING, AGENDA_MIDDLE, AGENDA_OPENING, ANGLES, capital, COLON, join, KIND_PREFIX, PLACES, TOPICS, tri, type Tri,
} from './generator-words.ts';
import type { Random } from './generator-random.ts';
import type { ProgrammeDocumentValue } from './programme-json.ts';

export type DocSession = {
  id: string; slot: string | null; part: string | null; room: string | null;
  kind: SessionKind; status: 'confirmed' | 'cancelled'; title: LocalizedText;
  abstract?: LocalizedText; description?: LocalizedText; language?: string; links?: { url: string; title: string }[];
  contributors: { role: ContributorRole; person?: string; organisation?: string }[];
  outputs: string[];
};

export interface RegularSession {
  random: Random;
  base: { slot: string; part: string | null };
  sessionId: string;
  room: string;
  contributorsOf: (roles: [ContributorRole, number][], organisationsWanted: number) => DocSession['contributors'];
  outputs: { id: string }[];
  /** Where its concept note would be, if it has one. */
  link: string;
}

/** One session of a parallel slot: its kind, title, agenda, contributors and outputs, drawn in this order. */
export function regularSession({ random, base, sessionId, room, contributorsOf, outputs, link }: RegularSession): DocSession {
  const kind: SessionKind = random.pick(['session', 'session', 'workshop', 'panel'] as const);
  const topic = random.pick(TOPICS);
  const shape = random.int(10);
  let title: Tri = shape < 4
    ? join([random.pick(ACTIONS), topic])
    : shape < 7 ? join([capital(topic), random.pick(ANGLES)], COLON) : join([random.pick(ACTIONS), topic, random.pick(PLACES)]);
  const prefix = KIND_PREFIX[kind];
  // "Atelier : …" only before a title without a colon of its own.
  if (prefix && (shape < 4 || shape >= 7) && random.chance(0.5)) title = join([prefix, title], COLON);
  const middle = random.shuffled(AGENDA_MIDDLE).slice(0, random.between(1, 3));
  const agenda = join([AGENDA_OPENING, ...middle, random.pick(AGENDA_CLOSING)], ['\n', '\n', '\n']);
  const session: DocSession = {
    ...base,
    id: sessionId,
    room,
    kind,
    status: 'confirmed',
    title: tri(title, { en: random.chance(0.04), es: random.chance(0.08) }),
    description: tri(agenda, { en: random.chance(0.08), es: random.chance(0.15) }),
    contributors: kind === 'workshop'
      ? contributorsOf([['presenter', random.between(1, 2)], ['rapporteur', random.chance(0.4) ? 1 : 0]], random.chance(0.5) ? 1 : 0)
      : kind === 'panel'
        ? contributorsOf([['moderator', 1], ['speaker', random.between(3, 5)], ['rapporteur', random.chance(0.3) ? 1 : 0]], random.chance(0.7) ? 1 : 0)
        : contributorsOf([['moderator', random.chance(0.7) ? 1 : 0], ['speaker', random.between(2, 4)], ['rapporteur', random.chance(0.2) ? 1 : 0]], random.chance(0.6) ? 1 : 0),
    outputs: [],
  };
  if (random.chance(0.5)) {
    const text = join([[`Cette session porte sur ${topic[0]}.`, `This session looks at ${topic[1]}.`, `Esta sesión aborda ${topic[2]}.`], random.pick(ABSTRACT_MORE)]);
    session.abstract = tri(text, { en: random.chance(0.15), es: random.chance(0.3) });
  }
  const spoken = random.int(20);
  if (spoken < 2) session.language = 'en';
  else if (spoken < 3) session.language = 'es';
  if (random.chance(0.05)) session.links = [{ url: link, title: 'Note conceptuelle' }];
  const served = random.chance(0.4) ? 0 : random.chance(0.75) ? 1 : 2;
  session.outputs = random.shuffled(outputs.map((_, i) => i)).slice(0, served).sort((a, b) => a - b).map((i) => outputs[i]!.id);
  return session;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The congress itself: its title, dates, description of its size, venue. */
export function eventOf(facts: { id: string; slug: string; zone: string; start: string; endDate: string; sessions: number; days: number; rooms: number; seed: number }): ProgrammeDocumentValue['event'] {
  return {
  id: facts.id,
  slug: facts.slug,
  timezone: facts.zone,
  defaultLanguage: 'fr',
  languages: ['fr', 'en', 'es'],
  startDate: facts.start,
  endDate: facts.endDate,
  title: tri(['Congrès mondial des gouvernements locaux et régionaux', 'World Congress of Local and Regional Governments', 'Congreso Mundial de Gobiernos Locales y Regionales']),
  subtitle: tri(['Programme fictif, généré', 'A made-up, generated programme', 'Programa ficticio, generado']),
  description: tri([
    `Un programme inventé pour les essais de charge\u00a0: ${count(facts.sessions, 'session', 'sessions')} sur ${count(facts.days, 'jour', 'jours')} dans ${count(facts.rooms, 'salle', 'salles')} (graine ${facts.seed}).\n\nLes personnes, les organisations et les textes sont imaginaires.`,
    `A programme made up for load tests: ${count(facts.sessions, 'session', 'sessions')} over ${count(facts.days, 'day', 'days')} in ${count(facts.rooms, 'room', 'rooms')} (seed ${facts.seed}).\n\nThe people, organisations and texts are imaginary.`,
    `Un programa inventado para pruebas de carga: ${count(facts.sessions, 'sesión', 'sesiones')} en ${count(facts.days, 'día', 'días')} en ${count(facts.rooms, 'sala', 'salas')} (semilla ${facts.seed}).\n\nLas personas, las organizaciones y los textos son imaginarios.`,
  ]),
  venue: tri(['Centre international des congrès', 'International Convention Centre', 'Centro Internacional de Convenciones']),
};
}
