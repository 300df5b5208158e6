import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, type OnTestFinishedHandler } from 'vitest';
import { KEY, logMessages, readCsvRecords, requireBuild, run, simulator, students, tempDir, writeRoster, type CliRun } from './cli-harness.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

// A school network that lets nothing out but through its proxy: the CLI follows HTTPS_PROXY as curl
// does, tunnelling (CONNECT) to the API. The API here is `https://api.quentli.test`, a name no DNS
// knows, so only the proxy can reach it: the proxy ends the TLS (with a certificate the run is told
// to trust, as a school gives Node its inspecting proxy's CA) and hands the requests to the simulator.

requireBuild();
const CERT_PATH = fileURLToPath(new URL('./fixtures/api-quentli-test.crt', import.meta.url));
const TLS_KEY = readFileSync(new URL('./fixtures/api-quentli-test.key', import.meta.url));
const TLS_CERT = readFileSync(CERT_PATH);
const API_URL = 'https://api.quentli.test/v1';
/** An https:// proxy's own certificate, for its loopback addresses (127.0.0.1, ::1). */
const PROXY_TLS = { key: readFileSync(new URL('./fixtures/proxy-loopback.key', import.meta.url)), cert: readFileSync(new URL('./fixtures/proxy-loopback.crt', import.meta.url)) };

interface Tunnel {
  target: string;
  authorization: string | undefined;
}

