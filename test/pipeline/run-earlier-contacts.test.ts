import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCustomers, type ImportEvent } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

const HEADER = 'Nombre completo,Correo electrónico,Teléfono';
const ROSTER = [
  'Lucía Fernández Ruiz,lucia@correo-escuela.mx,55 1234 5678',
  'Tomás Ibáñez Peña,pedro@,55 2345 6789', // refused: a bad email
  'Ana Sofía Cruz,ana@correo-escuela.mx,',
  'Diego Núñez Orozco,,(33) 3615 0000',
];

describe('a roster without usernames imported again with its refused rows fixed, under the same report name', () => {
  it('creates the fixed rows only: the customers the first import created are reported exists, not created a second time', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 3 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const reportPath = join(dir, 'tutores.results.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath };
    writeFileSync(file, [HEADER, ...ROSTER].join('\n') + '\n');
    const first = await importCustomers(options);
    expect(first.counts).toMatchObject({ created: 3, invalid: 1 });
    expect(sim.store.size).toBe(3);

    // The secretary fixes the email in the original and imports it again; Excel wrote the name in capitals.
    const fixed = ROSTER.map((line) => line.replace('pedro@', 'tomas@correo-escuela.mx').replace('Lucía Fernández Ruiz', 'LUCIA FERNANDEZ RUIZ'));
    writeFileSync(file, [HEADER, ...fixed].join('\n') + '\n');
    const second = await importCustomers(options);
    expect(second.counts).toMatchObject({ created: 1, exists: 3, invalid: 0 });
    expect(sim.store.size).toBe(4);
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toMatch(/^2,exists,cus_\w+,,"created by an earlier import under this report name \(the same name, email and phone, no username\): not created again",LUCIA FERNANDEZ RUIZ\r$/m);
    expect(report).toMatch(/^3,created,cus_\w+,,,Tomás Ibáñez Peña\r$/m);

    // A third file under the same name (a new family added): what both runs created is still known.
    writeFileSync(file, [HEADER, ...fixed, 'Regina Zúñiga,regina@correo-escuela.mx,'].join('\n') + '\n');
    const third = await importCustomers(options);
    expect(third.counts).toMatchObject({ created: 1, exists: 4 });
    expect(sim.store.size).toBe(5);

    // --restart imports every row anyway, as before.
    writeFileSync(file, [HEADER, ...fixed].join('\n') + '\n');
    expect((await importCustomers({ ...options, restart: true })).counts).toMatchObject({ created: 4 });
  });

  it('warns of a corrected row on the night after a quiet one: the journal knows the customers, though the last run created none', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 5 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const reportPath = join(dir, 'tutores.results.csv');
    const [lucia, ana, diego] = [ROSTER[0]!, ROSTER[2]!, ROSTER[3]!];
    const lines = [lucia, ana, diego];
    const corrected = [lucia.replace('55 1234 5678', '55 1234 0000'), ana, diego];
    const night = async (rows: string[]) => {
      writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
      const warnings: string[] = [];
      const onEvent = (event: ImportEvent) => void (event.type === 'warning' && warnings.push(event.message));
      return { summary: await importCustomers({ file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath, onEvent }), warnings };
    };
    expect((await night(lines)).summary.counts).toMatchObject({ created: 3 });
    // Night 2: the same export; every row found, none created.
    expect((await night(lines)).summary.counts).toMatchObject({ created: 0, exists: 3 });
    // Night 3: the school corrected a phone. The row is created a second time (no username to match it
    // by): that must be said at run time, as after a night that created some.
    const third = await night(corrected);
    expect(third.summary.counts).toMatchObject({ created: 1, exists: 2 });
    expect(sim.store.size).toBe(4);
    expect(third.warnings).toContainEqual(
      expect.stringMatching(/tutores\.results\.journal: earlier imports under this report name to this API created 3 customers without a username, which Quentli cannot match: a row of this file with the same name, email and phone as one of them is not sent again \(`exists`\), but one changed since \(a corrected name, email or phone\) is created a second time$/),
    );
    expect(third.warnings).toContainEqual(expect.stringContaining('(a row whose name, email or phone is corrected later is not known by it, and is created a second time)'));
    // The same file once more: nothing to warn of beyond the usual, nothing created.
    const fourth = await night(corrected);
    expect(fourth.summary.counts).toMatchObject({ created: 0, exists: 3 });
    expect(fourth.warnings.filter((message) => message.includes('earlier imports under this report name'))).toEqual([]);
  });

  it('asks Quentli for each customer the journal knows: one deleted since (a sandbox reset) is created again, not reported exists with a dead id', async ({ onTestFinished }) => {
    // Armed, every request after a run's key check fails: the look-ups by id cannot be made.
    let failAfterKeyCheck = false;
    const sim = await startSimulator({ port: 0, seed: 4, onRequest: (event) => failAfterKeyCheck && event.url.endsWith('?take=1') && sim.setFaults({ errorRate: 1 }) });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const reportPath = join(dir, 'tutores.results.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath, retry: { maxAttempts: 1 } };
    const lines = [ROSTER[0], ROSTER[2], ROSTER[3]];
    writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
    expect((await importCustomers(options)).counts).toMatchObject({ created: 3 });
    const firstIds = sim.store.all().map((customer) => customer.id);

    // The same file again: each customer asked for by its id (one GET each), none created.
    const again = await importCustomers(options);
    expect(again.counts).toMatchObject({ exists: 3 });
    expect(sim.stats.byRoute['GET /customers/:id']).toBe(3);
    expect(sim.stats.byRoute['POST /customers']).toBe(3);

    // The sandbox was reset: the journal's customers are gone, and are created again.
    sim.store.clear();
    const afterReset = await importCustomers(options);
    expect(afterReset.counts).toMatchObject({ created: 3, exists: 0 });
    expect(sim.store.size).toBe(3);
    const report = readFileSync(reportPath, 'utf8');
    const recreated = /^2,created,(cus_\w+),,"an earlier import under this report name created this customer \((cus_\w+)\), which Quentli no longer holds: created again",Lucía Fernández Ruiz\r$/m.exec(report);
    expect(recreated).not.toBeNull();
    expect(firstIds).toContain(recreated![2]);
    expect(sim.store.byId(recreated![1]!)?.name).toBe('Lucía Fernández Ruiz');

    // And the customers created then are the ones known from now on; an API that cannot be asked leaves the journal's word.
    failAfterKeyCheck = true;
    const unasked = await importCustomers(options);
    expect(unasked.counts).toMatchObject({ exists: 3 });
    expect(readFileSync(reportPath, 'utf8')).toContain('not created again (Quentli could not be asked whether it still holds it)');
    expect(sim.store.size).toBe(3);
  });

  it('does not create a third time a customer created again (its earlier one deleted) whose answer was lost', async ({ onTestFinished }) => {
    // Armed, the create is stored and its answer cut, and every request after it hangs: the look-up that would find it too.
    let arm = false;
    const sim = await startSimulator({
      port: 0,
      seed: 8,
      onRequest: (event) => {
        if (arm && event.method === 'POST' && event.outcome === 'cut') {
          arm = false;
          sim.setFaults({ hangRate: 1 });
        }
      },
    });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'tutores.results.csv'), timeoutMs: 300, retry: { maxAttempts: 1 } };
    writeFileSync(file, [HEADER, ROSTER[0]].join('\n') + '\n');
    expect((await importCustomers(options)).counts).toMatchObject({ created: 1 });

    // The sandbox was reset; the row is created again, and that create's answer is lost.
    sim.store.clear();
    arm = true;
    sim.setFaults({ cutAfterCreateRate: 1 });
    expect((await importCustomers(options)).counts).toMatchObject({ failed: 1 });
    expect(sim.store.size).toBe(1); // it landed

    // The next run looks for it (created since it was sent): found, not created once more.
    sim.setFaults({ cutAfterCreateRate: 0, hangRate: 0 });
    const third = await importCustomers(options);
    expect(third.counts).toMatchObject({ created: 1 });
    expect(sim.store.size).toBe(1);
    expect(sim.stats.byRoute['POST /customers']).toBe(2);
  });

  it('does not send again a row whose create the earlier import sent and never heard back from (outcome unknown)', async ({ onTestFinished }) => {
    // Every request after the first run's key check hangs: the create's answer is lost, and so is the look-up that would tell.
    let arm = true;
    const sim = await startSimulator({
      port: 0,
      seed: 7,
      onRequest: (event) => {
        if (arm && event.url.endsWith('?take=1')) {
          arm = false;
          sim.setFaults({ hangRate: 1 });
        }
      },
    });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'tutores.results.csv'), timeoutMs: 300, retry: { maxAttempts: 1 } };
    writeFileSync(file, [HEADER, ROSTER[0]].join('\n') + '\n');
    expect((await importCustomers(options)).counts).toMatchObject({ failed: 1 });
    sim.setFaults({ hangRate: 0 });
    writeFileSync(file, [HEADER, ROSTER[0], ROSTER[2]].join('\n') + '\n');
    const second = await importCustomers(options);
    expect(second.counts).toMatchObject({ failed: 1, created: 1 });
    expect(sim.stats.byRoute['POST /customers']).toBe(2); // the first row's once, the new row's
    // Looked for (one GET, nothing found since it was sent), not sent: failed, its outcome unknown.
    expect(readFileSync(options.reportPath, 'utf8')).toMatch(/^2,failed,,,"outcome unknown: an earlier run sent it and did not learn whether it was created \(its answer was lost, or was a server error\); no customer with its name, email and phone was created since it was sent, so it was likely not created/m);
  });

  it('keeps two people who share a given name and the school\'s phone apart when the name column holds given names only', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 5 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'alumnos.csv');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'alumnos.results.csv') };
    writeFileSync(file, 'Nombre(s),Teléfono\nMaría José,55 1234 5678\n');
    expect((await importCustomers(options)).counts).toMatchObject({ created: 1 });
    writeFileSync(file, 'Nombre(s),Teléfono\nMaría José,55 1234 5678\nMaría José,55 1234 5678\n');
    expect((await importCustomers(options)).counts).toMatchObject({ created: 2 });
  });
});

