import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCustomers, type ImportOptions } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

/** The built library, as a program installs it (`npm test` builds first). */
const LIBRARY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function roster(dir: string, name: string, usernames: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `Nombre,Usuario\n${usernames.map((username) => `Alumno ${username},${username}`).join('\n')}\n`);
  return file;
}

describe('importCustomers reads its options once, when called', () => {
  it("imports the file it was called with when the caller reuses its options object for the next school's job", async ({ onTestFinished }) => {
    const schoolA = await startSimulator({ port: 0, apiKeys: ['sk_test_school_a'] });
    const schoolB = await startSimulator({ port: 0, apiKeys: ['sk_test_school_b'] });
    onTestFinished(() => Promise.all([schoolA.close(), schoolB.close()]).then(() => {}));
    const dir = temporaryFolder('qi-options-');
    const jobs = [
      { apiUrl: schoolA.url, apiKey: 'sk_test_school_a', file: roster(dir, 'a.csv', ['a1', 'a2']), reportPath: join(dir, 'a.results.csv') },
      { apiUrl: schoolB.url, apiKey: 'sk_test_school_b', file: roster(dir, 'b.csv', ['b1', 'b2', 'b3']), reportPath: join(dir, 'b.results.csv'), retry: { maxAttempts: 3 } },
    ];
    const options: ImportOptions = { file: '' };
    const runs: Promise<unknown>[] = [];
    for (const job of jobs) {
      Object.assign(options, job);
      runs.push(importCustomers(options));
    }
    const [a, b] = (await Promise.all(runs)) as [{ file: string; reportPath: string }, { file: string; reportPath: string }];
    expect(a).toMatchObject({ file: jobs[0]!.file, reportPath: jobs[0]!.reportPath });
    expect(b).toMatchObject({ file: jobs[1]!.file, reportPath: jobs[1]!.reportPath });
    expect(schoolA.store.all().map((customer) => customer.username).sort()).toEqual(['a1', 'a2']);
    expect(schoolB.store.all().map((customer) => customer.username).sort()).toEqual(['b1', 'b2', 'b3']);
  });

  it('refuses an option named like an Object property (`__proto__` from JSON.parse, `constructor`) as unknown, with a usage error', async () => {
    for (const options of [JSON.parse('{"file": "alumnos.csv", "dryRun": true, "__proto__": {}}'), { file: 'alumnos.csv', dryRun: true, constructor: 'x' }] as unknown[]) {
      await expect(importCustomers(options as ImportOptions)).rejects.toMatchObject({ name: 'ImportError', code: 'usage', message: expect.stringMatching(/^unknown option "(__proto__|constructor)"/) });
    }
  });

  it('leaves no exit hook on the host process when no logger is given (the built library, in a process of its own)', () => {
    const dir = temporaryFolder('qi-options-');
    const file = roster(dir, 'alumnos.csv', ['u1']);
    const program = `
      const { importCustomers } = await import(${JSON.stringify(LIBRARY)});
      const before = process.listenerCount('exit');
      await importCustomers({ file: ${JSON.stringify(file)}, dryRun: true, reportPath: ${JSON.stringify(join(dir, 'alumnos.results.csv'))} });
      process.stdout.write(JSON.stringify({ before, after: process.listenerCount('exit') }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const { before, after } = JSON.parse(child.stdout) as { before: number; after: number };
    expect(after).toBe(before);
  });
});

describe('importCustomers with a logger that throws', () => {
  it('loses the logger\'s lines, not the import: every row sent and reported, the promise resolves, the lock released', async ({ onTestFinished }) => {
    const server = await startSimulator({ port: 0, apiKeys: ['sk_test_logger'] });
    onTestFinished(() => server.close());
    const dir = temporaryFolder('qi-options-');
    const file = roster(dir, 'alumnos.csv', ['u1', 'u2', 'u3']);
    const reportPath = join(dir, 'alumnos.results.csv');
    // A host's serializer or destination with a bug: every level throws.
    const broken = () => {
      throw new Error('logger bug');
    };
    const logger = { debug: broken, info: broken, warn: broken, error: broken };
    const options: ImportOptions = {
      file,
      apiUrl: server.url,
      apiKey: 'sk_test_logger',
      reportPath,
      logger,
      // Its throw is logged (warn), through the logger that throws too.
      onEvent: (event) => {
        if (event.type === 'row') throw new Error('progress display bug');
      },
    };
    await expect(importCustomers(options)).resolves.toMatchObject({ rows: 3, counts: { created: 3 } });
    expect(readFileSync(reportPath, 'utf8').trim().split('\r\n')).toHaveLength(4);
    // Upsert logs each update (debug): the row is updated, not failed.
    writeFileSync(file, 'Nombre,Usuario\nAlumno u1,u1\nAlumna Dos,u2\nAlumno u3,u3\n');
    await expect(importCustomers({ ...options, mode: 'upsert' })).resolves.toMatchObject({ rows: 3, counts: { updated: 1, unchanged: 2 } });
    expect(server.store.byUsername('u2')!.name).toBe('Alumna Dos');
  });
});

describe('importCustomers with a handler that changes the entries it is given', () => {
  it('reports every row as it was, whatever the handler did to its `row` event\'s entry (a host adding a field, reusing the object)', async () => {
    const dir = temporaryFolder('qi-options-');
    const file = join(dir, 'alumnos.csv');
    // One valid row and one refused (its values reach the errors file).
    writeFileSync(file, 'Nombre,Usuario,Correo\nAna López,u1,ana@example.mx\nBeto Ruiz,u2,beto@\n');
    const reportPath = join(dir, 'alumnos.results.csv');
    const entries: unknown[] = [];
    const summary = await importCustomers({
      file,
      dryRun: true,
      reportPath,
      onEvent: (event) => {
        if (event.type !== 'row') return;
        entries.push(event.entry);
        event.entry.status = 'failed';
        event.entry.name = 'changed by the host';
        event.entry.error = 'changed by the host';
        event.entry.values[0] = 'changed by the host';
      },
    });
    expect(summary.counts).toMatchObject({ valid: 1, invalid: 1, failed: 0 });
    const report = readFileSync(reportPath, 'utf8');
    expect(report).not.toContain('changed by the host');
    expect(report).toContain(',valid,');
    expect(readFileSync(join(dir, 'alumnos.results.errors.csv'), 'utf8')).toContain('Beto Ruiz');
    // The host keeps what it made of them.
    expect(entries).toHaveLength(2);
    expect(entries).toEqual([expect.objectContaining({ status: 'failed' }), expect.objectContaining({ status: 'failed' })]);
  });
});

describe('importCustomers row events of rows that repeat an earlier row', () => {
  it('carry the repeat among the issues (duplicate_username, duplicate_customer), and the summary groups them as before', async () => {
    const dir = temporaryFolder('qi-options-');
    const file = join(dir, 'alumnos.csv');
    writeFileSync(
      file,
      'Nombre,Usuario,Correo\nAna López,u1,ana@example.mx\nAna Otra,u1,otra@example.mx\nBeto Ruiz,u3,beto@\nBeto Dos,u3,beto@\nCarla Ruiz,,carla@example.mx\nCarla Ruiz,,carla@example.mx\n',
    );
    const codes = new Map<number, string[] | undefined>();
    const summary = await importCustomers({
      file,
      dryRun: true,
      reportPath: join(dir, 'alumnos.results.csv'),
      onEvent: (event) => {
        if (event.type === 'row') codes.set(event.entry.row, event.entry.issues?.map((issue) => issue.code));
      },
    });
    expect(Object.fromEntries(codes)).toEqual({
      2: undefined,
      3: ['duplicate_username'],
      4: ['invalid_email'],
      5: ['invalid_email', 'duplicate_username'],
      6: undefined,
      7: ['duplicate_customer'],
    });
    expect(summary.counts).toMatchObject({ valid: 2, invalid: 2, duplicate: 2 });
    expect(summary.refusals.map(({ reason, rows }) => ({ reason, rows }))).toEqual([
      { reason: expect.stringContaining('not a valid email'), rows: [4, 5] },
      { reason: 'the username repeats an earlier row', rows: [3] },
      { reason: 'the name and email or phone repeat an earlier row (no username)', rows: [7] },
    ]);
  });
});
