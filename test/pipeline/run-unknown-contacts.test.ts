import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers, ImportError } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

/**
 * The warnings about rows without a username promised that the journal would know them by their
 * name, email and phone under the same report name; for a row with a name alone (no email or phone
 * column, an empty cell of each, or given names only) it knows nothing, and the next run of the
 * same file is refused. The warnings now say what that next run does.
 */
describe('rows without a username the journal cannot know by their name, email and phone', () => {
  it('warns of a file of names alone that importing it again is refused, and it is', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 11 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-unknown-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, 'Nombre,Grupo\nCarla Soto,3A\nDiego Luna,3B\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'alumnos.results.csv') };
    const warnings: string[] = [];
    const first = await importCustomers({ ...options, onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(first.counts.created).toBe(2);
    expect(warnings).toEqual([
      'no column holds a username, and the journal cannot know the rows by name, email and phone (no column holds an email or phone): customers are matched by username, so importing this file again under this report name is refused (exit 2), and with --restart or under another report name creates them again',
    ]);
    await expect(importCustomers(options)).rejects.toSatisfy((error) => error instanceof ImportError && error.code === 'journal');
    expect(sim.store.size).toBe(2);
  });

  it('names at the end the rows with neither email nor phone, whose file is refused the next run', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 12 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-unknown-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, 'Nombre,Usuario,Correo\nAna Ruiz,,ana@correo-escuela.mx\nBeto Paz,beto,\nCarla Soto,,\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'alumnos.results.csv') };
    const warnings: string[] = [];
    await importCustomers({ ...options, onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(warnings).toEqual([
      '2 rows (rows 2, 4) have no username ("Usuario" is empty), and the journal cannot know them all by name, email and phone (1 row (row 4) has no email or phone): customers are matched by username, so importing this file again under this report name is refused (exit 2), and with --restart or under another report name creates those customers again; fill in the username to make a re-run safe',
    ]);
    await expect(importCustomers(options)).rejects.toSatisfy((error) => error instanceof ImportError && error.code === 'journal');
  });

  it('still says the journal knows the rows of a file with an email or phone for each', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 13 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-unknown-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(file, 'Nombre,Correo\nAna Ruiz,ana@correo-escuela.mx\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'alumnos.results.csv') };
    const warnings: string[] = [];
    await importCustomers({ ...options, onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(warnings).toEqual([expect.stringContaining('except under this report name, whose journal knows each by its name, email and phone')]);
    expect((await importCustomers(options)).counts).toMatchObject({ exists: 1, created: 0 });
  });
});
