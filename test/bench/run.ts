// `npm run bench`: the importer against its own dependencies and the network's limit, side by side
// in one run (ratios hold on a noisy machine). Inputs are generated into a temp dir; every scenario
// checks its row counts, so a broken pipeline cannot look fast. Prints one table and writes
// test/bench/RESULTS.md. See issue 7 for the targets.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCsvRoster, writeXlsxRoster, type Expected } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist-bench/test/bench
const root = resolve(here, '../../..');
const cli = join(root, 'dist/cli/main.js');
const preload = join(here, 'maxrss-preload.js');
const work = mkdtempSync(join(tmpdir(), 'quentli-bench-'));
const quick = process.argv.includes('--quick'); // a tenth of the rows, to try the bench itself
// The issue's own sizes where the default run scales them down to keep to minutes: 20,000 rows at
// every concurrency (over 7 minutes at concurrency 1) and the 300,000-row import at 50 ms (31 minutes).
const full = process.argv.includes('--full');
if (quick && full) {
  process.stderr.write('--quick and --full cannot be combined: --quick runs a tenth of the rows, --full the issue\'s own sizes\n');
  process.exit(2);
}

interface ChildResult {
  wallMs: number;
  stdout: string;
  stderr: string;
  code: number | null;
  maxRssMb: number;
  cpuMs: number;
}

interface Row {
  scenario: string;
  measure: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}
const table: Row[] = [];
const notes: string[] = [];

function record(scenario: string, measure: string, value: string, target = '', ok?: boolean): void {
  table.push({ scenario, measure, value, target, ok });
  process.stderr.write(`  ${scenario} | ${measure}: ${value}${target ? ` (target ${target}: ${ok ? 'met' : 'MISSED'})` : ''}\n`);
}

/**
 * A figure against its target, shown to `digits` decimals rounded toward missing the target, so it
 * never reads as the target beside "missed" (0.8996 of ≥ 0.9 shows as 0.89×, 0.5004 ms of ≤ 0.5 ms
 * as 0.501 ms).
 */
function recordAgainst(scenario: string, measure: string, value: number, bound: '≥' | '≤' | '<', target: number, unit: string, digits: number): void {
  const scale = 10 ** digits;
  const shown = bound === '≥' ? Math.floor(value * scale + 1e-9) / scale : Math.ceil(value * scale - 1e-9) / scale;
  const ok = bound === '≥' ? value >= target : bound === '≤' ? value <= target : value < target;
  record(scenario, measure, `${fmt(shown, digits)}${unit}`, `${bound} ${target}${unit}`, ok);
}

