import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers, type ImportEvent } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

const HEADER = 'Nombre completo,Correo electrónico,Teléfono';
const ROSTER = ['Lucía Fernández Ruiz,lucia@correo-escuela.mx,55 1234 5678', 'Tomás Ibáñez Peña,pedro@,55 2345 6789', 'Ana Sofía Cruz,ana@correo-escuela.mx,'];

describe('a finished journal whose rows without a username carry no fingerprint (written by the version before fingerprints)', () => {
  it('warns that the rows it created are created again, not that they are found', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 3 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-old-journal-');
    const file = join(dir, 'tutores.csv');
    const reportPath = join(dir, 'tutores.results.csv');
    writeFileSync(file, [HEADER, ...ROSTER].join('\n') + '\n');
    expect((await importCustomers({ file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath })).counts).toMatchObject({ created: 2, invalid: 1 });
    // The lines 94c0c1d wrote: the same, without `contact`.
    const journalPath = join(dir, 'tutores.results.journal');
    const lines = readFileSync(journalPath, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    writeFileSync(journalPath, lines.map(({ contact: _, ...rest }) => JSON.stringify(rest)).join('\n') + '\n');

    writeFileSync(file, [HEADER, ...ROSTER.map((line) => line.replace('pedro@', 'tomas@correo-escuela.mx'))].join('\n') + '\n');
    const warnings: string[] = [];
    const onEvent = (event: ImportEvent) => void (event.type === 'warning' && warnings.push(event.message));
    const second = await importCustomers({ file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath, onEvent });
    // Nothing tells this version which customers those were: they are created again, and the warning must say so.
    expect(second.counts).toMatchObject({ created: 3 });
    const warning = warnings.find((message) => message.includes('an earlier file under this report name'));
    expect(warning).toMatch(/any of them this file holds again is created a second time$/);
    expect(warning).not.toMatch(/is not sent again/);
  });
});
