import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/read/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qi-open-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openSource refusals say what to do', () => {
  it.skipIf(process.platform === 'win32')('a named pipe (a process substitution, /dev/stdin on a pipe): save the roster to a file', async () => {
    const fifo = join(dir, 'alumnos.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(openSource(fifo)).rejects.toThrow(`${fifo}: is not a regular file (a pipe or a device, read only once): save the roster to a file and give its path`);
  });
});
