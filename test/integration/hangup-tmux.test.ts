import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, hasTmux, KEY, shellQuote, readCsvRecords, terminalTest, simulator, tempDir } from './cli-harness.js';

// A run started on a terminal whose terminal then hangs up (an SSH session closed): the CLI runs in a
// detached tmux session (its own server, on a socket in the test's temp dir) under a shell that
// outlives the hangup to write down the exit code. Node 20 aborted on exit when it could not put the
// hung-up terminal's settings back: a finished run ended with 139 or 134 instead of its own code.
// Skipped where tmux is not installed (CI).

const ROWS = 12;

const terminal = terminalTest();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Starts the import on a tmux pane; the shell around it ignores the hangup and writes the exit code to `exit-code`. */
function startOnTerminal(cwd: string): void {
  const lines = ['Nombre,Usuario,Correo'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Alumno ${i},alumno${i},${i === 3 ? 'pedro@' : `alumno${i}@example.com`}`);
  writeFileSync(join(cwd, 'roster.csv'), `${lines.join('\n')}\n`);
  terminal.socket = join(cwd, 'tmux.sock');
  const script = [
    'trap "" HUP',
    `cd ${shellQuote(cwd)}`,
    `env -u CI -u NO_COLOR QUENTLI_API_KEY=${KEY} ${shellQuote(process.execPath)} ${shellQuote(CLI)} roster.csv --api-url ${terminal.sim!.url} --concurrency 1`,
    'echo $? > exit-code',
  ].join('\n');
  writeFileSync(join(cwd, 'run.sh'), `${script}\n`);
  execFileSync('tmux', ['-S', terminal.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'qi', '-x', '120', '-y', '40', `bash ${shellQuote(join(cwd, 'run.sh'))}`]);
}

function hangUp(): void {
  execFileSync('tmux', ['-S', terminal.socket!, 'kill-server']);
  terminal.socket = undefined;
}

describe.skipIf(!hasTmux)('the terminal hangs up under a run (tmux)', () => {
  it('a run that goes on to the end after its terminal hung up leaves with its own exit code, not a crash', async () => {
    terminal.sim = await simulator({ latencyMs: 150 });
    const cwd = tempDir();
    startOnTerminal(cwd);
    await waitFor(() => terminal.sim!.stats.creates >= 2, 'the first creates');
    hangUp();
    await waitFor(() => existsSync(join(cwd, 'exit-code')), 'the exit code');
    expect(readFileSync(join(cwd, 'exit-code'), 'utf8').trim()).toBe('1'); // one refused row
    const records = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(records.map((record) => record.row)).toEqual(Array.from({ length: ROWS }, (_, i) => String(i + 2)));
    expect(records.filter((record) => record.status === 'created')).toHaveLength(ROWS - 1);
  });

  it('a run told to stop by the hangup (SIGHUP) after its terminal is gone leaves with 130 and its report', async () => {
    terminal.sim = await simulator({ latencyMs: 1_000 });
    const cwd = tempDir();
    startOnTerminal(cwd);
    await waitFor(() => terminal.sim!.stats.creates >= 1, 'the first create');
    const pid = execFileSync('pgrep', ['-f', `${CLI} roster.csv --api-url ${terminal.sim.url}`], { encoding: 'utf8' }).trim();
    hangUp();
    process.kill(Number(pid), 'SIGHUP');
    await waitFor(() => existsSync(join(cwd, 'exit-code')), 'the exit code');
    expect(readFileSync(join(cwd, 'exit-code'), 'utf8').trim()).toBe('130');
    const records = readCsvRecords(join(cwd, 'roster.results.csv')).records;
    expect(records).toHaveLength(ROWS);
    expect(records.some((record) => record.status === 'not_attempted')).toBe(true);
  });
});
