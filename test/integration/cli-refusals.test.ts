import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { CUSTOMER_FIELDS } from '../../src/validate/customer-schema.js';
import { CLI, finished, fixture, KEY, logMessages, requireBuild, ROOT, run, simulator, spawnCli, students, tempDir, writeRoster, type CliRun } from './cli-harness.js';

// Exit code 2: the run cannot happen. One line on stderr says why (naming the file or the cause),
// never a stack trace, never the key, and nothing is sent.

beforeAll(requireBuild);

async function start(onTestFinished: (fn: () => Promise<void>) => void): Promise<RunningSimulator> {
  const sim = await simulator();
  onTestFinished(() => sim.close());
  return sim;
}

/** Exit 2 with exactly one stderr line holding `pattern`, no stack trace, no key, nothing on stdout. */
function expectOneLineRefusal(result: CliRun, pattern: RegExp | string): string {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  const [message] = logMessages(result.stderr);
  expect(message).toMatch(typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern);
  expect(message).toMatch(/^quentli-import: /);
  expect(result.stderr).not.toMatch(/\n\s+at |Error: |\.ts:\d+|\.js:\d+/);
  expect(result.stderr).not.toContain(KEY);
  return message!;
}

describe.concurrent('exit 2: the file cannot be imported', () => {
  const cases: [string, (cwd: string) => string, RegExp][] = [
    ['a missing file', (cwd) => join(cwd, 'no-such-roster.csv'), /no-such-roster\.csv: does not exist/],
    ['an empty file', () => fixture('empty.csv'), /empty\.csv: is empty/],
    ['a folder', (cwd) => {
      mkdirSync(join(cwd, 'alumnos.csv'));
      return join(cwd, 'alumnos.csv');
    }, /alumnos\.csv: is a folder/],
    ['a PNG named .csv', () => fixture('not-a-csv.png.csv'), /not-a-csv\.png\.csv: is a PNG image/],
    ['a header and no data rows', () => fixture('only-header.csv'), /only-header\.csv: has no data rows under what was read as its column names \(row 1\)/],
    ['the results report of an earlier import, picked for the roster', (cwd) => {
      writeFileSync(join(cwd, 'alumnos.results.csv'), 'row,status,customerId,username,error,name\r\n2,created,cus_aB3dE5fG7hJ9kL1mN3pQ,,,Ana Ruiz\r\n3,created,cus_zY8xW6vU4tS2rQ0pO8nM,lmora,,Luis Mora\r\n');
      return join(cwd, 'alumnos.results.csv');
    }, /alumnos\.results\.csv: is the results report of an earlier import \(row, status, customerId, username, error, name\), not a roster/],
  ];
  for (const [what, file, pattern] of cases) {
    it(`${what}: one line naming the file, and no request`, async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([file(cwd), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expectOneLineRefusal(result, pattern);
      expect(server.stats.requests).toBe(0);
    });
  }
});

describe.concurrent('exit 2: a file that is not text all through', () => {
  it('a NUL byte on row 15001 of 20,000: refused before the first row is sent, naming its line and column', async ({ onTestFinished }) => {
    // It was found by the decoder on the way: 13,885 customers created, the ~1,100 rows read before
    // the NUL never reported, exit 2 with "a NUL byte at byte 851665", and the same again every night.
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const path = writeRoster(cwd, 'alumnos.csv', students(20_000));
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[15_000] = lines[15_000]!.replace('@escuela', '@escu\0ela');
    writeFileSync(path, lines.join('\n'));
    const result = await run([path, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /alumnos\.csv: is not a text file: it holds a NUL byte on line 15001, column C \(.*\): export the roster again/);
    expect(server.store.size).toBe(0);
    expect(server.stats.requests).toBe(0);
  });

  it('half a character on row 6002 of 8,000 UTF-16 rows: refused before the first row is sent, naming its line and column', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const path = writeRoster(cwd, 'alumnos.csv', students(8_000));
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[6_001] = lines[6_001]!.replace('Alumno', '\ud83dAlumno');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\n'), 'utf16le')]));
    const result = await run([path, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /alumnos\.csv: is not valid UTF-16 text: line 6002, column A holds half a character \(a damaged file\): save it again/);
    expect(server.stats.requests).toBe(0);
  });

  it('UTF-16 without a byte-order mark says so, not "neither a text file nor a workbook"', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const path = writeRoster(cwd, 'alumnos.csv', students(5));
    writeFileSync(path, Buffer.from(readFileSync(path, 'utf8'), 'utf16le'));
    const result = await run([path, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /alumnos\.csv: is UTF-16 text without the byte order mark that says so, which is not read: save it from Excel as "CSV UTF-8/);
    expect(server.stats.requests).toBe(0);
  });
});

describe.concurrent('exit 2: a file damaged past its first rows', () => {
  it('the summary of the rows read does not say to run the same command again; the error line says what to do', async ({ onTestFinished }) => {
    // Run again, it stops at the same row: "Interrupted: run the same command again to resume" sent
    // a cron job's owner round in circles beside "open it in Excel or LibreOffice and save it again".
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const result = await run([fixture('roster-control-char.xlsx'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(2);
    const messages = logMessages(result.stderr);
    expect(messages.at(-1)).toMatch(/^quentli-import: .*roster-control-char\.xlsx: could not be read past row 2 .*save it again$/);
    expect(messages.find((message) => message.startsWith('Stopped 1 row'))).toBeDefined();
    expect(result.stderr).not.toContain('run the same command again');
  });
});

describe.concurrent('exit 2: the mapping cannot work', () => {
  it('a wrong field name in the mapping file lists the valid fields; no request', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const result = await run([fixture('roster-custom-headers.csv'), '--mapping', fixture('mapping-bad-field.json'), '--api-url', server.url], {
      cwd,
      env: { QUENTLI_API_KEY: KEY },
    });
    const message = expectOneLineRefusal(result, /mapping-bad-field\.json: .*"Alumno".*"nombre_completo" is not a field/);
    for (const field of CUSTOMER_FIELDS) expect(message).toContain(field);
    expect(server.stats.requests).toBe(0);
  });

  it('a mapped header missing from the file; no request', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const result = await run([fixture('roster-demo.csv'), '--mapping', fixture('mapping-school.json'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /"Alumno".*not found in the file's headers/);
    expect(server.stats.requests).toBe(0);
  });

  it('no name column (custom headers without --mapping); no request', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const result = await run([fixture('roster-custom-headers.csv'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /no column holds the customer's name/);
    expect(server.stats.requests).toBe(0);
  });
});

describe.concurrent('exit 2: a mapping refusal names the roster it is about', () => {
  const cases: [string, (cwd: string) => string[], RegExp][] = [
    ['a mapped header missing', () => [fixture('roster-demo.csv'), '--mapping', fixture('mapping-school.json')], /^quentli-import: \/.*\/roster-demo\.csv: the mapping names "Alumno".*not found in the file's headers/],
    ['no name column', () => [fixture('roster-custom-headers.csv')], /^quentli-import: \/.*\/roster-custom-headers\.csv: no column holds the customer's name/],
    ['a blank header line over data', (cwd) => {
      writeFileSync(join(cwd, 'lista.csv'), ',,\nAna Ruiz,ana@example.com,5512345678\nBeto Gil,beto@example.com,5512345679\n');
      return ['lista.csv'];
    }, /^quentli-import: lista\.csv: no column holds the customer's name: the file has no header row \(its first line, row 2, is a customer's data/],
  ];
  for (const [what, args, pattern] of cases) {
    it(`${what}: the one line starts with the input file`, async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([...args(cwd), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expectOneLineRefusal(result, pattern);
      expect(server.stats.requests).toBe(0);
    });
  }
});

describe.concurrent('exit 2: the API cannot be used', () => {
  it('a refused key: one request (the 401), then nothing', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const wrong = 'sk_test_not_the_right_key_123';
    const result = await run([fixture('roster-demo.csv'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: wrong } });
    expect(result.code, result.stderr).toBe(2);
    // Before the refusal, only the "import started" log line may have been written.
    const messages = logMessages(result.stderr);
    expect(messages.at(-1)).toMatch(/^quentli-import: the API refused the key \(HTTP 401/);
    expect(messages.filter((m) => /refused the key/.test(m))).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(wrong);
    expect(server.stats.requests).toBe(1);
    expect(server.stats.byStatus[401]).toBe(1);
    expect(server.store.size).toBe(0);
  });

  it('a refused key with --summary-json: the file holds the error, not the last run\'s summary', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'resumen.json'), JSON.stringify({ rows: 60, counts: { created: 52 } }));
    const result = await run([fixture('roster-demo.csv'), '--api-url', server.url, '--summary-json', 'resumen.json'], { cwd, env: { QUENTLI_API_KEY: 'sk_test_not_the_right_key_123' } });
    expect(result.code, result.stderr).toBe(2);
    const written = JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8')) as { error: { code: string; message: string } };
    expect(written).toEqual({ exitCode: 2, error: { code: 'api_key', message: expect.stringMatching(/^the API refused the key \(HTTP 401/) } });
    const toStdout = await run([fixture('roster-demo.csv'), '--api-url', server.url, '--summary-json', '-'], { cwd, env: { QUENTLI_API_KEY: 'sk_test_not_the_right_key_123' } });
    expect(JSON.parse(toStdout.stdout)).toEqual(written);
  });

  it('a .env that cannot be read with --summary-json: the file holds the error, not the last run\'s summary', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, '.env')); // read as a folder: EISDIR, as an unreadable file would be EACCES
    writeFileSync(join(cwd, 'resumen.json'), JSON.stringify({ rows: 60, counts: { created: 52 } }));
    const result = await run([fixture('roster-demo.csv'), '--dry-run', '--summary-json', 'resumen.json'], { cwd });
    expectOneLineRefusal(result, /\.env cannot be read/);
    const written = JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8')) as unknown;
    expect(written).toEqual({ exitCode: 2, error: { code: 'usage', message: expect.stringMatching(/^\.env cannot be read: /) } });
  });

  it('no key and no --dry-run', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const result = await run([fixture('roster-demo.csv'), '--api-url', server.url], { cwd });
    expectOneLineRefusal(result, /no API key: set QUENTLI_API_KEY in the environment or in a \.env file in the folder the command runs in, or use --dry-run$/);
    expect(result.stderr).not.toContain('apiKey'); // the engine's option is no word of the command line
    expect(server.stats.requests).toBe(0);
  });

  it('an unreachable API (a closed port)', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const cwd = tempDir();
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', `http://127.0.0.1:${port}/v1`], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(2);
    const messages = logMessages(result.stderr);
    expect(messages.at(-1)).toMatch(new RegExp(`^quentli-import: cannot reach the API at http://127\\.0\\.0\\.1:${port}/v1`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(KEY);
  });

  it('a second import of the same file while the first still runs (cron overlapping itself): refused, nothing sent twice', async ({ onTestFinished }) => {
    // Slow enough that the first run still holds the lock when the second, started under load, reaches it.
    const server = await simulator({ latencyMs: 1000 });
    onTestFinished(() => server.close());
    const cwd = tempDir();
    const args = [fixture('roster-utf8-bom-comma.csv'), '--api-url', server.url, '--concurrency', '1'];
    const first = spawnCli(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
    const firstDone = finished(first, cwd);
    while (!existsSync(join(cwd, 'roster-utf8-bom-comma.results.lock'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(second, /another import is writing .*roster-utf8-bom-comma\.results\.csv \(process \d+ on .*\): wait for it to end, or give this run another --report/);
    const done = await firstDone;
    expect(done.code, done.stderr).toBe(0);
    expect(server.stats.creates).toBe(8);
    expect(existsSync(join(cwd, 'roster-utf8-bom-comma.results.lock'))).toBe(false);
  });

  it('an API that answers the key check only with 5xx: reachable, so not called unreachable; nothing is sent', async ({ onTestFinished }) => {
    const server = await simulator({ errorRate: 1 });
    onTestFinished(() => server.close());
    const cwd = tempDir();
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', server.url, '--max-attempts', '2'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(2);
    expect(logMessages(result.stderr).at(-1)).toMatch(/^quentli-import: the API at http:\/\/127\.0\.0\.1:\d+\/v1 is reachable but did not answer the key check: HTTP 50[023]/);
    expect(server.stats.byRoute['POST /customers'] ?? 0).toBe(0);
  });

  it('an API that answers the key check only with 429: rate_limited, with the code the summary and the library give', async ({ onTestFinished }) => {
    const server = await simulator({ random429Rate: 1, random429RetryAfter: 0 });
    onTestFinished(() => server.close());
    const cwd = tempDir();
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', server.url, '--max-retry-wait', '2', '--summary-json', 'resumen.json'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(2);
    expect(logMessages(result.stderr).at(-1)).toMatch(/^quentli-import: the API at http:\/\/127\.0\.0\.1:\d+\/v1 is reachable but did not answer the key check: HTTP 429/);
    expect(JSON.parse(readFileSync(join(cwd, 'resumen.json'), 'utf8'))).toMatchObject({ error: { code: 'rate_limited' } });
    expect(server.stats.byRoute['POST /customers'] ?? 0).toBe(0);
  });

  it('a broken install (a module of dist/ missing, a deploy half-done): one line and exit 2, not a stack trace and exit 1; --summary-json says so', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const install = tempDir();
    cpSync(join(ROOT, 'dist'), join(install, 'dist'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(install, 'node_modules'));
    rmSync(join(install, 'dist/read/column-letters.js'));
    const cwd = tempDir();
    const result = await run([fixture('roster-demo.csv'), '--api-url', server.url, '--summary-json', 'summary.json'], { cwd, env: { QUENTLI_API_KEY: KEY }, script: join(install, 'dist/cli/main.js') });
    expectOneLineRefusal(result, /^quentli-import: unexpected error: Cannot find module '.+column-letters\.js'/);
    const written = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8')) as { exitCode: number; error: { code: string } };
    expect(written.exitCode).toBe(2);
    expect(written.error.code).toBe('unexpected');
    expect(server.stats.byRoute['POST /customers'] ?? 0).toBe(0);
  });

  it('a URL that answers 200 with a web page (not the API): refused before any create', async ({ onTestFinished }) => {
    const requests: string[] = [];
    const site = createHttpServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<!doctype html><html><body>Quentli</body></html>');
      });
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => site.close(() => resolve())));
    const { port } = site.address() as { port: number };
    const cwd = tempDir();
    const result = await run([fixture('roster-demo.csv'), '--api-url', `http://127.0.0.1:${port}/v1`], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /answered GET \/customers with text, not JSON: it is not the Quentli API, check --api-url/);
    expect(requests).toEqual(['GET /v1/customers?take=1']);
  });

  it('a refused key that the API echoes in its answer: the message never holds the key', async ({ onTestFinished }) => {
    const site = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `Invalid API key provided: ${String(request.headers.authorization).slice('Bearer '.length)}` }));
      });
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => site.close(() => resolve())));
    const { port } = site.address() as { port: number };
    const result = await run([fixture('roster-demo.csv'), '--api-url', `http://127.0.0.1:${port}/v1`], { cwd: tempDir(), env: { QUENTLI_API_KEY: KEY } });
    const message = expectOneLineRefusal(result, /HTTP 401: Invalid API key provided: \[the API key\]/);
    expect(message).not.toContain(KEY);
  });

  it('a URL that answers the key check with a redirect: refused, the redirect not followed, the key nowhere in the output', async ({ onTestFinished }) => {
    const requests: string[] = [];
    const site = createHttpServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        const key = String(request.headers.authorization).slice('Bearer '.length);
        response.writeHead(301, { 'content-type': 'application/json', location: 'http://127.0.0.2:9/v1/customers?take=1' });
        response.end(JSON.stringify({ message: `moved; your key ${key}` }));
      });
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => site.close(() => resolve())));
    const { port } = site.address() as { port: number };
    const cwd = tempDir();
    const result = await run([fixture('roster-demo.csv'), '--api-url', `http://127.0.0.1:${port}/v1`, '--summary-json', 'resumen.json'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    // Taken for a refusal that proves the key, it passed the check, and every row failed "HTTP 301: moved; your key sk_…" (exit 1).
    expectOneLineRefusal(result, /answered GET \/customers with a redirect \(HTTP 301 to http:\/\/127\.0\.0\.2:9\/v1\/customers\?take=1\), which is not followed/);
    expect(requests).toEqual(['GET /v1/customers?take=1']);
    expect(result.stderr + result.stdout + readFileSync(join(cwd, 'resumen.json'), 'utf8')).not.toContain(KEY);
  });

  it('the key given by mistake where a value goes: the refusal that quotes the value does not quote the key', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), `QUENTLI_API_KEY=${KEY}\n`);
    for (const args of [['alumnos.csv', '--api-url', KEY, '--summary-json', 'resumen.json'], ['alumnos.csv', KEY], [KEY], ['alumnos.csv', '--concurrency', KEY]]) {
      const result = await run(args, { cwd, env: {} });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('[the API key]');
      expect(result.stderr, args.join(' ')).not.toContain(KEY);
    }
    expect(readFileSync(join(cwd, 'resumen.json'), 'utf8')).not.toContain(KEY);
  });

  it('a non-HTTPS URL whose host is not loopback', async () => {
    const cwd = tempDir();
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', 'http://api.quentli.com/v1'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /--api-url http:\/\/api\.quentli\.com\/v1 is not HTTPS/);
  });

  it('a report in a folder that does not exist; no request', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const report = join(cwd, 'no-such-folder', 'resultados.csv');
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', server.url, '--report', report], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /cannot write the report .*resultados\.csv: the folder .*no-such-folder does not exist/);
    expect(server.stats.requests).toBe(0);
  });

  it('a report path that is a folder: refused before anything is sent, not after every row was', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    mkdirSync(join(cwd, 'informes'));
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', server.url, '--report', 'informes'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /cannot write the report .*informes: it is a folder; give a file name/);
    expect(server.stats.requests).toBe(0);
  });

  it('a --summary-json file in a folder that does not exist: refused before anything is sent, no stack trace', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const summary = join(cwd, 'no-such-folder', 'resumen.json');
    const result = await run([fixture('roster-utf16be.csv'), '--api-url', server.url, '--summary-json', summary], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /cannot write the --summary-json file .*resumen\.json: the folder .*no-such-folder does not exist/);
    expect(server.stats.requests).toBe(0);
  });

  it('a working folder deleted since the command started in it (a deploy replaced it): refused in one line, nothing sent, not a stack trace with exit 1', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const dir = tempDir();
    const gone = join(dir, 'release-1');
    mkdirSync(gone);
    // The shell enters the folder, removes it, then becomes node: cron's `cd /srv/app/current && …` after a deploy.
    const child = spawn('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, process.execPath, CLI, fixture('roster-demo.csv'), '--api-url', server.url, '--report', join(dir, 'r.csv')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', QUENTLI_API_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await finished(child, dir);
    // sh says the folder is gone too (getcwd) before it becomes node: only node's lines are ours.
    const ours = { ...result, stderr: result.stderr.split('\n').filter((line) => line.startsWith('{')).join('\n') };
    expectOneLineRefusal(ours, 'the working folder is gone (deleted or replaced since this command started in it): cd to a folder that exists and run the command again');
    expect(result.stderr).not.toMatch(/uv_cwd|\n\s+at /);
    expect(server.stats.requests).toBe(0);
    expect(existsSync(join(dir, 'r.csv'))).toBe(false);
  });

  it('a working folder deleted since the command started: a --summary-json named by its full path holds the failure, not last night\'s summary', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const dir = tempDir();
    const gone = join(dir, 'release-1');
    mkdirSync(gone);
    const summary = join(dir, 'summary.json');
    writeFileSync(summary, '{"exitCode": 0}\n'); // last night's
    const child = spawn('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, process.execPath, CLI, fixture('roster-demo.csv'), '--api-url', server.url, '--report', join(dir, 'r.csv'), '--summary-json', summary], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', QUENTLI_API_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await finished(child, dir);
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ exitCode: 2, error: { code: 'usage', message: expect.stringContaining('the working folder is gone') } });
    expect(server.stats.requests).toBe(0);
  });

  it('a --report naming a folder with a trailing slash, or -: refused, no file of that name written', async () => {
    const cwd = tempDir();
    const input = join(cwd, 'alumnos.csv');
    writeFileSync(input, 'Nombre,Correo\nAna,ana@escuela.mx\n');
    expectOneLineRefusal(await run([input, '--dry-run', '--report', 'informes/'], { cwd }), /--report informes\/ names a folder: give a file name, such as informes\/alumnos\.results\.csv/);
    expect(existsSync(join(cwd, 'informes'))).toBe(false);
    expectOneLineRefusal(await run([input, '--dry-run', '--report', '-'], { cwd }), /--report - would write a file named "-"/);
    expect(existsSync(join(cwd, '-'))).toBe(false);
  });

  it('a --summary-json file that is a folder or the input itself', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'resumen'));
    const input = join(cwd, 'alumnos.csv');
    writeFileSync(input, 'Nombre,Correo\nAna,ana@escuela.mx\n');
    expectOneLineRefusal(await run([input, '--dry-run', '--summary-json', 'resumen'], { cwd }), /--summary-json file .*resumen: it is a folder/);
    expectOneLineRefusal(await run([input, '--dry-run', '--summary-json', 'alumnos.csv'], { cwd }), /the --summary-json file would overwrite the input file/);
    expect(readFileSync(input, 'utf8')).toContain('Ana,ana@escuela.mx');
    // Nor the run's own report, errors file or journal, which it would replace.
    for (const [args, what] of [
      [['--report', 'noche.json', '--summary-json', 'noche.json'], /would overwrite the run's report .*noche\.json/],
      [['--summary-json', 'alumnos.results.errors.csv'], /would overwrite the run's errors file/],
      [['--summary-json', 'alumnos.results.journal'], /would overwrite the run's journal/],
    ] as const) {
      expectOneLineRefusal(await run([input, '--dry-run', ...args], { cwd }), what);
    }
    writeFileSync(join(cwd, 'alumnos.results.journal'), '{"journal":1}\n');
    await run([input, '--dry-run', '--summary-json', 'alumnos.results.journal'], { cwd });
    expect(readFileSync(join(cwd, 'alumnos.results.journal'), 'utf8')).toBe('{"journal":1}\n');
  });

  it('a --concurrency above 256 is refused before the --summary-json file is touched', async () => {
    const cwd = tempDir();
    const input = join(cwd, 'alumnos.csv');
    writeFileSync(input, 'Nombre,Correo\nAna,ana@escuela.mx\n');
    writeFileSync(join(cwd, 'resumen.json'), '{"last":"night"}');
    expectOneLineRefusal(await run([input, '--dry-run', '--concurrency', '257', '--summary-json', 'resumen.json'], { cwd }), /--concurrency must be a whole number from 1 to 256 \(got "257"\)/);
    expect(readFileSync(join(cwd, 'resumen.json'), 'utf8')).toBe('{"last":"night"}');
  });

  it('a report that would overwrite the input (a fixed errors file checked under its old report name)', async () => {
    const cwd = tempDir();
    const input = join(cwd, 'alumnos.results.errors.csv');
    writeFileSync(input, 'Nombre,Correo,error\nAna,ana@escuela.mx,old problem\n');
    const result = await run([input, '--dry-run', '--report', join(cwd, 'alumnos.results.csv')], { cwd });
    expectOneLineRefusal(result, /the errors file would overwrite the input file .*alumnos\.results\.errors\.csv: choose another report path/);
    expect(readFileSync(input, 'utf8')).toContain('Ana,ana@escuela.mx');
  });

  it('a flag given an empty value (`--mapping "$MAPPING"`, the variable unset in a crontab): refused, not run without it', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const input = join(cwd, 'alumnos.csv');
    writeFileSync(input, 'Nombre,Clave de acceso,Correo\nAna,ana.1,ana@escuela.mx\n');
    writeFileSync(join(cwd, 'resumen.json'), '{"last":"night"}');
    const result = await run([input, '--api-url', server.url, '--mapping', '', '--summary-json', 'resumen.json'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /--mapping was given an empty value/);
    expect(server.stats.requests).toBe(0);
    expect(existsSync(join(cwd, 'alumnos.results.csv'))).toBe(false);
    expect(readFileSync(join(cwd, 'resumen.json'), 'utf8')).toBe('{"last":"night"}');
  });

  it('an unknown flag', async () => {
    const result = await run([fixture('roster-utf16be.csv'), '--concurency', '4'], { cwd: tempDir(), env: { QUENTLI_API_KEY: KEY } });
    expectOneLineRefusal(result, /--concurency/);
  });
});
