import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, type TestContext } from 'vitest';
import { ApiKeyError } from '../../src/errors/index.js';
import { QuentliClient } from '../../src/send/api-client.js';
import { DEFAULT_RETRY_POLICY, Sender } from '../../src/send/sender.js';
import { Throttle } from '../../src/send/throttle.js';

// 401 and 403 after the key check passed, over real HTTP from a plain server.

const CLOUDFLARE_BLOCK =
  '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body><h1>Sorry, you have been blocked</h1><p>You are unable to access api.quentli.com</p></body></html>';

async function serve(onTestFinished: TestContext['onTestFinished'], handle: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      handle(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new QuentliClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'sk_test', timeoutMs: 5_000, connections: 4 });
  onTestFinished(async () => {
    await client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const sender = new Sender(client, new Throttle({ maxConcurrency: 4, onConcurrencyChange: () => {} }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
  return { seen, sender };
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('a 401 or 403 after the key check passed', () => {
  it("fails only the row a firewall blocks (Cloudflare's 403 page) when the key is still accepted: the run goes on", async ({ onTestFinished }) => {
    let created = 0;
    const { seen, sender } = await serve(onTestFinished, (req, body, res) => {
      if (req.method === 'GET') return json(res, 200, []);
      const { input } = JSON.parse(body) as { input: { name: string; username: string } };
      if (input.name.includes('DROP TABLE')) return res.writeHead(403, { 'content-type': 'text/html' }).end(CLOUDFLARE_BLOCK);
      json(res, 201, { customer: { id: `cus_${++created}`, username: input.username, name: input.name } });
    });
    await sender.checkAccess();
    const blocked = await sender.create({ name: "Robert'); DROP TABLE Students;--", username: 'bobby' });
    expect(blocked).toEqual({
      status: 'failed',
      error:
        'HTTP 403: Attention Required! | Cloudflare: You are unable to access api.quentli.com (the key is still accepted: the API, or a firewall in front of it, refused this request alone)',
    });
    // Not stopped: the next row is sent and created.
    expect(await sender.create({ name: 'Ana', username: 'ana' })).toEqual({ status: 'created', customerId: 'cus_1' });
    expect(seen).toEqual(['GET /v1/customers?take=1', 'POST /v1/customers', 'GET /v1/customers?take=1', 'POST /v1/customers']);
  });

  it('stops every sender when the key is refused when asked again (revoked mid-run), with one question for the requests refused together', async ({ onTestFinished }) => {
    let revoked = false;
    const held: ServerResponse[] = [];
    const { seen, sender } = await serve(onTestFinished, (req, _body, res) => {
      if (req.method === 'GET') return revoked ? json(res, 401, { message: 'API key revoked' }) : json(res, 200, []);
      revoked = true;
      // Answered once all three creates have arrived: refused together.
      held.push(res);
      if (held.length === 3) for (const each of held) json(each, 401, { message: 'API key revoked' });
    });
    await sender.checkAccess();
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((username) => sender.create({ name: username, username })));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ApiKeyError);
    }
    expect(((outcomes[0] as PromiseRejectedResult).reason as Error).message).toMatch(/^the API refused the key \(HTTP 401: API key revoked\)/);
    expect(seen.filter((line) => line === 'GET /v1/customers?take=1')).toHaveLength(2); // the key check, then once again
    // Nothing more is sent.
    await expect(sender.create({ name: 'd', username: 'd' })).rejects.toBeInstanceOf(ApiKeyError);
    expect(seen.filter((line) => line === 'POST /v1/customers')).toHaveLength(3);
  });

  it('asks again when the question is answered 429 or 5xx (a run at its rate limit): the row fails alone, the run goes on', async ({ onTestFinished }) => {
    let probes = 0;
    const { seen, sender } = await serve(onTestFinished, (req, body, res) => {
      if (req.method === 'GET') {
        probes++;
        // The key check passes; the question after the firewall's 403 meets the rate limit, then a gateway's 502.
        if (probes === 2) return res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"message":"Too Many Requests"}');
        if (probes === 3) return json(res, 502, { message: 'Bad Gateway' });
        return json(res, 200, []);
      }
      const { input } = JSON.parse(body) as { input: { name: string; username: string } };
      if (input.name.includes('DROP TABLE')) return res.writeHead(403, { 'content-type': 'text/html' }).end(CLOUDFLARE_BLOCK);
      json(res, 201, { customer: { id: 'cus_1', username: input.username, name: input.name } });
    });
    await sender.checkAccess();
    expect(await sender.create({ name: "Robert'); DROP TABLE Students;--", username: 'bobby' })).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/\(the key is still accepted: the API, or a firewall in front of it, refused this request alone\)$/),
    });
    expect(await sender.create({ name: 'Ana', username: 'ana' })).toEqual({ status: 'created', customerId: 'cus_1' });
    expect(seen.filter((line) => line === 'GET /v1/customers?take=1')).toHaveLength(4);
  });

  it('before the key check, a 403 is the key refused, as ever: no second question', async ({ onTestFinished }) => {
    const { seen, sender } = await serve(onTestFinished, (_req, _body, res) => res.writeHead(403, { 'content-type': 'text/html' }).end(CLOUDFLARE_BLOCK));
    await expect(sender.checkAccess()).rejects.toBeInstanceOf(ApiKeyError);
    await expect(sender.create({ name: 'Ana', username: 'ana' })).rejects.toBeInstanceOf(ApiKeyError);
    expect(seen).toEqual(['GET /v1/customers?take=1']);
  });
});

describe('a 408 (Request Timeout)', () => {
  it('is sent again, a create without a username too: the server handled nothing (it was a failed row)', async ({ onTestFinished }) => {
    const timedOut = new Set<string | undefined>();
    const { seen, sender } = await serve(onTestFinished, (req, body, res) => {
      // nginx's answer when the request did not arrive in time, to the first create and the first look-up.
      if (!timedOut.has(req.method)) {
        timedOut.add(req.method);
        return res.writeHead(408, { 'content-type': 'text/html', connection: 'close' }).end('<html><head><title>408 Request Time-out</title></head></html>');
      }
      if (req.method === 'GET') return json(res, 200, []);
      const { input } = JSON.parse(body) as { input: { name: string } };
      json(res, 201, { customer: { id: 'cus_1', ...input } });
    });
    expect(await sender.create({ name: 'Sin Usuario', email: 'sin@x.mx' })).toEqual({ status: 'created', customerId: 'cus_1' });
    expect(await sender.findByUsername('ana')).toBeUndefined();
    expect(seen).toEqual(['POST /v1/customers', 'POST /v1/customers', expect.stringMatching(/^GET \/v1\/customers\?take=100&filter=/), expect.stringMatching(/^GET \/v1\/customers\?take=100&filter=/)]);
  });
});
