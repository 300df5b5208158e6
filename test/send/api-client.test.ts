import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { apiErrorMessage, customerList, customerOf, parseHttpDate, parseRetryAfter, QuentliClient, TransportError } from '../../src/send/api-client.js';
import { inTimeZone } from '../time-zone.js';


/** The error of a probe that failed before its request left (a refused certificate, a proxy not reached). */
async function neverSentProbe(client: QuentliClient): Promise<TransportError> {
  const failure = await client.probe().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(TransportError);
  expect((failure as TransportError).reachedServer).toBe(false);
  return failure as TransportError;
}
describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(' 0.5 ')).toBe(500);
    const now = Date.parse('Sun, 29 Nov 2026 16:00:00 GMT');
    expect(parseRetryAfter('Sun, 29 Nov 2026 16:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 15:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('reads the three forms of an HTTP date as GMT, also the asctime one that names no zone, whatever the machine\'s zone', () => {
    inTimeZone('America/Mexico_City');
    const now = Date.parse('Thu, 03 Dec 2026 08:49:27 GMT');
    expect(parseRetryAfter('Thu, 03 Dec 2026 08:49:37 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thursday, 03-Dec-26 08:49:37 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thu Dec  3 08:49:37 2026', now)).toBe(10_000);
    expect(parseHttpDate('Thu Dec 10 08:49:37 2026')).toBe(Date.parse('2026-12-10T08:49:37Z'));
    expect(parseRetryAfter('Thu Dec 3 08:49:37 2026', now)).toBe(10_000);
    expect(parseRetryAfter('Thu Dec 03 08:49:37 2026', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 08:49:37 +0000', now)).toBe(10_000);
    expect(parseRetryAfter('2026-12-03T08:49:37Z', now)).toBe(10_000);
  });

  it('takes no other text for a date: it is no Retry-After, and the default pause applies', () => {
    // Date.parse read these as dates long past (a pause of 0 ms) or in this machine's zone.
    inTimeZone('America/Mexico_City');
    const now = Date.parse('Thu, 03 Dec 2026 08:49:27 GMT');
    for (const junk of ['-5', '5, 10', 'Dec 3', '12/03/2026', 'Thu, 03 Dec 2026 08:49:37', '2026-12-03T08:49:37', 'mañana']) {
      expect(parseRetryAfter(junk, now)).toBeUndefined();
    }
  });
});

describe('reading API answers', () => {
  it('finds the message in the error bodies APIs write', () => {
    expect(apiErrorMessage({ status: 400, body: { error: { code: 'validation_error', message: 'input.email: Invalid email' } } })).toBe('HTTP 400: input.email: Invalid email');
    expect(apiErrorMessage({ status: 422, body: { message: 'name is required' } })).toBe('HTTP 422: name is required');
    expect(apiErrorMessage({ status: 409, body: { error: 'username taken' } })).toBe('HTTP 409: username taken');
    expect(apiErrorMessage({ status: 400, body: { errors: [{ message: 'a' }, 'b'] } })).toBe('HTTP 400: a; b');
    // No words at all (an empty body, `{}`, a blank page): said so, not a bare status that reads as the importer's shorthand.
    for (const body of [undefined, {}, '', '   ', { message: '  ' }, '<html><body></body></html>']) {
      expect(apiErrorMessage({ status: 400, body }), JSON.stringify(body)).toBe('HTTP 400 (the API gave no reason)');
    }
    expect(apiErrorMessage({ status: 500, body: undefined })).toBe('HTTP 500 (the API gave no reason)');
  });

  it('keeps a message to one line: a web page says its title, line breaks and long texts are folded', () => {
    const nginx = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    expect(apiErrorMessage({ status: 502, body: nginx })).toBe('HTTP 502: 502 Bad Gateway');
    expect(apiErrorMessage({ status: 403, body: '<!DOCTYPE html>\n<h1>Access\n denied</h1><p>by policy</p>' })).toBe('HTTP 403: Access denied: by policy');
    // A framework's error page: its heading, and what its <pre> or paragraph says under it.
    const express = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST /v1/customer</pre>\n</body>\n</html>\n';
    expect(apiErrorMessage({ status: 404, body: express })).toBe('HTTP 404: Error: Cannot POST /v1/customer');
    expect(apiErrorMessage({ status: 422, body: '<html><body><h1>Error</h1><pre>name must be &quot;a string&quot; &amp; not empty</pre></body></html>' })).toBe('HTTP 422: Error: name must be "a string" & not empty');
    expect(apiErrorMessage({ status: 400, body: `<p>${'x'.repeat(400)}</p>` })).toBe(`HTTP 400: ${'x'.repeat(299)}…`);
    expect(apiErrorMessage({ status: 502, body: '<html>Bad gateway</html>' })).toBe('HTTP 502: Bad gateway');
    expect(apiErrorMessage({ status: 400, body: { message: 'input.email:\n  Invalid email\n' } })).toBe('HTTP 400: input.email: Invalid email');
    expect(apiErrorMessage({ status: 503, body: 'upstream connect error\nreset reason: overflow' })).toBe('HTTP 503: upstream connect error reset reason: overflow');
    const long = apiErrorMessage({ status: 400, body: { message: 'x'.repeat(1000) } });
    expect(long.length).toBeLessThan(320);
    expect(long.endsWith('…')).toBe(true);
  });

  it('says an answer nested deeper than the stack goes without throwing (it was a RangeError, a stack trace in the log)', () => {
    const deep = JSON.parse(`{"message":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`) as unknown;
    expect(apiErrorMessage({ status: 401, body: deep })).toBe('HTTP 401: (a value nested too deep to show)');
  });

  it('prefers the most specific text: a message (string or list) over errors[] over a bare error', () => {
    const nest = { statusCode: 400, message: ['input.email must be an email', 'input.name should not be empty'], error: 'Bad Request' };
    expect(apiErrorMessage({ status: 400, body: nest })).toBe('HTTP 400: input.email must be an email; input.name should not be empty');
    expect(apiErrorMessage({ status: 400, body: { statusCode: 400, message: 'username taken', error: 'Bad Request' } })).toBe('HTTP 400: username taken');
    expect(apiErrorMessage({ status: 422, body: { error: 'Unprocessable Entity', errors: [{ message: 'a' }, 'b'] } })).toBe('HTTP 422: a; b');
    expect(apiErrorMessage({ status: 400, body: { message: [], error: 'Bad Request' } })).toBe('HTTP 400: Bad Request');
    expect(apiErrorMessage({ status: 400, body: { message: '', error: { code: 'x', message: 'nested' } } })).toBe('HTTP 400: nested');
  });

  it('reads RFC 9457, FastAPI, Rails, Laravel, JSON:API and zod error bodies, with the field a message is about', () => {
    const problem = { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'Username already taken' };
    expect(apiErrorMessage({ status: 422, body: problem })).toBe('HTTP 422: Username already taken');
    expect(apiErrorMessage({ status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409 } })).toBe('HTTP 409: Conflict');
    expect(apiErrorMessage({ status: 400, body: { detail: 'assigneeId does not exist' } })).toBe('HTTP 400: assigneeId does not exist');
    const fastapi = { detail: [{ loc: ['body', 'input', 'username'], msg: 'already taken', type: 'value_error' }] };
    expect(apiErrorMessage({ status: 422, body: fastapi })).toBe('HTTP 422: username: already taken');
    expect(apiErrorMessage({ status: 422, body: { errors: { username: ['has already been taken'], email: 'is invalid' } } })).toBe('HTTP 422: username: has already been taken; email: is invalid');
    const laravel = { message: 'The given data was invalid.', errors: { username: ['The username has already been taken.'] } };
    expect(apiErrorMessage({ status: 422, body: laravel })).toBe('HTTP 422: The given data was invalid. (username: The username has already been taken.)');
    const jsonApi = { errors: [{ status: '422', title: 'Invalid Attribute', detail: 'is taken', source: { pointer: '/data/attributes/username' } }] };
    expect(apiErrorMessage({ status: 422, body: jsonApi })).toBe('HTTP 422: username: is taken');
    expect(apiErrorMessage({ status: 400, body: { error: { message: 'Invalid input', errors: [{ path: ['input', 'email'], message: 'Invalid email' }] } } })).toBe('HTTP 400: Invalid input');
    expect(apiErrorMessage({ status: 400, body: { errors: [{ path: ['input', 'email'], message: 'Invalid format' }] } })).toBe('HTTP 400: email: Invalid format');
    // Laravel's message repeating its first field's is said once; a path keeps its steps past the envelope.
    expect(apiErrorMessage({ status: 422, body: { message: 'The email has already been taken.', errors: { email: ['The email has already been taken.'] } } })).toBe('HTTP 422: email: The email has already been taken.');
    expect(apiErrorMessage({ status: 400, body: { errors: [{ path: ['input', 'metadata', 0, 'value'], message: 'Expected string' }] } })).toBe('HTTP 400: metadata.0.value: Expected string');
    const laravelTwo = { message: 'The email has already been taken. (and 1 more error)', errors: { email: ['The email has already been taken.'], name: ['The name field is required.'] } };
    expect(apiErrorMessage({ status: 422, body: laravelTwo })).toBe('HTTP 422: email: The email has already been taken.; name: The name field is required.');
    // zod's issues, bare or under an error with its code; the code alone when nothing else is said.
    const zodIssues = [{ code: 'custom', path: ['username'], message: 'already taken' }];
    expect(apiErrorMessage({ status: 422, body: { error: { code: 'VALIDATION_ERROR', issues: zodIssues } } })).toBe('HTTP 422: username: already taken');
    expect(apiErrorMessage({ status: 422, body: { issues: zodIssues } })).toBe('HTTP 422: username: already taken');
    expect(apiErrorMessage({ status: 422, body: { error: { code: 'VALIDATION_ERROR' } } })).toBe('HTTP 422: VALIDATION_ERROR');
    // A message that names its field already is not prefixed again; an index is no field.
    expect(apiErrorMessage({ status: 422, body: { errors: [{ field: 'username', message: 'username is taken' }, { loc: ['body', 'tags', 0], msg: 'too long' }] } })).toBe('HTTP 422: username is taken; too long');
  });

  it('takes a customer list bare or wrapped, and a customer wrapped or bare', () => {
    expect(customerList({ status: 200, body: [{ id: 'cus_1', name: 'A' }] })).toHaveLength(1);
    expect(customerList({ status: 200, body: { data: [{ id: 'cus_1', name: 'A' }] } })).toHaveLength(1);
    expect(customerList({ status: 200, body: null })).toEqual([]);
    expect(customerOf({ status: 201, body: { customer: { id: 'cus_1', name: 'A' } } })?.id).toBe('cus_1');
    expect(customerOf({ status: 201, body: { id: 'cus_2', name: 'B' } })?.id).toBe('cus_2');
    expect(customerOf({ status: 201, body: {} })).toBeUndefined();
    // An Express or NestJS app's envelope; a list under `data` is no customer.
    expect(customerOf({ status: 201, body: { data: { id: 'cus_3', name: 'C' } } })?.id).toBe('cus_3');
    expect(customerOf({ status: 200, body: { data: [{ id: 'cus_4' }] } })).toBeUndefined();
    expect(customerOf({ status: 200, body: { customer: null, data: null } })).toBeUndefined();
  });
});

