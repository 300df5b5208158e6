import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { KEY, logMessages, readReport, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// A student who left was archived in Quentli; the next school year's export has them again. The
// import cannot unarchive (the API has no call for it): the report and one warning must say so, or
// the family is never billed and nobody knows why.

const ROSTER = [
  'Nombre,Usuario,Correo',
  'Ana López,ana.lopez,ana.nueva@example.com', // archived, email changed since
  'Beto Ruiz,beto.ruiz,beto@example.com', // archived, as it is
  'Carla Díaz,carla.diaz,carla@example.com', // not archived
  '',
].join('\n');

describe('customers archived in Quentli', () => {
  let sim: RunningSimulator;
  let cwd: string;

  beforeAll(requireBuild);

  beforeEach(async () => {
    sim = await simulator();
    sim.store.seed([
      { name: 'Ana López', username: 'ana.lopez', email: 'ana@example.com', archivedAt: '2026-06-30T18:00:00.000Z' },
      { name: 'Beto Ruiz', username: 'beto.ruiz', email: 'beto@example.com', archivedAt: '2026-07-01T09:30:00.000Z' },
      { name: 'Carla Díaz', username: 'carla.diaz', email: 'carla@example.com' },
    ]);
    cwd = tempDir();
    writeFileSync(join(cwd, 'alumnos.csv'), ROSTER);
  });

  afterEach(async () => {
    await sim.close();
  });

  const importFile = (...extra: string[]) => run(['alumnos.csv', '--api-url', sim.url, ...extra], { cwd, env: { QUENTLI_API_KEY: KEY } });

  it('upsert updates them, and the report and one warning say they stay archived', async () => {
    const result = await importFile('--mode', 'upsert');
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['updated', 'unchanged', 'unchanged']);
    const archived = ': the import does not unarchive customers (unarchive it in Quentli if it should be billed again)';
    expect(report[0]!.error).toBe(`changed: email; archived in Quentli since 2026-06-30${archived}`);
    expect(report[1]!.error).toBe(`archived in Quentli since 2026-07-01${archived}`);
    expect(report[2]!.error).toBe('');
    expect(sim.store.byUsername('ana.lopez')!.email).toBe('ana.nueva@example.com');

    // One line for all of them, not one a row every night.
    const messages = logMessages(result.stderr);
    expect(messages.filter((message) => message.includes('archived'))).toEqual([
      '2 rows (rows 2, 3) match customers archived in Quentli: they stay archived (the import does not unarchive customers); see the note in the report',
    ]);
  });

  it('create mode finds them as exists, with the same note', async () => {
    const result = await importFile();
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['exists', 'exists', 'exists']);
    expect(report[0]!.error).toMatch(/^archived in Quentli since 2026-06-30: /);
    expect(report[1]!.error).toMatch(/^archived in Quentli since 2026-07-01: /);
    expect(report[2]!.error).toBe('');
    expect(logMessages(result.stderr).filter((message) => message.includes('archived'))).toHaveLength(1);
  });
});