let usageCount = 0;
/** Runs `node <args>` with the usage preload; resolves with its output, wall time, peak RSS and CPU. */
function runNode(args: string[], env: Record<string, string> = {}): Promise<ChildResult> {
  const usageFile = join(work, `usage-${usageCount++}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', preload, ...args], {
    cwd: work,
    env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      let usage = { maxRssKb: 0, userUs: 0, systemUs: 0 };
      try {
        usage = JSON.parse(readFileSync(usageFile, 'utf8')) as typeof usage;
      } catch {
        // the child died before its exit hook: reported as a failure by the caller's checks
      }
      resolvePromise({ wallMs, stdout, stderr, code, maxRssMb: usage.maxRssKb / 1024, cpuMs: (usage.userUs + usage.systemUs) / 1000 });
    });
  });
}

function check(condition: boolean, what: string, child?: ChildResult): void {
  if (condition) return;
  const detail = child ? `\nexit ${child.code}\nstdout: ${child.stdout.slice(0, 2000)}\nstderr: ${child.stderr.slice(-2000)}` : '';
  throw new Error(`bench check failed: ${what}${detail}`);
}

interface Summary {
  counts: Record<string, number>;
  requests: number;
}

/** The CLI in a dry run; checks that every row came out as the generator says it should. */
async function dryRun(file: string, expected: Expected): Promise<ChildResult> {
  const result = await runNode([cli, file, '--dry-run', '--quiet', '--report', join(work, 'dry.results.csv'), '--summary-json', '-']);
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(result.stdout) as Summary;
  } catch {
    check(false, `dry run of ${file} printed no summary`, result);
  }
  check(
    summary!.counts.valid === expected.valid && summary!.counts.invalid === expected.invalid,
    `dry run of ${file}: expected ${expected.valid} valid + ${expected.invalid} invalid, got ${JSON.stringify(summary!.counts)}`,
    result,
  );
  return result;
}

const rate = (rows: number, ms: number) => rows / (ms / 1000);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Runs a function three times and keeps the fastest (the machine is noisy; the minimum is the least disturbed). */
async function best<T extends { wallMs: number }>(times: number, run: () => Promise<T>): Promise<T> {
  let fastest: T | undefined;
  for (let i = 0; i < times; i++) {
    const result = await run();
    if (!fastest || result.wallMs < fastest.wallMs) fastest = result;
  }
  return fastest!;
}

/** Runs two functions in turn, `times` times, and keeps the fastest run of each. */
async function bestInterleaved<A extends { wallMs: number }, B extends { wallMs: number }>(times: number, runA: () => Promise<A>, runB: () => Promise<B>): Promise<[A, B]> {
  let [a, b] = [await runA(), await runB()];
  for (let i = 1; i < times; i++) {
    const nextA = await runA();
    if (nextA.wallMs < a.wallMs) a = nextA;
    const nextB = await runB();
    if (nextB.wallMs < b.wallMs) b = nextB;
  }
  return [a, b];
}

async function parseScenario(): Promise<{ rss1M: number }> {
  const rows = quick ? 100_000 : 1_000_000;
  const file = join(work, 'roster-1m.csv');
  const expected = await writeCsvRoster(file, rows);
  const mb = statSync(file).size / 1e6;
  process.stderr.write(`1. parse+validate: ${fmt(rows)} rows, ${fmt(mb, 1)} MB (${fmt((mb * 1e6) / rows)} bytes/row)\n`);
  // Interleaved, best of three each: a burst of noise (the same code measured 0.42× and 0.48× an
  // hour apart) then hits both sides alike, and each side's least disturbed run is compared.
  const [papa, ours] = await bestInterleaved(
    3,
    async () => {
      const result = await runNode([join(here, 'papaparse-alone.js'), file]);
      check(JSON.parse(result.stdout).rows === rows, `papaparse counted ${result.stdout} rows, expected ${rows}`, result);
      return result;
    },
    () => dryRun(file, expected),
  );
  const stageLoop = (...flags: string[]) =>
    best(2, async () => {
      const result = await runNode([join(here, 'stage-loop.js'), file, join(work, 'stage-loop.results.csv'), ...flags]);
      const counted = JSON.parse(result.stdout) as { rows: number; valid: number };
      check(counted.rows === rows && counted.valid === expected.valid, `the stage loop counted ${result.stdout}, expected ${rows} rows, ${expected.valid} valid`, result);
      return result;
    });
  const stages = await stageLoop();
  const validation = await stageLoop('--validate-only');
  const ratio = rate(rows, ours.wallMs) / rate(rows, papa.wallMs);
  record('1. CSV parse+validate', `papaparse alone (${fmt(rows)} rows)`, `${fmt(rate(rows, papa.wallMs))} rows/s`);
  record('1. CSV parse+validate', 'importer --dry-run', `${fmt(rate(rows, ours.wallMs))} rows/s`);
  recordAgainst('1. CSV parse+validate', 'ratio importer / papaparse', ratio, '≥', 0.5, '×', 2);
  // CPU seconds are less disturbed than wall time when other work shares the two cores.
  record('1. CSV parse+validate', 'ratio by CPU time (user+system)', `${fmt(papa.cpuMs / ours.cpuMs, 2)}× (${fmt(ours.cpuMs / 1000, 1)} s vs ${fmt(papa.cpuMs / 1000, 1)} s)`);
  // The floor of the stages themselves: the same per-row work in a plain loop (stage-loop.ts).
  record(
    '1. CSV parse+validate',
    "the stages alone in one loop (reader, map, validate, username check, report line)",
    `${fmt(rate(rows, stages.wallMs))} rows/s: ${fmt(papa.wallMs / stages.wallMs, 2)}× of papaparse; importer / this loop ${fmt(stages.wallMs / ours.wallMs, 2)}×`,
  );
  record(
    '1. CSV parse+validate',
    'the same loop up to validation only (reader, map, validate)',
    `${fmt(rate(rows, validation.wallMs))} rows/s: ${fmt(papa.wallMs / validation.wallMs, 2)}× of papaparse`,
  );
  rmSync(file);
  return { rss1M: ours.maxRssMb };
}

async function excelScenario(): Promise<void> {
  const rows = quick ? 20_000 : 200_000;
  const file = join(work, 'roster-200k.xlsx');
  const started = performance.now();
  const expected = await writeXlsxRoster(file, rows);
  process.stderr.write(`2. excel: ${fmt(rows)} rows, ${fmt(statSync(file).size / 1e6, 1)} MB, written in ${fmt((performance.now() - started) / 1000, 1)} s\n`);
  // Interleaved, best of three each, as the CSV scenario: single runs of each side had put the
  // speed ratio anywhere from 0.54× to 1.39× across days.
  const [alone, ours] = await bestInterleaved(
    3,
    async () => {
      const result = await runNode([join(here, 'exceljs-alone.js'), file]);
      check(JSON.parse(result.stdout).rows === rows, `exceljs counted ${result.stdout} rows, expected ${rows}`, result);
      return result;
    },
    () => dryRun(file, expected),
  );
  const speed = rate(rows, ours.wallMs) / rate(rows, alone.wallMs);
  const memory = ours.maxRssMb / alone.maxRssMb;
  record('2. Excel', `exceljs reader alone (${fmt(rows)} rows)`, `${fmt(rate(rows, alone.wallMs))} rows/s, ${fmt(alone.maxRssMb)} MB peak`);
  record('2. Excel', 'importer --dry-run', `${fmt(rate(rows, ours.wallMs))} rows/s, ${fmt(ours.maxRssMb)} MB peak`);
  recordAgainst('2. Excel', 'speed ratio', speed, '≥', 0.8, '×', 2);
  recordAgainst('2. Excel', 'peak memory ratio', memory, '≤', 1.2, '×', 2);
  rmSync(file);

  // Issue 3 asks a workbook for the same flat memory as a CSV of the same rows (the same seed).
  const csvFile = join(work, 'roster-200k-same.csv');
  const asCsv = await dryRun(csvFile, await writeCsvRoster(csvFile, rows, 11));
  rmSync(csvFile);
  record('2. Excel', 'importer --dry-run on the same rows as CSV', `${fmt(rate(rows, asCsv.wallMs))} rows/s, ${fmt(asCsv.maxRssMb)} MB peak`);
  // "The same" read with the bench's own tolerance for flat memory (1M rows against 100k: 1.2×).
  const versusCsv = ours.maxRssMb / asCsv.maxRssMb;
  recordAgainst('2. Excel', 'peak memory, workbook / CSV of the same rows', versusCsv, '≤', 1.2, '×', 2);

  // Flat: a workbook of a tenth of the rows, to show what the larger one's peak owes to its rows.
  const smallRows = rows / 10;
  const smallFile = join(work, 'roster-small.xlsx');
  const small = await dryRun(smallFile, await writeXlsxRoster(smallFile, smallRows));
  rmSync(smallFile);
  record('2. Excel', `peak memory, workbook of ${fmt(rows)} / ${fmt(smallRows)} rows`, `${fmt(ours.maxRssMb / small.maxRssMb, 2)}× (${fmt(ours.maxRssMb)} MB against ${fmt(small.maxRssMb)} MB)`);
}

interface Simulator {
  url: string;
  apiKey: string;
  stats(): Promise<{ stats: { requests: number; rateLimited: number; creates: number }; stored: number }>;
  close(): Promise<void>;
}

/** Starts the simulator in its own process, so the client's CPU time is its own. */
async function startSimulator(options: Record<string, unknown>): Promise<Simulator> {
  const child: ChildProcess = fork(join(here, 'sim-host.js'), [JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<{ url: string; apiKey: string }>((resolvePromise, reject) => {
    child.once('message', (message) => resolvePromise(message as { url: string; apiKey: string }));
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    ...ready,
    stats: () =>
      new Promise((resolvePromise) => {
        child.once('message', (message) => resolvePromise(message as Awaited<ReturnType<Simulator['stats']>>));
        child.send({ type: 'stats' });
      }),
    close: () =>
      new Promise((resolvePromise) => {
        child.once('exit', () => resolvePromise());
        child.send({ type: 'close' });
      }),
  };
}

interface SendResult {
  counts: Record<string, number>;
  requests: number;
  elapsedMs: number;
  cpuUs: number;
  /** The same from row `warmupRows` on, when asked for. */
  steady?: { created: number; requests: number; elapsedMs: number; cpuUs: number };
  wallMs: number;
  stored: number;
  rateLimited: number;
}

/** One import of `rows` generated rows (all valid) by the library in a child process, against a fresh simulator. */
async function sendRun(rows: number, concurrency: number, simulatorOptions: Record<string, unknown>, warmupRows = 0): Promise<SendResult> {
  const file = join(work, `send-${rows}.csv`);
  const expected = await writeCsvRoster(file, rows);
  const simulator = await startSimulator(simulatorOptions);
  try {
    const result = await runNode([join(here, 'send-worker.js'), file, simulator.url, simulator.apiKey, String(concurrency), join(work, 'send.results.csv'), String(warmupRows)]);
    let parsed: Omit<SendResult, 'wallMs' | 'stored' | 'rateLimited'> | undefined;
    try {
      parsed = JSON.parse(result.stdout) as typeof parsed;
    } catch {
      check(false, 'the send worker printed no result', result);
    }
    const { stats, stored } = await simulator.stats();
    check(
      parsed!.counts.created === expected.valid && parsed!.counts.invalid === expected.invalid && stored === expected.valid,
      `sending ${rows} rows: expected ${expected.valid} created and stored, got ${JSON.stringify(parsed!.counts)}, ${stored} stored`,
      result,
    );
    return { ...parsed!, wallMs: result.wallMs, stored, rateLimited: stats.rateLimited };
  } finally {
    await simulator.close();
    rmSync(file, { force: true });
  }
}

async function sendingScenario(): Promise<void> {
  const latencyMs = 20;
  const seconds = quick ? 3 : 12;
  for (const concurrency of [1, 8, 32]) {
    const limit = (concurrency * 1000) / latencyMs;
    const rows = full ? 20_000 : Math.min(20_000, Math.round(limit * seconds));
    if (rows < 20_000) notes.push(`Sending at concurrency ${concurrency}: ${fmt(rows)} rows instead of 20,000, so the run lasts about ${seconds} s at the Little's law limit (\`--full\` sends 20,000).`);
    // The first fifth of the rows is also left out once: how much of the CPU went to warming up,
    // which a run of 20,000 rows would spread over more requests.
    const result = await sendRun(rows, concurrency, { latencyMs }, Math.round(rows / 5));
    const posts = result.counts.created!;
    const achieved = rate(posts, result.elapsedMs);
    const ratio = achieved / limit;
    const cpuPerRequest = result.cpuUs / 1000 / result.requests;
    const label = `3. Sending, ${latencyMs} ms latency`;
    record(label, `concurrency ${concurrency} (${fmt(rows)} rows${rows < 20_000 ? ', scaled to ~' + seconds + ' s' : ''})`, `${fmt(achieved)} rows/s of ${fmt(limit)} (Little's law)`);
    recordAgainst(label, `concurrency ${concurrency}: share of the limit`, ratio, '≥', 0.9, '×', 2);
    recordAgainst(label, `concurrency ${concurrency}: client CPU per request`, cpuPerRequest, '≤', 0.5, ' ms', 3);
    if (result.steady) {
      const steady = result.steady;
      record(
        label,
        `concurrency ${concurrency}: the same without the first fifth of the rows`,
        `${fmt(rate(steady.created, steady.elapsedMs) / limit, 2)}× of the limit, ${fmt(steady.cpuUs / 1000 / steady.requests, 3)} ms CPU a request`,
      );
    }
    // Two references against the same simulator, warmed up first, for half as long: the importer's
    // own API client alone, and a tiny node:http client (what this machine allows any Node client).
    const references = { requests: Math.round((limit * seconds) / 2), warmup: Math.max(200, Math.round(limit)) };
    const ceiling = await clientCeiling('client-ceiling.js', references.requests, references.warmup, concurrency, { latencyMs });
    const ceilingRate = rate(ceiling.requests, ceiling.elapsedMs);
    record(
      label,
      `concurrency ${concurrency}: the bare API client alone (${fmt(ceiling.requests)} creates after ${fmt(references.warmup)})`,
      `${fmt(ceilingRate)} rows/s (${fmt(ceilingRate / limit, 2)}× of the limit), ${fmt(ceiling.cpuUs / 1000 / ceiling.requests, 3)} ms CPU a request`,
    );
    const raw = await clientCeiling('raw-client.js', references.requests, references.warmup, concurrency, { latencyMs });
    const rawRate = rate(raw.requests, raw.elapsedMs);
    record(
      label,
      `concurrency ${concurrency}: a bare node:http client (${fmt(raw.requests)} creates after ${fmt(references.warmup)})`,
      `${fmt(rawRate)} rows/s (${fmt(rawRate / limit, 2)}× of the limit), ${fmt(raw.cpuUs / 1000 / raw.requests, 3)} ms CPU a request`,
    );
    record(label, `concurrency ${concurrency}: importer / bare API client / node:http`, `${fmt(achieved / rawRate, 2)}× / ${fmt(ceilingRate / rawRate, 2)}× / 1×`);
  }
}

