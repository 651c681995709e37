// A plausible congress of any size, for benchmarks and load tests: a pure function of its
// options (slug, size, seed, dates), giving a programme in our JSON format. The same options give
// the same document, byte for byte: a seeded PRNG (never Math.random) and ids derived from the
// slug, the seed and each row's place. Every text is French first, usually with English and
// Spanish; some lack one or the other, so that the fallbacks are exercised. A few clashes are
// put in on purpose (a person in two parallel sessions, two sessions in one room at once), and
// nowhere else: the conflict checks should find exactly those.
import { v5 as uuidv5 } from 'uuid';
import type { ContributorRole, LocalizedText, SessionKind } from '../../db/schema.ts';
import { SLUG_PATTERN } from '../programme/schemas.ts';
import { isValidTimeZone, localToInstant, toZonedIso } from '../../time.ts';
import { PROGRAMME_FORMAT, type ProgrammeDocumentValue } from './programme-json.ts';

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
  if (addDays(start, days - 1).length !== 10) {
    throw new GenerateError(`a congress of ${days} days from ${start} would end after 9999-12-31: choose an earlier --start`);
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

/** mulberry32: a small, fast, seeded PRNG with a 32-bit state; good enough for made-up programmes. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** 0 ≤ n < below. */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  /** from ≤ n ≤ to. */
  between(from: number, to: number): number {
    return from + this.int(to - from + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  shuffled<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/**
 * Draws without repeating within a round (a time slot): a partial Fisher–Yates shuffle over a
 * pool kept between rounds, so a draw costs O(1) and nobody is in two parallel sessions by chance.
 */
class Draw {
  private readonly pool: number[];
  private taken = 0;
  constructor(size: number, private readonly random: Random) {
    this.pool = Array.from({ length: size }, (_, i) => i);
  }
  newRound(): void {
    this.taken = 0;
  }
  /** The next one not yet drawn this round, or null when everyone has been. */
  next(): number | null {
    if (this.taken >= this.pool.length) return null;
    const j = this.taken + this.random.int(this.pool.length - this.taken);
    [this.pool[this.taken], this.pool[j]] = [this.pool[j]!, this.pool[this.taken]!];
    return this.pool[this.taken++]!;
  }
}

const NAMESPACE = '3b0c9f7e-2d4a-5e61-8f3b-6a1d2c4e5f70';

// ---- Words, French first

type Tri = readonly [fr: string, en: string, es: string];
const tri = ({ 0: fr, 1: en, 2: es }: Tri, drop: { en?: boolean; es?: boolean } = {}): LocalizedText => ({
  fr, ...(drop.en ? {} : { en }), ...(drop.es ? {} : { es }),
});
const join = (parts: Tri[], separators: Tri = [' ', ' ', ' ']): Tri =>
  [0, 1, 2].map((l) => parts.map((p) => p[l]).join(separators[l]!)) as unknown as Tri;
const capital = (text: Tri): Tri => text.map((t) => t.charAt(0).toUpperCase() + t.slice(1)) as unknown as Tri;
/** French puts a no-break space before a colon or a question mark. */
const COLON: Tri = ['\u00a0: ', ': ', ': '];

const ACTIONS: Tri[] = [
  ['Repenser', 'Rethinking', 'Repensar'], ['Renforcer', 'Strengthening', 'Fortalecer'], ['Financer', 'Financing', 'Financiar'],
  ['Mesurer', 'Measuring', 'Medir'], ['Co-construire', 'Co-creating', 'Co-construir'], ['Transformer', 'Transforming', 'Transformar'],
  ['Planifier', 'Planning', 'Planificar'], ['Évaluer', 'Assessing', 'Evaluar'], ['Accélérer', 'Accelerating', 'Acelerar'],
  ['Réinventer', 'Reinventing', 'Reinventar'], ['Localiser', 'Localising', 'Localizar'], ['Protéger', 'Protecting', 'Proteger'],
];

const TOPICS: Tri[] = [
  ['la gouvernance locale', 'local governance', 'la gobernanza local'],
  ['la résilience climatique des territoires', 'the climate resilience of territories', 'la resiliencia climática de los territorios'],
  ['l\'apprentissage entre pairs', 'peer learning', 'el aprendizaje entre pares'],
  ['les services publics locaux', 'local public services', 'los servicios públicos locales'],
  ['la transition énergétique des villes', 'the energy transition of cities', 'la transición energética de las ciudades'],
  ['le droit au logement', 'the right to housing', 'el derecho a la vivienda'],
  ['la mobilité urbaine durable', 'sustainable urban mobility', 'la movilidad urbana sostenible'],
  ['la coopération décentralisée', 'decentralised cooperation', 'la cooperación descentralizada'],
  ['la localisation des ODD', 'the localisation of the SDGs', 'la localización de los ODS'],
  ['la participation citoyenne', 'citizen participation', 'la participación ciudadana'],
  ['l\'égalité femmes-hommes dans les collectivités', 'gender equality in local government', 'la igualdad de género en los gobiernos locales'],
  ['la culture comme pilier du développement durable', 'culture as a pillar of sustainable development', 'la cultura como pilar del desarrollo sostenible'],
  ['les villes intermédiaires', 'intermediary cities', 'las ciudades intermedias'],
  ['la planification urbaine', 'urban planning', 'la planificación urbana'],
  ['le financement local', 'local finance', 'la financiación local'],
  ['la fiscalité locale', 'local taxation', 'la fiscalidad local'],
  ['l\'économie sociale et solidaire', 'the social and solidarity economy', 'la economía social y solidaria'],
  ['les espaces publics', 'public spaces', 'los espacios públicos'],
  ['la sécurité alimentaire', 'food security', 'la seguridad alimentaria'],
  ['la gestion des déchets', 'waste management', 'la gestión de residuos'],
  ['l\'accès à l\'eau et à l\'assainissement', 'access to water and sanitation', 'el acceso al agua y al saneamiento'],
  ['la diplomatie des villes', 'city diplomacy', 'la diplomacia de las ciudades'],
  ['les migrations et l\'hospitalité', 'migration and hospitality', 'las migraciones y la hospitalidad'],
  ['la prévention des risques de catastrophe', 'disaster risk reduction', 'la reducción del riesgo de desastres'],
  ['la santé dans la ville', 'health in the city', 'la salud en la ciudad'],
  ['les données ouvertes et le numérique', 'open data and digital services', 'los datos abiertos y lo digital'],
  ['la décentralisation', 'decentralisation', 'la descentralización'],
  ['les quartiers informels', 'informal settlements', 'los asentamientos informales'],
  ['l\'adaptation au changement climatique', 'climate change adaptation', 'la adaptación al cambio climático'],
  ['les territoires ruraux et périurbains', 'rural and peri-urban territories', 'los territorios rurales y periurbanos'],
  ['la jeunesse et l\'emploi local', 'youth and local employment', 'la juventud y el empleo local'],
  ['la mémoire et le patrimoine urbain', 'memory and urban heritage', 'la memoria y el patrimonio urbano'],
  ['les biens communs urbains', 'the urban commons', 'los bienes comunes urbanos'],
  ['la formation des élus locaux', 'training for local elected officials', 'la formación de los cargos electos locales'],
  ['les associations de gouvernements locaux', 'local government associations', 'las asociaciones de gobiernos locales'],
  ['l\'agenda urbain mondial', 'the global urban agenda', 'la agenda urbana mundial'],
  ['la paix et la cohésion sociale', 'peace and social cohesion', 'la paz y la cohesión social'],
  ['l\'accessibilité universelle', 'universal accessibility', 'la accesibilidad universal'],
];

const ANGLES: Tri[] = [
  ['regards croisés', 'perspectives', 'miradas cruzadas'],
  ['leçons des villes intermédiaires', 'lessons from intermediary cities', 'lecciones de las ciudades intermedias'],
  ['de la stratégie à l\'action', 'from strategy to action', 'de la estrategia a la acción'],
  ['quel rôle pour les gouvernements locaux\u00a0?', 'what role for local governments?', '¿qué papel para los gobiernos locales?'],
  ['outils et méthodes', 'tools and methods', 'herramientas y métodos'],
  ['un dialogue entre pairs', 'a peer dialogue', 'un diálogo entre pares'],
  ['bilan et perspectives', 'taking stock and looking ahead', 'balance y perspectivas'],
  ['expériences du terrain', 'experiences from the field', 'experiencias sobre el terreno'],
  ['innovations et bonnes pratiques', 'innovations and good practices', 'innovaciones y buenas prácticas'],
  ['vers un nouvel agenda', 'towards a new agenda', 'hacia una nueva agenda'],
  ['le rôle des élus locaux', 'the role of local leaders', 'el papel de los líderes locales'],
  ['indicateurs et suivi', 'indicators and monitoring', 'indicadores y seguimiento'],
  ['partenariats multi-acteurs', 'multi-stakeholder partnerships', 'alianzas multiactor'],
  ['l\'apport des réseaux de villes', 'what city networks bring', 'la aportación de las redes de ciudades'],
  ['défis et opportunités', 'challenges and opportunities', 'desafíos y oportunidades'],
];

const PLACES: Tri[] = [
  ['en Afrique', 'in Africa', 'en África'], ['en Afrique australe', 'in Southern Africa', 'en África austral'],
  ['en Amérique latine', 'in Latin America', 'en América Latina'], ['en Asie-Pacifique', 'in Asia-Pacific', 'en Asia-Pacífico'],
  ['en Méditerranée', 'in the Mediterranean', 'en el Mediterráneo'], ['en Eurasie', 'in Eurasia', 'en Eurasia'],
  ['au Moyen-Orient', 'in the Middle East', 'en Oriente Medio'], ['en Europe', 'in Europe', 'en Europa'],
  ['en Amérique du Nord', 'in North America', 'en América del Norte'], ['au Sahel', 'in the Sahel', 'en el Sahel'],
  ['dans les petits États insulaires', 'in small island states', 'en los pequeños Estados insulares'],
  ['dans les métropoles', 'in metropolitan areas', 'en las metrópolis'],
];

const KIND_PREFIX: Partial<Record<SessionKind, Tri>> = {
  workshop: ['Atelier', 'Workshop', 'Taller'],
  panel: ['Table ronde', 'Round table', 'Mesa redonda'],
};

const AGENDA_OPENING: Tri = ['Mot de bienvenue et objectifs de la session', 'Welcome and aims of the session', 'Bienvenida y objetivos de la sesión'];
const AGENDA_MIDDLE: Tri[] = [
  ['Présentation d\'études de cas', 'Presentation of case studies', 'Presentación de estudios de caso'],
  ['Tour de table des expériences locales', 'Round of local experiences', 'Ronda de experiencias locales'],
  ['Échange avec la salle', 'Discussion with the audience', 'Intercambio con el público'],
  ['Travail en petits groupes', 'Work in small groups', 'Trabajo en grupos pequeños'],
  ['Restitution des groupes de travail', 'Report-back from the working groups', 'Devolución de los grupos de trabajo'],
  ['Lancement d\'une publication', 'Launch of a publication', 'Presentación de una publicación'],
  ['Témoignages d\'élus locaux', 'Testimonies from local leaders', 'Testimonios de líderes locales'],
  ['Démonstration d\'outils numériques', 'Demonstration of digital tools', 'Demostración de herramientas digitales'],
  ['Présentation des résultats d\'une enquête', 'Presentation of survey results', 'Presentación de los resultados de una encuesta'],
];
const AGENDA_CLOSING: Tri[] = [
  ['Synthèse et prochaines étapes', 'Summary and next steps', 'Síntesis y próximos pasos'],
  ['Questions-réponses', 'Questions and answers', 'Preguntas y respuestas'],
];
const ABSTRACT_MORE: Tri[] = [
  ['Les participants partageront des expériences concrètes et des outils transférables.', 'Participants will share concrete experiences and transferable tools.', 'Los participantes compartirán experiencias concretas y herramientas transferibles.'],
  ['Elle s\'appuie sur les travaux du réseau depuis le dernier congrès.', 'It builds on the network\'s work since the last congress.', 'Se basa en el trabajo de la red desde el último congreso.'],
  ['Les conclusions alimenteront les recommandations du congrès.', 'Its conclusions will feed into the congress recommendations.', 'Sus conclusiones alimentarán las recomendaciones del congreso.'],
  ['Une attention particulière sera portée aux villes intermédiaires et aux territoires ruraux.', 'Particular attention will be paid to intermediary cities and rural territories.', 'Se prestará especial atención a las ciudades intermedias y a los territorios rurales.'],
  ['Le débat croisera les points de vue d\'élus, de techniciens et de la société civile.', 'The debate will bring together the views of elected officials, practitioners and civil society.', 'El debate cruzará los puntos de vista de cargos electos, técnicos y sociedad civil.'],
];

const THEMES: Tri[] = [
  ['Des villes pour le climat', 'Cities for the climate', 'Ciudades por el clima'],
  ['Gouverner ensemble les territoires', 'Governing territories together', 'Gobernar juntos los territorios'],
  ['Apprendre entre pairs', 'Learning among peers', 'Aprender entre pares'],
  ['Le droit à la ville', 'The right to the city', 'El derecho a la ciudad'],
  ['Financer le développement local', 'Financing local development', 'Financiar el desarrollo local'],
  ['Culture, patrimoine et identité', 'Culture, heritage and identity', 'Cultura, patrimonio e identidad'],
  ['Services publics et biens communs', 'Public services and the commons', 'Servicios públicos y bienes comunes'],
  ['Égalité et inclusion', 'Equality and inclusion', 'Igualdad e inclusión'],
  ['Territoires résilients', 'Resilient territories', 'Territorios resilientes'],
  ['La diplomatie des villes et la paix', 'City diplomacy and peace', 'La diplomacia de las ciudades y la paz'],
  ['Localiser les agendas mondiaux', 'Localising the global agendas', 'Localizar las agendas globales'],
  ['L\'avenir du municipalisme', 'The future of municipalism', 'El futuro del municipalismo'],
];

const OUTPUTS: { text: Tri; noSpanish?: boolean }[] = [
  { text: ['Une déclaration politique des gouvernements locaux et régionaux sur le climat', 'A political declaration of local and regional governments on climate', 'Una declaración política de los gobiernos locales y regionales sobre el clima'] },
  { text: ['Des recommandations pour la localisation des ODD', 'Recommendations for localising the SDGs', 'Recomendaciones para la localización de los ODS'] },
  { text: ['Une feuille de route pour l\'apprentissage entre pairs', 'A roadmap for peer learning', 'Una hoja de ruta para el aprendizaje entre pares'] },
  { text: ['Un recueil de pratiques inspirantes des villes intermédiaires', 'A collection of inspiring practices from intermediary cities', 'Una recopilación de prácticas inspiradoras de las ciudades intermedias'] },
  { text: ['Des engagements pour le financement des services publics locaux', 'Commitments on financing local public services', 'Compromisos para la financiación de los servicios públicos locales'], noSpanish: true },
  { text: ['Un plan d\'action pour l\'égalité dans les collectivités', 'An action plan for equality in local government', 'Un plan de acción para la igualdad en los gobiernos locales'] },
];

const ROOM_NAMES = ['Baobab', 'Jacaranda', 'Protea', 'Ubuntu', 'Umoja', 'Sankofa', 'Acacia', 'Marula', 'Kilimandjaro', 'Okavango', 'Zambèze', 'Limpopo', 'Drakensberg', 'Namib', 'Kalahari', 'Tugela'];

/** Networks every congress has; then local bodies named after cities. */
const NETWORKS: { name: Tri; fullName?: Tri }[] = [
  { name: ['CGLU', 'UCLG', 'CGLU'], fullName: ['Cités et Gouvernements Locaux Unis', 'United Cities and Local Governments', 'Ciudades y Gobiernos Locales Unidos'] },
  { name: ['CGLU Afrique', 'UCLG Africa', 'CGLU África'], fullName: ['Cités et Gouvernements Locaux Unis d\'Afrique', 'United Cities and Local Governments of Africa', 'Ciudades y Gobiernos Locales Unidos de África'] },
  { name: ['CGLU ASPAC', 'UCLG ASPAC', 'CGLU ASPAC'], fullName: ['CGLU Asie-Pacifique', 'United Cities and Local Governments Asia-Pacific', 'CGLU Asia-Pacífico'] },
  { name: ['Metropolis', 'Metropolis', 'Metropolis'], fullName: ['Association mondiale des grandes métropoles', 'World Association of the Major Metropolises', 'Asociación Mundial de las Grandes Metrópolis'] },
  { name: ['ICLEI', 'ICLEI', 'ICLEI'], fullName: ['ICLEI – Gouvernements locaux pour le développement durable', 'ICLEI – Local Governments for Sustainability', 'ICLEI – Gobiernos Locales por la Sustentabilidad'] },
  { name: ['ONU-Habitat', 'UN-Habitat', 'ONU-Hábitat'], fullName: ['Programme des Nations unies pour les établissements humains', 'United Nations Human Settlements Programme', 'Programa de las Naciones Unidas para los Asentamientos Humanos'] },
  { name: ['FMDV', 'FMDV', 'FMDV'], fullName: ['Fonds mondial pour le développement des villes', 'Global Fund for Cities Development', 'Fondo Mundial para el Desarrollo de las Ciudades'] },
  { name: ['CCRE', 'CEMR', 'CMRE'], fullName: ['Conseil des communes et régions d\'Europe', 'Council of European Municipalities and Regions', 'Consejo de Municipios y Regiones de Europa'] },
  { name: ['FLACMA', 'FLACMA', 'FLACMA'], fullName: ['Fédération latino-américaine des villes, municipalités et associations', 'Latin American Federation of Cities, Municipalities and Associations', 'Federación Latinoamericana de Ciudades, Municipios y Asociaciones'] },
  { name: ['SALGA', 'SALGA', 'SALGA'], fullName: ['Association des collectivités locales d\'Afrique du Sud', 'South African Local Government Association', 'Asociación de Gobiernos Locales de Sudáfrica'] },
  { name: ['FEMP', 'FEMP', 'FEMP'], fullName: ['Fédération espagnole des municipalités et provinces', 'Spanish Federation of Municipalities and Provinces', 'Federación Española de Municipios y Provincias'] },
  { name: ['FCM', 'FCM', 'FCM'], fullName: ['Fédération canadienne des municipalités', 'Federation of Canadian Municipalities', 'Federación Canadiense de Municipios'] },
  { name: ['Cités Unies France', 'United Cities France', 'Ciudades Unidas Francia'] },
  { name: ['Mercociudades', 'Mercocities', 'Mercociudades'] },
];

const CITIES: Tri[] = [
  ['Durban', 'Durban', 'Durban'], ['Le Cap', 'Cape Town', 'Ciudad del Cabo'], ['Johannesbourg', 'Johannesburg', 'Johannesburgo'],
  ['Dakar', 'Dakar', 'Dakar'], ['Abidjan', 'Abidjan', 'Abiyán'], ['Ouagadougou', 'Ouagadougou', 'Uagadugú'], ['Bamako', 'Bamako', 'Bamako'],
  ['Niamey', 'Niamey', 'Niamey'], ['Cotonou', 'Cotonou', 'Cotonú'], ['Lomé', 'Lomé', 'Lomé'], ['Yaoundé', 'Yaoundé', 'Yaundé'],
  ['Douala', 'Douala', 'Duala'], ['Kigali', 'Kigali', 'Kigali'], ['Nairobi', 'Nairobi', 'Nairobi'], ['Maputo', 'Maputo', 'Maputo'],
  ['Luanda', 'Luanda', 'Luanda'], ['Rabat', 'Rabat', 'Rabat'], ['Tanger', 'Tangier', 'Tánger'], ['Tunis', 'Tunis', 'Túnez'],
  ['Le Caire', 'Cairo', 'El Cairo'], ['Nouakchott', 'Nouakchott', 'Nuakchot'], ['Chefchaouen', 'Chefchaouen', 'Chauen'],
  ['Barcelone', 'Barcelona', 'Barcelona'], ['Séville', 'Seville', 'Sevilla'], ['Bilbao', 'Bilbao', 'Bilbao'], ['Lisbonne', 'Lisbon', 'Lisboa'],
  ['Bruxelles', 'Brussels', 'Bruselas'], ['Genève', 'Geneva', 'Ginebra'], ['Strasbourg', 'Strasbourg', 'Estrasburgo'], ['Lyon', 'Lyon', 'Lyon'],
  ['Marseille', 'Marseille', 'Marsella'], ['Nantes', 'Nantes', 'Nantes'], ['Montréal', 'Montreal', 'Montreal'], ['Québec', 'Quebec City', 'Quebec'],
  ['Mexico', 'Mexico City', 'Ciudad de México'], ['Bogotá', 'Bogotá', 'Bogotá'], ['Medellín', 'Medellín', 'Medellín'], ['Quito', 'Quito', 'Quito'],
  ['Lima', 'Lima', 'Lima'], ['La Paz', 'La Paz', 'La Paz'], ['Montevideo', 'Montevideo', 'Montevideo'], ['Buenos Aires', 'Buenos Aires', 'Buenos Aires'],
  ['Rosario', 'Rosario', 'Rosario'], ['São Paulo', 'São Paulo', 'São Paulo'], ['Porto Alegre', 'Porto Alegre', 'Porto Alegre'],
  ['Istanbul', 'Istanbul', 'Estambul'], ['Izmir', 'Izmir', 'Esmirna'], ['Gaziantep', 'Gaziantep', 'Gaziantep'], ['Séoul', 'Seoul', 'Seúl'],
  ['Gwangju', 'Gwangju', 'Gwangju'], ['Jakarta', 'Jakarta', 'Yakarta'], ['Surabaya', 'Surabaya', 'Surabaya'], ['Katmandou', 'Kathmandu', 'Katmandú'],
  ['Oulan-Bator', 'Ulaanbaatar', 'Ulán Bator'], ['Almaty', 'Almaty', 'Almaty'], ['Bakou', 'Baku', 'Bakú'], ['Beyrouth', 'Beirut', 'Beirut'],
  ['Amman', 'Amman', 'Amán'],
];

/** "de Dakar", "du Cap", "d'Abidjan"; "de Lima", "del Cairo". */
function ofCity([fr, en, es]: Tri): Tri {
  const frOf = fr.startsWith('Le ') ? `du ${fr.slice(3)}` : /^[AEIOUÉÈÊÎÔYH]/.test(fr) ? `d'${fr}` : `de ${fr}`;
  const esOf = es.startsWith('El ') ? `del ${es.slice(3)}` : `de ${es}`;
  return [frOf, en, esOf];
}
/** fr and es take the city with its "de"; en names it plainly. */
const ORGANISATION_KINDS: ((of: Tri) => Tri)[] = [
  (c) => [`Ville ${c[0]}`, `City of ${c[1]}`, `Ayuntamiento ${c[2]}`],
  (c) => [`Métropole ${c[0]}`, `${c[1]} Metropolitan Authority`, `Área Metropolitana ${c[2]}`],
  (c) => [`Agence d'urbanisme ${c[0]}`, `${c[1]} Urban Planning Agency`, `Agencia de Urbanismo ${c[2]}`],
  (c) => [`Université ${c[0]}`, `University of ${c[1]}`, `Universidad ${c[2]}`],
  (c) => [`Observatoire urbain ${c[0]}`, `${c[1]} Urban Observatory`, `Observatorio Urbano ${c[2]}`],
  (c) => [`Régie des eaux ${c[0]}`, `${c[1]} Water Board`, `Empresa de Aguas ${c[2]}`],
  (c) => [`Conseil des jeunes ${c[0]}`, `${c[1]} Youth Council`, `Consejo de la Juventud ${c[2]}`],
  (c) => [`Maison des associations ${c[0]}`, `${c[1]} Civil Society House`, `Casa de las Asociaciones ${c[2]}`],
];

const GIVEN_NAMES = [
  'Amélie', 'Thandiwe', 'Sipho', 'Nomvula', 'Fatoumata', 'Aïssatou', 'Mamadou', 'Oumar', 'Kwame', 'Ngozi', 'Chiamaka', 'Amina',
  'Youssef', 'Leïla', 'Karim', 'Hélène', 'François', 'Chloé', 'Léa', 'Noémie', 'Jérôme', 'Benoît', 'José', 'María', 'Inés', 'Ramón',
  'Lucía', 'Mónica', 'Sebastián', 'Andrés', 'Camila', 'Valentina', 'João', 'Conceição', 'Gonçalo', 'Mehmet', 'Ayşe', 'Zeynep',
  'Ji-woo', 'Min-jun', 'Siti', 'Budi', 'Priya', 'Arjun', 'Anh', 'Thảo', 'Elif', 'Dolores', 'Ignacio', 'Begoña', 'Zoé', 'Anaïs',
  'Raphaël', 'Gaëlle', 'Nicolás', 'Sofía', 'Tomás', 'Joaquín', 'Renée', 'Thabo',
];
const FAMILY_NAMES = [
  'Dlamini', 'Nkosi', 'Mokoena', 'Ndlovu', 'Diallo', 'Traoré', 'Ndiaye', 'Ouédraogo', 'Koné', 'Mensah', 'Okafor', 'Mwangi', 'Benali',
  'El Amrani', 'Haddad', 'Lefèvre', 'Moreau', 'Girard', 'Rousseau', 'Fontaine', 'Bélanger', 'Côté', 'García', 'Fernández', 'Núñez',
  'Martínez', 'Rodríguez', 'Peña', 'Muñoz', 'Ibáñez', 'López', 'da Silva', 'Gonçalves', 'Araújo', 'Magalhães', 'Yılmaz', 'Şahin',
  'Öztürk', 'Kim', 'Park', 'Wijaya', 'Santoso', 'Sharma', 'Iyer', 'Nguyễn', 'Trần', 'Müller', 'Šimić', 'Łukasik', 'Hernández',
];
const BIO_MORE: Tri[] = [
  ['Membre du groupe de travail sur l\'apprentissage.', 'Member of the learning working group.', 'Miembro del grupo de trabajo sobre aprendizaje.'],
  ['A coordonné plusieurs projets de coopération décentralisée.', 'Has coordinated several decentralised cooperation projects.', 'Ha coordinado varios proyectos de cooperación descentralizada.'],
  ['Intervient régulièrement dans les formations du réseau.', 'Speaks regularly at the network\'s training sessions.', 'Participa regularmente en las formaciones de la red.'],
];

// ---- Dates and the shape of a day

/** YYYY-MM-DD plus some days, on the calendar (no time zone involved). */
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

type DocSession = {
  id: string; slot: string | null; part: string | null; room: string | null;
  kind: SessionKind; status: 'confirmed' | 'cancelled'; title: LocalizedText;
  abstract?: LocalizedText; description?: LocalizedText; language?: string; links?: { url: string; title: string }[];
  contributors: { role: ContributorRole; person?: string; organisation?: string }[];
  outputs: string[];
};

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

  // Organisations: the networks, then local bodies of cities, in a shuffled order.
  const organisationCount = Math.max(2, Math.round(options.sessions * 0.15));
  const localKinds = random.shuffled(Array.from({ length: ORGANISATION_KINDS.length * CITIES.length }, (_, i) => i));
  const organisations = Array.from({ length: organisationCount }, (_, i) => {
    const network = NETWORKS[i];
    if (network) {
      return { id: id('organisation', i), name: tri(network.name), ...(network.fullName ? { fullName: tri(network.fullName) } : {}) };
    }
    const k = i - NETWORKS.length;
    const combination = localKinds[k % localKinds.length]!;
    let name = ORGANISATION_KINDS[combination % ORGANISATION_KINDS.length]!(ofCity(CITIES[Math.floor(combination / ORGANISATION_KINDS.length)]!));
    // Past every combination, numbered like "Université Paris 8".
    const round = Math.floor(k / localKinds.length);
    if (round > 0) name = name.map((t) => `${t} ${round + 1}`) as unknown as Tri;
    const description = random.chance(0.25)
      ? { description: tri(join([['Organisation qui travaille sur', 'An organisation working on', 'Organización que trabaja en'], random.pick(TOPICS)]).map((t) => `${t}.`) as unknown as Tri, { en: random.chance(0.1), es: random.chance(0.2) }) }
      : {};
    return { id: id('organisation', i), name: tri(name), ...description };
  });

  // People: distinct names where the lists allow, most of them with an organisation.
  const peopleCount = Math.max(4, Math.round(options.sessions * 0.6));
  const names = new Set<string>();
  const people = Array.from({ length: peopleCount }, (_, i) => {
    let name = '';
    for (let attempt = 0; attempt < 20 && (name === '' || names.has(name)); attempt += 1) {
      const family = attempt < 8 ? random.pick(FAMILY_NAMES) : `${random.pick(FAMILY_NAMES)} ${random.pick(FAMILY_NAMES)}`;
      name = `${random.pick(GIVEN_NAMES)} ${family}`;
    }
    names.add(name);
    const organisation = random.chance(0.8) ? { organisation: organisations[random.int(organisations.length)]!.id } : {};
    let bio = {};
    if (random.chance(0.3)) {
      const topic = random.pick(TOPICS);
      const years = random.between(3, 25);
      let text: Tri = [`Travaille sur ${topic[0]} depuis ${years} ans.`, `Has worked on ${topic[1]} for ${years} years.`, `Trabaja en ${topic[2]} desde hace ${years} años.`];
      if (random.chance(0.5)) text = join([text, random.pick(BIO_MORE)]);
      bio = { bio: tri(text, { en: random.chance(0.1), es: random.chance(0.25) }) };
    }
    return { id: id('person', i), name, ...organisation, ...bio };
  });

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
        id: nextId(),
        room: rooms[room]!.id,
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
      if (random.chance(0.05)) session.links = [{ url: `https://example.org/${slug}/documents/${sessions.length + 1}`, title: 'Note conceptuelle' }];
      const served = random.chance(0.4) ? 0 : random.chance(0.75) ? 1 : 2;
      session.outputs = random.shuffled(outputs.map((_, i) => i)).slice(0, served).sort((a, b) => a - b).map((i) => outputs[i]!.id);
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
    event: {
      id: id('event', 0),
      slug,
      timezone: zone,
      defaultLanguage: 'fr',
      languages: ['fr', 'en', 'es'],
      startDate: options.start,
      endDate,
      title: tri(['Congrès mondial des gouvernements locaux et régionaux', 'World Congress of Local and Regional Governments', 'Congreso Mundial de Gobiernos Locales y Regionales']),
      subtitle: tri(['Programme fictif, généré', 'A made-up, generated programme', 'Programa ficticio, generado']),
      description: tri([
        `Un programme inventé pour les essais de charge\u00a0: ${count(options.sessions, 'session', 'sessions')} sur ${count(days, 'jour', 'jours')} dans ${count(roomCount, 'salle', 'salles')} (graine ${seed}).\n\nLes personnes, les organisations et les textes sont imaginaires.`,
        `A programme made up for load tests: ${count(options.sessions, 'session', 'sessions')} over ${count(days, 'day', 'days')} in ${count(roomCount, 'room', 'rooms')} (seed ${seed}).\n\nThe people, organisations and texts are imaginary.`,
        `Un programa inventado para pruebas de carga: ${count(options.sessions, 'sesión', 'sesiones')} en ${count(days, 'día', 'días')} en ${count(roomCount, 'sala', 'salas')} (semilla ${seed}).\n\nLas personas, las organizaciones y los textos son imaginarios.`,
      ]),
      venue: tri(['Centre international des congrès', 'International Convention Centre', 'Centro Internacional de Convenciones']),
    },
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
