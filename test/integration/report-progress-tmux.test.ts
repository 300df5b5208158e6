import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, hasTmux, KEY, shellQuote, terminalTest, simulator, tempDir } from './cli-harness.js';

// Issue 6: the progress line on a real pseudo-terminal. The CLI runs inside a detached tmux session
// (its own server, on a socket in the test's temp dir, killed afterwards) against a slow simulator; the pane is captured while it
// runs and after. Skipped where tmux is not installed (CI): the renderer's bytes are unit-tested in
// test/cli/progress.test.ts.

const PROGRESS = /^[\d,]+ read · [\d,]+ sent · [\d,]+ ok · \d+ refused · \d+ failed · [\d,]+ rows\/s/;
const ROWS = 150;

const terminal = terminalTest();


describe.skipIf(!hasTmux)('progress on a real terminal (tmux)', () => {
  it('redraws one line in place, keeps log lines whole, and clears it before the summary', async () => {
    terminal.sim = await simulator({ latencyMs: 50 });
    const cwd = tempDir();
    const lines = ['Nombre,Usuario,Correo'];
    for (let i = 1; i <= ROWS; i++) lines.push(`Alumno ${i},alumno${i},${i === 60 ? 'pedro@' : `alumno${i}@example.com`}`);
    writeFileSync(join(cwd, 'roster.csv'), `${lines.join('\n')}\n`);

    terminal.socket = join(cwd, 'tmux.sock');
    const command = [
      `cd ${shellQuote(cwd)}`,
      `env -u CI -u NO_COLOR QUENTLI_API_KEY=${KEY} ${shellQuote(process.execPath)} ${shellQuote(CLI)} roster.csv --api-url ${terminal.sim.url} --concurrency 2`,
    ].join(' && ');
    execFileSync('tmux', ['-S', terminal.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'qi', '-x', '120', '-y', '40', `${command}; echo "EXIT=$?"; sleep 120`]);

    const capture = () => execFileSync('tmux', ['-S', terminal.socket!, 'capture-pane', '-p', '-t', 'qi'], { encoding: 'utf8' });
    const snapshots: string[] = [];
    const deadline = Date.now() + 90_000;
    let final = '';
    while (Date.now() < deadline) {
      const pane = capture();
      snapshots.push(pane);
      if (/EXIT=\d+/.test(pane)) {
        final = pane;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(final, snapshots.at(-1)).toMatch(/EXIT=1/); // one refused row

    const progressLines = snapshots.map((pane) => pane.split('\n').filter((line) => PROGRESS.test(line)));
    // Redrawn in place: never two progress lines on screen at once…
    expect(progressLines.every((found) => found.length <= 1)).toBe(true);
    // …and it did update while the run went on.
    const seen = new Set(progressLines.flat());
    expect(seen.size, snapshots.join('\n-----\n')).toBeGreaterThanOrEqual(2);
    // The share of the file and the ETA come from the position of the rows read, even in a small roster.
    expect([...seen].some((line) => / · \d+% · ETA \d+:\d\d$/.test(line.trimEnd())), [...seen].join('\n')).toBe(true);

    const screen = final.split('\n');
    expect(screen.some((line) => PROGRESS.test(line) || line.includes(' rows/s · '))).toBe(false); // cleared
    // The warning written mid-run is whole, on its own line.
    expect(screen.some((line) => /^warn {2}row 61, "Correo": "pedro@" is not a valid email/.test(line))).toBe(true);
    const summaryAt = screen.findIndex((line) => line.startsWith(`Imported ${ROWS} rows of roster.csv in `));
    expect(summaryAt, final).toBeGreaterThanOrEqual(0);
    expect(screen[summaryAt + 1]).toBe(`  created ${ROWS - 1}, invalid 1`);
    expect(screen).toContain('  1 row: "Correo" is not a valid email (row 61)');
  });
});
