import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { temporaryFolder } from '../temporary-folder.js';

/**
 * Writes to a journal (the run's `.journal`, or one being written to take its place) that succeed
 * before the next one fails, as a `kill -9`, a power cut or a full disk stops a run there; undefined: never.
 */
let journalWritesLeft: number | undefined;
const journalFds = new Set<number>();

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    openSync: (...args: Parameters<typeof actual.openSync>) => {
      const fd = actual.openSync(...args);
      if (/\.journal(\.new)?$/.test(String(args[0])) && args[1] !== 'r') journalFds.add(fd);
      else journalFds.delete(fd);
      return fd;
    },
    writeSync: (...args: Parameters<typeof actual.writeSync>) => {
      if (journalFds.has(args[0]) && journalWritesLeft !== undefined && journalWritesLeft-- <= 0) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return (actual.writeSync as (...a: unknown[]) => number)(...args);
    },
  };
});

const { importCustomers } = await import('../../src/index.js');
const { startSimulator } = await import('../../src/simulator/index.js');

afterEach(() => {
  journalWritesLeft = undefined;
});

describe('a run stopped while it writes its fresh journal over a finished one', () => {
  it('leaves the finished journal whole: the next run still knows every customer created without a username', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 11 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-journal-replace-');
    const file = join(dir, 'alumnos.csv');
    const reportPath = join(dir, 'alumnos.results.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `Alumno ${i} Pérez,alumno${i}@correo-escuela.mx,55 1234 ${String(1000 + i)}`);
    writeFileSync(file, ['Nombre completo,Correo electrónico,Teléfono', ...rows].join('\n') + '\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath };
    expect((await importCustomers(options)).counts).toMatchObject({ created: 30 });

    // Tonight's export (a row added at the end). The run stops once its journal's first line and 5
    // of the 30 fingerprints it carries over are written.
    writeFileSync(file, ['Nombre completo,Correo electrónico,Teléfono', ...rows, 'Alumna Nueva López,nueva@correo-escuela.mx,'].join('\n') + '\n');
    journalWritesLeft = 6;
    await expect(importCustomers(options)).rejects.toMatchObject({ code: 'output' });
    journalWritesLeft = undefined;
    expect(sim.store.size).toBe(30);

    // The same command again: nobody is created twice. (The journal truncated in place held 5
    // fingerprints, and 25 customers were created a second time.)
    const again = await importCustomers(options);
    expect(again.counts).toMatchObject({ created: 1, exists: 30 });
    expect(sim.store.size).toBe(31);
    expect(readdirSync(dir).filter((name) => name.endsWith('.new'))).toEqual([]);
    expect(basename(again.journalPath!)).toBe('alumnos.results.journal');
  });
});
