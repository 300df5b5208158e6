import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

const HEADER = 'Nombre completo,Correo electrónico,Teléfono';
const ROSTER = ['Lucía Fernández Ruiz,lucia@correo-escuela.mx,55 1234 5678', 'Ana Sofía Cruz,ana@correo-escuela.mx,'];
const WITH_USERNAMES = ['Nombre completo,Correo electrónico,Teléfono,Usuario', 'Lucía Fernández Ruiz,lucia@correo-escuela.mx,55 1234 5678,lfernandez', 'Ana Sofía Cruz,ana@correo-escuela.mx,,acruz'];

describe('a roster imported without usernames, then with the usernames filled in, under the same report name', () => {
  it('does not create its customers a second time: they are found by name, email and phone, and the row says the username is not in Quentli', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 21 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const reportPath = join(dir, 'tutores.results.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath };
    writeFileSync(file, [HEADER, ...ROSTER].join('\n') + '\n');
    expect((await importCustomers(options)).counts).toMatchObject({ created: 2 });

    // The school system now exports each family's login: the usernames find nothing in Quentli.
    writeFileSync(file, WITH_USERNAMES.join('\n') + '\n');
    const second = await importCustomers(options);
    expect(second.counts).toMatchObject({ created: 0, exists: 2 });
    expect(sim.store.size).toBe(2);
    expect(readFileSync(reportPath, 'utf8')).toMatch(/^2,exists,cus_\w+,lfernandez,"created by an earlier import under this report name \(the same name, email and phone, no username\): not created again; that customer has no username in Quentli, and this row's \(""lfernandez""\) was not set on it: set it there",Lucía Fernández Ruiz\r$/m);

    // One deleted since is created again, with its username.
    sim.store.clear();
    const third = await importCustomers(options);
    expect(third.counts).toMatchObject({ created: 2 });
    expect(sim.store.all().map((customer) => customer.username).sort()).toEqual(['acruz', 'lfernandez']);
  });

  it('takes a row whose username a customer of its own holds for that customer, not for the one created without a username', async ({ onTestFinished }) => {
    // The same person twice in one file, without a username and with one: two customers (the README says so).
    const sim = await startSimulator({ port: 0, seed: 22 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'mix.csv');
    const reportPath = join(dir, 'mix.results.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath };
    writeFileSync(file, ['Nombre,Usuario,Correo', 'Ana Uno,,ana@x.mx', 'Ana Uno,ana1,ana@x.mx'].join('\n') + '\n');
    expect((await importCustomers(options)).counts).toMatchObject({ created: 2 });
    const ana1 = sim.store.byUsername('ana1')!.id;
    for (let run = 0; run < 2; run++) {
      expect((await importCustomers(options)).counts).toMatchObject({ exists: 2 });
      const report = readFileSync(reportPath, 'utf8');
      expect(report).toMatch(new RegExp(`^3,exists,${ana1},ana1,,Ana Uno\\r$`, 'm'));
      expect(report).toMatch(/^2,exists,cus_\w+,,"created by an earlier import/m);
      expect(report).not.toMatch(new RegExp(`^2,exists,${ana1},`, 'm'));
    }
    expect(sim.store.size).toBe(2);
  });

  it('looks for one whose answer was lost by name, email and phone, and never sends it again with its username', async ({ onTestFinished }) => {
    // Armed, the first create is stored and its answer cut, and every request after it fails: the look-up that would find it too.
    let arm = true;
    const sim = await startSimulator({
      port: 0,
      seed: 22,
      cutAfterCreateRate: 1,
      onRequest: (event) => {
        if (arm && event.method === 'POST') {
          arm = false;
          sim.setFaults({ hangRate: 1 });
        }
      },
    });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const reportPath = join(dir, 'tutores.results.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath, timeoutMs: 300, concurrency: 1, retry: { maxAttempts: 1 } };
    writeFileSync(file, [HEADER, ...ROSTER].join('\n') + '\n');
    expect((await importCustomers(options)).counts).toMatchObject({ failed: 2 });
    expect(sim.store.size).toBe(1); // the first landed; the second hung before it was stored

    sim.setFaults({ cutAfterCreateRate: 0, hangRate: 0 });
    writeFileSync(file, WITH_USERNAMES.join('\n') + '\n');
    const second = await importCustomers(options);
    expect(second.counts).toMatchObject({ created: 1, failed: 1 });
    expect(sim.store.size).toBe(1);
    expect(sim.stats.byRoute['POST /customers']).toBe(2); // the first run's two, none since
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toMatch(/^2,created,cus_\w+,lfernandez,"an earlier import under this report name sent this customer without a username and its answer was lost: found; that customer has no username in Quentli/m);
    expect(report).toMatch(/^3,failed,,acruz,"outcome unknown: /m);
  });
});
