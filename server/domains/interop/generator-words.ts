// The words of the generated congress (generator.ts): titles, places, names, texts, each
// French first, with English and Spanish.
import type { LocalizedText, SessionKind } from '../../db/schema.ts';

export type Tri = readonly [fr: string, en: string, es: string];
export const tri = ({ 0: fr, 1: en, 2: es }: Tri, drop: { en?: boolean; es?: boolean } = {}): LocalizedText => ({
  fr, ...(drop.en ? {} : { en }), ...(drop.es ? {} : { es }),
});
export const join = (parts: Tri[], separators: Tri = [' ', ' ', ' ']): Tri =>
  [0, 1, 2].map((l) => parts.map((p) => p[l]).join(separators[l]!)) as unknown as Tri;
export const capital = (text: Tri): Tri => text.map((t) => t.charAt(0).toUpperCase() + t.slice(1)) as unknown as Tri;
/** French puts a no-break space before a colon or a question mark. */
export const COLON: Tri = ['\u00a0: ', ': ', ': '];

export const ACTIONS: Tri[] = [
  ['Repenser', 'Rethinking', 'Repensar'], ['Renforcer', 'Strengthening', 'Fortalecer'], ['Financer', 'Financing', 'Financiar'],
  ['Mesurer', 'Measuring', 'Medir'], ['Co-construire', 'Co-creating', 'Co-construir'], ['Transformer', 'Transforming', 'Transformar'],
  ['Planifier', 'Planning', 'Planificar'], ['Évaluer', 'Assessing', 'Evaluar'], ['Accélérer', 'Accelerating', 'Acelerar'],
  ['Réinventer', 'Reinventing', 'Reinventar'], ['Localiser', 'Localising', 'Localizar'], ['Protéger', 'Protecting', 'Proteger'],
];