describe('a roster without usernames stopped part-way, fixed in place and imported again', () => {
  it('is imported, not refused: the rows the stopped run created are known by name, email and phone and are not created again', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 11, latencyMs: 40 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'tutores.csv');
    const lines = Array.from({ length: 30 }, (_, i) => `Tutor Número ${i + 1},tutor${i + 1}@correo-escuela.mx,`);
    lines[20] = 'Tutor Número 21,tutor21@,'; // refused: a bad email
    writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
    const controller = new AbortController();
    let created = 0;
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'tutores.results.csv'), concurrency: 2 };
    const first = await importCustomers({
      ...options,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'row' && event.entry.status === 'created' && ++created === 6) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    const before = sim.store.size;
    expect(before).toBeGreaterThanOrEqual(6);
    expect(before).toBeLessThan(29);

    // The office fixes the refused email in the file itself and runs the same command.
    lines[20] = 'Tutor Número 21,tutor21@correo-escuela.mx,';
    writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
    const warnings: string[] = [];
    const second = await importCustomers({ ...options, onEvent: (event) => void (event.type === 'warning' && warnings.push(event.message)) });
    expect(warnings).toContainEqual(expect.stringMatching(/the unfinished run sent \d+ rows? without a username; a row of this file with the same name, email and phone is not sent again/));
    expect(second.counts.exists + second.counts.failed).toBe(before);
    expect(second.counts.created).toBe(30 - before);
    expect(sim.store.size).toBe(30);
  });

  it('is still refused when the journal of the stopped run does not know its rows (an older version wrote it) or the mapping changed too', async () => {
    const dir = temporaryFolder('qi-contacts-');
    const path = join(dir, 'r.journal');
    const identity = { inputSha256: 'a', mode: 'create', apiUrl: 'http://127.0.0.1:1/v1', keySha256: 'k', mappingSha256: 'm' };
    const { Journal } = await import('../../src/report/journal.js');
    writeFileSync(path, [JSON.stringify({ journal: 1, ...identity }), JSON.stringify({ row: 2, attempt: true, at: 1, noUsername: true })].join('\n') + '\n');
    expect(Journal.read(path, { ...identity, inputSha256: 'b' }, false).sentWithoutUsername).toEqual([2]);
    writeFileSync(path, [JSON.stringify({ journal: 1, ...identity }), JSON.stringify({ row: 2, attempt: true, at: 1, noUsername: true, contact: 'c' })].join('\n') + '\n');
    expect(Journal.read(path, { ...identity, inputSha256: 'b' }, false)).toMatchObject({ sentWithoutUsername: [], knownWithoutUsername: 1 });
    expect(Journal.read(path, { ...identity, inputSha256: 'b', mappingSha256: 'n' }, false).sentWithoutUsername).toEqual([2]);
  });
});