/** An HTTP proxy that answers CONNECT, asking for `credentials` (user:password) when given; an https:// one with `tls`. */
async function proxyTo(
  apiPort: number,
  onTestFinished: (fn: OnTestFinishedHandler) => void,
  credentials?: string,
  tls?: { key: Buffer; cert: Buffer },
): Promise<{ url: string; tunnels: Tunnel[] }> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const refuse = (_request: IncomingMessage, response: import('node:http').ServerResponse) => response.writeHead(405).end();
  const proxy = tls ? createHttpsServer(tls, refuse) : createHttpServer(refuse);
  proxy.on('connect', (request: IncomingMessage, client: Socket) => {
    sockets.add(client);
    client.on('error', () => {}).on('close', () => sockets.delete(client));
    const authorization = request.headers['proxy-authorization'];
    tunnels.push({ target: request.url!, authorization });
    if (credentials !== undefined && authorization !== `Basic ${Buffer.from(credentials).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="escuela"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const secure = new TLSSocket(client, { isServer: true, key: TLS_KEY, cert: TLS_CERT });
    const api = connect(apiPort, '127.0.0.1');
    sockets.add(api);
    api.on('close', () => sockets.delete(api));
    for (const end of [secure, api]) end.on('error', () => (secure.destroy(), api.destroy()));
    secure.pipe(api).pipe(secure);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  );
  const { port } = proxy.address() as { port: number };
  return { url: `127.0.0.1:${port}`, tunnels };
}

/** The CLI importing `rows` students through a proxy asking for `credentials`, its URL in HTTPS_PROXY holding `userinfo` (user:password). */
async function importThroughProxy(
  onTestFinished: (fn: OnTestFinishedHandler) => void,
  credentials: string,
  userinfo: string,
  rows: number,
): Promise<{ server: RunningSimulator; proxy: { url: string; tunnels: Tunnel[] }; result: CliRun }> {
  const server = await simulator();
  onTestFinished(() => server.close());
  const proxy = await proxyTo(Number(new URL(server.url).port), onTestFinished, credentials);
  const cwd = tempDir();
  writeRoster(cwd, 'alumnos.csv', students(rows));
  const result = await run(['alumnos.csv', '--api-url', API_URL], { cwd, env: { QUENTLI_API_KEY: KEY, NODE_EXTRA_CA_CERTS: CERT_PATH, HTTPS_PROXY: `http://${userinfo}@${proxy.url}` } });
  return { server, proxy, result };
}

describe.concurrent('quentli-import behind a proxy (HTTPS_PROXY)', () => {
  it('imports through it, tunnelled to the API, with the user and password its URL holds; a second run finds every customer', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const proxy = await proxyTo(Number(new URL(server.url).port), onTestFinished, 'escuela:clave secreta');
    const cwd = tempDir();
    writeRoster(cwd, 'alumnos.csv', students(6));
    const env = { QUENTLI_API_KEY: KEY, NODE_EXTRA_CA_CERTS: CERT_PATH, HTTPS_PROXY: `http://escuela:clave%20secreta@${proxy.url}` };
    const first = await run(['alumnos.csv', '--api-url', API_URL], { cwd, env });
    expect(first.code, first.stderr).toBe(0);
    expect(server.store.size).toBe(6);
    expect(readCsvRecords(join(cwd, 'alumnos.results.csv')).records.map((record) => record.status)).toEqual(Array(6).fill('created'));
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((tunnel) => tunnel.target === 'api.quentli.test:443')).toBe(true);
    // The log names the proxy, never its password.
    expect(logMessages(first.stderr)).toContain(`connecting to the API through the proxy http://***@${proxy.url}`);
    expect(first.stderr).not.toContain('secreta');
    const second = await run(['alumnos.csv', '--api-url', API_URL, '--restart'], { cwd, env });
    expect(second.code, second.stderr).toBe(0);
    expect(readCsvRecords(join(cwd, 'alumnos.results.csv')).records.map((record) => record.status)).toEqual(Array(6).fill('exists'));
    expect(server.store.size).toBe(6);
  });

  it('sends a user given without a password, as curl does', async ({ onTestFinished }) => {
    const { server, result } = await importThroughProxy(onTestFinished, 'escuela:', 'escuela', 2);
    expect(result.code, result.stderr).toBe(0);
    expect(server.store.size).toBe(2);
  });

  it('a proxy that refuses the tunnel (407, a wrong password) stops the run before a row is sent, saying so (exit 2)', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const proxy = await proxyTo(Number(new URL(server.url).port), onTestFinished, 'escuela:clave');
    const cwd = tempDir();
    writeRoster(cwd, 'alumnos.csv', students(3));
    const env = { QUENTLI_API_KEY: KEY, NODE_EXTRA_CA_CERTS: CERT_PATH, https_proxy: `http://escuela:otra@${proxy.url}` };
    const result = await run(['alumnos.csv', '--api-url', API_URL], { cwd, env });
    expect(result.code).toBe(2);
    expect(logMessages(result.stderr).at(-1)).toBe(
      `quentli-import: cannot reach the API at ${API_URL}: the proxy http://***@${proxy.url} refused to connect to https://api.quentli.test (HTTP 407: it refused the user and password in its URL)`,
    );
    expect(server.stats.requests).toBe(0);
    // Asked once: no retry changes a proxy's rule (six tries took 8 s of backoff to say the same).
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('a 407 to a URL with a user and no password says the password is missing', async ({ onTestFinished }) => {
    const { server, proxy, result } = await importThroughProxy(onTestFinished, 'escuela:clave', 'escuela', 2);
    expect(result.code).toBe(2);
    // It said 'it refused the user and password in its URL', a password never written.
    expect(logMessages(result.stderr).at(-1)).toBe(
      `quentli-import: cannot reach the API at ${API_URL}: the proxy http://***@${proxy.url} refused to connect to https://api.quentli.test (HTTP 407: it asks for a password, and its URL gives a user without one: write it as http://user:password@host:port)`,
    );
    expect(proxy.tunnels).toEqual([{ target: 'api.quentli.test:443', authorization: `Basic ${Buffer.from('escuela:').toString('base64')}` }]);
    expect(server.stats.requests).toBe(0);
  });

  it('refuses a proxy URL whose password holds a "%" that starts no escape before anything is sent, saying to write it %25 (exit 2, usage)', async ({ onTestFinished }) => {
    const { server, proxy, result } = await importThroughProxy(onTestFinished, 'escuela:p%ss', 'escuela:p%ss', 2);
    expect(result.code).toBe(2);
    const last = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as { code: string; msg: string };
    // It was `unexpected error: URI malformed`, once the key check went through the proxy.
    expect(last).toMatchObject({
      code: 'usage',
      msg: `quentli-import: HTTPS_PROXY http://***@${proxy.url} is not a proxy URL: a "%" in its user or password is written %25 (a "%" starts an escape such as %40 for "@")`,
    });
    expect(proxy.tunnels).toEqual([]);
    expect(server.stats.requests).toBe(0);
  });

  it('refuses a proxy URL in .env cut at an unquoted "#" in its password, saying to write it %23, and goes through with %23', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const proxy = await proxyTo(Number(new URL(server.url).port), onTestFinished, 'escuela:clave#2025');
    const cwd = tempDir();
    writeRoster(cwd, 'alumnos.csv', students(2));
    const env = { NODE_EXTRA_CA_CERTS: CERT_PATH };
    writeFileSync(join(cwd, '.env'), `QUENTLI_API_KEY=${KEY}\nHTTPS_PROXY=http://escuela:clave#2025@${proxy.url}\n`);
    const cut = await run(['alumnos.csv', '--api-url', API_URL], { cwd, env });
    expect(cut.code).toBe(2);
    // It was 'HTTPS_PROXY "http://escuela:clave" is not a proxy URL (expected something like …)': .env read it so, and the password was quoted.
    expect(JSON.parse(cut.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      code: 'usage',
      msg: 'quentli-import: HTTPS_PROXY in .env is cut at a "#" in the proxy\'s user or password (unquoted, a "#" starts a comment in .env, and the rest was lost): write the "#" as %23, as in http://user:pa%23ss@proxy:3128',
    });
    expect(cut.stderr).not.toContain('clave');
    expect(proxy.tunnels).toEqual([]);
    writeFileSync(join(cwd, '.env'), `QUENTLI_API_KEY=${KEY}\nHTTPS_PROXY=http://escuela:clave%232025@${proxy.url} # the school's proxy\n`);
    const encoded = await run(['alumnos.csv', '--api-url', API_URL], { cwd, env });
    expect(encoded.code, encoded.stderr).toBe(0);
    expect(server.store.size).toBe(2);
  });

  it('goes through an https:// proxy given by its address, every stderr line JSON', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const proxy = await proxyTo(Number(new URL(server.url).port), onTestFinished, 'escuela:clave', PROXY_TLS);
    const cwd = tempDir();
    writeRoster(cwd, 'alumnos.csv', students(2));
    writeFileSync(join(cwd, 'ca.pem'), Buffer.concat([TLS_CERT, PROXY_TLS.cert]));
    const env = { QUENTLI_API_KEY: KEY, NODE_EXTRA_CA_CERTS: join(cwd, 'ca.pem'), HTTPS_PROXY: `https://escuela:clave@${proxy.url}` };
    const result = await run(['alumnos.csv', '--api-url', API_URL], { cwd, env });
    expect(result.code, result.stderr).toBe(0);
    expect(server.store.size).toBe(2);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    // undici named the proxy by its address as TLS's server name: Node's DEP0123 warning, a raw line among the JSON ones.
    for (const line of result.stderr.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('is not used for a host NO_PROXY names, nor for the simulator on loopback (plain http)', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const proxy = await proxyTo(Number(new URL(server.url).port), onTestFinished);
    const cwd = tempDir();
    writeRoster(cwd, 'alumnos.csv', students(2));
    const bypassed = await run(['alumnos.csv', '--api-url', API_URL, '--max-retry-wait', '1'], {
      cwd,
      env: { QUENTLI_API_KEY: KEY, NODE_EXTRA_CA_CERTS: CERT_PATH, HTTPS_PROXY: `http://${proxy.url}`, NO_PROXY: 'localhost,.quentli.test' },
    });
    // Straight to a name no DNS knows.
    expect(bypassed.code).toBe(2);
    expect(logMessages(bypassed.stderr).at(-1)).toMatch(/^quentli-import: cannot reach the API at https:\/\/api\.quentli\.test\/v1: cannot connect to GET https:\/\/api\.quentli\.test \((ENOTFOUND|EAI_AGAIN)\)/);
    const direct = await run(['alumnos.csv', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY, HTTPS_PROXY: `http://${proxy.url}`, ALL_PROXY: `http://${proxy.url}` } });
    expect(direct.code, direct.stderr).toBe(0);
    expect(server.store.size).toBe(2);
    expect(proxy.tunnels).toEqual([]);
  });
});
