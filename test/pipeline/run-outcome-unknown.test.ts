import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';

describe('a file without usernames whose creates were never answered', () => {
  it('is refused the next time, as a file whose customers were created: they may have been, and a second run created them again', async ({ onTestFinished }) => {
    // Every request after the key check hangs: the creates' answers are lost, and so are the look-ups that would tell.
    const sim = await startSimulator({ port: 0, seed: 7, onRequest: (event) => event.url.endsWith('?take=1') && sim.setFaults({ hangRate: 1 }) });
    onTestFinished(() => sim.close());
    const dir = mkdtempSync(join(tmpdir(), 'qi-unknown-'));
    const file = join(dir, 'familias.csv');
    writeFileSync(file, 'Nombre,Correo\nLucía Fernández,lucia@ejemplo.mx\nTomás Ibáñez,tomas@ejemplo.mx\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'familias.results.csv'), timeoutMs: 300, retry: { maxAttempts: 1 } };
    const first = await importCustomers(options);
    expect(first.counts).toMatchObject({ created: 0, failed: 2 });
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
    sim.setFaults({ hangRate: 0 });
    const again = await importCustomers(options).catch((error: unknown) => error);
    expect(again).toMatchObject({
      code: 'journal',
      message: expect.stringMatching(/imported to this API to the end, and 2 rows without a username may have created their customers \(outcome unknown\), which Quentli cannot match/),
    });
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
  });

  it('finds the customers whose creates were answered by a cut connection: created, and the next run refused as for any customers created', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 7, cutAfterCreateRate: 1 });
    onTestFinished(() => sim.close());
    const dir = mkdtempSync(join(tmpdir(), 'qi-unknown-'));
    const file = join(dir, 'familias.csv');
    writeFileSync(file, 'Nombre,Correo\nLucía Fernández,lucia@ejemplo.mx\nTomás Ibáñez,tomas@ejemplo.mx\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'familias.results.csv') };
    expect((await importCustomers(options)).counts).toMatchObject({ created: 2, failed: 0 });
    expect(sim.store.size).toBe(2);
    expect(await importCustomers(options).catch((error: unknown) => error)).toMatchObject({ code: 'journal' });
    expect(sim.store.size).toBe(2);
  });
});
