import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { temporaryFolder } from '../temporary-folder.js';

/** A stream that says it is a terminal, keeping what is written. */
function terminal(): { isTTY: true; write: (text: string) => boolean; text: () => string } {
  const chunks: string[] = [];
  return { isTTY: true, write: (text: string) => chunks.push(text) > 0, text: () => chunks.join('') };
}

describe('runCli log lines', () => {
  it('writes JSON lines under CI even on a terminal, as the progress lines are; short text on a terminal otherwise', async () => {
    const cwd = temporaryFolder('qi-runcli-');
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

describe('runCli refusals of a value', () => {
  it('names the flag, or the variable the value came from, not the engine option', async () => {
    const cwd = temporaryFolder('qi-runcli-');
    const refusal = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const stderr = terminal();
      expect(await runCli(argv, { cwd, env, stdout: terminal() as never, stderr: stderr as never })).toBe(2);
      return stderr.text();
    };
    expect(await refusal(['alumnos.csv', '--dry-run', '--api-url', 'ftp://x/v1'])).toMatch(/^quentli-import: --api-url "ftp:\/\/x\/v1" does not start with https:\/\//);
    expect(await refusal(['alumnos.csv', '--dry-run'], { QUENTLI_API_URL: 'http://api.quentli.com/v1' })).toMatch(/^quentli-import: QUENTLI_API_URL http:\/\/api\.quentli\.com\/v1 is not HTTPS/);
    expect(await refusal(['alumnos.csv', '--dry-run', '--default-country', 'xx'])).toBe('quentli-import: --default-country "xx" is not a two-letter country code (such as MX or US)\n');
    expect(await refusal(['alumnos.csv', '--dry-run', '--report', 'informes/'])).toMatch(/^quentli-import: --report informes\/ names a folder/);
  });
});