export const TOPICS: Tri[] = [
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

export const ANGLES: Tri[] = [
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

export const PLACES: Tri[] = [
  ['en Afrique', 'in Africa', 'en África'], ['en Afrique australe', 'in Southern Africa', 'en África austral'],
  ['en Amérique latine', 'in Latin America', 'en América Latina'], ['en Asie-Pacifique', 'in Asia-Pacific', 'en Asia-Pacífico'],
  ['en Méditerranée', 'in the Mediterranean', 'en el Mediterráneo'], ['en Eurasie', 'in Eurasia', 'en Eurasia'],
  ['au Moyen-Orient', 'in the Middle East', 'en Oriente Medio'], ['en Europe', 'in Europe', 'en Europa'],
  ['en Amérique du Nord', 'in North America', 'en América del Norte'], ['au Sahel', 'in the Sahel', 'en el Sahel'],
  ['dans les petits États insulaires', 'in small island states', 'en los pequeños Estados insulares'],
  ['dans les métropoles', 'in metropolitan areas', 'en las metrópolis'],
];

export const KIND_PREFIX: Partial<Record<SessionKind, Tri>> = {
  workshop: ['Atelier', 'Workshop', 'Taller'],
  panel: ['Table ronde', 'Round table', 'Mesa redonda'],
};

export const AGENDA_OPENING: Tri = ['Mot de bienvenue et objectifs de la session', 'Welcome and aims of the session', 'Bienvenida y objetivos de la sesión'];
export const AGENDA_MIDDLE: Tri[] = [
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
export const AGENDA_CLOSING: Tri[] = [
  ['Synthèse et prochaines étapes', 'Summary and next steps', 'Síntesis y próximos pasos'],
  ['Questions-réponses', 'Questions and answers', 'Preguntas y respuestas'],
];
export const ABSTRACT_MORE: Tri[] = [
  ['Les participants partageront des expériences concrètes et des outils transférables.', 'Participants will share concrete experiences and transferable tools.', 'Los participantes compartirán experiencias concretas y herramientas transferibles.'],
  ['Elle s\'appuie sur les travaux du réseau depuis le dernier congrès.', 'It builds on the network\'s work since the last congress.', 'Se basa en el trabajo de la red desde el último congreso.'],
  ['Les conclusions alimenteront les recommandations du congrès.', 'Its conclusions will feed into the congress recommendations.', 'Sus conclusiones alimentarán las recomendaciones del congreso.'],
  ['Une attention particulière sera portée aux villes intermédiaires et aux territoires ruraux.', 'Particular attention will be paid to intermediary cities and rural territories.', 'Se prestará especial atención a las ciudades intermedias y a los territorios rurales.'],
  ['Le débat croisera les points de vue d\'élus, de techniciens et de la société civile.', 'The debate will bring together the views of elected officials, practitioners and civil society.', 'El debate cruzará los puntos de vista de cargos electos, técnicos y sociedad civil.'],
];

export const THEMES: Tri[] = [
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

export const OUTPUTS: { text: Tri; noSpanish?: boolean }[] = [
  { text: ['Une déclaration politique des gouvernements locaux et régionaux sur le climat', 'A political declaration of local and regional governments on climate', 'Una declaración política de los gobiernos locales y regionales sobre el clima'] },
  { text: ['Des recommandations pour la localisation des ODD', 'Recommendations for localising the SDGs', 'Recomendaciones para la localización de los ODS'] },
  { text: ['Une feuille de route pour l\'apprentissage entre pairs', 'A roadmap for peer learning', 'Una hoja de ruta para el aprendizaje entre pares'] },
  { text: ['Un recueil de pratiques inspirantes des villes intermédiaires', 'A collection of inspiring practices from intermediary cities', 'Una recopilación de prácticas inspiradoras de las ciudades intermedias'] },
  { text: ['Des engagements pour le financement des services publics locaux', 'Commitments on financing local public services', 'Compromisos para la financiación de los servicios públicos locales'], noSpanish: true },
  { text: ['Un plan d\'action pour l\'égalité dans les collectivités', 'An action plan for equality in local government', 'Un plan de acción para la igualdad en los gobiernos locales'] },
];

export const ROOM_NAMES = ['Baobab', 'Jacaranda', 'Protea', 'Ubuntu', 'Umoja', 'Sankofa', 'Acacia', 'Marula', 'Kilimandjaro', 'Okavango', 'Zambèze', 'Limpopo', 'Drakensberg', 'Namib', 'Kalahari', 'Tugela'];

/** Networks every congress has; then local bodies named after cities. */
export const NETWORKS: { name: Tri; fullName?: Tri }[] = [
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

export const CITIES: Tri[] = [
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
export function ofCity([fr, en, es]: Tri): Tri {
  const frOf = fr.startsWith('Le ') ? `du ${fr.slice(3)}` : /^[AEIOUÉÈÊÎÔYH]/.test(fr) ? `d'${fr}` : `de ${fr}`;
  const esOf = es.startsWith('El ') ? `del ${es.slice(3)}` : `de ${es}`;
  return [frOf, en, esOf];
}
/** fr and es take the city with its "de"; en names it plainly. */
export const ORGANISATION_KINDS: ((of: Tri) => Tri)[] = [
  (c) => [`Ville ${c[0]}`, `City of ${c[1]}`, `Ayuntamiento ${c[2]}`],
  (c) => [`Métropole ${c[0]}`, `${c[1]} Metropolitan Authority`, `Área Metropolitana ${c[2]}`],
  (c) => [`Agence d'urbanisme ${c[0]}`, `${c[1]} Urban Planning Agency`, `Agencia de Urbanismo ${c[2]}`],
  (c) => [`Université ${c[0]}`, `University of ${c[1]}`, `Universidad ${c[2]}`],
  (c) => [`Observatoire urbain ${c[0]}`, `${c[1]} Urban Observatory`, `Observatorio Urbano ${c[2]}`],
  (c) => [`Régie des eaux ${c[0]}`, `${c[1]} Water Board`, `Empresa de Aguas ${c[2]}`],
  (c) => [`Conseil des jeunes ${c[0]}`, `${c[1]} Youth Council`, `Consejo de la Juventud ${c[2]}`],
  (c) => [`Maison des associations ${c[0]}`, `${c[1]} Civil Society House`, `Casa de las Asociaciones ${c[2]}`],
];

export const GIVEN_NAMES = [
  'Amélie', 'Thandiwe', 'Sipho', 'Nomvula', 'Fatoumata', 'Aïssatou', 'Mamadou', 'Oumar', 'Kwame', 'Ngozi', 'Chiamaka', 'Amina',
  'Youssef', 'Leïla', 'Karim', 'Hélène', 'François', 'Chloé', 'Léa', 'Noémie', 'Jérôme', 'Benoît', 'José', 'María', 'Inés', 'Ramón',
  'Lucía', 'Mónica', 'Sebastián', 'Andrés', 'Camila', 'Valentina', 'João', 'Conceição', 'Gonçalo', 'Mehmet', 'Ayşe', 'Zeynep',
  'Ji-woo', 'Min-jun', 'Siti', 'Budi', 'Priya', 'Arjun', 'Anh', 'Thảo', 'Elif', 'Dolores', 'Ignacio', 'Begoña', 'Zoé', 'Anaïs',
  'Raphaël', 'Gaëlle', 'Nicolás', 'Sofía', 'Tomás', 'Joaquín', 'Renée', 'Thabo',
];
export const FAMILY_NAMES = [
  'Dlamini', 'Nkosi', 'Mokoena', 'Ndlovu', 'Diallo', 'Traoré', 'Ndiaye', 'Ouédraogo', 'Koné', 'Mensah', 'Okafor', 'Mwangi', 'Benali',
  'El Amrani', 'Haddad', 'Lefèvre', 'Moreau', 'Girard', 'Rousseau', 'Fontaine', 'Bélanger', 'Côté', 'García', 'Fernández', 'Núñez',
  'Martínez', 'Rodríguez', 'Peña', 'Muñoz', 'Ibáñez', 'López', 'da Silva', 'Gonçalves', 'Araújo', 'Magalhães', 'Yılmaz', 'Şahin',
  'Öztürk', 'Kim', 'Park', 'Wijaya', 'Santoso', 'Sharma', 'Iyer', 'Nguyễn', 'Trần', 'Müller', 'Šimić', 'Łukasik', 'Hernández',
];
export const BIO_MORE: Tri[] = [
  ['Membre du groupe de travail sur l\'apprentissage.', 'Member of the learning working group.', 'Miembro del grupo de trabajo sobre aprendizaje.'],
  ['A coordonné plusieurs projets de coopération décentralisée.', 'Has coordinated several decentralised cooperation projects.', 'Ha coordinado varios proyectos de cooperación descentralizada.'],
  ['Intervient régulièrement dans les formations du réseau.', 'Speaks regularly at the network\'s training sessions.', 'Participa regularmente en las formaciones de la red.'],
];

// ---- Dates and the shape of a day

/** YYYY-MM-DD plus some days, on the calendar (no time zone involved). */
