import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI runs from the build; `npm test` builds first. Skipped when the build is missing or older
// than the sources (vitest alone does not build).
const SRC = fileURLToPath(new URL('../../src/simulator/', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/simulator/', import.meta.url));
const MAIN = `${DIST}main.js`;

function buildIsFresh(): boolean {
  return readdirSync(SRC)
    .filter((name) => name.endsWith('.ts'))
    .every((name) => {
      const built = `${DIST}${name.replace(/\.ts$/, '.js')}`;
      return existsSync(built) && statSync(built).mtimeMs >= statSync(`${SRC}${name}`).mtimeMs;
    });
}

/** What `--help` prints. */
async function helpText(): Promise<string> {
  const child = spawn(process.execPath, [MAIN, '--help'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  await once(child, 'exit');
  return stdout;
}

describe.skipIf(!buildIsFresh())('simulator CLI', () => {
  it('prints its URL and key on one stdout line, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--api-key', 'sk_test_cli'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    try {
      while (!stdout.includes('\n')) {
        if (child.exitCode !== null) throw new Error(`exited early: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const match = /^Quentli API simulator listening on (http:\/\/127\.0\.0\.1:\d+\/v1) \(API key sk_test_cli\)\n$/.exec(stdout);
      expect(match, stdout).not.toBeNull();
      const response = await fetch(`${match![1]}/customers`, { headers: { authorization: 'Bearer sk_test_cli' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('says in --help that --rate-limit 0 is no limit (and --page-size-cap 0 no cap), as a simulator started with it admits a burst', async () => {
    const help = await helpText();
    expect(help).toMatch(/^ {2}--rate-limit <n> .*\(0 = no limit, the default\)$/m);
    expect(help).toMatch(/^ {2}--page-size-cap <n> .*\(0 = no cap, the default\)$/m);
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--rate-limit', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const url = /listening on (\S+)/.exec(line)![1]!;
      const statuses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/customers`, { headers: { authorization: 'Bearer sk_test_simulator' } }).then((response) => response.status)));
      expect(statuses).toEqual(Array(50).fill(200));
    } finally {
      child.kill('SIGTERM');
    }
    await once(child, 'exit');
  });

  it('has every flag --help lists named in the README\'s simulator section', async () => {
    const flags = [...(await helpText()).matchAll(/^ {2}(--[a-z\d-]+)/gm)].map((match) => match[1]!);
    expect(flags.length).toBeGreaterThan(20);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## The Quentli API simulator');
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    // --host, --api-key, --org-id, --latency-jitter and --seed were in --help only.
    expect(flags.filter((flag) => !new RegExp(`${flag}(?![\\w-])`).test(section))).toEqual([]);
  });

  it('refuses a bad flag with exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, '--error-rate', '2'], { stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
  });
});
