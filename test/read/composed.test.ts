import { describe, expect, it } from 'vitest';
import { composed, composeRecords } from '../../src/read/composed.js';

const NFD_JOSE = 'Jose\u0301 Pen\u0303a';

describe('composed', () => {
  it('composes decomposed accents (a Mac export) into the characters Windows and Excel write', () => {
    expect(NFD_JOSE).toHaveLength(11);
    expect(composed(NFD_JOSE)).toBe('José Peña');
    expect(composed(NFD_JOSE)).toHaveLength(9);
  });

  it('returns text without combining marks as it is', () => {
    const text = 'Ana María Ñúñez 😀 中文';
    expect(composed(text)).toBe(text);
  });

  it('leaves a mark with nothing to compose with as it is', () => {
    expect(composed('"\u0301x')).toBe('"\u0301x');
  });
});

describe('composeRecords', () => {
  it('composes every cell of the records when their text holds a mark', () => {
    const records = [['Nombre', 'Usuario'], [NFD_JOSE, 'jose\u0301']];
    composeRecords(`Nombre,Usuario\n${NFD_JOSE},jose\u0301\n`, records);
    expect(records).toEqual([['Nombre', 'Usuario'], ['José Peña', 'josé']]);
  });
});
