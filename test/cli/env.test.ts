import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCutAtHash, loadEnvironment } from '../../src/cli/env.js';
import { temporaryFolder } from '../temporary-folder.js';

function folderWithEnv(text: string): string {
  const cwd = temporaryFolder('qi-env-');
  writeFileSync(join(cwd, '.env'), text);
  return cwd;
}

describe('loadEnvironment', () => {
  it('reads .env, and the environment wins', () => {
    const cwd = folderWithEnv('QUENTLI_API_KEY=sk_from_file\nQUENTLI_API_URL=https://api.demo.quentli.com/v1\n');
    expect(loadEnvironment(cwd, {}).QUENTLI_API_KEY).toBe('sk_from_file');
    const env = loadEnvironment(cwd, { QUENTLI_API_KEY: 'sk_from_env' });
    expect(env.QUENTLI_API_KEY).toBe('sk_from_env');
    expect(env.QUENTLI_API_URL).toBe('https://api.demo.quentli.com/v1');
  });

  it('reads a .env saved with a byte order mark (Windows Notepad) and CRLF lines', () => {
    const cwd = folderWithEnv('\uFEFFQUENTLI_API_KEY=sk_from_file\r\nQUENTLI_API_URL=https://api.demo.quentli.com/v1\r\n');
    const env = loadEnvironment(cwd, {});
    expect(env.QUENTLI_API_KEY).toBe('sk_from_file');
    expect(env.QUENTLI_API_URL).toBe('https://api.demo.quentli.com/v1');
  });

  it('an empty variable in the environment (QUENTLI_API_KEY= in a crontab) does not hide the .env value', () => {
    const cwd = folderWithEnv('QUENTLI_API_KEY=sk_from_file\n');
    expect(loadEnvironment(cwd, { QUENTLI_API_KEY: '' }).QUENTLI_API_KEY).toBe('sk_from_file');
    expect(loadEnvironment(temporaryFolder('qi-env-'), { QUENTLI_API_KEY: '' }).QUENTLI_API_KEY).toBe('');
  });

  it('has nothing to add without a .env', () => {
    expect(loadEnvironment(temporaryFolder('qi-env-'), { A: '1' })).toEqual({ A: '1' });
  });
});

describe('isCutAtHash', () => {
  it('tells a .env value cut at an unquoted "#" in a URL\'s user or password, not a quoted one, a comment, or the environment\'s own', () => {
    const cut = folderWithEnv('QUENTLI_API_KEY=sk_from_file\r\nexport HTTPS_PROXY = http://ana:s3c#ret@proxy:3128\r\nALL_PROXY=http://an#a@proxy:3128\n');
    // Read so, it was `http://ana:s3c`: refused quoting the password's start, or taken for a proxy named `ana`.
    expect(loadEnvironment(cut, {}).HTTPS_PROXY).toBe('http://ana:s3c');
    expect(isCutAtHash(cut, {}, 'HTTPS_PROXY')).toBe(true);
    expect(isCutAtHash(cut, { HTTPS_PROXY: '' }, 'HTTPS_PROXY')).toBe(true);
    expect(isCutAtHash(cut, {}, 'ALL_PROXY')).toBe(true);
    expect(isCutAtHash(cut, { HTTPS_PROXY: 'http://proxy:3128' }, 'HTTPS_PROXY')).toBe(false);
    expect(isCutAtHash(cut, {}, 'QUENTLI_API_KEY')).toBe(false);
    expect(isCutAtHash(cut, {}, 'https_proxy')).toBe(false);
    const kept = folderWithEnv('HTTPS_PROXY="http://ana:s3c#ret@proxy:3128"\nhttps_proxy=http://ana:s3c%23ret@proxy:3128 # soporte@escuela.mx\nALL_PROXY=http://proxy:3128 #ti@escuela.mx\n');
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY']) expect(isCutAtHash(kept, {}, name), name).toBe(false);
    expect(isCutAtHash(temporaryFolder('qi-env-'), {}, 'HTTPS_PROXY')).toBe(false);
  });
});