/** A reference client script creating `requests` customers after `warmup` from `concurrency` loops against a fresh simulator. */
async function clientCeiling(
  script: string,
  requests: number,
  warmup: number,
  concurrency: number,
  simulatorOptions: Record<string, unknown>,
): Promise<{ requests: number; elapsedMs: number; cpuUs: number }> {
  const simulator = await startSimulator(simulatorOptions);
  try {
    const result = await runNode([join(here, script), simulator.url, simulator.apiKey, String(concurrency), String(requests), String(warmup)]);
    const { stored } = await simulator.stats();
    const parsed = JSON.parse(result.stdout) as { requests: number; elapsedMs: number; cpuUs: number };
    check(stored === requests + warmup, `${script} created ${stored} of ${requests} + ${warmup} customers`, result);
    return parsed;
  } finally {
    await simulator.close();
  }
}

async function rateLimitScenario(): Promise<void> {
  const limit = 100;
  const rows = quick ? 500 : 2_000;
  const concurrency = 32;
  const result = await sendRun(rows, concurrency, { latencyMs: 20, rateLimit: limit });
  const achieved = rate(result.requests - result.rateLimited, result.elapsedMs);
  const share429 = result.rateLimited / result.requests;
  const label = `4. Rate limit ${limit}/s`;
  record(label, `${fmt(rows)} rows, concurrency ${concurrency}, 20 ms latency`, `${fmt(achieved, 1)} admitted req/s, ${result.rateLimited} × 429 of ${result.requests} requests`);
  recordAgainst(label, 'achieved / limit', achieved / limit, '≥', 0.9, '×', 2);
  recordAgainst(label, '429s / requests', share429 * 100, '<', 5, ' %', 1);
}

