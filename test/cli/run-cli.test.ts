import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

/** A stream that says it is a terminal, keeping what is written. */
function terminal(): { isTTY: true; write: (text: string) => boolean; text: () => string } {
  const chunks: string[] = [];
  return { isTTY: true, write: (text: string) => chunks.push(text) > 0, text: () => chunks.join('') };
}

describe('runCli log lines', () => {
  it('writes JSON lines under CI even on a terminal, as the progress lines are; short text on a terminal otherwise', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qi-runcli-'));
    const underCi = terminal();
    const stdout = terminal();
    const ciCode = await runCli(['nope.csv', '--dry-run'], { cwd, env: { CI: 'true' }, stdout: stdout as never, stderr: underCi as never });
    expect(ciCode).toBe(2);
    const line = JSON.parse(underCi.text().trim().split('\n').at(-1)!) as { level: number; msg: string; code: string };
    expect(line).toMatchObject({ level: 50, code: 'input_file', msg: expect.stringMatching(/^quentli-import: .*nope\.csv: does not exist$/) });

    const person = terminal();
    expect(await runCli(['nope.csv', '--dry-run'], { cwd, env: {}, stdout: stdout as never, stderr: person as never })).toBe(2);
    expect(person.text()).toMatch(/^quentli-import: .*nope\.csv: does not exist\n$/);
  });
});
