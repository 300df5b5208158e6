import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/read/csv.js';
import { csvLine } from '../../src/report/csv-line.js';
import { reportCells, reportCsvLine, type ReportEntry } from '../../src/report/report-entry.js';
import { temporaryFolder } from '../temporary-folder.js';

const TRICKY = ['plain', '', 'a,b', 'a;b', 'tab\there', 'say "hi"', '"', 'two\nlines', 'cr\r\nlf', ' lead', 'trail ', 'Ñúñez °', '😀', '=1+1', "'quoted'"];

let dir: string;
beforeAll(() => {
  dir = temporaryFolder('qi-csvline-');
});

describe('csvLine', () => {
  it('quotes only where needed and doubles quotes, ending in CRLF', () => {
    expect(csvLine(['row', 'status'])).toBe('row,status\r\n');
    expect(csvLine(['a,b', 'say "hi"', 'x'])).toBe('"a,b","say ""hi""",x\r\n');
    expect(csvLine(['a;b', 'a,b'], ';')).toBe('"a;b";a,b\r\n');
    expect(csvLine(['two\nlines', ' lead', ''])).toBe('"two\nlines"," lead",\r\n');
  });

  it('quotes a cell with white space at an end, ASCII or not, and nothing else for it', () => {
    const spaced = ['\tx', 'x\v', '\fx', 'x\r', '\u00a0x', 'x\u00a0', '\u3000x', 'x\u2028', '\ufeffx', 'x\u202f'];
    for (const cell of spaced) expect(csvLine([cell])).toBe(`"${cell}"\r\n`);
    for (const cell of ['\u0001x', 'x\u001f', 'é', 'Ñúñez °', 'x\u200bx', '😀']) expect(csvLine([cell])).toBe(`${cell}\r\n`);
  });

  it('writes a results report line from an entry as it writes the entry\'s cells', () => {
    const entries: ReportEntry[] = [
      { row: 2, status: 'valid', username: 'ana.1', name: 'Ana Ruiz', values: [] },
      { row: 3, status: 'invalid', username: '=cmd', name: ' Ñúñez, "Beto"', error: 'row 3: "Correo": "x@" is not an email address', values: [] },
      { row: 4, status: 'created', customerId: 'cus_01H', username: '+525512345678', name: '@home\r\n', values: [] },
      { row: 5, status: 'failed', customerId: undefined, username: undefined, name: undefined, error: '-1 😀\t', values: [] },
      ...TRICKY.map((cell, i): ReportEntry => ({ row: 10 + i, status: 'duplicate', username: cell, name: cell, error: cell, values: [] })),
    ];
    for (const entry of entries) expect(reportCsvLine(entry)).toBe(csvLine(reportCells(entry), ',', true));
  });

  for (const delimiter of [',', ';', '\t']) {
    it(`round-trips every tricky cell through papaparse and readCsv (delimiter ${JSON.stringify(delimiter)})`, async () => {
      const header = TRICKY.map((_, i) => `c${i}`);
      const rows = [TRICKY, [...TRICKY].reverse(), TRICKY.map((cell) => `${cell}${cell}`)];
      const text = [header, ...rows].map((cells) => csvLine(cells, delimiter)).join('');
      expect(Papa.parse<string[]>(text, { delimiter, newline: '\r\n' }).data.slice(1, 4)).toEqual(rows);
      const path = join(dir, `round-trip-${header.length}-${delimiter.charCodeAt(0)}.csv`);
      await writeFile(path, `\uFEFF${text}`);
      const table = await readCsv(path);
      expect(table.headers).toEqual(header);
      expect(table.details.delimiter).toBe(delimiter === '\t' ? 'tab' : delimiter);
      const read: string[][] = [];
      for await (const batch of table.batches) for (const row of batch) read.push(row.values);
      expect(read).toEqual(rows);
    });
  }
});
