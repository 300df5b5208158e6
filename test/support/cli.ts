import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

/** The built CLI; `npm test` builds before running vitest. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** What a finished CLI run printed and returned. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI as a child process in `cwd`, with only the given environment (plus PATH). */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string> }): ChildProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it)`);
  return spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the real CLI to its end. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  return finished(spawnCli(args, options));
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/** A fresh temporary working directory. */
export function tempDir(prefix = 'quentli-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One generated roster row. */
export interface RosterRow {
  name: string;
  username?: string;
  email?: string;
  phone?: string;
  grade?: string;
}

/** `count` valid, distinct students: `Alumno 1` / `alumno.0001` / `alumno0001@escuela.mx` / a valid CDMX mobile. */
export function students(count: number, from = 1): RosterRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const id = String(n).padStart(4, '0');
    return { name: `Alumno Núñez ${n}`, username: `alumno.${id}`, email: `alumno${id}@escuela.mx`, phone: `55 ${String(1000 + (n % 9000)).padStart(4, '0')} ${String(2000 + n).slice(-4)}`, grade: `${(n % 6) + 1}° A` };
  });
}

/** Writes rows as a UTF-8 CSV with Spanish headers; `withUsername: false` leaves that column out. */
export function writeRoster(dir: string, name: string, rows: RosterRow[], options: { withUsername?: boolean } = {}): string {
  const withUsername = options.withUsername ?? true;
  const headers = ['Nombre completo', ...(withUsername ? ['Usuario'] : []), 'Correo electrónico', 'Teléfono', 'Grado'];
  const data = rows.map((row) => [row.name, ...(withUsername ? [row.username ?? ''] : []), row.email ?? '', row.phone ?? '', row.grade ?? '']);
  const path = join(dir, name);
  writeFileSync(path, Papa.unparse({ fields: headers, data }, { newline: '\n' }) + '\n');
  return path;
}

/** The results report as records keyed by its header. */
export function readReport(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return parsed.data;
}
