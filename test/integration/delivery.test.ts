import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { finished, logMessages, readReport, run as runCli, spawnCli, students, tempDir, writeRoster } from './cli-harness.js';

// Issue 4's proof: whatever the API does, every valid row ends up in Quentli exactly once and in the
// report exactly once, or is reported failed with its reason.

let simulator: RunningSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: Parameters<typeof startSimulator>[0]): Promise<RunningSimulator> {
  simulator = await startSimulator({ port: 0, seed: 7, ...options });
  return simulator;
}

function env(sim: RunningSimulator): Record<string, string> {
  return { QUENTLI_API_KEY: sim.apiKey };
}

/** Sends `signal` to the child as soon as `ready` holds (polled every 5 ms). */
function signalWhen(child: ChildProcess, ready: () => boolean, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      child.kill(signal);
      resolve();
    }, 5);
  });
}

/** Every username of the file is in the simulator exactly once. */
function expectEachOnce(sim: RunningSimulator, usernames: string[]): void {
  const held = sim.store.all().map((customer) => customer.username);
  expect(held.length).toBe(usernames.length);
  expect(new Set(held)).toEqual(new Set(usernames));
}

describe('delivering every row exactly once', () => {
  it('survives 30% of answers being 5xx', async () => {
    const sim = await start({ errorRate: 0.3 });
    const cwd = tempDir();
    const rows = students(80);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const run = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(run.stderr).not.toContain('    at ');
    expect(run.code).toBe(0);
    expect(sim.stats.injectedErrors).toBeGreaterThan(0);
    expectEachOnce(sim, rows.map((row) => row.username!));
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(rows.map(() => 'created'));
    expect(report.map((line) => line.customerId)).toEqual(rows.map((row) => sim.store.byUsername(row.username!)?.id));
  });

  it('settles under a 20 requests/s limit, obeying Retry-After', async () => {
    const sim = await start({ rateLimit: 20 });
    const cwd = tempDir();
    const rows = students(60);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const run = await runCli([file, '--api-url', sim.url, '--concurrency', '8'], { cwd, env: env(sim) });
    expect(run.code).toBe(0);
    expectEachOnce(sim, rows.map((row) => row.username!));
    // A pool that hammered the limit would draw a 429 on a large share of its requests.
    expect(sim.stats.rateLimited / sim.stats.requests).toBeLessThan(0.25);
  });

  it('a 429 on the key check (a limit another client spent) does not pace the run at 1 request/s', async () => {
    // The key check's 429 came after a second with no answers: the pace learned from it was 1/s,
    // climbing 1% every 5 s, so these 80 rows took about 80 s against a 40 requests/s limit.
    const sim = await start({ rateLimit: 40, rateLimitedFirst: 1 });
    const cwd = tempDir();
    const rows = students(80);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const started = Date.now();
    const run = await runCli([file, '--api-url', sim.url, '--concurrency', '8'], { cwd, env: env(sim), timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(sim.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expectEachOnce(sim, rows.map((row) => row.username!));
    // 80 rows at 40/s plus the 1 s pause are about 3 s; 20 s leaves room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 70_000);

  it('finds the customers whose create answer was cut, instead of creating them twice', async () => {
    const sim = await start({ cutAfterCreateRate: 0.1 });
    const cwd = tempDir();
    const rows = students(80);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const run = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(run.code).toBe(0);
    expect(sim.stats.cuts).toBeGreaterThan(0);
    expectEachOnce(sim, rows.map((row) => row.username!));
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(new Set(report.map((line) => line.status))).toEqual(new Set(['created']));
  });

  it('looks a customer up after a timeout, when the create landed after the client gave up', async () => {
    // 100–1300 ms per answer against a 1 s timeout: about a quarter time out, yet the server still writes.
    const sim = await start({ latencyMs: 700, latencyJitterMs: 600 });
    const cwd = tempDir();
    const rows = students(24);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const run = await runCli([file, '--api-url', sim.url, '--timeout', '1', '--concurrency', '8'], { cwd, env: env(sim) });
    expect(run.code).toBe(0);
    expectEachOnce(sim, rows.map((row) => row.username!));
  });

  it('finds a row with no username whose answer was lost among the customers created since: created, never sent twice', async () => {
    const sim = await start({ cutAfterCreateRate: 1 });
    const cwd = tempDir();
    const rows = students(3);
    const file = writeRoster(cwd, 'sin-usuario.csv', rows, { withUsername: false });
    const run = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(run.code).toBe(0);
    expect(sim.store.size).toBe(3);
    expect(sim.stats.byRoute['POST /customers']).toBe(3);
    const report = readReport(join(cwd, 'sin-usuario.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['created', 'created', 'created']);
    expect(report.map((line) => line.customerId).sort()).toEqual(sim.store.all().map((customer) => customer.id).sort());
  });

  it('does not send again, on resume, a row without a username whose create was interrupted: it is found, created once', async () => {
    const sim = await start({ cutAfterCreateRate: 1, latencyMs: 150 });
    const cwd = tempDir();
    const rows = [{ name: 'Sin Usuario Uno' }, ...students(6)];
    const file = writeRoster(cwd, 'mixto.csv', rows);
    const args = [file, '--api-url', sim.url, '--concurrency', '1'];
    const first = spawnCli(args, { cwd, env: env(sim) });
    const stopped = finished(first, cwd);
    await signalWhen(first, () => sim.store.size >= 3, 'SIGINT');
    expect((await stopped).code).toBe(130);
    const second = await runCli(args, { cwd, env: env(sim) });
    expect(second.code).toBe(0);
    const ours = sim.store.all().filter((customer) => customer.name === 'Sin Usuario Uno');
    expect(ours).toHaveLength(1);
    const report = readReport(join(cwd, 'mixto.results.csv'));
    // Its answer was cut: found among the customers created since it was sent, by its name.
    expect(report[0]).toMatchObject({ row: '2', status: 'created', customerId: ours[0]!.id });
    expect(report.slice(1).every((line) => line.status === 'created')).toBe(true);
    expectEachOnce(sim, [null, ...rows.slice(1).map((row) => row.username!)] as string[]);
  });

  /**
   * Two rows alike (not refused as one: two students may share a name), the first create never
   * answered and nothing written; the second created meanwhile. The first one's look-up, after
   * its 1 s timeout, finds the second one's customer.
   */
  async function twoAlikeFirstHung(options: { givenNames?: boolean } = {}): Promise<{ sim: RunningSimulator; cwd: string; args: string[] }> {
    const sim = await start({
      onRequest: (event) => {
        if (event.method === 'GET' && sim.stats.byRoute['POST /customers'] === 0) sim.setFaults({ hangRate: 1 }); // after the key check
        else if (event.outcome === 'hang') sim.setFaults({ hangRate: 0 }); // the first create only
      },
    });
    const cwd = tempDir();
    // Given names only: two María José sharing the school's phone are two people, not a repeat.
    const file = join(cwd, 'nombres.csv');
    if (options.givenNames) writeFileSync(file, 'Nombre(s),Teléfono,Grado\nMaría José,55 1234 5678,1° A\nMaría José,55 1234 5678,2° B\n');
    else writeRoster(cwd, 'nombres.csv', [{ name: 'Ana Ruiz', grade: '1° A' }, { name: 'Ana Ruiz', grade: '2° B' }], { withUsername: false });
    return { sim, cwd, args: [file, '--api-url', sim.url, '--timeout', '1', '--concurrency', '2'] };
  }

  it.each([
    ['a name alone', false],
    ['given names only', true],
  ])('gives a customer a lost answer finds to no other row: the other row alike (%s) created it', async (_, givenNames) => {
    const { sim, cwd, args } = await twoAlikeFirstHung({ givenNames });
    const run = await runCli(args, { cwd, env: env(sim) });
    expect(sim.stats.hangs).toBe(1);
    expect(sim.store.size).toBe(1);
    const report = readReport(join(cwd, 'nombres.results.csv'));
    const created = report.filter((line) => line.status === 'created');
    expect(created.map((line) => line.customerId)).toEqual([sim.store.all()[0]!.id]);
    expect(report.filter((line) => line.status === 'failed').map((line) => line.error)).toEqual([expect.stringMatching(/^outcome unknown: .*likely not created/)]);
    expect(run.code).toBe(1);
  });

  it('gives a customer found while another row alike awaits its answer to neither: it may be that row of the file', async () => {
    // Seed 42051 draws, in the order requests arrive: the key check answered in 8 ms; the first
    // create a 5xx with nothing written, in 47 ms; the second written on arrival, answered in 746 ms;
    // the first one's look-up answered in 75 ms, finding the second one's customer while it waits.
    const sim = await start({ seed: 42051, errorRate: 0.5, latencyMs: 500, latencyJitterMs: 500 });
    const cwd = tempDir();
    const file = writeRoster(cwd, 'nombres.csv', [{ name: 'Ana Ruiz', grade: '1° A' }, { name: 'Ana Ruiz', grade: '2° B' }], { withUsername: false });
    const run = await runCli([file, '--api-url', sim.url, '--concurrency', '2'], { cwd, env: env(sim) });
    expect(sim.stats.requests).toBe(4);
    expect(sim.store.size).toBe(1);
    const report = readReport(join(cwd, 'nombres.results.csv'));
    expect(report.filter((line) => line.status === 'created').map((line) => line.customerId)).toEqual([sim.store.all()[0]!.id]);
    expect(report.filter((line) => line.status === 'failed').map((line) => line.error)).toEqual([expect.stringContaining('while another row alike was being sent')]);
    expect(run.code).toBe(1);
  });

  it('gives a customer a resumed row finds to no row the killed run confirmed', async () => {
    const { sim, cwd, args } = await twoAlikeFirstHung();
    const first = spawnCli(args, { cwd, env: env(sim) });
    const killed = finished(first, cwd);
    // Killed once the second row's customer is confirmed in the journal, the first still unanswered.
    await signalWhen(first, () => /"status":"created"/.test(readFileSync(join(cwd, 'nombres.results.journal'), { encoding: 'utf8', flag: 'a+' })), 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    expect(sim.store.size).toBe(1);
    const second = await runCli(args, { cwd, env: env(sim) });
    expect(sim.store.size).toBe(1);
    const report = readReport(join(cwd, 'nombres.results.csv'));
    expect(report.filter((line) => line.status === 'created').map((line) => line.customerId)).toEqual([sim.store.all()[0]!.id]);
    expect(report.filter((line) => line.status === 'failed')).toHaveLength(1);
    expect(second.code).toBe(1);
  });

  it('marks a row failed with the last reason once retries run out (exit 1)', async () => {
    const sim = await start({ errorRate: 1 });
    const cwd = tempDir();
    const file = writeRoster(cwd, 'alumnos.csv', students(2));
    // The key check itself retries 5xx; let it through, then fail every create.
    const run = spawnCli([file, '--api-url', sim.url, '--max-attempts', '3'], { cwd, env: env(sim) });
    sim.setFaults({ errorRate: 0 });
    const check = setInterval(() => {
      if (sim.stats.byRoute['GET /customers'] > 0) {
        sim.setFaults({ errorRate: 1 });
        clearInterval(check);
      }
    }, 1);
    const result = await finished(run, cwd);
    clearInterval(check);
    expect(result.code).toBe(1);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['failed', 'failed']);
    // A 5xx may come after the customer was written: the message says how to find out.
    expect(report[0]!.error).toMatch(/gave up after retries: HTTP 5\d\d.*; it may have been created: running the same command again checks, by its username$/);
    expect(sim.store.size).toBe(0);
  });

  it('resumes after kill -9 halfway without creating anyone twice', async () => {
    const sim = await start({ latencyMs: 40 });
    const cwd = tempDir();
    const rows = students(120);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const args = [file, '--api-url', sim.url, '--concurrency', '4'];
    const first = spawnCli(args, { cwd, env: env(sim) });
    const killed = finished(first, cwd);
    await signalWhen(first, () => sim.store.size >= 40, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    const createdBeforeCrash = sim.store.size;
    expect(createdBeforeCrash).toBeLessThan(rows.length);
    const journal = readFileSync(join(cwd, 'alumnos.results.journal'), 'utf8');
    expect(journal).toContain('"status":"created"');

    const second = await runCli(args, { cwd, env: env(sim) });
    expect(second.code).toBe(0);
    expectEachOnce(sim, rows.map((row) => row.username!));
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => Number(line.row))).toEqual(rows.map((_, i) => i + 2));
    expect(new Set(report.map((line) => line.status))).toEqual(new Set(['created']));
    expect(report.map((line) => line.customerId)).toEqual(rows.map((row) => sim.store.byUsername(row.username!)?.id));
    // Rows confirmed before the crash were not sent again.
    expect(sim.stats.byRoute['POST /customers']).toBeLessThan(rows.length + 8);
  });

  it('stops with exit 2 when the API goes away mid-run and stays away as long as a row may retry, then resumes', async () => {
    const sim = await start({ latencyMs: 20 });
    const cwd = tempDir();
    const rows = students(300);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const args = [file, '--api-url', sim.url, '--concurrency', '4', '--max-retry-wait', '3'];
    const child = spawnCli(args, { cwd, env: env(sim) });
    const done = finished(child, cwd);
    const port = Number(new URL(sim.url).port);
    while (sim.store.size < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const customers = sim.store.all().map((customer) => ({ ...customer }));
    await sim.close();
    const started = Date.now();
    const result = await done;
    expect(result.code, result.stderr).toBe(2);
    expect(Date.now() - started).toBeLessThan(30_000); // 3 s of silence, not each row's own retries
    expect(result.stderr).toMatch(/every request to the API has failed for \d+ s .*run the same command again/);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => Number(line.row))).toEqual(rows.map((_, i) => i + 2));
    expect(report.filter((line) => line.status === 'created').length).toBeGreaterThanOrEqual(customers.length - 4);
    expect(report.filter((line) => line.status === 'not_attempted').length).toBeGreaterThan(200);

    // Back on the same port with what it held: the same command finishes the job, nobody twice.
    const back = await start({ port });
    back.store.seed(customers.map(({ name, username }) => ({ name, username })));
    const resumed = await runCli(args, { cwd, env: env(back) });
    expect(resumed.code, resumed.stderr).toBe(0);
    expectEachOnce(back, rows.map((row) => row.username!));
  });

  it('resumes a killed second run of the same file as exists, not created: the customers were there before its tries', async () => {
    const sim = await start({});
    const cwd = tempDir();
    const rows = students(40);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const args = [file, '--api-url', sim.url, '--concurrency', '4'];
    expect((await runCli(args, { cwd, env: env(sim) })).code).toBe(0);
    // Last night: older than the 2 s the two clocks are allowed to differ by.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    // Tonight's run sends the same file; it is killed with creates in flight, their answers never read.
    sim.setFaults({ latencyMs: 300 });
    const posts = () => sim.stats.byRoute['POST /customers'] ?? 0;
    const before = posts();
    const tonight = spawnCli(args, { cwd, env: env(sim) });
    const killed = finished(tonight, cwd);
    await signalWhen(tonight, () => posts() >= before + 4, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    expect(readFileSync(join(cwd, 'alumnos.results.journal'), 'utf8')).toMatch(/"attempt":true,"at":\d+/);

    sim.setFaults({ latencyMs: 0 });
    const resumed = await runCli(args, { cwd, env: env(sim) });
    expect(resumed.code).toBe(0);
    expect(sim.store.size).toBe(rows.length);
    expect(new Set(readReport(join(cwd, 'alumnos.results.csv')).map((line) => line.status))).toEqual(new Set(['exists']));
  });

  it('leaves no earlier summary or JSON report behind when a run is killed: both say it has not finished', async () => {
    const sim = await start({});
    const cwd = tempDir();
    const outputs = ['--report', 'resultados.json', '--summary-json', 'resumen.json'];
    const small = writeRoster(cwd, 'ayer.csv', students(3));
    expect((await runCli([small, '--api-url', sim.url, ...outputs], { cwd, env: env(sim) })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8')).counts.created).toBe(3);

    sim.setFaults({ latencyMs: 40 });
    const tonight = spawnCli([writeRoster(cwd, 'hoy.csv', students(200, 10)), '--api-url', sim.url, '--concurrency', '2', ...outputs], { cwd, env: env(sim) });
    const killed = finished(tonight, cwd);
    await signalWhen(tonight, () => sim.store.size >= 10, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8'))).toEqual({ error: { code: 'unfinished', message: expect.stringMatching(/has not finished/) } });
    expect(JSON.parse(readFileSync(join(cwd, 'resultados.json'), 'utf8'))).toEqual({ summary: null, rows: null });
  });

  it('checks Quentli afresh after a finished run: the same file again is all exists, and nothing is written', async () => {
    const sim = await start({});
    const cwd = tempDir();
    const rows = students(6);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    expect((await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) })).code).toBe(0);
    const writes = sim.stats.writes;
    const again = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(again.code).toBe(0);
    expect(sim.stats.writes).toBe(writes);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(rows.map(() => 'exists'));
    expect(report.map((line) => line.customerId)).toEqual(rows.map((row) => sim.store.byUsername(row.username!)?.id));
  });

  it('against an API that ignores the filter and refuses a taken username 400 with an empty body: lost answers found, a re-run all exists, the organization listed once', async () => {
    // 150 customers before ours: a look-up's answer (its first page) never holds one of the file's.
    const seen = { listings: 0, filtered: 0 };
    const sim = await start({
      ignoreFilter: true,
      conflictStatus: 400,
      conflictWithoutReason: true,
      cutAfterCreateRate: 0.3,
      customers: Array.from({ length: 150 }, (_, i) => ({ name: `Otro Cliente ${i}`, username: `otro.${i}` })),
      onRequest: ({ method, url }) => {
        if (method === 'GET' && url.startsWith('/v1/customers?') && !url.includes('take=1&') && !url.endsWith('take=1')) seen[url.includes('filter=') ? 'filtered' : 'listings']++;
      },
    });
    const cwd = tempDir();
    const rows = students(52);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const first = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(first.code, first.stderr).toBe(0);
    expect(sim.stats.cuts).toBeGreaterThan(5);
    // Each lost answer found by its username in the listing, never sent again.
    expect(sim.stats.byRoute['POST /customers']).toBe(52);
    const ours = sim.store.all().filter((customer) => customer.username?.startsWith('alumno.'));
    expect(ours.map((customer) => customer.username).sort()).toEqual(rows.map((row) => row.username).sort());
    expect(readReport(join(cwd, 'alumnos.results.csv')).map((line) => line.status)).toEqual(rows.map(() => 'created'));

    // The same file again: every create refused 400 with no words, every row found, exists.
    sim.setFaults({ cutAfterCreateRate: 0 });
    sim.resetStats();
    seen.listings = seen.filtered = 0;
    const again = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(again.code, again.stderr).toBe(0);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(rows.map(() => 'exists'));
    expect(report.map((line) => line.customerId)).toEqual(rows.map((row) => sim.store.byUsername(row.username!)?.id));
    expect(sim.stats.writes).toBe(0);
    // The listing read once (202 customers: three pages and the empty one), not once a row; a
    // look-up for each row sent before the first one showed the filter ignored (8 at a time); one GET by id a row.
    expect(seen.listings).toBe(4);
    expect(seen.filtered).toBeLessThanOrEqual(8);
    expect(sim.stats.byRoute['GET /customers/:id']).toBe(52);
    expect(again.stderr).toContain('it ignores that filter, so usernames were looked for in a listing of every customer');
  });

  it('refuses a file that lost its username column under the report name of an import that matched its customers by username: none is created a second time', async () => {
    const sim = await start({ latencyMs: 20 });
    const cwd = tempDir();
    const rows = students(12);
    const file = writeRoster(cwd, 'alumnos.csv', rows);
    const args = [file, '--api-url', sim.url, '--concurrency', '2'];
    // Last night's import, killed on the way: tonight's export comes without its "Usuario" column.
    const first = spawnCli(args, { cwd, env: env(sim) });
    const killed = finished(first, cwd);
    await signalWhen(first, () => sim.store.size >= 4, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    const created = sim.store.size;
    writeRoster(cwd, 'alumnos.csv', rows, { withUsername: false });
    const refused = await runCli(args, { cwd, env: env(sim) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/alumnos\.results\.journal: the import that wrote this journal sent \d+ rows with a username to this API, and this file has no username column: each of those customers it holds would be created a second time, since customers are matched by username\. Give the file its username column \(or map it with --mapping\), import a file of new customers only under another --report, or add --restart to import every row anyway/);
    expect(sim.store.size).toBe(created);
    // The export with its column again resumes nothing (another file) and creates each customer once.
    writeRoster(cwd, 'alumnos.csv', rows);
    expect((await runCli(args, { cwd, env: env(sim) })).code).toBe(0);
    expectEachOnce(sim, rows.map((row) => row.username!));
    // The same after a finished import: the file without the column is refused, nothing written.
    writeRoster(cwd, 'alumnos.csv', rows, { withUsername: false });
    const writes = sim.stats.writes;
    expect((await runCli(args, { cwd, env: env(sim) })).code).toBe(2);
    expect(sim.stats.writes).toBe(writes);
    expect(sim.store.size).toBe(rows.length);
  });

  it('starts fresh, with a warning, when the input changed since an unfinished run', async () => {
    const sim = await start({});
    const cwd = tempDir();
    const file = writeRoster(cwd, 'alumnos.csv', students(5));
    expect((await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) })).code).toBe(0);
    // As if that run had been killed before its end: the journal loses its closing line.
    const journalPath = join(cwd, 'alumnos.results.journal');
    writeFileSync(journalPath, readFileSync(journalPath, 'utf8').replace(/.*"complete":true.*\n/, ''));
    writeRoster(cwd, 'alumnos.csv', students(7));
    const second = await runCli([file, '--api-url', sim.url], { cwd, env: env(sim) });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/input file changed/);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['exists', 'exists', 'exists', 'exists', 'exists', 'created', 'created']);
    expect(sim.store.size).toBe(7);
  });
});

describe('create mode, a username Quentli holds with its accents decomposed', () => {
  it('reports the row `exists` with that customer, never a second student, run after run', async () => {
    const decomposed = 'josé.pérez'.normalize('NFD');
    const sim = await start({ customers: [{ name: 'José Pérez', username: decomposed, email: 'jose@escuela.mx' }] });
    const cwd = tempDir();
    const file = writeRoster(cwd, 'alumnos.csv', [{ name: 'José Pérez', username: 'josé.pérez'.normalize('NFC'), email: 'jose@escuela.mx' }, ...students(2)]);
    for (const args of [[], ['--report', 'otra-vez.csv']]) {
      const run = await runCli([file, '--api-url', sim.url, ...args], { cwd, env: env(sim) });
      expect(run.code).toBe(0);
      expect(sim.store.all().filter((customer) => customer.username?.normalize('NFC') === 'josé.pérez'.normalize('NFC'))).toHaveLength(1);
      // Once a run, in words that fit a username matched by its accents' encoding, not by its case.
      expect(logMessages(run.stderr).filter((message) => message.includes('matches a username Quentli writes otherwise (in another case, or with its accents decomposed)'))).toHaveLength(1);
    }
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report[0]).toMatchObject({ status: 'exists', customerId: sim.store.byUsername(decomposed)!.id });
    expect(report[0]!.error).toContain('Quentli writes its accents decomposed');
    expect(sim.store.size).toBe(3);
  });
});
