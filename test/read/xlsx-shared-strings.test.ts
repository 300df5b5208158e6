import { describe, expect, it } from 'vitest';
import { SharedStringTable } from '../../src/read/xlsx-shared-strings.js';

describe('SharedStringTable', () => {
  it('gives back every string by index, across segments, with rich text as plain text', () => {
    const table = new SharedStringTable();
    const expected: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const text = i % 7 === 0 ? '' : `Núñez ${i}`;
      table.add(text);
      expected.push(text);
    }
    table.add({ richText: [{ text: 'Colegio ' }, { text: 'Miraflores' }, { text: null }] });
    expected.push('Colegio Miraflores');
    table.add(null);
    expected.push('');
    table.finish();
    expect(table.size).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    expect(table.at(expected.length)).toBeUndefined();
    expect(table.at(-1)).toBeUndefined();
  });
});
