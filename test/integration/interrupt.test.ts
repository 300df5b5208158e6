import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { CLI, finished, KEY, logMessages, readCsvRecords, requireBuild, run, simulator, spawnCli, tempDir, type CliRun } from './cli-harness.js';
import { killedWhenTestEnds } from '../child-process.js';

// Issue 6: Ctrl-C mid-run. The report still lists every data row exactly once (rows never reached
// are `not_attempted`), the exit code is 130, and running the same command again resumes.

const ROWS = 120;

function writeRoster(dir: string): string {
  const lines = ['Nombre,Usuario,Correo'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Alumno ${i},alumno${i},alumno${i}@example.com`);
  writeFileSync(join(dir, 'roster.csv'), `${lines.join('\n')}\n`);
  return join(dir, 'roster.csv');
}

/** Starts the CLI against the simulator; `done` resolves with its exit code and output. */
/** `small.csv`: `rows` students, alumno1…, in `dir`. */
function writeSmallRoster(dir: string, rows: number): string {
  const lines = ['Nombre,Usuario'];
  for (let i = 1; i <= rows; i++) lines.push(`Alumno ${i},alumno${i}`);
  const path = join(dir, 'small.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function startImport(args: string[], cwd: string): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawnCli(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
  return { child, done: finished(child, cwd) };
}

/** Polls until `condition` holds, the child has exited, or 20 s have passed. */
async function waitFor(condition: () => boolean, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition() && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
}

let sim: RunningSimulator | undefined;
beforeAll(() => requireBuild());
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('interrupted run', () => {
  it('exits 130 with a complete report, and a second run resumes without creating anyone twice', async () => {
    sim = await simulator({ latencyMs: 60 });
    const cwd = tempDir();
    const input = writeRoster(cwd);
    const args = [input, '--api-url', sim.url, '--concurrency', '4'];

    const { child, done } = startImport(args, cwd);
    // Interrupt once a few customers exist: well before the 120 rows (about 2 s at this pace) are done.
    await waitFor(() => sim!.store.size >= 10, child);
    expect(sim.store.size).toBeGreaterThanOrEqual(10);
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(130);
    expect(logMessages(stderr).some((message) => message.startsWith('interrupted'))).toBe(true);

    const first = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(first.map((record) => Number(record.row))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
    const statuses = new Set(first.map((record) => record.status));
    expect([...statuses].sort()).toEqual(['created', 'not_attempted']);
    const created = first.filter((record) => record.status === 'created').length;
    expect(created).toBe(sim.store.size); // in-flight requests were let finish and reported
    expect(created).toBeLessThan(ROWS);

    const second = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY }, timeoutMs: 60_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(logMessages(second.stderr).some((message) => message.startsWith('resuming'))).toBe(true);
    const records = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(records).toHaveLength(ROWS);
    expect(records.every((record) => record.status === 'created')).toBe(true);
    expect(sim.store.size).toBe(ROWS);
    for (let i = 1; i <= ROWS; i++) expect(sim.store.byUsername(`alumno${i}`), `alumno${i}`).toBeDefined();
    expect(sim.stats.creates).toBe(ROWS); // nobody created twice
  });

  it('stops when interrupted after the whole file was read, while the last rows are still in flight', async () => {
    sim = await simulator({ latencyMs: 2_000 });
    const cwd = tempDir();
    const small = writeSmallRoster(cwd, 6);
    // Concurrency 4 reads all 6 rows at once: 4 requests in flight, 2 queued behind them.
    const { child, done } = startImport([small, '--api-url', sim.url, '--concurrency', '4'], cwd);
    await waitFor(() => sim!.stats.byRoute['POST /customers'] >= 4, child);
    expect(sim.stats.byRoute['POST /customers']).toBe(4);
    child.kill('SIGTERM');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(130);
    const records = readCsvRecords(join(cwd, 'small.results.csv')).records;
    expect(records.map((record) => record.status)).toEqual(['created', 'created', 'created', 'created', 'not_attempted', 'not_attempted']);
    expect(sim.stats.creates).toBe(4);
  });

  /**
   * Signals a run with 2 of its 4 rows in flight, as `signal` does, and checks that it stopped once:
   * exit 130 (not a signal's death, not "interrupted again"), the report whole.
   */
  async function expectOneStop(signal: (child: ChildProcess) => Promise<void>): Promise<void> {
    sim = await simulator({ latencyMs: 2_000 });
    const cwd = tempDir();
    const small = writeSmallRoster(cwd, 4);
    const { child, done } = startImport([small, '--api-url', sim.url, '--concurrency', '2'], cwd);
    await waitFor(() => sim!.stats.byRoute['POST /customers'] >= 2, child);
    await signal(child);
    const result = await done;
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).not.toContain('interrupted again');
    const records = readCsvRecords(join(cwd, 'small.results.csv')).records;
    expect(records.map((record) => record.status)).toEqual(['created', 'created', 'not_attempted', 'not_attempted']);
  }

  it('stops the same way when its terminal or SSH session closes (SIGHUP): the report written, exit 130', async () => {
    await expectOneStop(async (child) => {
      child.kill('SIGHUP');
    });
  });

  it('a closed session SIGHUPs twice (the shell passes its own on, and the hangup reaches the job too): still the report, exit 130', async () => {
    await expectOneStop(async (child) => {
      child.kill('SIGHUP');
      child.kill('SIGHUP');
    });
  });

  it('a SIGTERM sent twice within milliseconds (a service stopped as a group, through su or runuser, which pass it on): still the report, exit 130', async () => {
    await expectOneStop(async (child) => {
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGTERM');
    });
  });

  it('a second interruption leaves at once with 130, and on a pipe its line is JSON like every other', async () => {
    sim = await simulator({ latencyMs: 5_000 });
    const cwd = tempDir();
    const input = writeRoster(cwd);
    const { child, done } = startImport([input, '--api-url', sim.url, '--concurrency', '2'], cwd);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => sim!.stats.byRoute['POST /customers'] >= 2, child);
    child.kill('SIGINT');
    await waitFor(() => stderr.includes('interrupted: finishing'), child);
    const signalledAt = Date.now();
    child.kill('SIGINT');
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(Date.now() - signalledAt).toBeLessThan(3_000); // not the requests' 5 s, nor the 10 s grace
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(logMessages(result.stderr).at(-1)).toMatch(/^quentli-import: interrupted again: leaving now/);
    // Its lock goes with it (left behind, a run from another container was refused for 2 minutes).
    expect(existsSync(join(cwd, 'roster.results.lock'))).toBe(false);
  });

  it('stops at once when interrupted while the API has paused every request (a long Retry-After)', async () => {
    sim = await simulator({ latencyMs: 100 });
    const cwd = tempDir();
    const input = writeRoster(cwd);
    const { child, done } = startImport([input, '--api-url', sim.url, '--concurrency', '4'], cwd);
    await waitFor(() => sim!.store.size >= 4, child);
    // From now on every answer is a 5xx, and a 503 says to come back in two minutes: the pool waits.
    sim.setFaults({ errorRate: 1, unavailableRetryAfter: 120 });
    await waitFor(() => (sim!.stats.byStatus[503] ?? 0) > 0, child);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(130);
    expect(Date.now() - signalledAt).toBeLessThan(5_000); // not the 10 s grace, nor the 120 s pause

    const records = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(records.map((record) => Number(record.row))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
    const statuses = new Set(records.map((record) => record.status));
    expect([...statuses].every((status) => ['created', 'failed', 'not_attempted'].includes(status ?? ''))).toBe(true);
    expect(records.filter((record) => record.status === 'not_attempted').length).toBeGreaterThan(0);
    // A row that was sent and got no usable answer may exist: it is failed (to resume), never not_attempted.
    for (const record of records.filter((r) => r.status === 'failed')) expect(record.error).toMatch(/interrupted|HTTP 50/);
    expect(records.filter((record) => record.status === 'created').length).toBe(sim.store.size);
  });

  it('stops at once when interrupted during the key check, against an API that never answers', async () => {
    sim = await simulator({ hangRate: 1 });
    const cwd = tempDir();
    const { child, done } = startImport([writeRoster(cwd), '--api-url', sim.url, '--timeout', '30'], cwd);
    await waitFor(() => sim!.stats.requests >= 1, child);
    const interruptedAt = Date.now();
    child.kill('SIGTERM');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(10_000); // not the 30 s timeout, nor its retries
    const records = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(records).toHaveLength(ROWS);
    expect(new Set(records.map((record) => record.status))).toEqual(new Set(['not_attempted']));
  });

  it('stops at once when interrupted during the upsert listing of a slow API', async () => {
    sim = await simulator({ latencyMs: 100 });
    sim.store.seed(Array.from({ length: 3_000 }, (_, i) => ({ name: `Otro ${i}`, username: `otro${i}` })));
    const cwd = tempDir();
    const { child, done } = startImport([writeRoster(cwd), '--api-url', sim.url, '--mode', 'upsert'], cwd);
    await waitFor(() => (sim!.stats.byRoute['GET /customers'] ?? 0) >= 4, child);
    const interruptedAt = Date.now();
    child.kill('SIGTERM');
    const { code, stderr } = await done;
    expect(code, stderr).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(10_000); // the listing's other 26 pages not read first
    expect(sim.stats.byRoute['GET /customers']).toBeLessThan(20);
    expect(readCsvRecords(join(cwd, 'roster.results.csv')).records.every((record) => record.status === 'not_attempted')).toBe(true);
    expect(sim.stats.writes).toBe(0);
  });

  it('resumes a killed upsert whose creates and updates landed unanswered as created and updated, not unchanged', async () => {
    sim = await simulator({ latencyMs: 400 });
    // The even rows' customers exist with another email: those rows are updates; the odd ones are new.
    const seeded = sim.store.seed(Array.from({ length: ROWS / 2 }, (_, i) => ({ name: `Alumno ${2 * i + 2}`, username: `alumno${2 * i + 2}`, email: `antes${2 * i + 2}@example.com` })));
    for (const customer of seeded) customer.createdAt = customer.updatedAt = '2026-08-17T15:00:00.000Z'; // customers since the summer
    const cwd = tempDir();
    const args = [writeRoster(cwd), '--api-url', sim.url, '--mode', 'upsert', '--concurrency', '4'];
    const { child, done } = startImport(args, cwd);
    // The simulator writes on arrival and answers 400 ms later: killed with writes in flight, unanswered.
    await waitFor(() => sim!.stats.writes >= 6, child);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const journal = readFileSync(join(cwd, 'roster.results.journal'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { row?: number; attempt?: boolean; status?: string });
    const unanswered = journal.filter((line) => line.attempt === true && !journal.some((other) => other.row === line.row && other.status !== undefined));
    expect(unanswered.length).toBeGreaterThan(0);

    sim.setFaults({ latencyMs: 0 });
    const second = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY }, timeoutMs: 60_000 });
    expect(second.code, second.stderr).toBe(0);
    const records = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(records.map((record) => Number(record.row))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
    expect(records.filter((record) => Number(record.row) % 2 === 0).every((record) => record.status === 'created')).toBe(true);
    expect(records.filter((record) => Number(record.row) % 2 === 1).every((record) => record.status === 'updated')).toBe(true);
    expect(sim.store.size).toBe(ROWS);
  });

  it('goes on to the end when the reader of its log lines goes away (a broken stderr pipe), and exits as the rows say', async () => {
    const cwd = tempDir();
    const rows = 3_000;
    writeFileSync(join(cwd, 'lista.csv'), `Nombre,Usuario\n${Array.from({ length: rows }, (_, i) => `Alumno ${i},alumno${i}`).join('\n')}\n`);
    const child = spawnCli(['lista.csv', '--dry-run', '--verbose', '--summary-json', 'summary.json'], { cwd });
    child.stderr!.destroy(); // every log line now meets a closed pipe (EPIPE)
    child.stdout!.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
    expect(readCsvRecords(join(cwd, 'lista.results.csv')).records).toHaveLength(rows);
    expect(JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8'))).toMatchObject({ rows, counts: { valid: rows } });
  });

  it('exits 2 when the summary asked on stdout cannot be written (a full disk), though the rows are done', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'lista.csv'), 'Nombre,Usuario\nAna Ruiz,ana\n');
    const full = openSync('/dev/full', 'w');
    const child = killedWhenTestEnds(spawn(process.execPath, [CLI, 'lista.csv', '--dry-run', '--summary-json', '-'], { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', full, 'pipe'] }));
    closeSync(full);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(code, stderr).toBe(2);
    expect(logMessages(stderr).at(-1)).toMatch(/^quentli-import: the import finished \(report: .*lista\.results\.csv\), but the --summary-json on stdout could not be written \(ENOSPC\)$/);
  });

  it.skipIf(spawnSync('prlimit', ['--version']).status !== 0)('a --summary-json the disk takes only part of (nearly full): exit 2, and the file holds that failure, not a summary cut short', async () => {
    // A file size limit of 4,096 bytes does what a nearly full disk does: the write that crosses it
    // is taken in part, without an error. The summary names the input as given: in a deep folder it
    // is past that size, and the run's other files (and the failure) are not.
    const cwd = tempDir();
    const input = join(...Array.from({ length: 18 }, () => 'carpeta-'.padEnd(200, 'x')), 'lista.csv');
    mkdirSync(join(cwd, dirname(input)), { recursive: true });
    writeFileSync(join(cwd, input), 'Nombre,Usuario\nAna Ruiz,ana\n');
    const args = [input, '--dry-run', '--report', 'lista.results.csv', '--summary-json', 'summary.json'];
    const child = killedWhenTestEnds(spawn('prlimit', ['--fsize=4096', process.execPath, CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] }));
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(code, stderr).toBe(2);
    expect(logMessages(stderr).at(-1)).toMatch(/^quentli-import: the import finished \(report: .*lista\.results\.csv\), but the --summary-json file .*summary\.json could not be written \(EFBIG\)$/);
    expect(JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8'))).toMatchObject({ exitCode: 2, error: { code: 'output' } });
  });

  it('writes a --summary-json that is a pipe or a device once, and leaves its permissions alone', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'lista.csv'), 'Nombre,Usuario\nAna Ruiz,ana\n');
    // A named pipe, as `--summary-json >(jq …)` gives: one JSON document, the summary, no "unfinished" marker before it.
    const fifo = join(cwd, 'summary.pipe');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${code}`)))));
    const reader = killedWhenTestEnds(spawn('cat', [fifo]));
    let piped = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (piped += chunk));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const result = await run(['lista.csv', '--dry-run', '--summary-json', 'summary.pipe'], { cwd });
    await readerDone;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(piped)).toMatchObject({ rows: 1, counts: { valid: 1 } });
    // A device: written as is (root once narrowed /dev/full to 0600 for everyone), and a full one is an `output` failure.
    const modeBefore = statSync('/dev/full').mode;
    const full = await run(['lista.csv', '--dry-run', '--summary-json', '/dev/full', '--report', 'otra.results.csv'], { cwd });
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('"code":"output"');
    expect(statSync('/dev/full').mode).toBe(modeBefore);
  });
});
