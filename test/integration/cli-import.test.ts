import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import {
  DEMO,
  filesIn,
  fixture,
  KEY,
  logMessages,
  mexicanE164,
  demoRows,
  readCsvRecords,
  requireBuild,
  run,
  simulator,
  spawnCli,
  finished,
  students,
  tempDir,
  writeRoster,
  type CliRun,
} from './cli-harness.js';

// Issue 2's proof, end to end: the built CLI as a child process against the simulator over real HTTP.

beforeAll(requireBuild);

/** A simulator for one test, closed when the test ends (tests run concurrently: each has its own). */
async function start(onTestFinished: (fn: () => Promise<void>) => void, options: Parameters<typeof simulator>[0] = {}): Promise<RunningSimulator> {
  const sim = await simulator(options);
  onTestFinished(() => sim.close());
  return sim;
}

/** A simulator that answers every request 429 (Retry-After: 600 s) once it holds `customers`, until `lift()`. */
async function startLimitingAfter(onTestFinished: (fn: () => Promise<void>) => void, customers: number, latencyMs: number): Promise<{ server: RunningSimulator; lift: () => void }> {
  let lifted = false;
  let server: RunningSimulator | undefined;
  server = await start(onTestFinished, {
    latencyMs,
    onRequest: () => {
      if (!lifted && server!.store.size >= customers && server!.faults.random429Rate === 0) server!.setFaults({ random429Rate: 1, random429RetryAfter: 600 });
    },
  });
  const lift = () => {
    lifted = true;
    server!.setFaults({ random429Rate: 0 });
  };
  return { server, lift };
}

/** A roster written line by line, with a final line break, into a temp folder of its own. */
function rosterFile(name: string, lines: string[], lineBreak = '\n'): { cwd: string; file: string } {
  const cwd = tempDir();
  const file = join(cwd, name);
  writeFileSync(file, [...lines, ''].join(lineBreak));
  return { cwd, file };
}

/** The key appears nowhere: not in stdout, stderr, nor any file the run wrote. */
function expectNoKey(result: CliRun): void {
  expect(result.stdout).not.toContain(KEY);
  expect(result.stderr).not.toContain(KEY);
  for (const [name, text] of filesIn(result.cwd)) {
    if (name === '.env') continue;
    expect(text, name).not.toContain(KEY);
  }
}

