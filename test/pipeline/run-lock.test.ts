import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors/index.js';
import { acquireRunLock } from '../../src/pipeline/run-lock.js';

const paths = () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-lock-'));
  return { lock: join(dir, 'alumnos.results.lock'), report: join(dir, 'alumnos.results.csv') };
};

describe('acquireRunLock', () => {
  it('is held until released, and refuses a second run meanwhile, naming the holder', () => {
    const { lock, report } = paths();
    const held = acquireRunLock(lock, report);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    let refusal: unknown;
    try {
      acquireRunLock(lock, report);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ImportError);
    expect(refusal).toMatchObject({ code: 'in_use', message: expect.stringContaining(`another import is writing ${report} (process ${process.pid} on ${hostname()}`) });
    held.release();
    expect(existsSync(lock)).toBe(false);
    acquireRunLock(lock, report).release();
  });

  it('takes over a lock left by a process of this machine that is gone (a kill -9)', () => {
    const { lock, report } = paths();
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const held = acquireRunLock(lock, report);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    held.release();
  });

  it('takes over a lock cut short while being written', () => {
    const { lock, report } = paths();
    writeFileSync(lock, '{"pid": 12');
    acquireRunLock(lock, report).release();
  });

  it('leaves a lock of another machine sharing the folder alone: it cannot tell', () => {
    const { lock, report } = paths();
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'otra-maquina', startedAt: '2026-01-01T00:00:00.000Z' }));
    expect(() => acquireRunLock(lock, report)).toThrow(/process 1 on otra-maquina/);
  });
});
