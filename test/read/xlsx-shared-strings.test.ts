import { fstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSharedStrings } from '../../src/read/xlsx-sheet.js';
import { ZipDirectory } from '../../src/read/xlsx-zip.js';
import { SharedStringSpillError, SharedStringTable } from '../../src/read/xlsx-shared-strings.js';
import { temporaryFolder } from '../temporary-folder.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures', name);

/** Every kind of text a cell can hold: Latin-1, other scripts, emoji, an unpaired surrogate, controls. */
function sampleText(i: number): string {
  switch (i % 9) {
    case 0:
      return '';
    case 1:
      return `Núñez ${i}`;
    case 2:
      return `Łódź Ωμέγα ${i}`;
    case 3:
      return `北京 ${i} 👩‍🏫`;
    case 4:
      return `\ud800 lone ${i}`;
    case 5:
      return `tab\tline\nend ${i}`;
    case 6:
      return 'ÿ'.repeat(i % 50);
    default:
      return `user.${i}@colegio-ejemplo.edu.mx`;
  }
}

function filledTable(count: number, options: ConstructorParameters<typeof SharedStringTable>[0]) {
  const table = new SharedStringTable(options);
  const expected: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = sampleText(i);
    table.add(text);
    expected.push(text);
  }
  table.add('');
  expected.push('');
  table.finish();
  return { table, expected };
}

describe('SharedStringTable', () => {
  let directory: string;
  beforeEach(() => {
    directory = temporaryFolder('quentli-strings-test-');
  });

  it('gives back every string by index, across segments, with rich text as plain text', () => {
    const { table, expected } = filledTable(10_000, { directory });
    expect(table.spilled).toBe(false);
    expect(table.size).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    expect(table.at(expected.length)).toBeUndefined();
    expect(table.at(-1)).toBeUndefined();
    table.close();
  });

  it('gives back the same strings past its memory budget, in any order, from a file that is never left behind', () => {
    const { table, expected } = filledTable(10_000, { memoryBudget: 1_000, directory });
    expect(table.spilled).toBe(true);
    expect(readdirSync(directory)).toEqual([]); // unlinked as soon as it was opened
    for (let i = 0; i < expected.length; i++) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    for (let i = expected.length - 1; i >= 0; i -= 7) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    for (let n = 0; n < 2_000; n++) {
      const i = (n * 7919) % expected.length;
      expect(table.at(i), `index ${i}`).toBe(expected[i]);
    }
    expect(table.at(expected.length)).toBeUndefined();
    table.close();
    expect(readdirSync(directory)).toEqual([]);
  });

  it('reads strings of a segment not sealed yet', () => {
    const table = new SharedStringTable({ memoryBudget: 0, directory });
    for (let i = 0; i < 300; i++) table.add(sampleText(i));
    expect(table.spilled).toBe(true);
    expect(table.at(299)).toBe(sampleText(299));
    expect(table.at(3)).toBe(sampleText(3));
    table.close();
  });

  it.runIf(process.platform === 'linux')('keeps its temporary file readable by its owner only', () => {
    const table = new SharedStringTable({ memoryBudget: 0, directory });
    for (let i = 0; i < 1_000; i++) table.add(sampleText(i));
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(directory, 'quentli-shared-strings-'));
      } catch {
        return false; // closed meanwhile
      }
    });
    expect(open).toHaveLength(1);
    expect(fstatSync(Number(open[0])).mode & 0o777).toBe(0o600);
    table.close();
    expect(() => fstatSync(Number(open[0]))).toThrow();
  });

  it('says where it could not write its temporary file', () => {
    const table = new SharedStringTable({ memoryBudget: 0, directory: join(directory, 'missing') });
    for (let i = 0; i < 255; i++) table.add('Núñez');
    expect(() => table.add('Núñez')).toThrow(SharedStringSpillError);
    for (let i = 0; i < 255; i++) table.add('Núñez');
    expect(() => table.add('Núñez')).toThrow(/could not keep the workbook's shared strings in a temporary file in .*missing/);
  });
});

describe('parseSharedStrings into a table: strings past the budget', () => {
  let directory: string;
  beforeAll(() => {
    directory = temporaryFolder('quentli-strings-test-');
  });

  async function strings(path: string, memoryBudget: number | undefined) {
    const zip = await ZipDirectory.open(path);
    const table = new SharedStringTable({ memoryBudget, directory });
    try {
      const part = await zip.stream(zip.part('xl/sharedStrings.xml')!);
      for await (const texts of parseSharedStrings(part)) for (const text of texts) table.add(text);
      table.finish();
      return { texts: Array.from({ length: table.size }, (_, i) => table.at(i)), spilled: table.spilled };
    } finally {
      table.close();
      await zip.close();
    }
  }

  it('reads a workbook the same with its strings in a temporary file', async () => {
    const generated = join(directory, 'many-strings.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: generated, useSharedStrings: true, useStyles: false });
    const sheet = writer.addWorksheet('Alumnos');
    // XML cannot carry an unpaired surrogate: every other kind of text goes through exceljs's writer.
    for (let i = 0; i < 3_000; i++) sheet.addRow([sampleText(i % 9 === 4 ? i + 1 : i), `A${i}`]).commit();
    sheet.commit();
    await writer.commit();

    for (const path of [generated, fixture('roster-exceljs-formulas.xlsx'), fixture('roster-libreoffice-booleans-dates.xlsx')]) {
      const held = await strings(path, undefined);
      const spilled = await strings(path, 0);
      expect(held.spilled).toBe(false);
      expect(spilled.spilled).toBe(true);
      expect(held.texts.length, path).toBeGreaterThan(0);
      expect(spilled.texts, path).toEqual(held.texts);
    }
    expect(readdirSync(directory)).toEqual(['many-strings.xlsx']);
  });
});