function expectNoStackTrace(result: CliRun): void {
  expect(result.stderr).not.toMatch(/\n\s+at .+[:(]/);
  expect(result.stdout).not.toMatch(/\n\s+at .+[:(]/);
}

/** A dry run of a fixture in a folder of its own (the API's port is closed: nothing can be sent), with the results report it wrote. */
async function dryRunFixture(name: string): Promise<{ result: CliRun; report: Record<string, string>[] }> {
  const cwd = tempDir();
  const result = await run([fixture(name), '--dry-run', '--api-url', 'http://127.0.0.1:9/v1'], { cwd });
  return { result, report: readCsvRecords(join(cwd, name.replace(/\.csv$/, '.results.csv'))).records };
}

/**
 * The errors file keeps the original cells, except that text a spreadsheet would run as a formula
 * (`+52 55 …` with spaces, `=`, `-`, `@`) gets a leading `'` (src/report/cell-safety.ts); E.164 stays as is.
 */
function asShownInErrorsFile(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !/^\+[1-9]\d{6,14}$/.test(cell) ? `'${cell}` : cell;
}

const DEMO_INVALID: Record<number, string> = {
  5: 'row 5, "Correo electrónico": "pedro@" is not a valid email',
  14: 'row 14, "Teléfono": "55 1234" has 6 digits and a Mexican number has 10: digits are missing, even for a number written without its area code (lada): check the number with the customer (a number from abroad needs its + and country code)',
  21: 'row 21, "Acepta contrato": "tal vez" is not a yes/no value (use sí/no, true/false or 1/0)',
  27: 'row 27, "Nombre completo": is empty: every customer needs a name',
  38: 'row 38, "Correo electrónico": "ana.lopez@gmail" is not a valid email: the domain after the @ has no ending (such as .com or .mx)',
  50: 'row 50, "Baja WhatsApp": "31/02/2025" is not a date that exists: February 2025 has 28 days',
  57: 'row 57, "Teléfono": "123" is not a valid phone number (numbers without a country code are read as MX)',
};
const DEMO_DUPLICATE = 44;

const BOOLEAN: Record<string, boolean> = { sí: true, si: true, '1': true, verdadero: true, true: true, yes: true, no: false, '0': false, falso: false, false: false };
function expectedDate(text: string): string | null {
  if (!text) return null;
  const dmy = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  return dmy ? `${dmy[3]}-${dmy[2]}-${dmy[1]}T00:00:00.000Z` : `${text}T00:00:00.000Z`;
}

// Each test has its own simulator and working directory, so they run concurrently (CLI start-up dominates).
describe.concurrent('quentli-import (issue 2)', () => {
  describe('quentli-import fixtures/roster-demo.csv', () => {
    it('exits 1, creates the 52 valid rows exactly once, reports all 60 in order, and keeps the key secret', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-demo.csv'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(1);
      expectNoStackTrace(result);
      expectNoKey(result);
      expect(result.stdout).toBe('');

      const { headers, rows } = demoRows();
      expect(rows).toHaveLength(60);
      const valid = rows.filter((r) => !(r.row in DEMO_INVALID) && r.row !== DEMO_DUPLICATE);
      expect(valid).toHaveLength(52);

      // What the simulator holds: every valid row exactly once, as sent; nothing of the refused rows.
      expect(server.store.size).toBe(52);
      expect(server.stats.creates).toBe(52);
      expect(server.stats.byRoute['POST /customers']).toBe(52);
      const held = server.store.all();
      expect(new Set(held.map((c) => c.username)).size).toBe(52);
      for (const { row, cells } of valid) {
        const [name, username, email, phone, phone2, accepts, noInvoice, optOut, tags, matricula, grado, tutor] = cells as [string, ...string[]];
        const customer = server.store.byUsername(username!);
        expect(customer, `row ${row}`).toBeDefined();
        expect(customer, `row ${row}`).toMatchObject({
          name: name.trim().replace(/\s+/g, ' '),
          username,
          email,
          phoneNumber: mexicanE164(phone!),
          secondaryPhoneNumber: phone2 ? mexicanE164(phone2) : null,
          acceptedServiceAgreement: accepts ? BOOLEAN[accepts.toLowerCase()] : false,
          skipTaxInvoice: noInvoice ? BOOLEAN[noInvoice.toLowerCase()] : false,
          optedOutWhatsappAt: expectedDate(optOut!),
        });
        const metadata = [
          ['Matrícula', matricula],
          ['Grado', grado],
          ['Tutor', tutor],
        ]
          .filter(([, value]) => value)
          .map(([key, value]) => ({ key, value }));
        expect(customer!.metadata, `row ${row}`).toEqual(metadata);
        const expectedTags = [...new Set(tags!.split(',').map((t) => t.trim()).filter(Boolean))];
        expect(server.store.tagsOf(customer!.id), `row ${row}`).toEqual(expectedTags);
      }
      expect(server.store.byUsername('iibanez.2025')!.meta.Tutor).toBe('Pérez; Ana, Ibáñez; Luis');
      for (const row of Object.keys(DEMO_INVALID).map(Number)) {
        const username = rows.find((r) => r.row === row)!.cells[1]!;
        expect(server.store.byUsername(username), `row ${row}`).toBeUndefined();
      }
      // The duplicate username is held once, with the first row's data (row 9).
      const first = rows.find((r) => r.row === 9)!;
      expect(server.store.byUsername('lpena.2025')!.email).toBe(first.cells[2]);
      expect(held.filter((c) => c.username === 'lpena.2025')).toHaveLength(1);

      // The report: a header and one line per non-blank data row, in input order.
      const reportPath = join(cwd, 'roster-demo.results.csv');
      const report = readCsvRecords(reportPath);
      expect(report.fields.slice(0, 5)).toEqual(['row', 'status', 'customerId', 'username', 'error']);
      expect(readFileSync(reportPath, 'utf8').split('\r\n')[0]!.startsWith('row,status,customerId,username,error')).toBe(true);
      expect(report.records.map((r) => Number(r.row))).toEqual(rows.map((r) => r.row));
      for (const record of report.records) {
        const row = Number(record.row);
        const source = rows.find((r) => r.row === row)!;
        if (row in DEMO_INVALID) {
          expect(record, `row ${row}`).toMatchObject({ status: 'invalid', customerId: '', error: DEMO_INVALID[row] });
        } else if (row === DEMO_DUPLICATE) {
          expect(record).toMatchObject({ status: 'duplicate', customerId: '', username: 'lpena.2025' });
          expect(record.error).toBe('row 44, "Usuario": "lpena.2025" repeats the username of row 9');
        } else {
          expect(record, `row ${row}`).toMatchObject({ status: 'created', username: source.cells[1], error: '' });
          expect(record.customerId, `row ${row}`).toBe(server.store.byUsername(source.cells[1]!)!.id);
        }
      }
      expect(report.records.filter((r) => r.status === 'created')).toHaveLength(52);

      // The errors file: the refused rows with their original columns plus `error`, in the input's delimiter.
      const errorsPath = join(cwd, 'roster-demo.results.errors.csv');
      const errors = readCsvRecords(errorsPath, ';');
      expect(errors.fields).toEqual([...headers, 'error']);
      expect(errors.records).toHaveLength(8);
      const refusedRows = [...Object.keys(DEMO_INVALID).map(Number), DEMO_DUPLICATE].sort((a, b) => a - b);
      errors.records.forEach((record, i) => {
        const source = rows.find((r) => r.row === refusedRows[i])!;
        expect(headers.map((h) => record[h])).toEqual(source.cells.map(asShownInErrorsFile));
        expect(record.error).toContain(`row ${source.row}, `);
      });

      // The summary on stderr: counts per status.
      expect(logMessages(result.stderr).join('\n')).toMatch(/created 52, invalid 7, duplicate 1/);
    });

    it('the errors file, fixed or not, imports again: its `error` column is ignored', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const first = await run([fixture('roster-demo.csv'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(first.code).toBe(1);
      const again = await run(['roster-demo.results.errors.csv', '--dry-run', '--report', 'again.csv'], { cwd });
      expect(again.code).toBe(1);
      expect(logMessages(again.stderr).join('\n')).not.toMatch(/"error" → metadata/);
      const report = readCsvRecords(join(cwd, 'again.csv')).records;
      expect(report.map((r) => r.row)).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
      // Alone in its file, row 44's username is no longer a repeat; the other seven are still wrong.
      expect(report.map((r) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'valid', 'invalid', 'invalid']);
      expect(report[0]!.error).toBe('row 2, "Correo electrónico": "pedro@" is not a valid email');
    });

    it('a mapping that imports the input\'s own `error` column: the errors file keeps it, the message goes in `import error`', async ({ onTestFinished }) => {
      // The message overwrote the school's column, and the fixed errors file sent it as the customer's metadata.
      const server = await start(onTestFinished);
      const { cwd, file } = rosterFile('alumnos.csv', ['Usuario,Nombre,Correo,error', 'ana,Ana Ruiz,ana@example.com,dato A', 'pepe,Pepe Gil,pepe@,dato B']);
      writeFileSync(join(cwd, 'mapping.json'), '{"columns": {"error": "metadata.error"}}');
      const first = await run([file, '--mapping', 'mapping.json', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(first.code, first.stderr).toBe(1);
      const errorsFile = readFileSync(join(cwd, 'alumnos.results.errors.csv'), 'utf8');
      expect(errorsFile).toBe('\uFEFFUsuario,Nombre,Correo,error,import error\r\npepe,Pepe Gil,pepe@,dato B,"row 3, ""Correo"": ""pepe@"" is not a valid email"\r\n');
      writeFileSync(join(cwd, 'fixed.csv'), errorsFile.replace('pepe@,', 'pepe@example.com,'));
      const again = await run(['fixed.csv', '--mapping', 'mapping.json', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(again.code, again.stderr).toBe(0);
      expect(server.store.all().map((customer) => [customer.username, customer.meta])).toEqual([
        ['ana', { error: 'dato A' }],
        ['pepe', { error: 'dato B' }],
      ]);
    });

    it('a second run of the same file (no journal) finds every customer by username: exists, 0 new writes', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const env = { QUENTLI_API_KEY: KEY };
      const first = await run([fixture('roster-utf16le-tab.csv'), '--api-url', server.url], { cwd: tempDir(), env });
      expect(first.code, first.stderr).toBe(0);
      expect(server.store.size).toBe(6);
      const writes = server.stats.writes;
      const ids = server.store.all().map((c) => c.id);

      const cwd = tempDir();
      const second = await run([fixture('roster-utf16le-tab.csv'), '--api-url', server.url], { cwd, env });
      expect(second.code, second.stderr).toBe(0);
      expect(server.stats.writes).toBe(writes);
      expect(server.store.size).toBe(6);
      const report = readCsvRecords(join(cwd, 'roster-utf16le-tab.results.csv')).records;
      expect(report.map((r) => r.status)).toEqual(Array(6).fill('exists'));
      for (const record of report) expect(record.customerId).toBe(server.store.byUsername(record.username!)!.id);
      expect(new Set(report.map((r) => r.customerId))).toEqual(new Set(ids));

      // The same working directory again, with --restart to ignore the journal: still nothing written.
      const third = await run([fixture('roster-utf16le-tab.csv'), '--api-url', server.url, '--restart'], { cwd, env });
      expect(third.code).toBe(0);
      expect(server.stats.writes).toBe(writes);
      expect(readCsvRecords(join(cwd, 'roster-utf16le-tab.results.csv')).records.map((r) => r.status)).toEqual(Array(6).fill('exists'));
      expectNoKey(third);
    });
  });

  describe('the errors file of a file without usernames', () => {
    it('leaves out a row repeating an earlier one, so importing the fixed errors file creates no one twice', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const { cwd } = rosterFile('lista.csv', [
        'Nombre completo,Correo,Teléfono',
        'Zoe Flores Uno,zoe.flores@gmail.com,5511112222',
        'Zoe Flores Uno,zoe.flores@gmail.com,55 1111 2222',
        'Max Flores Dos,max@,5511113333',
      ]);
      const first = await run(['lista.csv', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(first.code, first.stderr).toBe(1);
      expect(readCsvRecords(join(cwd, 'lista.results.csv')).records.map((r) => r.status)).toEqual(['created', 'duplicate', 'invalid']);
      const errorsPath = join(cwd, 'lista.results.errors.csv');
      const errors = readCsvRecords(errorsPath).records;
      expect(errors.map((r) => r['Nombre completo'])).toEqual(['Max Flores Dos']);
      // The office fixes Max's email and imports the errors file, under its own default report name.
      writeFileSync(errorsPath, readFileSync(errorsPath, 'utf8').replace('max@,', 'max.flores@gmail.com,'));
      const again = await run(['lista.results.errors.csv', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(again.code, again.stderr).toBe(0);
      expect(server.store.all().map((customer) => customer.name).sort()).toEqual(['Max Flores Dos', 'Zoe Flores Uno']);
    });
  });

  describe('quentli-import with a mapping file', () => {
    it('--mapping fixtures/mapping-school.json on roster-custom-headers.csv: mapped columns, null dropped, the rest metadata', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-custom-headers.csv'), '--mapping', fixture('mapping-school.json'), '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(0);
      expect(server.store.size).toBe(6);
      const renata = server.store.byUsername('rpena.2025')!;
      expect(renata).toMatchObject({ name: 'Renata Peña Ibáñez', email: 'tutor.pena@gmail.com', phoneNumber: '+528149553116' });
      expect(renata.metadata).toEqual([{ key: 'Grupo', value: '3° B' }]);
      for (const customer of server.store.all()) expect(Object.keys(customer.meta)).toEqual(['Grupo']);
    });
  });

  describe('--dry-run', () => {
    it('a header written twice: the mapping\'s null leaves out each of its columns, and the plan names them by letter', async () => {
      // `"Correo": null` left the second `Correo` (a parent's) to be sent as the customer's email.
      const { cwd, file } = rosterFile('alumnos.csv', ['Usuario,Nombre,Correo,Correo,,Grupo', 'ana,Ana Ruiz,ana@example.com,mama@example.com,,3A', 'luis,Luis Mora,,papa@example.com,,3B']);
      writeFileSync(join(cwd, 'mapping.json'), '{"columns": {"correo": null}}');
      const result = await run([file, '--dry-run', '--mapping', 'mapping.json', '--report', 'plan.json'], { cwd });
      expect(result.code, result.stderr).toBe(0);
      const messages = logMessages(result.stderr);
      expect(messages).toContain('  "Correo" (column C) → ignored (by the mapping)');
      expect(messages).toContain('  "Correo" (column D) → ignored (by the mapping)');
      expect(messages).toContain('  column E (no header) → ignored (no header)');
      expect(messages).toContain('  "Grupo" → metadata "Grupo"');
      const report = JSON.parse(readFileSync(join(cwd, 'plan.json'), 'utf8')) as { rows: { status: string }[] };
      expect(report.rows.map((row) => row.status)).toEqual(['valid', 'valid']);
    });

    it('makes no request, needs no key, prints the mapping, and reports valid rows', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-demo.csv'), '--dry-run', '--api-url', server.url], { cwd });
      expect(result.code, result.stderr).toBe(1);
      expect(server.stats.requests).toBe(0);
      const messages = logMessages(result.stderr).join('\n');
      expect(messages).toContain('"Nombre completo" → name');
      expect(messages).toContain('"Correo electrónico" → email');
      expect(messages).toContain('"Otro teléfono" → secondaryPhoneNumber');
      expect(messages).toContain('"Baja WhatsApp" → optedOutWhatsappAt');
      expect(messages).toContain('"Matrícula" → metadata "Matrícula"');
      // The mapping comes before the rows.
      expect(messages.indexOf('→ name')).toBeLessThan(messages.indexOf('row 5,'));
      const report = readCsvRecords(join(cwd, 'roster-demo.results.csv')).records;
      expect(report).toHaveLength(60);
      expect(report.filter((r) => r.status === 'valid')).toHaveLength(52);
      expect(report.filter((r) => r.status === 'invalid')).toHaveLength(7);
      expect(report.filter((r) => r.status === 'duplicate')).toHaveLength(1);
      expect(report.every((r) => r.customerId === '')).toBe(true);
    });

    it('after a real import at the default report path, writes beside it: the import\'s report keeps its statuses and ids', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      copyFileSync(fixture('roster-utf16le-tab.csv'), join(cwd, 'alumnos.csv'));
      const imported = await run(['alumnos.csv', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(imported.code, imported.stderr).toBe(0);
      const results = readFileSync(join(cwd, 'alumnos.results.csv'), 'utf8');
      const dry = await run(['alumnos.csv', '--dry-run'], { cwd });
      expect(dry.code, dry.stderr).toBe(0);
      expect(readFileSync(join(cwd, 'alumnos.results.csv'), 'utf8')).toBe(results);
      expect(readCsvRecords(join(cwd, 'alumnos.dry-run.csv')).records.map((r) => r.status)).toEqual(Array(6).fill('valid'));
      expect(logMessages(dry.stderr).join('\n')).toContain(`alumnos.results.csv holds the results of an import (its journal is beside it): this dry run writes ${join(cwd, 'alumnos.dry-run.csv')} instead, so they are kept`);
      // A report path given is used as given.
      expect((await run(['alumnos.csv', '--dry-run', '--report', 'alumnos.results.csv'], { cwd })).code).toBe(0);
      expect(readCsvRecords(join(cwd, 'alumnos.results.csv')).records.map((r) => r.status)).toEqual(Array(6).fill('valid'));
    });

    it('an all-valid file in a dry run exits 0, even with an unreachable API URL', async () => {
      const { result, report } = await dryRunFixture('roster-utf16le-tab.csv');
      expect(result.code, result.stderr).toBe(0);
      expect(report.map((r) => r.status)).toEqual(Array(6).fill('valid'));
    });

    it('a DOS roster (code page 850) is read with its accents, headers recognised, and says so', async () => {
      const { result, report } = await dryRunFixture('roster-cp850-semicolon.csv');
      expect(result.code, result.stderr).toBe(0);
      const messages = logMessages(result.stderr).join('\n');
      expect(messages).toContain('reading roster-cp850-semicolon.csv (csv, ibm850, ";", CRLF)');
      expect(messages).toContain('"Teléfono" → phoneNumber');
      expect(messages).toContain('"Correo electrónico" → email');
      expect(report.map((r) => [r.status, r.name])).toEqual(
        ['José Peña Núñez', 'María Ramón Gómez', 'Ángel Ibáñez', 'Sofía Argüello Pérez', 'ÓSCAR MUÑOZ DÍAZ', 'Úrsula Yáñez Solís'].map((name) => ['valid', name]),
      );
    });
  });

  describe('a LibreOffice CSV whose dates are in its Spanish long format (`miércoles, 15 de enero de 2025`)', () => {
    it('reads each date whose weekday is its own, and refuses one whose weekday is another day\'s, naming both', async () => {
      const { result, report } = await dryRunFixture('roster-libreoffice-long-dates.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'valid', ''],
        ['3', 'valid', ''],
        ['4', 'invalid', 'row 4, "Baja WhatsApp": "martes, 20 de noviembre de 2024" is not a valid date: 20 November 2024 is a Wednesday (miércoles), not a Tuesday (martes): check which is right'],
        ['5', 'valid', ''],
      ]);
    });
  });

  describe('an Excel CSV in English whose dates are in its long and medium formats (`Wednesday, January 15, 2025`, `Nov 20, 2024`)', () => {
    it('reads each date, month first or day first, and refuses one whose weekday is another day\'s, naming both', async () => {
      const { result, report } = await dryRunFixture('roster-excel-english-long-dates.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'valid', ''],
        ['3', 'valid', ''],
        ['4', 'valid', ''],
        ['5', 'valid', ''],
        ['6', 'valid', ''],
        ['7', 'invalid', 'row 7, "Baja WhatsApp": "Tuesday, November 20, 2024" is not a valid date: 20 November 2024 is a Wednesday (miércoles), not a Tuesday (martes): check which is right'],
      ]);
    });
  });

  describe('a roster whose dates were typed as people write them (`January 15th, 2025`, `1ro de enero de 2025`, `15/ene/2025`)', () => {
    it('reads each, ordinals and Spanish forms alike, and refuses an ordinal whose ending is not the day\'s, naming the right one', async () => {
      const { result, report } = await dryRunFixture('roster-typed-ordinal-dates.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.filter((r) => r.status !== 'valid').map((r) => [r.row, r.status, r.error])).toEqual([
        ['14', 'invalid', 'row 14, "Baja WhatsApp": "February 21th, 2025" is not a valid date: "21th" is not 21 as an ordinal (21st): check the day'],
      ]);
      expect(report).toHaveLength(13);
    });
  });

  describe('a roster whose date-times are in long date formats with a time (`January 15, 2025 10:30 AM`, `miércoles, 15 de enero de 2025, 10:30 a. m.`)', () => {
    it('reads each, and refuses a time it cannot read naming it, never with the generic message', async () => {
      const { result, report } = await dryRunFixture('roster-long-date-times.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'valid', ''],
        ['3', 'valid', ''],
        ['4', 'valid', ''],
        ['5', 'valid', ''],
        ['6', 'valid', ''],
        ['7', 'invalid', 'row 7, "Baja WhatsApp": "20 de noviembre de 2024 16:30 hrs" is not a valid date: "16:30 hrs" after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)'],
        ['8', 'invalid', 'row 8, "Baja WhatsApp": "Jan 15, 2025, 13:30 PM" is not a valid date: a time with p. m. has hours 1 to 12'],
      ]);
    });
  });

  describe('a Google Form\'s answers whose dates families typed, one without its month (`Martes 15, 2025`), one with `hrs` after its time', () => {
    it('refuses them saying the month is missing and what to write, or naming the part after the date it cannot read, and reads the others', async () => {
      const { result, report } = await dryRunFixture('roster-google-forms-typed-dates.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'valid', ''],
        ['3', 'invalid', 'row 3, "Fecha de baja de WhatsApp": "Martes 15, 2025" is not a valid date: "Martes" is a weekday, not a month, and no month is written: write the date with its month, 15/mm/2025 (dd/mm/yyyy)'],
        ['4', 'valid', ''],
        ['5', 'invalid', 'row 5, "Fecha de baja de WhatsApp": "15/01/2025 10:30 hrs" is not a valid date: "10:30 hrs" after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)'],
      ]);
    });
  });

  describe('an Excel CSV whose date-time column was formatted General (`45672.4375`)', () => {
    it('refuses each serial naming the date-time or date it counts, and what to do', async () => {
      const { result, report } = await dryRunFixture('roster-excel-general-date-times.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'invalid', 'row 2, "Baja WhatsApp": "45672.4375" is a number, not a date: if it is a date-time as Excel counts them (45672.4375 is 15/01/2025 10:30), format the column as a date and time where the file was made, or write dd/mm/yyyy hh:mm'],
        ['3', 'invalid', 'row 3, "Baja WhatsApp": "45691.6875" is a number, not a date: if it is a date-time as Excel counts them (45691.6875 is 03/02/2025 16:30), format the column as a date and time where the file was made, or write dd/mm/yyyy hh:mm'],
        ['4', 'invalid', 'row 4, "Baja WhatsApp": "45616" is a number, not a date: if it is a date as Excel counts them (45616 is 20/11/2024), format the column as a date where the file was made, or write dd/mm/yyyy'],
        ['5', 'valid', ''],
      ]);
    });
  });

  describe('an Excel CSV whose dates are shown without their year (`d-mmm`: `15-ene`)', () => {
    it('refuses each saying no year is written and which date to write', async () => {
      const { result, report } = await dryRunFixture('roster-excel-dates-without-year.csv');
      expect(result.code, result.stderr).toBe(1);
      const fix = "(dd/mm/yyyy), or give the column's date format a year where the file was made";
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'invalid', `row 2, "Baja WhatsApp": "15-ene" is not a valid date: no year is written (15 January): write the date with its year, 15/01/yyyy ${fix}`],
        ['3', 'invalid', `row 3, "Baja WhatsApp": "3-feb" is not a valid date: no year is written (3 February): write the date with its year, 03/02/yyyy ${fix}`],
        ['4', 'valid', ''],
        ['5', 'invalid', `row 5, "Baja WhatsApp": "20-nov" is not a valid date: no year is written (20 November): write the date with its year, 20/11/yyyy ${fix}`],
      ]);
    });
  });

  describe('a SQL Server report whose dates are yyyymmdd digits (`20250115`)', () => {
    it('refuses each naming the date it would be and how to write it', async () => {
      const { result, report } = await dryRunFixture('roster-sql-server-compact-dates.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'invalid', 'row 2, "BajaWhatsApp": "20250115" is a number, not a date: if it is a date written yyyymmdd (20250115 is 15/01/2025), write it as 2025-01-15 (yyyy-mm-dd) or 15/01/2025 (dd/mm/yyyy)'],
        ['3', 'valid', ''],
        ['4', 'invalid', 'row 4, "BajaWhatsApp": "20241120" is a number, not a date: if it is a date written yyyymmdd (20241120 is 20/11/2024), write it as 2024-11-20 (yyyy-mm-dd) or 20/11/2024 (dd/mm/yyyy)'],
      ]);
    });
  });

  describe('a US-English export whose date-times are month first with AM/PM', () => {
    it('refuses a date that is no date day first, or another one, saying it is month first; reads one that is the same either way', async () => {
      const { result, report } = await dryRunFixture('roster-us-12-hour-dates.csv');
      expect(result.code, result.stderr).toBe(1);
      const write = "write the column's dates day first (dd/mm/yyyy) with a 24-hour time, or as yyyy-mm-dd";
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'invalid', `row 2, "Baja WhatsApp": "01/15/2025 12:00:00 AM" is not a valid date: written month first with AM, as a US-English program writes a date-time, it is January 15, 2025 (15/01/2025): ${write}`],
        ['3', 'invalid', `row 3, "Baja WhatsApp": "03/04/2025 04:30:00 PM" is not a valid date: written with PM, as a US-English program writes a date-time month first, it may be 3 April or March 4; ${write}`],
        ['4', 'valid', ''],
      ]);
    });
  });

  describe('phones in Excel\'s Comma Style saved to a CSV as shown (` 5,512,345,601.00 `)', () => {
    it('sends their digits, and refuses a fraction or a number short of ten digits instead of sending another number', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-excel-comma-style-phones.csv'), '--api-url', server.url, '--report', join(cwd, 'report.csv')], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(result.code, result.stderr).toBe(1);
      expect(server.store.all().map((c) => [c.username, c.phoneNumber, c.secondaryPhoneNumber])).toEqual([
        ['aruiz.2025', '+525512345601', '+523312345678'],
        ['bdiaz.2025', '+528183401122', null],
      ]);
      const report = readCsvRecords(join(cwd, 'report.csv')).records;
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'created', ''],
        ['3', 'created', ''],
        ['4', 'invalid', 'row 4, "Teléfono": "5,512,345,602.50" is a number with decimals that are not zero, which no phone number has (its column is formatted as a number where the file was made): format the column as Text there and type the number again'],
        ['5', 'invalid', 'row 5, "Teléfono": "55,123,456.00" has 8 digits and a Mexican number has 10: write it with its area code (lada) in front, such as 55 for Mexico City or 33 for Guadalajara (a number from abroad needs its + and country code)'],
      ]);
    });
  });

  describe('a web app\'s export whose date-times JavaScript wrote in es-MX (`15/1/2025, 4:30:00 p.m.`)', () => {
    it('sends each as the date-time it is, and refuses a short date\'s two-digit year', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-web-app-locale-string.csv'), '--api-url', server.url, '--report', join(cwd, 'report.csv')], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(result.code, result.stderr).toBe(1);
      expect(server.store.all().map((c) => [c.name, c.optedOutWhatsappAt])).toEqual([
        ['Ana Sofía Ruiz Peña', '2025-01-15T16:30:00.000Z'],
        ['Bruno Díaz León', '2025-02-03T00:00:00.000Z'],
        ['Diego Núñez Soto', null],
      ]);
      const report = readCsvRecords(join(cwd, 'report.csv')).records;
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'created', ''],
        ['3', 'created', ''],
        ['4', 'invalid', 'row 4, "Baja WhatsApp": "20/11/24, 9:15 a.m." is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)'],
        ['5', 'created', ''],
      ]);
    });
  });

  describe('an Excel table saved as CSV with columns nobody named (`Columna1`, `Columna2`)', () => {
    it('maps each as metadata where a row holds a value, says nothing of the empty one, and warns once of the one holding values, naming it and its rows', async () => {
      const { result, report } = await dryRunFixture('roster-excel-table-placeholder-headers.csv');
      expect(result.code, result.stderr).toBe(0);
      const messages = logMessages(result.stderr);
      const where = "where a row holds a value (the name Excel gives a table's column nobody named: empty, it makes no key; holding values, a warning names them once the file is read)";
      expect(messages.filter((message) => message.includes('Columna'))).toEqual([
        `  "Columna1" → metadata "Columna1" ${where}`,
        `  "Columna2" → metadata "Columna2" ${where}`,
        'column E is headed "Columna2", the name Excel gives a table\'s column nobody named, and holds values in 2 rows (rows 2, 4): the import keeps them as metadata "Columna2"; give the column a name that says what it holds where the file was made (or leave it out with --mapping)',
      ]);
      expect(report.map((r) => r.status)).toEqual(['valid', 'valid', 'valid']);
    });
  });

  describe('a roster with emails pasted from Outlook, placeholders for no email, and a matrícula Excel made a number', () => {
    it('reads each address of a `mailto:` link and a placeholder beside a phone or a username as no email, and says why the other row is refused', async () => {
      const { result, report } = await dryRunFixture('roster-outlook-emails-placeholders.csv');
      expect(result.code, result.stderr).toBe(1);
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'valid', ''],
        ['3', 'valid', ''],
        ['4', 'valid', ''],
        ['5', 'valid', ''],
        ['6', 'valid', ''],
        ['7', 'invalid', 'row 7, "Usuario": "2.4006E+04" was turned by Excel into a number in scientific notation (typed as a number, it is shown so when it is long or its column narrow), which may have lost digits: a username must be written as text; format the column as Text where the file was made, and type or export the usernames again'],
      ]);
    });
  });

  describe('a roster whose phone column says in words that there is no phone (`sin teléfono`, `N/A`)', () => {
    it('imports each such row that has an email or a username without a phone, and refuses the one with neither, saying so', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-phone-placeholders.csv'), '--api-url', server.url, '--report', join(cwd, 'report.csv')], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(result.code, result.stderr).toBe(1);
      expect(server.store.all().map((c) => [c.name, c.email, c.username, c.phoneNumber]).sort()).toEqual([
        ['Ana Sofía Ruiz Peña', 'ana.ruiz@gmail.com', null, null],
        ['Bruno Díaz León', 'bruno.diaz@hotmail.com', null, null],
        ['Carla Ortiz Vega', 'carla.ortiz@gmail.com', null, null],
        ['Diego Núñez Soto', 'diego.nunez@outlook.com', null, null],
        ['Elena Gómez Ríos', null, 'egomez.2025', null],
        ['Gabriela Soto Ramos', 'gaby.soto@gmail.com', null, '+525512345607'],
      ]);
      const report = readCsvRecords(join(cwd, 'report.csv')).records;
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'created', ''],
        ['3', 'created', ''],
        ['4', 'created', ''],
        ['5', 'created', ''],
        ['6', 'created', ''],
        ['7', 'invalid', 'row 7, "Celular": "no tiene" says the customer has no phone, and the row has no email or username either: write the phone, an email or a username, or leave the cell empty if the customer has none'],
        ['8', 'created', ''],
      ]);
    });
  });

  describe('a school system\'s whole student list with a status column (`Estatus`: `Activo`, `Baja`, `Egresado`)', () => {
    it('imports every valid row, the status as metadata, and warns once of the imported rows whose status says the student left', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const result = await run([fixture('roster-status-column.csv'), '--api-url', server.url, '--report', join(cwd, 'report.csv')], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(result.code, result.stderr).toBe(1);
      expect(server.store.size).toBe(7);
      expect(server.store.byUsername('24002')?.meta).toMatchObject({ Estatus: 'Baja' });
      const report = readCsvRecords(join(cwd, 'report.csv')).records;
      expect(report.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created', 'created', 'created', 'created', 'invalid']);
      // Row 9 says `Baja` too, but was refused (its email): not imported, not counted.
      expect(logMessages(result.stderr).filter((message) => message.includes('Estatus'))).toEqual([
        '4 rows (rows 3, 5, 6, 7) say "Baja", "Baja temporal" or "Egresado" under "Estatus": they were imported as customers like any other row (the status kept as metadata); to leave such rows out, filter them out of the file before importing it',
      ]);
      // The nightly rerun imports nothing: no row "was imported", and nothing is said of them again.
      const rerun = await run([fixture('roster-status-column.csv'), '--api-url', server.url, '--report', join(cwd, 'report.csv')], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(readCsvRecords(join(cwd, 'report.csv')).records.map((r) => r.status)).toEqual(['exists', 'exists', 'exists', 'exists', 'exists', 'exists', 'exists', 'invalid']);
      expect(logMessages(rerun.stderr).filter((message) => message.includes('Estatus'))).toEqual([]);
    });
  });

  describe('a UTF-8 roster with lines pasted in from a Windows-1252 export', () => {
    it('reads every name with its accents and warns once, naming the rows in Windows-1252', async () => {
      const { result, report } = await dryRunFixture('roster-utf8-with-cp1252-lines.csv');
      expect(result.code, result.stderr).toBe(0);
      expect(logMessages(result.stderr).filter((message) => message.includes('mixes'))).toEqual([
        `${fixture('roster-utf8-with-cp1252-lines.csv')}: mixes UTF-8 and Windows-1252 text: rows 4, 6 are in Windows-1252, the rest in UTF-8 (a file pasted together from two exports, or edited in two programs): each character was read in the encoding its bytes fit; check the accents of those rows in the report`,
      ]);
      expect(report.map((r) => [r.status, r.name])).toEqual(
        ['José Ángel Pérez', 'María Núñez Ibáñez', 'Begoña Cañas Ávila', 'Luis Soto Ruiz', 'Óscar Muñoz Díaz', 'Zoë Yáñez Solís'].map((name) => ['valid', name]),
      );
    });
  });

  describe('a UTF-8 roster garbled by a program that read it as Windows-1252 and saved it again (LibreOffice here, Excel by double-click)', () => {
    it('refuses each garbled name, naming the column, and creates no customer so misspelled', async () => {
      const { result, report } = await dryRunFixture('roster-double-encoded-utf8.csv');
      expect(result.code, result.stderr).toBe(1);
      const rule =
        'has letters garbled by a wrong encoding ("Ã©" for "é", "Ã±" for "ñ"): the file was opened as Windows-1252 and saved again as UTF-8 ' +
        '(a UTF-8 CSV opened by double-click in Excel, then saved): import the original export instead, or type the names again';
      expect(report.map((r) => [r.row, r.status, r.error])).toEqual([
        ['2', 'invalid', `row 2, "Nombre completo": "JosÃ© \u00c3\u0081ngel PÃ©rez" ${rule}`],
        ['3', 'valid', ''],
        ['4', 'invalid', `row 4, "Nombre completo": "MarÃ\u00ada NÃºÃ±ez IbÃ¡Ã±ez" ${rule}`],
      ]);
    });
  });

  describe('a roster with the name split over columns, as SEP lists are', () => {
    it('by itself, as with a mapping file that sends the three columns to name: one full name, given names first', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const { cwd, file } = rosterFile('sep.csv', [
        'CURP,PRIMER APELLIDO,SEGUNDO APELLIDO,NOMBRE(S),CORREO ELECTRÓNICO',
        'RUPA140309MDFZXNA1,Ruiz,Peña,Ana Sofía,ana.ruiz@example.mx',
        'DILB130527HJCZNR09,Díaz,,Bruno,bruno.diaz@example.mx',
        ',,,,carla@example.mx',
      ]);
      const mappingPath = join(cwd, 'sep.json');
      writeFileSync(mappingPath, JSON.stringify({ columns: { 'NOMBRE(S)': 'name', 'PRIMER APELLIDO': 'name', 'SEGUNDO APELLIDO': 'name' } }));
      // Without a mapping file, the dry run joins them the same way, and its plan says so.
      const unmapped = await run([file, '--dry-run', '--report', join(cwd, 'plain.csv')], { cwd });
      expect(logMessages(unmapped.stderr).join('\n')).toMatch(/"PRIMER APELLIDO" → name \(part 2 of 3\)/);
      expect(readCsvRecords(join(cwd, 'plain.csv')).records.map((r) => [r.row, r.status, r.name])).toEqual([['2', 'valid', 'Ana Sofía Ruiz Peña'], ['3', 'valid', 'Bruno Díaz'], ['4', 'invalid', '']]);
      const result = await run([file, '--mapping', mappingPath, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(result.code, result.stderr).toBe(1);
      const names = server.store.all().map((customer) => [customer.name, customer.metadata]);
      expect(names).toEqual([
        ['Ana Sofía Ruiz Peña', [{ key: 'CURP', value: 'RUPA140309MDFZXNA1' }]],
        ['Bruno Díaz', [{ key: 'CURP', value: 'DILB130527HJCZNR09' }]],
      ]);
      const report = readCsvRecords(join(cwd, 'sep.results.csv')).records;
      expect(report.map((r) => [r.row, r.status, r.name])).toEqual([['2', 'created', 'Ana Sofía Ruiz Peña'], ['3', 'created', 'Bruno Díaz'], ['4', 'invalid', '']]);
      expect(report[2]!.error).toMatch(/^row 4, "NOMBRE\(S\)": /);
      const dryRun = await run([file, '--mapping', mappingPath, '--dry-run', '--report', join(cwd, 'dry.csv')], { cwd });
      expect(logMessages(dryRun.stderr).join('\n')).toMatch(/"PRIMER APELLIDO" → name \(part 2 of 3\)/); // the plan says so
    });
  });

  describe('a school-system export with a totals line under the roster', () => {
    it('creates the students and refuses the totals line instead of creating a customer "Total de alumnos: 3"', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const { cwd, file } = rosterFile(
        'lista-3a.csv',
        ['No.;Nombre completo;Correo electrónico;Teléfono', '1;Ana Sofía Ruiz Peña;ana.ruiz@example.mx;55 1234 5678', '2;Bruno Díaz León;bruno.diaz@example.mx;', '3;Carla Ortiz Vega;;33 8765 4321', ';;;', ';Total de alumnos: 3;;'],
        '\r\n',
      );
      const result = await run([file, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: server.apiKey } });
      expect(result.code, result.stderr).toBe(1);
      const report = readCsvRecords(join(cwd, 'lista-3a.results.csv')).records;
      expect(report.map((r) => [r.row, r.status])).toEqual([['2', 'created'], ['3', 'created'], ['4', 'created'], ['6', 'invalid']]);
      expect(report[3]!.error).toBe('row 6, "Nombre completo": "Total de alumnos: 3" looks like a totals line, not a customer: delete the line (or, if it is a customer, give it an email, phone or username)');
      expect(server.store.size).toBe(3);
    });
  });

  describe('the key', () => {
    it('comes from a .env file in the working directory', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      writeFileSync(join(cwd, '.env'), `# test\nQUENTLI_API_KEY=${KEY}\n`);
      const result = await run([fixture('roster-utf16be.csv'), '--api-url', server.url, '--verbose'], { cwd });
      expect(result.code, result.stderr).toBe(0);
      expect(server.store.size).toBe(4);
      expectNoKey(result);
    });

    it('never appears in output or files, even with --verbose and --summary-json; the environment wins over .env', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      copyFileSync(fixture('roster-demo.csv'), join(cwd, 'alumnos.csv'));
      // A stale key in .env: the environment's key wins.
      writeFileSync(join(cwd, '.env'), 'QUENTLI_API_KEY=sk_test_stale_key_from_file\n');
      const result = await run(['alumnos.csv', '--api-url', server.url, '--verbose', '--summary-json', 'summary.json'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code).toBe(1);
      expect(existsSync(join(cwd, 'summary.json'))).toBe(true);
      expect(existsSync(join(cwd, 'alumnos.results.journal'))).toBe(true);
      expectNoKey(result);
    });
  });

  describe('bounded concurrency', () => {
    it('--concurrency 4 with 30 ms of latency on 60 rows: never more than 4 requests in flight, and more than 1', async ({ onTestFinished }) => {
      const server = await start(onTestFinished, { latencyMs: 30 });
      const cwd = tempDir();
      const lines = ['Nombre,Usuario,Correo,Teléfono'];
      for (let i = 1; i <= 60; i++) lines.push(`Alumno Núñez ${i},alumno.${i},alumno${i}@escuela.mx,55 ${String(1000 + i)} ${String(5000 + i)}`);
      writeFileSync(join(cwd, 'alumnos.csv'), `${lines.join('\n')}\n`);
      const result = await run(['alumnos.csv', '--api-url', server.url, '--concurrency', '4'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(0);
      expect(server.store.size).toBe(60);
      expect(server.stats.maxInFlight).toBeLessThanOrEqual(4);
      expect(server.stats.maxInFlight).toBeGreaterThan(1);
    });
  });

  describe('an API that takes usernames in any case, holding them as written, its filter comparing case', () => {
    it('finds ANA.UNO for a row ana.uno: exists in create mode, then matched by upsert, nothing doubled', async ({ onTestFinished }) => {
      const server = await start(onTestFinished, {
        usernamesIgnoreCase: true,
        customers: [
          { name: 'Ana Uno', username: 'ANA.UNO' },
          { name: 'Beto Dos', username: 'Beto.Dos', email: 'beto@escuela.mx' },
        ],
      });
      const cwd = tempDir();
      writeFileSync(join(cwd, 'tutores.csv'), 'Nombre,Usuario,Correo\nAna Uno,ana.uno,\nBeto Dos,beto.dos,beto2@escuela.mx\nCarla Gil,carla.gil,\n');
      const created = await run(['tutores.csv', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(created.code, created.stderr).toBe(0);
      const createdReport = readCsvRecords(join(cwd, 'tutores.results.csv')).records;
      expect(createdReport.map((r) => r.status)).toEqual(['exists', 'exists', 'created']);
      expect(createdReport[0]!.error).toBe('matched "ANA.UNO" in Quentli (the API holds usernames without case): check that this row is that customer');
      // Counted in one warning, as upsert does, not a log line a row every night.
      const messages = logMessages(created.stderr);
      expect(messages.filter((message) => message.includes('in another case') || message.includes('without case'))).toEqual([
        '2 rows (rows 2, 3) match usernames Quentli writes otherwise (in another case, or with its accents decomposed): each is that customer, and its username in Quentli is left as it is; check that these rows are those customers (see the note in the report)',
      ]);
      expect(server.store.size).toBe(3);
      const upserted = await run(['tutores.csv', '--api-url', server.url, '--mode', 'upsert'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(upserted.code, upserted.stderr).toBe(0);
      expect(readCsvRecords(join(cwd, 'tutores.results.csv')).records.map((r) => r.status)).toEqual(['unchanged', 'updated', 'unchanged']);
      expect(server.store.byUsername('Beto.Dos')!.email).toBe('beto2@escuela.mx');
      expect(server.store.size).toBe(3);
    });
  });

  describe('an API that starts refusing part-way', () => {
    it('stops at a Retry-After no row may wait (exit 2), and still says what it did: in the log and in --summary-json', async ({ onTestFinished }) => {
      // After the third customer, every request is answered 429 with Retry-After: 600.
      const { server } = await startLimitingAfter(onTestFinished, 3, 10);
      const cwd = tempDir();
      const lines = ['Nombre,Usuario'];
      for (let i = 1; i <= 10; i++) lines.push(`Alumno ${i},alumno.${i}`);
      writeFileSync(join(cwd, 'alumnos.csv'), `${lines.join('\n')}\n`);
      const result = await run(['alumnos.csv', '--api-url', server.url, '--concurrency', '1', '--summary-json', 'summary.json'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(2);
      expectNoStackTrace(result);
      const written = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8')) as { exitCode: number; error: { code: string; message: string }; summary: { counts: Record<string, number>; rows: number } };
      expect(written.exitCode).toBe(2);
      expect(written.error).toEqual({
        code: 'rate_limited',
        message: 'the API answered 429 (too many requests) and asks to wait 600 s (Retry-After), longer than a row may wait (300 s, --max-retry-wait): the run stops here; run the same command again after that, to resume',
      });
      expect(written.summary.counts.created).toBe(3);
      expect(written.summary.counts.not_attempted).toBeGreaterThan(0);
      expect(written.summary.rows).toBe(10);
      const messages = logMessages(result.stderr);
      expect(messages.at(-1)).toBe(`quentli-import: ${written.error.message}`);
      expect(messages.some((message) => message.includes('created'))).toBe(true);
      expect(readCsvRecords(join(cwd, 'alumnos.results.csv')).records).toHaveLength(10);
    });
  });

  describe('an API that refuses every row with a message quoting the row (its email)', () => {
    it('lists the 10 largest reasons and counts the rest: the summary log line stays short, --summary-json keeps them all', async ({ onTestFinished }) => {
      const api = createHttpServer((request, response) => {
        let body = '';
        request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          response.setHeader('content-type', 'application/json');
          if (request.method !== 'POST') return response.end('[]'); // the key check and the look-ups: nobody holds it
          const { input } = JSON.parse(body) as { input: { email: string } };
          response.statusCode = 400;
          response.end(JSON.stringify({ message: `the email ${input.email} belongs to a customer of another organization` }));
        });
      });
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      onTestFinished(() => new Promise<void>((resolve) => api.close(() => resolve())));
      const { port } = api.address() as { port: number };
      const cwd = tempDir();
      writeRoster(cwd, 'alumnos.csv', students(30));
      const result = await run(['alumnos.csv', '--api-url', `http://127.0.0.1:${port}/v1`, '--summary-json', 'summary.json'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(1);
      const summaryLine = result.stderr.split('\n').find((line) => line.includes('"summary"'))!;
      // One group a row: the whole summary was one line of every row's email, 270 bytes a row.
      expect(summaryLine.length).toBeLessThan(8_000);
      const logged = JSON.parse(summaryLine) as { msg: string; summary: { refusals: unknown[]; refusalsNotListed: number; counts: Record<string, number> } };
      expect(logged.summary.counts.failed).toBe(30);
      expect(logged.summary.refusals).toHaveLength(10);
      expect(logged.summary.refusalsNotListed).toBe(20);
      expect(logged.msg.split('\n').filter((line) => line.includes('belongs to a customer of another organization'))).toHaveLength(10);
      expect(logged.msg).toContain('  and 20 more reasons: the report and the errors file give each row\'s');
      const written = JSON.parse(readFileSync(join(cwd, 'summary.json'), 'utf8')) as { refusals: unknown[] };
      expect(written.refusals).toHaveLength(30);
      expect(readCsvRecords(join(cwd, 'alumnos.results.csv')).records.filter((record) => record.status === 'failed')).toHaveLength(30);
    });
  });

  describe('an API whose ids are JSON numbers (an integer key; the document\'s ids are text)', () => {
    // 2^53 + 1 is the first integer a JavaScript number cannot hold: read as one, it became another customer's id.
    it.for([
      ['an integer key', 100_001n],
      ['a 64-bit key past 2^53', 9_007_199_254_740_993n],
    ] as const)('imports, and a second run without the journal finds each customer by its username: the ids are written as text (%s)', async ([, firstId], { onTestFinished }) => {
      const customers: Array<Record<string, unknown>> = [];
      const api = createHttpServer((request, response) => {
        let body = '';
        request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          response.setHeader('content-type', 'application/json');
          const url = new URL(request.url!, 'http://api');
          if (request.method === 'POST') {
            const { input } = JSON.parse(body) as { input: Record<string, unknown> };
            if (customers.some((customer) => customer.username === input.username)) {
              response.statusCode = 409;
              return response.end(JSON.stringify({ message: 'username already exists' }));
            }
            const now = new Date().toISOString();
            const customer = { ...input, id: String(firstId + BigInt(customers.length)), createdAt: now, updatedAt: now };
            customers.push(customer);
            return response.end(numericIds(JSON.stringify({ customer })));
          }
          const wanted = new URLSearchParams(url.searchParams.get('filter') ?? '').get('username[equals]');
          const skip = Number(url.searchParams.get('skip') ?? 0);
          const take = Number(url.searchParams.get('take') ?? 20);
          const found = customers.filter((customer) => wanted === null || customer.username === wanted);
          response.end(numericIds(JSON.stringify(found.slice(skip, skip + take))));
        });
      });
      const numericIds = (json: string) => json.replace(/"id":"(\d+)"/g, '"id":$1');
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      onTestFinished(() => new Promise<void>((resolve) => api.close(() => resolve())));
      const { port } = api.address() as { port: number };
      const cwd = tempDir();
      writeRoster(cwd, 'alumnos.csv', students(5));
      const apiUrl = `http://127.0.0.1:${port}/v1`;
      const first = await run(['alumnos.csv', '--api-url', apiUrl], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(first.code, first.stderr).toBe(0);
      const created = readCsvRecords(join(cwd, 'alumnos.results.csv')).records;
      expect(created.map((record) => [record.status, record.customerId])).toEqual([0n, 1n, 2n, 3n, 4n].map((n) => ['created', String(firstId + n)]));
      // Another report, so no journal: each create is refused as taken and its customer looked up (the list's ids were numbers too).
      const again = await run(['alumnos.csv', '--api-url', apiUrl, '--report', 'otra.csv'], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(again.code, again.stderr).toBe(0);
      expect(readCsvRecords(join(cwd, 'otra.csv')).records.map((record) => [record.status, record.customerId])).toEqual(created.map((record) => ['exists', record.customerId]));
      expect(customers).toHaveLength(5);
    });
  });

  describe('an export written again in place while its rows are read (a shell\'s `> export.csv` started over it)', () => {
    it('stops before sending a row read since (exit 2): a line of each version joined made a customer of one student\'s name and another\'s username', async ({ onTestFinished }) => {
      const server = await start(onTestFinished, { latencyMs: 50 });
      const cwd = tempDir();
      const line = (n: number) => `Alumno Número ${n},u${String(n).padStart(5, '0')},alumno${n}@escuela.mx`;
      const lines = (from: number) => Array.from({ length: 3000 }, (_, i) => line(from + i));
      const file = join(cwd, 'export.csv');
      writeFileSync(file, `${['Nombre,Usuario,Correo', ...lines(1)].join('\n')}\n`);
      const child = spawnCli(['export.csv', '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      const result = finished(child, cwd);
      for (const deadline = Date.now() + 30_000; server.store.size < 20 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
      // Tonight's export, a new student first: every line after it moved a line down.
      writeFileSync(file, `${['Nombre,Usuario,Correo', 'Aarón Nuevo Ingreso,u00000,aaron@escuela.mx', ...lines(1)].join('\n')}\n`);
      const { code, stderr } = await result;
      expect(code, stderr).toBe(2);
      expect(logMessages(stderr).at(-1)).toMatch(/^quentli-import: export\.csv: changed while it was read \(written again in place: an export started over it\?\): the rows read since were not sent/);
      expect(stderr).not.toContain('replaced, or still being written'); // the end-of-run warning, not said twice
      const spliced = server.store.all().filter((customer) => customer.username !== `u${String(customer.name.split(' ').at(-1)).padStart(5, '0')}`);
      expect(spliced.map((customer) => `${customer.name} / ${customer.username}`)).toEqual([]);
      expect(server.store.size).toBeLessThan(3000);
    });
  });

  describe('a stop while a row without a username waits on a 429', () => {
    it('resumes by sending it: a try answered 429 wrote nothing, so it is no "outcome unknown"', async ({ onTestFinished }) => {
      const { server, lift } = await startLimitingAfter(onTestFinished, 3, 5);
      const cwd = tempDir();
      const lines = ['Nombre,Correo'];
      for (let i = 1; i <= 6; i++) lines.push(`Alumno ${i},alumno.${i}@example.mx`);
      writeFileSync(join(cwd, 'alumnos.csv'), `${lines.join('\n')}\n`);
      const args = ['alumnos.csv', '--api-url', server.url, '--concurrency', '1'];
      const first = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(first.code, first.stderr).toBe(2);
      expect(server.store.size).toBe(3);
      lift();
      const second = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(second.code, second.stderr).toBe(0);
      const report = readCsvRecords(join(cwd, 'alumnos.results.csv')).records;
      expect(report.map((record) => record.status)).toEqual(['created', 'created', 'created', 'created', 'created', 'created']);
      expect(server.store.size).toBe(6);
    });
  });

  describe('a nightly run of a file without usernames, imported before', () => {
    it('finds each customer by its fingerprint without a warning a row (routine, not cron mail), and creates nothing', async ({ onTestFinished }) => {
      const server = await start(onTestFinished);
      const cwd = tempDir();
      const lines = ['Nombre,Correo'];
      for (let i = 1; i <= 4; i++) lines.push(`Tutor ${i},tutor.${i}@example.mx`);
      writeFileSync(join(cwd, 'tutores.csv'), `${lines.join('\n')}\n`);
      const args = ['tutores.csv', '--api-url', server.url];
      expect((await run(args, { cwd, env: { QUENTLI_API_KEY: KEY } })).code).toBe(0);
      const second = await run(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(second.code, second.stderr).toBe(0);
      expect(server.store.size).toBe(4);
      const levels = second.stderr.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { level: number; row?: number });
      expect(levels.filter((line) => line.row !== undefined)).toEqual([]);
      expect(readCsvRecords(join(cwd, 'tutores.results.csv')).records.map((record) => record.status)).toEqual(['exists', 'exists', 'exists', 'exists']);
    });
  });

  describe('npm run demo', () => {
    it('node dist/cli/demo.js imports the demo roster on its own simulator and exits 0', async () => {
      const cwd = tempDir();
      const result = await run([], { cwd, script: DEMO, timeoutMs: 30_000 });
      expect(result.code, result.stderr).toBe(0);
      expectNoStackTrace(result);
      const report = readCsvRecords(join(cwd, 'roster-demo.results.csv')).records;
      expect(report).toHaveLength(60);
      expect(report.filter((r) => r.status === 'created')).toHaveLength(52);
      expect(existsSync(join(cwd, 'roster-demo.results.errors.csv'))).toBe(true);
    });
  });
});

describe.concurrent('a UTF-16 roster ending in half a character', () => {
  it('imports every row, exit 0, with one warning (it was exit 2 after every row was sent, every night)', async ({ onTestFinished }) => {
    const server = await start(onTestFinished);
    const cwd = tempDir();
    const path = writeRoster(cwd, 'alumnos.csv', students(300));
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path, 'utf8'), 'utf16le'), Buffer.from([0x0a])]));
    const result = await run([path, '--api-url', server.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(0);
    expect(logMessages(result.stderr).filter((message) => message.includes('half a UTF-16 character'))).toHaveLength(1);
    expect(server.store.size).toBe(300);
    expect(readCsvRecords(join(cwd, 'alumnos.results.csv')).records.map((record) => record.status)).toEqual(Array(300).fill('created'));
  });
});
