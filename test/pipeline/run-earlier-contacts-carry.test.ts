import { type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { finished, KEY, readCsvRecords, requireBuild, run, simulator, spawnCli, tempDir, type CliRun } from '../integration/cli-harness.js';
import { temporaryFolder } from '../temporary-folder.js';

const HEADER = 'Nombre completo,Correo electrónico,Teléfono';

let sim: RunningSimulator | undefined;
beforeAll(() => requireBuild());
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('what the journal knows of customers created without a username, across runs of other kinds under the same report name', () => {
  it('is kept through an upsert run and a run to another API: the next create run does not create the school a second time', async ({ onTestFinished }) => {
    const production = await startSimulator({ port: 0, seed: 21 });
    const sandbox = await startSimulator({ port: 0, seed: 22 });
    onTestFinished(async () => {
      await production.close();
      await sandbox.close();
    });
    const dir = temporaryFolder('qi-carry-');
    const file = join(dir, 'nocturno.csv');
    const reportPath = join(dir, 'nocturno.results.csv');
    const lines = Array.from({ length: 5 }, (_, i) => `Tutor ${i + 1},tutor${i + 1}@correo-escuela.mx,`);
    writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
    expect((await importCustomers({ file, apiUrl: production.url, apiKey: production.apiKey, reportPath })).counts).toMatchObject({ created: 5 });

    // Under the same report name: an upsert of a file with usernames, then a try against the sandbox.
    const other = join(dir, 'con-usuario.csv');
    writeFileSync(other, 'Nombre,Usuario,Correo\nAna Uno,ana.uno,ana@correo-escuela.mx\n');
    expect((await importCustomers({ file: other, apiUrl: production.url, apiKey: production.apiKey, reportPath, mode: 'upsert' })).counts).toMatchObject({ created: 1 });
    writeFileSync(file, [HEADER, ...lines, 'Tutor 6,tutor6@correo-escuela.mx,'].join('\n') + '\n');
    expect((await importCustomers({ file, apiUrl: sandbox.url, apiKey: sandbox.apiKey, reportPath })).counts).toMatchObject({ created: 6 });

    // Tonight's export to production again: the five are known, only the new one is created.
    const night = await importCustomers({ file, apiUrl: production.url, apiKey: production.apiKey, reportPath });
    expect(night.counts).toMatchObject({ created: 1, exists: 5 });
    expect(production.store.size).toBe(7);
    // And the sandbox's are known there too.
    writeFileSync(file, [HEADER, ...lines, 'Tutor 6,tutor6@correo-escuela.mx,', 'Tutor 7,tutor7@correo-escuela.mx,'].join('\n') + '\n');
    expect((await importCustomers({ file, apiUrl: sandbox.url, apiKey: sandbox.apiKey, reportPath })).counts).toMatchObject({ created: 1, exists: 6 });
    expect(sandbox.store.size).toBe(7);
  });
});

describe('a roster without usernames killed with creates in flight, fixed in the file and run again', () => {
  it('looks for the customers whose answers the killed run never got: created with their id, not failed (whose errors file would create them again)', async () => {
    const ROWS = 40;
    sim = await simulator({ latencyMs: 400 });
    const cwd = tempDir();
    const lines = Array.from({ length: ROWS }, (_, i) => `Tutor Número ${i + 1},tutor${i + 1}@correo-escuela.mx,`);
    lines[ROWS - 1] = `Tutor Número ${ROWS},tutor${ROWS}@,`; // refused: a bad email
    const file = join(cwd, 'tutores.csv');
    writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
    const args = [file, '--api-url', sim.url, '--concurrency', '4'];
    const child: ChildProcess = spawnCli(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
    const done: Promise<CliRun> = finished(child, cwd);
    // The simulator writes on arrival and answers 400 ms later: killed with writes in flight, unanswered.
    // Killed once every create the journal says was sent has arrived: one journaled but still on its
    // way is rightly failed (outcome unknown) on resume, which is not what this test is about.
    const journalPath = join(cwd, 'tutores.results.journal');
    const attemptsJournaled = () => (existsSync(journalPath) ? readFileSync(journalPath, 'utf8').split('\n').filter((line) => line.includes('"attempt":true')).length : -1);
    const deadline = Date.now() + 20_000;
    while (!(sim.stats.writes >= 6 && attemptsJournaled() === sim.stats.byRoute['POST /customers']) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const journal = readFileSync(join(cwd, 'tutores.results.journal'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { row?: number; attempt?: boolean; status?: string });
    const unanswered = journal.filter((line) => line.attempt === true && !journal.some((other) => other.row === line.row && other.status !== undefined));
    expect(unanswered.length).toBeGreaterThan(0);
    const landed = sim.store.size;

    sim.setFaults({ latencyMs: 0 });
    lines[ROWS - 1] = `Tutor Número ${ROWS},tutor${ROWS}@correo-escuela.mx,`;
    writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
    const second = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY }, timeoutMs: 60_000 });
    expect(second.code, second.stderr).toBe(0);
    const records = readCsvRecords(join(cwd, 'tutores.results.csv')).records;
    expect(records.filter((record) => record.status === 'failed')).toEqual([]);
    expect(records.filter((record) => record.status === 'created' || record.status === 'exists')).toHaveLength(ROWS);
    expect(new Set(records.map((record) => record.customerId)).size).toBe(ROWS);
    expect(sim.store.size).toBe(ROWS);
    expect(landed).toBeLessThan(ROWS);

    // The next file under the same report name finds them all known: not looked for again, not sent.
    const posts = sim.stats.byRoute['POST /customers'];
    writeFileSync(file, [HEADER, ...lines, 'Tutor Nuevo,nuevo@correo-escuela.mx,'].join('\n') + '\n');
    const third = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY }, timeoutMs: 60_000 });
    expect(third.code, third.stderr).toBe(0);
    expect(readCsvRecords(join(cwd, 'tutores.results.csv')).records.filter((record) => record.status === 'exists')).toHaveLength(ROWS);
    expect(sim.stats.byRoute['POST /customers']).toBe(posts! + 1);
    expect(sim.store.size).toBe(ROWS + 1);
  });
});
