import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { importCustomers, type ImportEvent } from '../../src/index.js';
import { KEY, simulator } from './cli-harness.js';
import { temporaryFolder } from '../temporary-folder.js';

// A journal is resumed only by the same run: an interrupted run's confirmed rows must never pass
// for done in a run of another sheet, against another API, or with another mapping of the same file.

const ROWS = 6;

/** A workbook of two groups, one sheet each, in a fresh folder, and where its report goes. */
async function twoGroups(): Promise<{ file: string; reportPath: string }> {
  const dir = temporaryFolder('qi-journal-');
  const path = join(dir, 'grupos.xlsx');
  const workbook = new ExcelJS.Workbook();
  for (const group of ['A', 'B']) {
    const sheet = workbook.addWorksheet(`3° ${group}`);
    sheet.addRow(['Nombre completo', 'Usuario']);
    for (let i = 0; i < ROWS; i++) sheet.addRow([`Alumno ${group}${i}`, `${group.toLowerCase()}${i}`]);
  }
  await workbook.xlsx.writeFile(path);
  return { file: path, reportPath: join(dir, 'grupos.results.csv') };
}

/** A CSV of ROWS members under `header` (each line from `line`), in a fresh folder, and where its report goes. */
function socios(header: string, line: (i: number) => string): { file: string; reportPath: string; lines: string[] } {
  const dir = temporaryFolder('qi-journal-');
  const lines = [header, ...Array.from({ length: ROWS }, (_, i) => line(i))];
  const file = join(dir, 'socios.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, reportPath: join(dir, 'socios.results.csv'), lines };
}

/** Imports until the second row is reported, then interrupts: an unfinished journal with confirmed rows. */
async function interrupted(options: Parameters<typeof importCustomers>[0]): Promise<void> {
  const stop = new AbortController();
  let done = 0;
  const summary = await importCustomers({
    ...options,
    concurrency: 1,
    signal: stop.signal,
    onEvent: (event: ImportEvent) => {
      if (event.type === 'row' && ++done === 2) stop.abort();
    },
  });
  expect(summary.interrupted).toBe(true);
  expect(summary.counts.created).toBeGreaterThanOrEqual(2);
}

function statuses(reportPath: string): string[] {
  return Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data.map((row) => row.status!);
}

describe('the journal of an interrupted run', () => {
  it('is not resumed by a run of another sheet: every row of that sheet is sent', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 20 });
    onTestFinished(() => server.close());
    const { file, reportPath } = await twoGroups();
    await interrupted({ file, sheet: '3° A', apiUrl: server.url, apiKey: KEY, reportPath });

    const warnings: string[] = [];
    const summary = await importCustomers({
      file,
      sheet: '3° B',
      apiUrl: server.url,
      apiKey: KEY,
      reportPath,
      onEvent: (event) => {
        if (event.type === 'warning') warnings.push(event.message);
      },
    });
    expect(summary.counts.created).toBe(ROWS);
    expect(statuses(reportPath)).toEqual(Array(ROWS).fill('created'));
    for (let i = 0; i < ROWS; i++) expect(server.store.byUsername(`b${i}`), `b${i}`).toBeDefined();
    expect(warnings).toContainEqual(expect.stringMatching(/read sheet "3° A", this one reads sheet "3° B": starting a fresh run/));
  });

  it('is not resumed against another API: every row is sent there', async ({ onTestFinished }) => {
    const sandbox = await simulator({ latencyMs: 20 });
    const production = await simulator();
    onTestFinished(async () => {
      await sandbox.close();
      await production.close();
    });
    const { file, reportPath } = await twoGroups();
    await interrupted({ file, apiUrl: sandbox.url, apiKey: KEY, reportPath });

    const summary = await importCustomers({ file, apiUrl: production.url, apiKey: KEY, reportPath });
    expect(summary.counts.created).toBe(ROWS);
    expect(production.store.size).toBe(ROWS);
  });

  it('is still resumed by the same run, which sends only what is left', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 20 });
    onTestFinished(() => server.close());
    const { file, reportPath } = await twoGroups();
    await interrupted({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    const createsBefore = server.stats.creates;

    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    expect(summary.counts.created).toBe(ROWS);
    expect(server.store.size).toBe(ROWS);
    expect(server.stats.creates).toBe(ROWS);
    expect(createsBefore).toBeGreaterThanOrEqual(2);
  });

  it('still shows what it confirmed when the next run is interrupted during its key check', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 20 });
    onTestFinished(() => server.close());
    const { file, reportPath } = await twoGroups();
    await interrupted({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    const confirmed = statuses(reportPath).filter((status) => status === 'created').length;
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath, signal: AbortSignal.abort() });
    expect(summary.interrupted).toBe(true);
    expect(statuses(reportPath).filter((status) => status === 'created')).toHaveLength(confirmed);
    expect(summary.counts).toMatchObject({ created: confirmed, not_attempted: ROWS - confirmed });
    // And the journal is as it was: the next run resumes it.
    const resumed = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    expect(resumed.counts.created).toBe(ROWS);
    expect(server.stats.creates).toBe(ROWS);
  });

  it('of a file without usernames, for an edited file, lets the fresh run know the customers it created by name, email and phone: none is created again', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 20 });
    onTestFinished(() => server.close());
    // A username column left empty is no username either.
    const { file, reportPath, lines } = socios('Nombre,Correo,Usuario', (i) => `Socio ${i},socio${i}@example.mx,`);
    await interrupted({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    const created = server.store.size;
    writeFileSync(file, `${lines.join('\n')}\nSocio nuevo,nuevo@example.mx,\n`); // the next export, one row longer
    const warnings: string[] = [];
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath, onEvent: (event) => void (event.type === 'warning' && warnings.push(event.message)) });
    expect(warnings).toContainEqual(expect.stringMatching(/the input file changed since the unfinished run that wrote this journal: starting a fresh run$/));
    expect(warnings).toContainEqual(expect.stringMatching(/the unfinished run sent \d+ rows? without a username; a row of this file with the same name, email and phone is not sent again/));
    expect(summary.counts).toMatchObject({ exists: created, created: ROWS + 1 - created });
    expect(server.store.size).toBe(ROWS + 1);
    // A journal without the fingerprints (an older version's) is refused as before: see test/pipeline/run-earlier-contacts.test.ts.
  });

  it('without its first line (cut as it was written, damaged by hand) still refuses to create again the rows it sent without a username, naming them', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 20 });
    onTestFinished(() => server.close());
    const { file, reportPath } = socios('Nombre,Correo,Usuario', (i) => `Socio ${i},socio${i}@example.mx,`);
    await interrupted({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    const created = server.store.size;
    const journalPath = `${reportPath.replace(/\.csv$/, '')}.journal`;
    const [, ...records] = readFileSync(journalPath, 'utf8').split('\n');
    writeFileSync(journalPath, records.join('\n'));
    const refusal = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      code: 'journal',
      message: expect.stringMatching(/the journal does not say which run wrote it, and the run that wrote it sent \d+ rows? without a username, which a fresh run would create again \(rows? \d+(, \d+)* of the file that run read\)\. Check in Quentli which customers those rows created/),
    });
    expect(server.store.size).toBe(created);
  });

  it('of a finished import of a file without usernames finds its customers when the same file comes again: exists, nothing created twice; another file is warned of', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const { file, reportPath } = socios('Nombre,Correo', (i) => `Socio ${i},socio${i}@example.mx`);
    expect((await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath })).counts.created).toBe(ROWS);
    const said: string[] = [];
    const again = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath, onEvent: (event) => event.type === 'warning' && said.push(event.message) });
    expect(again.counts).toMatchObject({ created: 0, exists: ROWS });
    expect(server.stats.byRoute['POST /customers']).toBe(ROWS);
    expect(said).toContainEqual(
      expect.stringMatching(/: this file was imported to this API to the end, and 6 customers were created without a username; the journal knows each by its name, email and phone: those rows are reported `exists` \(or looked for, where an answer was lost\), not created again$/),
    );
    expect(server.store.size).toBe(ROWS);
    // --restart, or another API, is another matter.
    const sandbox = await simulator();
    onTestFinished(() => sandbox.close());
    expect((await importCustomers({ file, apiUrl: sandbox.url, apiKey: KEY, reportPath })).counts.created).toBe(ROWS);
    expect((await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath, restart: true })).counts.created).toBe(ROWS);
    // Another file under the same report name (new customers only) is imported, with a warning.
    writeFileSync(file, 'Nombre,Correo\nSocio nuevo,nuevo@example.mx\n');
    const warnings: string[] = [];
    const onEvent = (event: ImportEvent) => {
      if (event.type === 'warning') warnings.push(event.message);
    };
    expect((await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath, onEvent })).counts.created).toBe(1);
    expect(warnings).toContainEqual(expect.stringMatching(/: an earlier file under this report name was imported to this API to the end, and 6 customers were created without a username, which Quentli cannot match: a row of this file with the same name, email and phone as one of them is not sent again \(`exists`\), but one changed since \(a corrected name, email or phone\) is created a second time$/));
  });

  it('of rows with usernames, or of another sheet, does not stop a fresh run of an edited file: those are found again, or are other customers', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 20 });
    onTestFinished(() => server.close());
    const { file, reportPath } = await twoGroups(); // usernames on every row
    await interrupted({ file, apiUrl: server.url, apiKey: KEY, reportPath, sheet: '3° A' });
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath, sheet: '3° B' });
    expect(summary.counts.created).toBe(ROWS);
  });
});