describe('a Google Contacts export imported again under the same report name after its phones were read by their labels (8f4829e)', () => {
  const GOOGLE = 'First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value';
  const CONTACTS = [
    // The landline first: read before as the phone, the mobile now.
    'Mariana,Hernández Ruiz,* Home,mariana.hdz@gmail.com,Home,55 5264 1190,Mobile,55 3412 8870',
    'Pablo,Núñez,,,Work,55 1111 2222,Mobile,55 3333 4444',
    'José Luis,Ramírez,,jl.ramirez@outlook.com,Mobile,33 1456 2209,Work,33 3615 4400',
  ];

  it('knows the contacts an earlier version created by their first phone: none is created a second time', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, seed: 7 });
    onTestFinished(() => sim.close());
    const dir = temporaryFolder('qi-contacts-');
    const file = join(dir, 'contactos.csv');
    writeFileSync(file, [GOOGLE, ...CONTACTS].join('\n') + '\n');
    const options = { file, apiUrl: sim.url, apiKey: sim.apiKey, reportPath: join(dir, 'contactos.results.csv') };
    // The reading before: each value column its field, in the file's order.
    const before = await importCustomers({ ...options, mapping: { columns: { 'Phone 1 - Value': 'phoneNumber', 'Phone 2 - Value': 'secondaryPhoneNumber' } } });
    expect(before.counts).toMatchObject({ created: 3 });
    expect(sim.store.all().map((customer) => customer.phoneNumber)).toEqual(['+525552641190', '+525511112222', '+523314562209']);

    const after = await importCustomers(options);
    expect(after.counts).toMatchObject({ created: 0, exists: 3 });
    expect(sim.store.size).toBe(3);
  });
});
