import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoredProxy } from '../../src/cli/proxy.js';
import { runCli } from '../../src/cli/run-cli.js';
import { temporaryFolder } from '../temporary-folder.js';

describe('ignoredProxy', () => {
  const api = 'https://api.quentli.com/v1';

  it('names the variable curl would follow to the API, credentials hidden', () => {
    expect(ignoredProxy(api, { HTTPS_PROXY: 'http://proxy.escuela.mx:3128' })).toBe('HTTPS_PROXY (http://proxy.escuela.mx:3128)');
    expect(ignoredProxy(api, { https_proxy: 'http://ana:s3cret@proxy:3128', HTTPS_PROXY: 'http://other:8080' })).toBe('https_proxy (http://***@proxy:3128)');
    expect(ignoredProxy(api, { ALL_PROXY: 'ana:s3cret@proxy:3128' })).toBe('ALL_PROXY (***@proxy:3128)');
  });

  it('is none without one, for a plain http (loopback) API, or for a host NO_PROXY names', () => {
    expect(ignoredProxy(api, {})).toBeUndefined();
    expect(ignoredProxy(api, { HTTPS_PROXY: ' ' })).toBeUndefined();
    expect(ignoredProxy(api, { HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined(); // curl uses it for http:// only
    expect(ignoredProxy('http://127.0.0.1:4010/v1', { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined();
    for (const noProxy of ['*', 'quentli.com', '.quentli.com', '*.quentli.com', 'localhost, api.quentli.com:443', 'API.QUENTLI.COM']) {
      expect(ignoredProxy(api, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy })).toBeUndefined();
    }
    expect(ignoredProxy(api, { HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'api.quentli.com:8443' })).toBe('HTTPS_PROXY (http://proxy:3128)');
    expect(ignoredProxy(api, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'notquentli.com' })).toBe('HTTPS_PROXY (http://proxy:3128)');
  });
});

describe('a key check that reaches no API while a proxy variable is set', () => {
  it('says the proxy is set and not used, in the error line and the --summary-json', async () => {
    // A port nothing listens on: a network that lets nothing out but through its proxy.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cwd = temporaryFolder('qi-proxy-');
    writeFileSync(join(cwd, 'alumnos.csv'), 'Nombre,Usuario\nAna Ruiz,ana.ruiz\n');
    const chunks: string[] = [];
    const stderr = { write: (text: string) => chunks.push(text) > 0 };
    const code = await runCli([join(cwd, 'alumnos.csv'), '--api-url', `https://127.0.0.1:${port}/v1`, '--max-retry-wait', '1', '--summary-json', join(cwd, 'last-run.json')], {
      cwd,
      env: { QUENTLI_API_KEY: 'sk_test_proxy', HTTPS_PROXY: 'http://ana:s3cret@proxy.escuela.mx:3128' },
      stdout: { write: () => true } as never,
      stderr: stderr as never,
    });
    expect(code).toBe(2);
    const note = `HTTPS_PROXY (http://***@proxy.escuela.mx:3128) is set, but quentli-import does not go through a proxy: it connects to 127.0.0.1:${port} directly`;
    const line = JSON.parse(chunks.join('').trim().split('\n').at(-1)!) as { code: string; msg: string };
    expect(line).toMatchObject({ code: 'api_unreachable', msg: expect.stringContaining(note) });
    expect(line.msg).not.toContain('s3cret');
    expect(JSON.parse(readFileSync(join(cwd, 'last-run.json'), 'utf8'))).toMatchObject({ exitCode: 2, error: { code: 'api_unreachable', message: expect.stringContaining(note) } });
  });
});
