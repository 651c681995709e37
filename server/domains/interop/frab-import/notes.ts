// The wording the readers share in their notes to the operator.

export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
export const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
export const listed = (counts: Map<string, number>) => [...counts].map(([k, n]) => `${k} (${n})`).join(', ');
/** Names in a note: all of them up to ten, then how many more. */
export const someNames = (names: string[]) => (names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`);
