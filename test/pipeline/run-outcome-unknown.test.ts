import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

describe('a file without usernames whose creates were never answered', () => {
  it('never sends them again: the next run of the same file looks for each, and without a customer to find it stays outcome unknown', async ({ onTestFinished }) => {
    // Every request after the key check hangs: the creates' answers are lost, and so are the look-ups that would tell.
    const sim = await startSimulator({ port: 0, seed: 7, onRequest: (event) => event.url.endsWith('?take=1') && sim.setFaults({ hangRate: 1 }) });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-unknown-');
    const file = join(dir, 'familias.csv');
    writeFileSync(file, 'Nombre,Correo\nLucía Fernández,lucia@ejemplo.mx\nTomás Ibáñez,tomas@ejemplo.mx\n');
    // 1 s for an answer, not 300 ms: on a loaded machine the key check's own answer took longer, and the run stopped there.
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'familias.results.csv'), timeoutMs: 1_000, retry: { maxAttempts: 1 } };
    const first = await importCustomers(options);
    expect(first.counts).toMatchObject({ created: 0, failed: 2 });
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
    sim.setFaults({ hangRate: 0 });
    // The same file again: each row is known by its name, email and phone, and looked for (one GET each), never sent again.
    const again = await importCustomers(options);
    expect(again.counts).toMatchObject({ created: 0, failed: 2 });
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
  }, 15_000);

  it('finds the customers whose creates were answered by a cut connection: created, and exists in the next run of the same file', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 7, cutAfterCreateRate: 1 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-unknown-');
    const file = join(dir, 'familias.csv');
    writeFileSync(file, 'Nombre,Correo\nLucía Fernández,lucia@ejemplo.mx\nTomás Ibáñez,tomas@ejemplo.mx\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'familias.results.csv') };
    expect((await importCustomers(options)).counts).toMatchObject({ created: 2, failed: 0 });
    expect(sim.store.size).toBe(2);
    expect((await importCustomers(options)).counts).toMatchObject({ created: 0, exists: 2 });
    expect(sim.store.size).toBe(2);
  });
});
