import { describe, expect, it } from 'vitest';
import { IdDigests } from '../../src/report/id-digests.js';

describe('IdDigests', () => {
  it('holds every id it was given and none other, ids alike in all but a character included', () => {
    const held = Array.from({ length: 20_000 }, (_, i) => `cus_${String(i).padStart(6, '0')}abcdefghij`);
    const digests = IdDigests.of(held);
    expect(digests.size).toBe(20_000);
    expect(held.every((id) => digests.has(id))).toBe(true);
    const others = Array.from({ length: 20_000 }, (_, i) => `cus_${String(i + 20_000).padStart(6, '0')}abcdefghij`);
    expect(others.filter((id) => digests.has(id))).toEqual([]);
    expect(['cus_000001abcdefghiJ', 'cus_000001abcdefghi', '', '12345678901234567890'].filter((id) => digests.has(id))).toEqual([]);
  });

  it('holds nothing when given nothing, and a 64-bit id written as digits', () => {
    expect(IdDigests.of([]).has('cus_1')).toBe(false);
    expect(IdDigests.of(['9007199254740993']).has('9007199254740993')).toBe(true);
    expect(IdDigests.of(['9007199254740993']).has('9007199254740992')).toBe(false);
  });
});