describe('QuentliClient', () => {
  it('closes quietly after destroy() (a stop past the grace does both)', async () => {
    const client = new QuentliClient({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk_test', timeoutMs: 1_000, connections: 1 });
    await client.destroy();
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('says a certificate it does not trust is that, and that the request never left (not a connection lost mid-answer)', async ({ onTestFinished }) => {
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    let requests = 0;
    const server = createHttpsServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') }, (_req, res) => {
      requests++;
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    expect((await neverSentProbe(client)).message).toMatch(/^cannot connect to GET https:\/\/127\.0\.0\.1:\d+: its certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\); .*NODE_EXTRA_CA_CERTS/);
    expect(requests).toBe(0);
  });

  it('names the proxy it cannot reach, and knows the request never left', async ({ onTestFinished }) => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const proxy = { url: `http://escuela:clave@127.0.0.1:${port}/`, shown: `http://***@127.0.0.1:${port}` };
    const client = new QuentliClient({ baseUrl: 'https://api.quentli.com/v1', apiKey: 'sk_test', timeoutMs: 5_000, connections: 1, proxy });
    onTestFinished(() => client.destroy());
    expect((await neverSentProbe(client)).message).toBe(`cannot connect to the proxy http://***@127.0.0.1:${port} (ECONNREFUSED) for GET https://api.quentli.com`);
  });

  it('reads an answer the server compressed though none was asked for (gzip, deflate, br)', async ({ onTestFinished }) => {
    const { brotliCompressSync, deflateSync, gzipSync } = await import('node:zlib');
    const compress: Record<string, (bytes: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
    let encoding = 'gzip';
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
      res.end(compress[encoding]!(Buffer.from(JSON.stringify([{ id: 'cus_1', name: 'Ana Pérez' }]))));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    for (encoding of ['gzip', 'deflate', 'br']) {
      expect((await client.probe()).body, encoding).toEqual([{ id: 'cus_1', name: 'Ana Pérez' }]);
    }
    // `identity` said outright, a byte order mark before the JSON: read as any answer is.
    compress.identity = (bytes) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    encoding = 'identity';
    expect((await client.probe()).body).toEqual([{ id: 'cus_1', name: 'Ana Pérez' }]);
  });

  it('never gives back the key an answer quotes, whatever its status and however it is spelled', async ({ onTestFinished }) => {
    // A key with a `/` and a `&` (any printable ASCII is allowed): JSON writers escape the one (`\\/`, PHP's default), web pages the other.
    const key = 'sk_test_LEAK/CAN&ARY';
    const escaped = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const answers: [number, string, string][] = [
      [401, 'application/json', JSON.stringify({ message: `Invalid API key provided: ${key}` })],
      [401, 'application/json', `{"message":"bad key ${escaped}"}`],
      [403, 'application/json', `{"message":"bad key ${key.replace('/', '\\/')}"}`],
      [400, 'application/json', JSON.stringify({ errors: { [key]: ['is not a field'] } })],
      [401, 'text/html', `<html><head><title>Unauthorized ${key.replace('&', '&amp;')}</title></head></html>`],
      [302, 'application/json', JSON.stringify({ message: `moved; your key ${key}` })],
      [200, 'application/json', JSON.stringify({ message: `hello ${key}` })],
    ];
    let next = 0;
    const server = createServer((_req, res) => {
      const [status, type, body] = answers[next++]!;
      res.writeHead(status, { 'Content-Type': type, ...(status === 302 ? { Location: `http://127.0.0.2/login?token=${encodeURIComponent(key)}&raw=${key}` } : {}) });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: key, timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    for (const [status] of answers) {
      const answer = await client.probe();
      expect(answer.status).toBe(status);
      const message = apiErrorMessage(answer);
      expect(message, message).toContain('[the API key]');
      expect(message + JSON.stringify(answer.body) + (answer.location ?? ''), message).not.toMatch(/LEAK|CAN&ARY|CAN&amp;ARY/);
      if (status === 302) expect(answer.location).toBe('http://127.0.0.2/login?token=[the API key]&raw=[the API key]');
    }
    expect(next).toBe(answers.length);
  });

  it('gives up on an answer that trickles in past the timeout, though no single wait is that long (a byte every 100 ms)', async ({ onTestFinished }) => {
    const server = createServer((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.write('{"customer":');
      const drip = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    onTestFinished(() => void server.closeAllConnections());
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 500, connections: 1 });
    onTestFinished(() => client.destroy());
    const started = Date.now();
    const failure = await client.createCustomer({ name: 'Ana' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as TransportError).message).toMatch(/^no answer from POST http:\/\/127\.0\.0\.1:\d+ in time$/);
    expect((failure as TransportError).reachedServer).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('takes a timeout longer than setTimeout keeps (--timeout 9999999) as the longest it keeps, not as none: the request is answered', async ({ onTestFinished }) => {
    const server = createServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ customer: { id: 'cus_1', name: 'Ana' } }));
      }, 50);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 9_999_999_000, connections: 1 });
    onTestFinished(() => client.destroy());
    const answer = await client.createCustomer({ name: 'Ana' });
    expect(answer.status).toBe(201);
  });

  it("keeps a redirect's Location, and follows no redirect", async ({ onTestFinished }) => {
    const hosts: string[] = [];
    const server = createServer((req, res) => {
      hosts.push(String(req.headers.host));
      res.writeHead(307, { Location: 'http://localhost:9/v1/customers?take=1' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    expect(await client.probe()).toMatchObject({ status: 307, location: 'http://localhost:9/v1/customers?take=1' });
    expect(hosts).toHaveLength(1);
  });

  it('says where a redirect of a create points: a row refused so read "HTTP 308 (the API gave no reason)"', async ({ onTestFinished }) => {
    // A gateway that sends POST /v1/customers on to /v1/customers/ (the GET of the key check it lets through).
    const server = createServer((req, res) => {
      if (req.method === 'POST') res.writeHead(308, { Location: `${req.url}/` }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    const answer = await client.createCustomer({ name: 'Ana', username: 'ana' });
    expect(apiErrorMessage(answer)).toBe('HTTP 308: a redirect to /v1/customers/, not followed so that the key goes nowhere else: check --api-url');
    // Credentials in a redirect's address are masked, as in every message.
    expect(apiErrorMessage({ status: 301, body: undefined, location: 'https://user:pw@api.example.test/v1/customers' })).toBe(
      'HTTP 301: a redirect to https://***@api.example.test/v1/customers, not followed so that the key goes nowhere else: check --api-url',
    );
  });

  it("reads the API's clock from its whole-second Date header to within half a second", async ({ onTestFinished }) => {
    // Answered late in a second (x.900 to x.999 on a clock equal to ours): the header names x.000.
    const server = createServer((_req, res) => {
      const answer = () => {
        res.writeHead(200, { Date: new Date().toUTCString(), 'Content-Type': 'application/json' });
        res.end('[]');
      };
      const intoSecond = Date.now() % 1000;
      if (intoSecond >= 900) answer();
      else setTimeout(answer, 900 - intoSecond + 5);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    expect(await client.probe()).toMatchObject({ status: 200 });
    expect(client.clock.dateHeaderRead).toBe(true);
    expect(Math.abs(client.clock.aheadMs)).toBeLessThanOrEqual(520);
  });

  it("reads a Retry-After date against the answer's own Date header: an API whose clock is 10 minutes ahead asks for 3 s, not 10 minutes", async ({ onTestFinished }) => {
    const serverNow = Math.floor((Date.now() + 600_000) / 1000) * 1000;
    const server = createServer((_req, res) => {
      res.writeHead(429, { Date: new Date(serverNow).toUTCString(), 'Retry-After': new Date(serverNow + 3000).toUTCString(), 'Content-Type': 'application/json' });
      res.end('{"error":"rate limited"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 1 });
    onTestFinished(() => client.destroy());
    const answer = await client.probe();
    expect(answer).toMatchObject({ status: 429, retryAfterMs: 3000 });
  });
});
