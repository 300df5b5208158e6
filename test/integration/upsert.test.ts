import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { requireBuild } from './cli-harness.js';
import { killedWhenTestEnds } from '../child-process.js';
import { temporaryFolder } from '../temporary-folder.js';

// The real CLI, from the build (`npm test` builds first), as a child process against the simulator.
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Summary {
  counts: Record<string, number>;
  requests: number;
  dryRun: boolean;
}

const pad = (i: number) => String(i).padStart(3, '0');
const phoneOf = (i: number) => `+5255${10000000 + i}`;
const HEADER = 'Nombre,Usuario,Correo,Teléfono,Acepta contrato,Baja WhatsApp,Etiquetas,matricula';

/** M existing customers u000…u149, each with metadata a person added by hand in Quentli ("nota"). */
const EXISTING = 150;
function seedCustomers(sim: RunningSimulator): void {
  const customers = [];
  for (let i = 0; i < EXISTING; i++) {
    customers.push({
      name: `Alumno ${i}`,
      username: `u${pad(i)}`,
      email: `u${pad(i)}@example.com`,
      phoneNumber: phoneOf(i),
      acceptedServiceAgreement: true,
      ...(i >= 140 ? { optedOutWhatsappAt: '2025-01-15T00:00:00.000Z' } : {}),
      metadata: [
        { key: 'matricula', value: `M${i}` },
        { key: 'nota', value: 'added by hand' },
      ],
      tags: ['Colegiatura'],
    });
  }
  sim.store.seed(customers);
}

/**
 * The nightly export: u100…u149 (50 existing: 10 changed, 40 repeated as they are, written the way
 * a school system writes them: local phones, "sí", dd/mm/yyyy) and u200…u219 (20 new).
 */
function nightlyFile(): string {
  const lines = [HEADER];
  for (let i = 100; i < 150; i++) {
    let name = `Alumno ${i}`;
    let email = `u${pad(i)}@example.com`;
    let phone = `55 ${String(10000000 + i).replace(/^(\d{4})/, '$1 ')}`;
    let accepted = 'sí';
    let matricula = `M${i}`;
    if (i === 100 || i === 101) email = `nuevo${i}@example.com`;
    if (i === 102 || i === 103) phone = '55 9999 0000';
    if (i === 104 || i === 105) matricula = `M${i}-B`;
    if (i === 106 || i === 107) accepted = 'no';
    if (i === 108 || i === 109) name = `Alumno ${i} Pérez`;
    const optedOut = i >= 140 ? '15/01/2025' : '';
    lines.push([name, `u${pad(i)}`, email, phone, accepted, optedOut, '"Colegiatura, Nuevo ciclo"', matricula].join(','));
  }
  for (let i = 200; i < 220; i++) lines.push([`Nuevo ${i}`, `u${pad(i)}`, `u${pad(i)}@example.com`, '', 'sí', '', 'Nuevo ciclo', `M${i}`].join(','));
  return `${lines.join('\n')}\n`;
}

const CHANGED = 10;
const NEW = 20;
const REPEATED = 40;
const FILE_ROWS = CHANGED + NEW + REPEATED;

