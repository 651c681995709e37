// The one caching policy (server/cache.ts): least recently used out first, by count and by weight.
import { describe, expect, test } from 'vitest';
import { BoundedCache } from '../server/cache.ts';

/** A cache of strings weighing their length, at most `budget` together. */
const byLength = (budget: number, max = 100) => new BoundedCache<string, string>(max, { maxWeight: budget, weigh: (v) => v.length });
const keysOf = (cache: BoundedCache<string, string>, candidates: string[]) => candidates.filter((k) => cache.get(k) !== undefined);

describe('BoundedCache bounded by weight', () => {
  test('evicts the least recently used entries until the new one fits, and counts the weight exactly', () => {
    const cache = byLength(10);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbb');
    cache.set('c', 'cc');
    expect([cache.size, cache.totalWeight]).toEqual([3, 9]);
    // Reading a makes b the least recently used: b goes, then c, for 6 units.
    expect(cache.get('a')).toBe('aaaa');
    cache.set('d', 'dddddd');
    expect([cache.size, cache.totalWeight]).toEqual([2, 10]);
    expect(keysOf(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'd']);
  });

  test('a value heavier than the whole budget is handed back but not kept, and evicts nothing', () => {
    const cache = byLength(5);
    cache.set('small', 'xx');
    expect(cache.set('big', 'yyyyyy')).toBe('yyyyyy');
    expect([cache.get('big'), cache.get('small'), cache.size, cache.totalWeight]).toEqual([undefined, 'xx', 1, 2]);
    // A value exactly at the budget is kept (and makes room).
    cache.set('exact', 'zzzzz');
    expect([keysOf(cache, ['small', 'exact']), cache.totalWeight]).toEqual([['exact'], 5]);
  });

  test('replacing a key counts its new weight only; replacing it with a too heavy value drops the old one', () => {
    const cache = byLength(10);
    cache.set('a', 'aaaa');
    cache.set('a', 'aa');
    expect([cache.size, cache.totalWeight]).toEqual([1, 2]);
    cache.set('a', 'a'.repeat(11));
    expect([cache.get('a'), cache.size, cache.totalWeight]).toEqual([undefined, 0, 0]);
  });

  test('delete and clear give the weight back', () => {
    const cache = byLength(10);
    cache.set('a', 'aaa');
    cache.set('b', 'bbbb');
    cache.delete('a');
    cache.delete('missing');
    expect([cache.size, cache.totalWeight]).toEqual([1, 4]);
    cache.clear();
    expect([cache.size, cache.totalWeight]).toEqual([0, 0]);
    cache.set('c', 'c'.repeat(10));
    expect(cache.totalWeight).toBe(10);
  });

  test('the count bound holds as well as the weight: the least recently used goes first', () => {
    const cache = byLength(1000, 2);
    cache.set('a', 'a');
    cache.set('b', 'b');
    cache.get('a');
    cache.set('c', 'c');
    expect([keysOf(cache, ['a', 'b', 'c']), cache.totalWeight]).toEqual([['a', 'c'], 2]);
  });

  test('getOrCompute keeps what it computed, unless too heavy; without limits the weight stays 0', () => {
    const cache = byLength(3);
    let computed = 0;
    const compute = (value: string) => () => { computed += 1; return value; };
    expect([cache.getOrCompute('k', compute('abc')), cache.getOrCompute('k', compute('zzz'))]).toEqual(['abc', 'abc']);
    expect([cache.getOrCompute('h', compute('heavy')), cache.getOrCompute('h', compute('heavy'))]).toEqual(['heavy', 'heavy']);
    expect(computed).toBe(3);
    const plain = new BoundedCache<string, string>(2);
    plain.set('a', 'aaaaaaaa');
    expect([plain.size, plain.totalWeight]).toEqual([1, 0]);
  });
});
