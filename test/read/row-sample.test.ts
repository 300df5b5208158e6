import { describe, expect, it } from 'vitest';
import { RowRanges, RowSample } from '../../src/read/row-sample.js';

describe('RowSample', () => {
  it('names the lowest rows whatever order they were added in (answers of rows sent side by side come in any order)', () => {
    const sample = new RowSample();
    for (const row of [87, 5, 30, 120, 8, 59, 74, 2]) sample.add(row);
    expect(sample.count).toBe(8);
    expect(sample.counted()).toBe('8 rows (rows 2, 5, 8, 30, 59 and 3 more)');
  });

  it('names every row when there are five or fewer, sorted', () => {
    const sample = new RowSample();
    for (const row of [9, 4, 6]) sample.add(row);
    expect(sample.counted()).toBe('3 rows (rows 4, 6, 9)');
    const one = new RowSample();
    one.add(4);
    expect(one.counted()).toBe('1 row (row 4)');
  });
});

describe('RowRanges', () => {
  it('joins consecutive rows into ranges', () => {
    const ranges = new RowRanges();
    for (const row of [4, 5, 6, 8]) ranges.add(row);
    expect(ranges.listed()).toBe('rows 4–6, 8');
  });
});