function runCli(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.QUENTLI_API_URL;
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
    const child = killedWhenTestEnds(spawn(process.execPath, [MAIN, ...args], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The report as {row, status, customerId, username}, one per data row (a naive split: read `error` raw). */
function readReport(path: string): { row: number; status: string; customerId: string; username: string; error: string }[] {
  const [, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [row, status, customerId, username, error] = line.split(',');
    return { row: Number(row), status: status!, customerId: customerId ?? '', username: username ?? '', error: error ?? '' };
  });
}

beforeAll(requireBuild);

describe('--mode upsert, the real CLI against the simulator', () => {
  let sim: RunningSimulator;
  let cwd: string;
  let env: Record<string, string | undefined>;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 7 });
    seedCustomers(sim);
    cwd = temporaryFolder('quentli-upsert-');
    env = { QUENTLI_API_KEY: sim.apiKey };
  });

  afterEach(async () => {
    await sim.close();
  });

  const upsert = (file: string, ...extra: string[]) =>
    runCli([file, '--mode', 'upsert', '--api-url', sim.url, '--summary-json', '-', ...extra], cwd, env);
  const summaryOf = (run: CliRun): Summary => JSON.parse(run.stdout) as Summary;

  it('creates the new, updates only what changed, leaves the rest untouched, within the request bound', async () => {
    writeFileSync(join(cwd, 'alumnos.csv'), nightlyFile());
    const run = await upsert('alumnos.csv');
    expect(run.code, run.stderr).toBe(0);

    expect(sim.stats.creates).toBe(NEW);
    expect(sim.stats.updates).toBe(CHANGED);
    expect(sim.stats.writes).toBe(NEW + CHANGED);
    const summary = summaryOf(run);
    expect(summary.counts).toMatchObject({ created: NEW, updated: CHANGED, unchanged: REPEATED, failed: 0, invalid: 0 });
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 0 });

    // One key check, ⌈M/100⌉ + 1 pages (an empty one ends the list), one write per changed row.
    const listingPages = Math.ceil(EXISTING / 100) + 1;
    expect(summary.requests).toBe(1 + listingPages + NEW + CHANGED);
    expect(summary.requests).toBeLessThanOrEqual(NEW + CHANGED + EXISTING / 100 + FILE_ROWS / 100 + 3);
    expect(sim.stats.requests).toBe(summary.requests);
    expect(sim.stats.byRoute['GET /customers']).toBe(1 + listingPages);
    expect(run.stderr).toContain(`loaded ${EXISTING} existing customers`);

    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report).toHaveLength(FILE_ROWS);
    const statusOf = (username: string) => report.find((line) => line.username === username)?.status;
    for (let i = 100; i < 110; i++) expect(statusOf(`u${pad(i)}`)).toBe('updated');
    for (let i = 110; i < 150; i++) expect(statusOf(`u${pad(i)}`)).toBe('unchanged');
    // Each updated row says what its update wrote over, without a warning line a row (a nightly sync's routine).
    expect(report.find((line) => line.username === `u${pad(100)}`)?.error).toBe('changed: email');
    expect(report.find((line) => line.username === `u${pad(108)}`)?.error).toBe('changed: name');
    expect(run.stderr).not.toContain('changed: ');
    for (let i = 200; i < 220; i++) expect(statusOf(`u${pad(i)}`)).toBe('created');
    for (const line of report) expect(line.customerId).toMatch(/^cus_/);

    const customer = (i: number) => sim.store.byUsername(`u${pad(i)}`)!;
    expect(customer(100).email).toBe('nuevo100@example.com');
    expect(customer(102).phoneNumber).toBe('+525599990000');
    expect(customer(106).acceptedServiceAgreement).toBe(false);
    expect(customer(108).name).toBe('Alumno 108 Pérez');
    // Metadata merged: the file's key changed, the key added by hand in Quentli survived.
    expect(customer(104).metadata).toEqual([
      { key: 'matricula', value: 'M104-B' },
      { key: 'nota', value: 'added by hand' },
    ]);
    for (let i = 100; i < 150; i++) expect(customer(i).meta.nota).toBe('added by hand');
    // Fields not in the file and the tags of existing customers are left alone; new ones get theirs.
    expect(customer(100).phoneNumber).toBe(phoneOf(100));
    for (let i = 100; i < 150; i++) expect(sim.store.tagsOf(customer(i).id)).toEqual(['Colegiatura']);
    expect(sim.store.tagsOf(customer(200).id)).toEqual(['Nuevo ciclo']);
    expect(customer(145).optedOutWhatsappAt).toBe('2025-01-15T00:00:00.000Z');
    expect(sim.store.size).toBe(EXISTING + NEW);
  });

  it('a second run of the same file writes nothing, with or without --restart', async () => {
    writeFileSync(join(cwd, 'alumnos.csv'), nightlyFile());
    const first = await upsert('alumnos.csv');
    expect(first.code, first.stderr).toBe(0);
    const writes = sim.stats.writes;

    // Same command: the first run finished, so its journal has nothing to resume; Quentli now matches the file.
    const again = await upsert('alumnos.csv');
    expect(again.code, again.stderr).toBe(0);
    expect(sim.stats.writes).toBe(writes);
    expect(summaryOf(again).counts).toMatchObject({ created: 0, updated: 0, unchanged: FILE_ROWS });
    expect(again.stderr).not.toContain('resuming');

    // --restart: the same fresh look-ups.
    const before = sim.stats.requests;
    const fresh = await upsert('alumnos.csv', '--restart');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(sim.stats.writes).toBe(writes);
    const summary = summaryOf(fresh);
    expect(summary.counts).toMatchObject({ created: 0, updated: 0, unchanged: FILE_ROWS });
    const pages = Math.ceil((EXISTING + NEW) / 100) + 1;
    expect(summary.requests).toBe(1 + pages);
    expect(sim.stats.requests - before).toBe(summary.requests);
    expect(readReport(join(cwd, 'alumnos.results.csv')).every((line) => line.status === 'unchanged')).toBe(true);
  });

  it('keeps metadata added in Quentli after the import when the file changes again', async () => {
    writeFileSync(join(cwd, 'alumnos.csv'), nightlyFile());
    expect((await upsert('alumnos.csv')).code).toBe(0);
    const id = sim.store.byUsername('u200')!.id;
    sim.store.update(id, { metadata: [...sim.store.byId(id)!.metadata, { key: 'beca', value: '50%' }] });

    writeFileSync(join(cwd, 'alumnos.csv'), nightlyFile().replace('Nuevo 200,u200,u200@example.com,,sí,,Nuevo ciclo,M200', 'Nuevo 200,u200,u200@example.com,,sí,,Nuevo ciclo,M200-X'));
    const run = await upsert('alumnos.csv');
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run).counts).toMatchObject({ updated: 1, unchanged: FILE_ROWS - 1, created: 0 });
    expect(sim.store.byId(id)!.metadata).toEqual([
      { key: 'matricula', value: 'M200-X' },
      { key: 'beca', value: '50%' },
    ]);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    writeFileSync(join(cwd, 'alumnos.csv'), nightlyFile());
    const run = await upsert('alumnos.csv', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(sim.stats.writes).toBe(0);
    expect(sim.stats.byRoute['POST /customers'] + sim.stats.byRoute['PATCH /customers/:id']).toBe(0);
    const summary = summaryOf(run);
    expect(summary.dryRun).toBe(true);
    expect(summary.counts).toMatchObject({ created: NEW, updated: CHANGED, unchanged: REPEATED, valid: 0 });
    expect(existsSync(join(cwd, 'alumnos.results.journal'))).toBe(false);
    // The file's tags reach the new customers only, and the run says so (not only the README).
    expect(run.stderr).toContain('Etiquetas\\" is sent to new customers only: --mode upsert does not change an existing customer\'s tags');

    // The real run afterwards does exactly what the dry run said.
    const dryReport = readReport(join(cwd, 'alumnos.results.csv'));
    const real = await upsert('alumnos.csv');
    expect(summaryOf(real).counts).toMatchObject({ created: NEW, updated: CHANGED, unchanged: REPEATED });
    // And names the fields it would change, as the real run's report then does.
    const changed = (lines: typeof dryReport) => lines.filter((line) => line.status === 'updated').map((line) => `${line.username} ${line.error}`);
    expect(changed(dryReport)).toEqual(changed(readReport(join(cwd, 'alumnos.results.csv'))));
    expect(changed(dryReport)).toHaveLength(CHANGED);
  });

  it('a dry run without a key checks the file only, and says so', async () => {
    writeFileSync(join(cwd, 'alumnos.csv'), nightlyFile());
    env = { QUENTLI_API_KEY: undefined };
    const run = await upsert('alumnos.csv', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(sim.stats.requests).toBe(0);
    expect(summaryOf(run).counts).toMatchObject({ valid: FILE_ROWS });
    expect(run.stderr).toContain('no API key');
  });

  it('refuses a file without a username column (exit 2), before any request', async () => {
    writeFileSync(join(cwd, 'sin-usuario.csv'), 'Nombre,Correo\nAna,ana@example.com\n');
    const run = await upsert('sin-usuario.csv');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/username/);
    expect(sim.stats.requests).toBe(0);
  });

  it('refuses rows without a username with a clear message, and sends the others', async () => {
    writeFileSync(join(cwd, 'huecos.csv'), `${HEADER}\nSin Usuario,,sin@example.com,,,,,\nNuevo 300,u300,u300@example.com,,,,,M300\n`);
    const run = await upsert('huecos.csv');
    expect(run.code).toBe(1);
    const report = readReport(join(cwd, 'huecos.results.csv'));
    expect(report[0]).toMatchObject({ row: 2, status: 'invalid' });
    const refusedLine = readFileSync(join(cwd, 'huecos.results.csv'), 'utf8').split('\n')[1]!;
    expect(refusedLine).toContain('""Usuario"": is empty: --mode upsert matches customers by username'); // CSV-quoted
    expect(report[1]).toMatchObject({ row: 3, status: 'created', username: 'u300' });
    expect(sim.stats.creates).toBe(1);
    expect(readFileSync(join(cwd, 'huecos.results.errors.csv'), 'utf8')).toContain('Sin Usuario');
  });
});
