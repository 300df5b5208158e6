import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../src/simulator/index.js';
import { afterEach, beforeAll } from 'vitest';
import { killedWhenTestEnds } from '../child-process.js';
import { temporaryFolder } from '../temporary-folder.js';

// Helpers of the issue-2 integration tests: the real CLI as a child process, against a simulator
// started in the test process.

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist/cli/main.js');
export const DEMO = join(ROOT, 'dist/cli/demo.js');
export const fixture = (name: string): string => join(ROOT, 'fixtures', name);

/** Fails the suite with one clear line when the build is missing (`npm test` builds first; vitest alone does not). */
export function requireBuild(): void {
  for (const path of [CLI, DEMO]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (\`npm test\` builds, \`npx vitest\` does not)`);
  }
}

/** A key nobody else uses, so a leak of it is unambiguous. */
export const KEY = `sk_test_${randomBytes(12).toString('hex')}`;

export function simulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, seed: 2, apiKeys: [KEY], ...options });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  cwd: string;
}

/**
 * Starts `node <script> ...args` in `cwd` with only PATH (and TMPDIR, so that its temporary files go
 * where the suite's do, and a leak shows there) and the given variables in its environment; killed
 * if still running when the test ends.
 */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string>; script?: string }): ChildProcess {
  const tmpdir = process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR };
  return killedWhenTestEnds(
    spawn(process.execPath, [options.script ?? CLI, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...tmpdir, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** Collects a started child's output until it exits; kills it after `timeoutMs`. */
export function finished(child: ChildProcess, cwd: string, timeoutMs = 60_000): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, cwd });
    });
  });
}

/** Runs `node <script> ...args` in `cwd` to its end. */
export function run(args: string[], options: { cwd: string; env?: Record<string, string>; script?: string; timeoutMs?: number }): Promise<CliRun> {
  return finished(spawnCli(args, options), options.cwd, options.timeoutMs);
}

export function tempDir(): string {
  return temporaryFolder('qi-cli-');
}

/** The messages of stderr's JSON log lines (stderr is not a terminal here). */
export function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
      } catch {
        return line;
      }
    });
}

/** A CSV written by the CLI, as records keyed by its header. */
export function readCsvRecords(path: string, delimiter = ','): { fields: string[]; records: Record<string, string>[] } {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, delimiter });
  return { fields: parsed.meta.fields ?? [], records: parsed.data };
}

/** Every file the run left in its working directory, as text: for grepping the key. */
export function filesIn(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile()) files.set(name, readFileSync(path, 'latin1'));
  }
  return files;
}

/** One data row of the demo roster, read here independently of src/read. */
export interface DemoRow {
  row: number;
  cells: string[];
}

/** fixtures/roster-demo.csv: cp1252, `;`, CRLF, no multi-line cells; quotes only around cells holding `;`. */
export function demoRows(): { headers: string[]; rows: DemoRow[] } {
  const lines = iconv.decode(readFileSync(fixture('roster-demo.csv')), 'win1252').split('\r\n');
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (char === '"') quoted = false;
        else cell += char;
      } else if (char === '"') quoted = true;
      else if (char === ';') {
        cells.push(cell);
        cell = '';
      } else cell += char;
    }
    cells.push(cell);
    return cells;
  };
  const rows: DemoRow[] = [];
  lines.forEach((line, index) => {
    if (index > 0 && line.trim() !== '') rows.push({ row: index + 1, cells: split(line) });
  });
  return { headers: split(lines[0]!), rows };
}

/** A Mexican phone as the roster writes it (10 digits, maybe +52, spaces, dashes, parentheses) in E.164. */
export function mexicanE164(text: string): string {
  const digits = text.replace(/\D/g, '');
  if (digits.length === 10) return `+52${digits}`;
  if (digits.length === 12 && digits.startsWith('52')) return `+${digits}`;
  throw new Error(`not a phone of the demo roster: ${text}`);
}

/** One generated roster row. */
export interface RosterRow {
  name: string;
  username?: string;
  email?: string;
  phone?: string;
  grade?: string;
}

/** `count` valid, distinct students: `Alumno Núñez 1` / `alumno.0001` / `alumno0001@escuela.mx` / a valid CDMX number. */
export function students(count: number, from = 1): RosterRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const id = String(n).padStart(4, '0');
    return {
      name: `Alumno Núñez ${n}`,
      username: `alumno.${id}`,
      email: `alumno${id}@escuela.mx`,
      phone: `55 ${String(1000 + (n % 9000)).padStart(4, '0')} ${String(2000 + n).slice(-4)}`,
      grade: `${(n % 6) + 1}° A`,
    };
  });
}

/** Writes rows as a UTF-8 CSV with Spanish headers; `withUsername: false` leaves that column out. */
export function writeRoster(dir: string, name: string, rows: RosterRow[], options: { withUsername?: boolean } = {}): string {
  const withUsername = options.withUsername ?? true;
  const headers = ['Nombre completo', ...(withUsername ? ['Usuario'] : []), 'Correo electrónico', 'Teléfono', 'Grado'];
  const data = rows.map((row) => [row.name, ...(withUsername ? [row.username ?? ''] : []), row.email ?? '', row.phone ?? '', row.grade ?? '']);
  const path = join(dir, name);
  writeFileSync(path, `${Papa.unparse({ fields: headers, data }, { newline: '\n' })}\n`);
  return path;
}

/** The results report's lines, keyed by its header. */
export function readReport(path: string): Record<string, string>[] {
  return readCsvRecords(path).records;
}

/** Whether tmux is installed: the tests on a real terminal (a tmux pane) are skipped without it, as on CI. */
export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

/** A text as one word to the shell. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** What a test on a tmux pane started: its simulator and its own tmux server's socket. */
export interface TerminalTest {
  sim?: RunningSimulator;
  socket?: string;
}

/** Requires the build, and stops a test's tmux server and simulator after it, whatever happened. */
export function terminalTest(): TerminalTest {
  const test: TerminalTest = {};
  beforeAll(() => requireBuild());
  afterEach(async () => {
    if (test.socket) spawnSync('tmux', ['-S', test.socket, 'kill-server'], { stdio: 'ignore' });
    test.socket = undefined;
    await test.sim?.close();
    test.sim = undefined;
  });
  return test;
}
