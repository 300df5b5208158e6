import { describe, expect, it } from 'vitest';
import { UsernameRegistry } from '../../src/validate/username-registry.js';

describe('UsernameRegistry', () => {
  it('returns the first row of a username seen before, and nothing for a new one', () => {
    const registry = new UsernameRegistry();
    expect(registry.claim('jperez.2025', 2)).toBeUndefined();
    expect(registry.claim('lpena.2025', 9)).toBeUndefined();
    expect(registry.claim('lpena.2025', 44)).toBe(9);
    expect(registry.claim('jperez.2025', 50)).toBe(2);
    expect(registry.claim('JPEREZ.2025', 51)).toBeUndefined(); // usernames are compared as written
    expect(registry.claim('jperez.2025 ', 52)).toBeUndefined();
  });

  it('keeps every username through its growth, with no false repeat among 300,000 similar ones', () => {
    const registry = new UsernameRegistry();
    for (let i = 0; i < 300_000; i++) expect(registry.claim(`alumno.${i}`, i + 2)).toBeUndefined();
    for (let i = 0; i < 300_000; i += 997) expect(registry.claim(`alumno.${i}`, 1)).toBe(i + 2);
    expect(registry.claim('ñúñez', 5)).toBeUndefined();
    expect(registry.claim('ñúñez', 6)).toBe(5);
  });
});
