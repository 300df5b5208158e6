import { createServer } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY, readReport, requireBuild, run, students, tempDir, writeRoster } from './cli-harness.js';

// A Retry-After written as an HTTP date by a server that sends no Date header (Node's own with
// `sendDate = false`, some gateways): the date is read against this machine's clock, and the wait
// bounded as any Retry-After's is, never a crash (exit 2, `unexpected`).

/** An API answering the first create `status` with `Retry-After: <retryAfter()>` and no Date header, every other request as a plain API would; `posts` are the creates' arrival times. */
async function dateless(status: 429 | 503, retryAfter: () => string, onTestFinished: (fn: () => Promise<void>) => void): Promise<{ url: string; posts: number[] }> {
  const posts: number[] = [];
  const api = createServer((request, response) => {
    response.sendDate = false;
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      if (request.method !== 'POST') return response.end('[]'); // the key check and the look-ups: nobody holds it
      posts.push(Date.now());
      if (posts.length === 1) {
        response.writeHead(status, { 'retry-after': retryAfter() });
        return response.end(JSON.stringify({ message: status === 429 ? 'too many requests' : 'service unavailable' }));
      }
      const { input } = JSON.parse(body) as { input: Record<string, unknown> };
      const now = new Date().toISOString();
      response.statusCode = 201;
      response.end(JSON.stringify({ customer: { ...input, id: `cus_${posts.length}`, createdAt: now, updatedAt: now } }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => api.close(() => resolve())));
  return { url: `http://127.0.0.1:${(api.address() as { port: number }).port}/v1`, posts };
}

/** The stderr log line that says why a run stopped, as JSON. */
const stopLine = (stderr: string) => stderr.split('\n').filter((line) => line.includes('"code"')).map((line) => JSON.parse(line) as { code: string; msg: string });

describe('a Retry-After HTTP date from a server without a Date header', () => {
  beforeAll(requireBuild);

  for (const status of [429, 503] as const) {
    it(`on a ${status}, is waited for by this machine's clock, and the row created`, async ({ onTestFinished }) => {
      // Two whole seconds ahead: the HTTP date has whole seconds.
      const due = Math.ceil(Date.now() / 1000) * 1000 + 2_000;
      const api = await dateless(status, () => new Date(due).toUTCString(), onTestFinished);
      const cwd = tempDir();
      writeRoster(cwd, 'alumnos.csv', students(1));
      const result = await run(['alumnos.csv', '--api-url', api.url, '--concurrency', '1'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(0);
      expect(readReport(join(cwd, 'alumnos.results.csv')).map((line) => line.status)).toEqual(['created']);
      expect(api.posts).toHaveLength(2);
      expect(api.posts[1]!).toBeGreaterThanOrEqual(due - 20);
    });

    it(`on a ${status}, one already past (Wed, 21 Oct 2026 07:28:00 GMT, as the report of it had it) asks again at once`, async ({ onTestFinished }) => {
      const api = await dateless(status, () => 'Wed, 21 Oct 2026 07:28:00 GMT', onTestFinished);
      const cwd = tempDir();
      writeRoster(cwd, 'alumnos.csv', students(1));
      const result = await run(['alumnos.csv', '--api-url', api.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(0);
      expect(readReport(join(cwd, 'alumnos.results.csv')).map((line) => line.status)).toEqual(['created']);
      expect(api.posts).toHaveLength(2);
    });

    it(`on a ${status}, one past --max-retry-wait stops the run saying so (exit 2, not a crash)`, async ({ onTestFinished }) => {
      const api = await dateless(status, () => 'Wed, 21 Oct 2099 07:28:00 GMT', onTestFinished);
      const cwd = tempDir();
      writeRoster(cwd, 'alumnos.csv', students(1));
      const result = await run(['alumnos.csv', '--api-url', api.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(2);
      const [stopped] = stopLine(result.stderr);
      expect(stopped?.code).toBe(status === 429 ? 'rate_limited' : 'api_unreachable');
      expect(stopped?.msg).toMatch(/asks to wait \d+ s \(Retry-After\), longer than a row may wait \(300 s, --max-retry-wait\)/);
      // Reported once, not created: the same command resumes it.
      const report = readReport(join(cwd, 'alumnos.results.csv'));
      expect(report).toHaveLength(1);
      expect(['failed', 'not_attempted']).toContain(report[0]!.status);
    });
  }
});
