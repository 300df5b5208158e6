import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { temporaryFolder } from '../temporary-folder.js';

describe('the errors file of a CSV input opens in a spreadsheet as the roster did', () => {
  it.each([
    ['a comma', ',', ','],
    ['a semicolon (a Spanish-language Excel)', ';', ';'],
    // A .csv split by tabs or bars opens in Excel as one column: commas, which Excel in Mexico splits by, and the importer reads back.
    ['a tab', '\t', ','],
    ['a bar', '|', ','],
  ])('an input split by %s gives an errors file split by the same or by commas', async (_, delimiter, expected) => {
    const dir = temporaryFolder('qi-errors-file-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, ['Nombre,Usuario,Correo', 'Ana Ruiz,aruiz,ana@example.com', 'Beto Díaz,bdiaz,beto@'].map((line) => line.replaceAll(',', delimiter)).join('\n') + '\n');
    const summary = await importCustomers({ file, dryRun: true, reportPath: join(dir, 'alumnos.results.csv') });
    expect(summary.counts).toMatchObject({ valid: 1, invalid: 1 });
    const lines = readFileSync(join(dir, 'alumnos.results.errors.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(['Nombre', 'Usuario', 'Correo', 'error'].join(expected));
    expect(lines[1]!.startsWith(['Beto Díaz', 'bdiaz', 'beto@', ''].join(expected))).toBe(true);
    // Imported again as it is, it reads the same columns.
    const again = await importCustomers({ file: join(dir, 'alumnos.results.errors.csv'), dryRun: true, reportPath: join(dir, 'again.results.csv') });
    expect(again.counts).toMatchObject({ invalid: 1 });
  });
});
