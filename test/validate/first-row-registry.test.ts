import { describe, expect, it } from 'vitest';
import { FirstRowRegistry } from '../../src/validate/first-row-registry.js';

describe('FirstRowRegistry', () => {
  it('returns the first row of a username seen before, and nothing for a new one', () => {
    const registry = new FirstRowRegistry();
    expect(registry.claim('jperez.2025', 2)).toBeUndefined();
    expect(registry.claim('lpena.2025', 9)).toBeUndefined();
    expect(registry.claim('lpena.2025', 44)).toBe(9);
    expect(registry.claim('jperez.2025', 50)).toBe(2);
    expect(registry.claim('jperez.2025 ', 52)).toBeUndefined();
  });

  it('compares usernames without case, as toLowerCase folds them, ASCII or not, and without accents', () => {
    const registry = new FirstRowRegistry();
    expect(registry.claim('JPerez.2025', 2)).toBeUndefined();
    expect(registry.claim('jperez.2025', 3)).toBe(2);
    expect(registry.claim('JPEREZ.2025', 4)).toBe(2);
    expect(registry.claim('ÑÚÑEZ', 5)).toBeUndefined();
    expect(registry.claim('ñúñez', 6)).toBe(5);
    expect(registry.claim('Ñúñez', 7)).toBe(5);
    expect(registry.claim('José@A', 8)).toBeUndefined(); // mixed: ASCII letters and an accent
    expect(registry.claim('JOSÉ@a', 9)).toBe(8);
    // Accents aside: a login `josé.luis` beside `jose.luis` is one student typed twice, or one login to an API that folds accents.
    expect(registry.claim('jose@a', 10)).toBe(8);
    expect(registry.claim('munoz', 14)).toBeUndefined();
    expect(registry.claim('Muñoz', 15)).toBe(14);
    expect(registry.claim('jose\u0301.luis', 16)).toBeUndefined(); // decomposed: the same as composed
    expect(registry.claim('josé.luis', 17)).toBe(16);
    expect(registry.claim('[\\]^_`', 11)).toBeUndefined(); // the characters between Z and a are not letters
    expect(registry.claim('{|}~@', 12)).toBeUndefined();
    expect(registry.claim('[\\]^_`', 13)).toBe(11);
  });

  it('keeps every username through its growth, with no false repeat among 300,000 similar ones', () => {
    const registry = new FirstRowRegistry();
    for (let i = 0; i < 300_000; i++) expect(registry.claim(`alumno.${i}`, i + 2)).toBeUndefined();
    for (let i = 0; i < 300_000; i += 997) expect(registry.claim(`alumno.${i}`, 1)).toBe(i + 2);
    expect(registry.claim('ñúñez', 5)).toBeUndefined();
    expect(registry.claim('ñúñez', 6)).toBe(5);
  });
});

describe('FirstRowRegistry growth', () => {
  it('keeps the first row of every username across each shard growth, checked after every growth', () => {
    const registry = new FirstRowRegistry();
    const names = (i: number) => `${['maría', 'josé', 'íñigo', 'ana'][i % 4]}.${i}`;
    let capacity = registry.capacity;
    let growths = 0;
    for (let i = 0; i < 20_000; i++) {
      expect(registry.claim(names(i), i + 1)).toBeUndefined();
      if (registry.capacity !== capacity) {
        growths++;
        capacity = registry.capacity;
        // right after a growth (a rehash into a new shard table), every earlier username is still there
        for (let j = 0; j <= i; j += Math.max(1, Math.floor(i / 50))) expect(registry.claim(names(j), 999_999)).toBe(j + 1);
      }
    }
    expect(registry.size).toBe(20_000);
    expect(growths).toBeGreaterThan(64 * 5); // every shard grew several times
    for (let i = 0; i < 20_000; i++) expect(registry.claim(names(i), 1_000_000)).toBe(i + 1);
    expect(registry.size).toBe(20_000); // repeats add nothing
  });

  it('grows one shard at a time, never the whole table, and holds under 1.5 slots a username', () => {
    const registry = new FirstRowRegistry();
    let capacity = registry.capacity;
    for (let i = 0; i < 100_000; i++) {
      registry.claim(`alumno.${i}`, i + 2);
      const grown = registry.capacity - capacity;
      // one shard's growth: a quarter of about 1/64 of the table
      if (i > 10_000) expect(grown).toBeLessThan(capacity / 50);
      capacity = registry.capacity;
      // the 32 spare slots a shard weigh on small tables only
      if (i % 10_000 === 9_999) expect(capacity / (i + 1)).toBeLessThan(i < 40_000 ? 2 : 1.45);
    }
  });

  it('finds usernames whose runs spill past the end of a small shard', () => {
    // Shards start at 16-19 slots and grow at 85% full: with 700 names (about 11 a shard) runs often reach the spare slots.
    for (let round = 0; round < 20; round++) {
      const registry = new FirstRowRegistry();
      for (let i = 0; i < 700; i++) expect(registry.claim(`r${round}.${i}`, i + 1)).toBeUndefined();
      for (let i = 0; i < 700; i++) expect(registry.claim(`r${round}.${i}`, 5_000)).toBe(i + 1);
    }
  });
});
