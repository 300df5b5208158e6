import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/cli/env.js';
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
