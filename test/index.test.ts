import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf, importCustomers, InputFileError, MappingError, MissingMappedHeaderError, MissingNameColumnError, NoDataRowsError } from '../src/index.js';
import { temporaryFolder } from './temporary-folder.js';

// A program tells the refusals of a file apart with `instanceof` on what the package exports.
describe('the error classes the package exports', () => {
  let dir: string;
  beforeEach(() => (dir = temporaryFolder('qi-index-')));

  const refusal = (name: string, text: string, mapping?: { columns: Record<string, string> }) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return importCustomers({ file, dryRun: true, reportPath: join(dir, `${name}.results.csv`), ...(mapping ? { mapping } : {}) }).then(
      () => undefined,
      (error: unknown) => error,
    );
  };

  it('are the ones thrown', async () => {
    const noRows = await refusal('vacio.csv', 'Nombre,Correo\n');
    expect(noRows).toBeInstanceOf(NoDataRowsError);
    expect(noRows).toBeInstanceOf(InputFileError);
    const noName = await refusal('sin-nombre.csv', 'Correo,Teléfono\nana@example.com,5512345678\n');
    expect(noName).toBeInstanceOf(MissingNameColumnError);
    expect(noName).toBeInstanceOf(MappingError);
    const missing = await refusal('alumnos.csv', 'Nombre,Correo\nAna,ana@example.com\n', { columns: { Matrícula: 'username' } });
    expect(missing).toBeInstanceOf(MissingMappedHeaderError);
    expect(missing).toBeInstanceOf(MappingError);
  });
});

describe('exitCodeOf, as the package exports it', () => {
  it('gives the CLI exit code of a finished dry run: 1 when a row was refused, 0 when none was', async () => {
    const dir = temporaryFolder('qi-index-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, 'Nombre,Correo\nAna López,ana@example.com\nLuis Díaz,luis@\n');
    const refused = await importCustomers({ file, dryRun: true, reportPath: join(dir, 'a.results.csv') });
    expect(exitCodeOf(refused)).toBe(1);
    writeFileSync(file, 'Nombre,Correo\nAna López,ana@example.com\n');
    const clean = await importCustomers({ file, dryRun: true, reportPath: join(dir, 'b.results.csv') });
    expect(exitCodeOf(clean)).toBe(0);
    expect(exitCodeOf({ ...clean, interrupted: true })).toBe(130);
  });
});