async function memoryScenario(rss1M: number): Promise<void> {
  const rows = quick ? 10_000 : 100_000;
  const file = join(work, 'roster-100k.csv');
  const expected = await writeCsvRoster(file, rows);
  const small = await dryRun(file, expected);
  rmSync(file);
  const label = '5. Memory (peak RSS)';
  recordAgainst(label, `CSV dry run, ${fmt(rows)} rows`, small.maxRssMb, '<', 150, ' MB', 1);
  recordAgainst(label, `CSV dry run, ${fmt(rows * 10)} rows`, rss1M, '<', 150, ' MB', 1);
  recordAgainst(label, `${fmt(rows * 10)} / ${fmt(rows)} rows`, rss1M / small.maxRssMb, '≤', 1.2, '×', 2);

  // 300,000 rows at 50 ms and concurrency 8 take 31 minutes; 30,000 rows at 5 ms keep the pool as
  // busy (8 in flight, the reader paused at its high-water mark) in about 20 s.
  const importRows = full ? 300_000 : quick ? 3_000 : 30_000;
  const latencyMs = full ? 50 : 5;
  if (!full) notes.push(`Memory while sending: ${fmt(importRows)} rows at 5 ms latency instead of 300,000 at 50 ms (31 minutes, \`npm run bench -- --full\`); the pool and the reader's high-water mark are the same, and the dry runs show how memory grows with rows.`);
  const importFile = join(work, 'import.csv');
  const importExpected = await writeCsvRoster(importFile, importRows);
  const simulator = await startSimulator({ latencyMs });
  try {
    const result = await runNode(
      [cli, importFile, '--api-url', simulator.url, '--concurrency', '8', '--quiet', '--restart', '--report', join(work, 'import.results.csv'), '--summary-json', '-'],
      { QUENTLI_API_KEY: simulator.apiKey },
    );
    const summary = JSON.parse(result.stdout || '{}') as Summary;
    check(summary.counts?.created === importExpected.valid, `import: expected ${importExpected.valid} created, got ${JSON.stringify(summary.counts)}`, result);
    recordAgainst(label, `import ${fmt(importRows)} rows, concurrency 8, ${latencyMs} ms latency${full ? '' : ' (scaled from 300k at 50 ms)'}`, result.maxRssMb, '<', 150, ' MB', 1);
  } finally {
    await simulator.close();
    rmSync(importFile, { force: true });
  }
}

