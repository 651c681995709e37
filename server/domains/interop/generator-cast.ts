// The people and organisations of the generated congress (generator.ts): the networks, then
// local bodies of cities; people with distinct names where the lists allow.
import {
  BIO_MORE, CITIES, FAMILY_NAMES, GIVEN_NAMES, join, NETWORKS, ofCity, ORGANISATION_KINDS, TOPICS, tri, type Tri,
} from './generator-words.ts';
import type { Random } from './generator-random.ts';

/** As many organisations as 15% of the sessions, and people as 60%, drawn in this order from `random`. */
export function castOf(sessions: number, random: Random, id: (kind: string, index: number) => string) {
  const options = { sessions };
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
  return { organisations, people };
}