function render(): string {
  const lines = ['| scenario | measure | result | target | |', '| --- | --- | --- | --- | --- |'];
  for (const row of table) lines.push(`| ${row.scenario} | ${row.measure} | ${row.value} | ${row.target} | ${row.ok === undefined ? '' : row.ok ? 'met' : '**missed**'} |`);
  return lines.join('\n');
}

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');
const wanted = (n: string) => !only || only.includes(n);
const startedAt = performance.now();
const loadAtStart = loadavg()[0]!;
try {
  let rss1M = NaN;
  if (wanted('1') || wanted('5')) rss1M = (await parseScenario()).rss1M;
  if (wanted('2')) await excelScenario();
  if (wanted('3')) await sendingScenario();
  if (wanted('4')) await rateLimitScenario();
  if (wanted('5')) await memoryScenario(rss1M);
} finally {
  rmSync(work, { recursive: true, force: true });
}
const minutes = (performance.now() - startedAt) / 60_000;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30)} GiB, load average ${fmt(loadAtStart, 1)} at the start and ${fmt(loadavg()[0]!, 1)} at the end`;
const output = render();
process.stdout.write(`\n${output}\n\n${machine}; Node ${process.version}; ${fmt(minutes, 1)} min\n`);
if (!quick && !only) {
  const markdown = `# Benchmark results\n\nThe last \`npm run bench${full ? ' -- --full' : ''}\`: ${new Date().toISOString().slice(0, 10)}, ${machine}, Node ${process.version}, ${fmt(minutes, 1)} minutes in all.\nEach ratio is measured side by side in the same run; the machine is noisy (±30% between runs).\n\n${output}\n${notes.length ? `\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}`;
  writeFileSync(join(root, 'test/bench/RESULTS.md'), markdown);
}
