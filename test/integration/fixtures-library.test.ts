import { readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ImportError, importCustomers, type ImportProgress, type Logger } from '../../src/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { fixture, KEY, simulator } from './cli-harness.js';
import { temporaryFolder } from '../temporary-folder.js';

// Every all-valid CSV fixture through the library (in process: no CLI start-up per file) against the
// simulator over real HTTP: each row arrives once, exactly as written, whatever the encoding.

const byName = (server: RunningSimulator, name: string) => server.store.all().find((c) => c.name === name)!;

/** Every fixture whose rows are all valid, and what to check in the simulator besides the counts. */
const ALL_VALID: [string, number, (server: RunningSimulator) => void][] = [
  ['roster-cp1252-semicolon.csv', 10, (server) => {
    expect(byName(server, 'José Ángel Pérez Ñúñez')).toMatchObject({ email: 'jose.perez@gmail.com', phoneNumber: '+524775933690', secondaryPhoneNumber: '+529997578322', acceptedServiceAgreement: true });
    expect(byName(server, 'José Ángel Pérez Ñúñez').meta).toMatchObject({ Matrícula: 'S-0411', Grado: '1° A' });
  }],
  ['roster-cp850-semicolon.csv', 6, (server) => {
    expect(byName(server, 'José Peña Núñez')).toMatchObject({ email: 'jose.pena@gmail.com', phoneNumber: '+523360823882', meta: { Matrícula: 'M-0101' } });
    expect(byName(server, 'ÓSCAR MUÑOZ DÍAZ')).toMatchObject({ email: 'oscar.munoz@gmail.com' });
  }],
  ['roster-utf8-bom-comma.csv', 8, (server) => {
    // Escaped quotes and a multi-line cell arrive whole. "Tags" is the tags field's own name and
    // "Phone" a synonym of phoneNumber; "Student ID" is metadata.
    expect(server.store.byUsername('mnunez.2025')!.name).toBe('María Fernanda "Mafer" Ñúñez Peña');
    const sofia = server.store.byUsername('spena.2025')!;
    expect(server.store.tagsOf(sofia.id)).toEqual(['Colegiatura', '"Beca deportiva"', 'Transporte']); // one tag a line
    expect(sofia.phoneNumber).toBe('+529999738228');
    expect(sofia.metadata).toEqual([{ key: 'Student ID', value: 'B-2043' }]);
  }],
  ['roster-utf16le-tab.csv', 6, (server) => {
    expect(server.store.byUsername('ipena.2025')).toMatchObject({ name: 'Iñaki Peña Solís', phoneNumber: '+529999917829', meta: { Grado: '4°', Grupo: 'A' } });
  }],
  ['roster-utf16be.csv', 4, (server) => {
    expect(server.store.tagsOf(byName(server, 'Zoé Muñoz Aranda').id)).toEqual(['Preescolar', 'Colegiatura', 'Transporte']);
  }],
  ['roster-utf8-no-bom-semicolon.csv', 6, (server) => {
    // The legacy "+52 1 55 3481 9026" mobile is sent as today's 10 digits.
    expect(server.store.all().map((c) => c.phoneNumber)).toContain('+525534819026');
    expect(server.store.byUsername('nnunez.2025')).toMatchObject({ name: 'Ñeli Ñúñez Peña', skipTaxInvoice: false });
  }],
  ['roster-sep-split-name.csv', 6, (server) => {
    // The name split over PRIMER APELLIDO, SEGUNDO APELLIDO and NOMBRE(S) arrives whole, given names first, as written.
    expect(server.store.all().map((c) => c.name)).toEqual(['JOSÉ ÁNGEL GARCÍA LÓPEZ', 'SOFÍA MUÑOZ PEÑA', 'NURIA IBÁÑEZ', 'MATEO HERNÁNDEZ SANTOS', 'MARÍA XIMENA RODRÍGUEZ LÓPEZ', 'ANDRÉS CERVANTES GARCÍA']);
    expect(byName(server, 'JOSÉ ÁNGEL GARCÍA LÓPEZ')).toMatchObject({ email: 'jose.garcia@correo.mx', phoneNumber: '+525512345678', meta: { CURP: 'GALJ150312HDFRPSA1', GRADO: '3', GRUPO: 'A' } });
    expect(Object.keys(byName(server, 'NURIA IBÁÑEZ').meta)).not.toContain('PRIMER APELLIDO');
  }],
  ['roster-metadata-columns.csv', 5, (server) => {
    // metadata.<key> headers and unknown headers become metadata; empty cells are left out.
    expect(byName(server, 'Carlos Peña Ibáñez').metadata).toEqual([
      { key: 'ciclo', value: '2024-2025' },
      { key: 'beca', value: '50%' },
      { key: 'Turno', value: 'Matutino' },
      { key: 'Ruta transporte', value: 'Ruta 3 - Coyoacán' },
    ]);
    expect(byName(server, 'Andrea Núñez Lira').metadata).toEqual([
      { key: 'ciclo', value: '2024-2025' },
      { key: 'Turno', value: 'Matutino' },
      { key: 'Alergias', value: 'Nuez, cacahuate' },
    ]);
  }],
  ['roster-errors-reimport.csv', 5, (server) => {
    // The old `error` column is neither sent nor metadata.
    expect(server.store.byUsername('A-1022')).toMatchObject({ email: 'pedro.ramirez@gmail.com', metadata: [] });
  }],
  ['roster-crlf-quoted-multiline.csv', 5, (server) => {
    expect(byName(server, 'Marisol Ibáñez Núñez').meta.Notas).toBe('Recoge: su abuela, Sra. Ñúñez\r\nNo entregar a otra persona');
    expect(byName(server, 'Rubén Muñoz Ochoa').meta).toEqual({});
  }],
  ['roster-google-forms-english.csv', 3, (server) => {
    // The office's address, which the form collected on every row, is no student's email.
    for (const customer of server.store.all()) expect(customer.email ?? undefined).toBeUndefined();
    expect(byName(server, 'Valeria Torres Méndez')).toMatchObject({ phoneNumber: '+525512345678', meta: { 'Email Address': 'secretaria.colegio@gmail.com', 'Correo del papá o mamá': 'rocio.mendez@gmail.com' } });
  }],
  ['roster-zero-width-headers.csv', 2, (server) => {
    // Headers pasted with invisible characters read as the usual ones: nothing lands in metadata.
    expect(server.store.byUsername('fam.ruiz')).toMatchObject({ name: 'Ana Ruiz Peña', email: 'ana.ruiz@gmail.com', phoneNumber: '+525512345678', metadata: [] });
  }],
  ['roster-libreoffice-12-hour-dates.csv', 4, (server) => {
    // LibreOffice's Spanish 12-hour time: `12:00:00 a. m.` is midnight, `p. m.` the afternoon.
    expect(server.store.all().map((c) => c.optedOutWhatsappAt)).toEqual(['2025-01-15T00:00:00.000Z', '2025-02-03T16:30:00.000Z', null, '2024-11-20T12:00:00.000Z']);
  }],
  ['roster-postgresql-copy.csv', 4, (server) => {
    // PostgreSQL's `timestamptz`, its zone's hours only (`-06`, `-05`): the instant, in UTC; `t`/`f` and NULL as ever.
    expect(server.store.all().map((c) => c.optedOutWhatsappAt)).toEqual([null, '2025-01-15T16:30:00.000Z', '2024-11-20T14:05:12.345Z', '2022-06-01T14:00:00.000Z']);
    expect(server.store.byUsername('cortiz.2025')).toMatchObject({ name: 'Carla Ortiz Vega', acceptedServiceAgreement: false, phoneNumber: '+528183401122' });
  }],
  ['roster-rails-export.csv', 3, (server) => {
    // Ruby's `Time#to_s`, its zone after a space (`-0600`, `-0500`): the instant, in UTC.
    expect(server.store.all().map((c) => c.optedOutWhatsappAt)).toEqual(['2025-01-15T10:30:00.000Z', null, '2022-06-01T14:00:00.000Z']);
  }],
  ['roster-plural-email-header.csv', 2, (server) => {
    // `Correo(s) electrónico(s)` is the email column, as `Correo` is: no metadata.
    expect(byName(server, 'Ana Sofía Ruiz Peña')).toMatchObject({ email: 'ana.ruiz@gmail.com', phoneNumber: '+525512345601', meta: { Matrícula: 'M-2501' } });
    expect(Object.keys(byName(server, 'Bruno Díaz León').meta)).toEqual(['Matrícula']);
  }],
  ['roster-utf8-with-cp1252-lines.csv', 6, (server) => {
    // Lines pasted in from a Windows-1252 export read with their accents, as the UTF-8 ones.
    expect(server.store.all().map((c) => c.name)).toEqual(['José Ángel Pérez', 'María Núñez Ibáñez', 'Begoña Cañas Ávila', 'Luis Soto Ruiz', 'Óscar Muñoz Díaz', 'Zoë Yáñez Solís']);
  }],
];

describe.concurrent('importCustomers on every all-valid fixture', () => {
  for (const [name, count, check] of ALL_VALID) {
    it(`${name}: ${count} created, as written`, async ({ onTestFinished }) => {
      const server = await simulator();
      onTestFinished(() => server.close());
      const dir = temporaryFolder('qi-lib-');
      const reportPath = join(dir, 'report.csv');
      const summary = await importCustomers({ file: fixture(name), apiUrl: server.url, apiKey: KEY, reportPath });
      expect(summary.rows).toBe(count);
      expect(summary.counts.created).toBe(count);
      expect(server.store.size).toBe(count);
      expect(server.stats.creates).toBe(count);
      for (const customer of server.store.all()) {
        expect(customer.phoneNumber ?? '+52').toMatch(/^\+52\d{10}$/);
        expect(customer.metadata.map((m) => m.key)).not.toContain('error');
        expect(customer.name).not.toMatch(/\uFFFD|Ã/);
      }
      check(server);
      const report = Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
      expect(report.map((r) => r.status)).toEqual(Array(count).fill('created'));
      for (const record of report) {
        expect(server.store.byId(record.customerId!), `row ${record.row}`).toBeDefined();
        if (record.username) expect(server.store.byId(record.customerId!)!.username).toBe(record.username);
      }
    });
  }
});

describe('importCustomers progress', () => {
  it('counts as in flight only the rows being sent, never those queued for a free slot', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 30 });
    onTestFinished(() => server.close());
    const dir = temporaryFolder('qi-lib-');
    const seen: number[] = [];
    let sampler: NodeJS.Timeout | undefined;
    await importCustomers({
      file: fixture('roster-utf8-bom-comma.csv'),
      apiUrl: server.url,
      apiKey: KEY,
      reportPath: join(dir, 'report.csv'),
      concurrency: 2,
      onEvent: (event) => {
        if (event.type === 'start') sampler = setInterval(() => seen.push(event.progress().inFlight), 5);
        if (event.type === 'end') clearInterval(sampler);
      },
    });
    clearInterval(sampler);
    expect(Math.max(...seen)).toBe(2);
    expect(server.stats.maxInFlight).toBe(2);
  });

  it('places the row being taken within its batch: the file position grows row by row, not a chunk at a time', async () => {
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'lista.csv');
    let text = 'Nombre completo,Usuario\n';
    for (let i = 0; i < 1000; i++) text += `Alumno ${i},alumno${String(i).padStart(4, '0')}\n`; // one 64 KiB chunk: one batch
    writeFileSync(file, text);
    const shares: number[] = [];
    let progress: (() => ImportProgress) | undefined;
    await importCustomers({
      file,
      dryRun: true,
      reportPath: join(dir, 'report.csv'),
      onEvent: (event) => {
        if (event.type === 'start') progress = event.progress;
        if (event.type === 'row' && [250, 500, 1000].includes(event.entry.row - 1)) {
          const { read } = progress!();
          shares.push(read.bytesRead / read.totalBytes);
        }
      },
    });
    expect(shares).toHaveLength(3);
    expect(shares[0]).toBeCloseTo(0.25, 1);
    expect(shares[1]).toBeCloseTo(0.5, 1);
    expect(shares[2]).toBe(1);
  });
});

describe('importCustomers start event', () => {
  it('carries the fields its type declares, not the journal and lock paths of a dry run that writes neither', async () => {
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'grupo.csv');
    writeFileSync(file, 'Nombre,Usuario\r\nAna Ruiz,ana\r\n');
    let keys: string[] = [];
    await importCustomers({ file, dryRun: true, reportPath: join(dir, 'report.csv'), onEvent: (event) => event.type === 'start' && (keys = Object.keys(event).sort()) });
    expect(keys).toEqual(['details', 'errorsPath', 'format', 'headerRow', 'mapping', 'progress', 'reportPath', 'type']);
  });
});

describe('importCustomers columns without a header', () => {
  it('warns, once the file is read, of a column without a header that holds values, naming the rows', async () => {
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'grupo.csv');
    writeFileSync(file, 'Nombre,Usuario,,Correo,\r\nAna Ruiz,ana,alergia a nueces,ana@example.mx,\r\nBeto Paz,beto,,beto@example.mx,\r\n');
    const warnings: string[] = [];
    const summary = await importCustomers({ file, dryRun: true, reportPath: join(dir, 'report.csv'), onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(summary.counts.valid).toBe(2);
    // The export's empty last column is not worth a word.
    expect(warnings).toEqual(['column C has no header but holds values in 1 row (row 2): they were not imported; give the column a header to import them as metadata']);
  });
});

describe('importCustomers input replaced as the run starts', () => {
  it('refuses to go on when the export is replaced during the key check: the journal would name rows it never read', async ({ onTestFinished }) => {
    const server = await simulator({ latencyMs: 400 });
    onTestFinished(() => server.close());
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Nombre,Usuario\r\nAna Ruiz,ana\r\n');
    const run = importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath: join(dir, 'report.csv') });
    while (server.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The nightly export lands by rename while the key check waits for its answer.
    writeFileSync(join(dir, 'export.csv.new'), 'Nombre,Usuario\r\nBeto Paz,beto\r\nCarla Gil,carla\r\n');
    renameSync(join(dir, 'export.csv.new'), file);
    await expect(run).rejects.toThrow(`${file}: changed while the run was starting (replaced, or still being written): nothing was sent; run the same command again once the export is complete`);
    expect(server.store.size).toBe(0);
    // The next run reads the new export whole.
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath: join(dir, 'report.csv') });
    expect(summary.counts.created).toBe(2);
  });
});

describe('importCustomers rows without a username', () => {
  it('names, once the file is read, the rows a re-run would create again (create mode, the column present)', async () => {
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'tutores.csv');
    // Row 6 repeats row 5: refused as a duplicate, it is created by no run, and not named.
    writeFileSync(file, 'Nombre,Usuario,Correo\r\nAna Ruiz,ana,\r\nSofía Ledesma,,\r\nBeto Paz,beto,\r\nCarla Gil, ,carla@example.mx\r\nCarla Gil,,carla@example.mx\r\n');
    const warnings: string[] = [];
    const summary = await importCustomers({ file, dryRun: true, reportPath: join(dir, 'report.csv'), onEvent: (event) => event.type === 'warning' && warnings.push(event.message) });
    expect(summary.counts.valid).toBe(4);
    expect(summary.counts.duplicate).toBe(1);
    // When it ran, for a monitor reading last night's summary.
    expect(summary.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)).toBe(summary.elapsedMs);
    expect(warnings).toEqual([
      // Row 3 has a name alone: the journal cannot know it, and the same file again is refused.
      '2 rows (rows 3, 5) have no username ("Usuario" is empty), and the journal cannot know them all by name, email and phone (1 row (row 3) has no email or phone): customers are matched by username, so importing this file again under this report name is refused (exit 2), and with --restart or under another report name creates those customers again; fill in the username to make a re-run safe',
    ]);
    // With no username column at all, the one warning about the column says it for every row.
    const noColumn = join(dir, 'sin-usuario.csv');
    writeFileSync(noColumn, 'Nombre,Correo\r\nAna Ruiz,ana@example.mx\r\n');
    const columnWarnings: string[] = [];
    await importCustomers({ file: noColumn, dryRun: true, reportPath: join(dir, 'report2.csv'), onEvent: (event) => event.type === 'warning' && columnWarnings.push(event.message) });
    expect(columnWarnings).toEqual([expect.stringMatching(/^no column holds a username/)]);
    // A business list with its own client numbers: the warning names the column and the mapping that matches by it.
    const numbered = join(dir, 'socios.csv');
    writeFileSync(numbered, 'No. Socio;Nombre;Correo\r\n00101;Ana Ruiz;ana@example.mx\r\n');
    const numberedWarnings: string[] = [];
    await importCustomers({ file: numbered, dryRun: true, reportPath: join(dir, 'report3.csv'), onEvent: (event) => event.type === 'warning' && numberedWarnings.push(event.message) });
    expect(numberedWarnings).toEqual([
      'no column holds a username: customers are matched by username, so importing this file again creates them again, except under this report name, whose journal knows each by its name, email and phone (a row whose name, email or phone is corrected later is not known by it, and is created a second time); "No. Socio" looks like each customer\'s own number: to match customers by it (it becomes their Quentli username), map it with a mapping file (--mapping) such as {"columns":{"No. Socio":"username"}}',
    ]);
    const suggested = JSON.parse(/such as (\{.*\})$/.exec(numberedWarnings[0]!)![1]!) as { columns: Record<string, string> };
    const mapped: string[] = [];
    await importCustomers({ file: numbered, dryRun: true, mapping: suggested, reportPath: join(dir, 'report4.csv'), onEvent: (event) => event.type === 'warning' && mapped.push(event.message) });
    expect(mapped).toEqual([]);
    expect(readFileSync(join(dir, 'report4.csv'), 'utf8')).toContain(',00101,');
  });
});

describe('importCustomers duplicate usernames', () => {
  it('takes a username repeated in another case for a repeat: the second row is duplicate, not sent', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'familias.csv');
    writeFileSync(file, 'Nombre completo,Usuario\nMateo Gómez,mgomez\nCamila Gómez,MGomez\nLuis Peña,lpena\n');
    const reportPath = join(dir, 'report.csv');
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    expect(summary.counts).toMatchObject({ created: 2, duplicate: 1 });
    const report = Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(report[1]).toMatchObject({ row: '3', status: 'duplicate', username: 'MGomez', error: 'row 3, "Usuario": "MGomez" repeats the username of row 2 (usernames are compared without case or accents: both read "mgomez")' });
    expect(server.stats.creates).toBe(2);
  });

  it('without a username, takes a row with the name, email and phone of an earlier row for a repeat: not created twice', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'socios.csv');
    writeFileSync(
      file,
      [
        'Nombre;Correo;Teléfono',
        'María Fernanda López;mafer.lopez@hotmail.com;(55) 2345-6789',
        'Ana Ruiz;ana@example.mx;',
        'MARÍA FERNANDA LÓPEZ;Mafer.Lopez@hotmail.com;55 2345 6789', // the same customer: case and the phone's format aside
        'Ana Ruiz;otra@example.mx;', // another email: another Ana
        'Ana Ruiz;ana@example.mx;55 1111 2222', // a phone the first had not: not taken for her
        'Gym Titán;;55 8901 2345',
        'Gym Titán;;5589012345',
        'Maria  Fernanda Lopez;mafer.lopez@hotmail.com;5523456789', // typed again without accents
      ].join('\r\n') + '\r\n',
    );
    const reportPath = join(dir, 'report.csv');
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    expect(summary.counts).toMatchObject({ created: 5, duplicate: 3 });
    expect(server.stats.creates).toBe(5);
    const report = Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(report.map((line) => line.status)).toEqual(['created', 'created', 'duplicate', 'created', 'created', 'created', 'duplicate', 'duplicate']);
    expect(report[2]!.error).toBe('row 4, "Nombre": "MARÍA FERNANDA LÓPEZ" repeats the name and email and phone number of row 2: with no username to tell them apart, both would be created');
    expect(report[6]!.error).toBe('row 8, "Nombre": "Gym Titán" repeats the name and phone number of row 7: with no username to tell them apart, both would be created');
    expect(report[7]!.error).toBe('row 9, "Nombre": "Maria Fernanda Lopez" repeats the name and email and phone number of row 2: with no username to tell them apart, both would be created');
    expect(summary.refusals).toEqual([expect.objectContaining({ reason: 'the name and email or phone repeat an earlier row (no username)', count: 3 })]);
    // Given names only: two "María José" with the school's phone are two people.
    const given = join(dir, 'nombres.csv');
    writeFileSync(given, 'Nombre(s);Apellido del tutor;Teléfono\r\nMaría José;López;55 2345 6789\r\nMaría José;Ruiz;55 2345 6789\r\n');
    const givenSummary = await importCustomers({ file: given, dryRun: true, reportPath: join(dir, 'nombres.results.csv') });
    expect(givenSummary.counts).toMatchObject({ valid: 2, duplicate: 0 });
  });

  it('names the repeated username of a row that is also refused for a cell, so fixing the cell alone is not enough', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const dir = temporaryFolder('qi-lib-');
    const file = join(dir, 'familias.csv');
    writeFileSync(file, 'Nombre,Usuario,Correo\r\nAna Pérez,fam.perez,ana@example.mx\r\nLuis Pérez,fam.perez,luis@\r\n');
    const reportPath = join(dir, 'report.csv');
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath });
    expect(summary.counts).toMatchObject({ created: 1, invalid: 1, duplicate: 0 });
    const report = Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(report[1]).toMatchObject({
      row: '3',
      status: 'invalid',
      error: 'row 3, "Correo": "luis@" is not a valid email; row 3, "Usuario": "fam.perez" repeats the username of row 2',
    });
    // The summary groups the cell problem; the repeat names its own first row and has no group.
    expect(summary.refusals.map((refusal) => refusal.rows)).toEqual([[3]]);
  });
});

/** A roster written to a fresh temporary folder. */
function rosterFile(name: string, text: string): { dir: string; file: string } {
  const dir = temporaryFolder('qi-lib-');
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** A pino logger at warn level whose messages land in `logged`. */
function warnLogger(): { logger: Logger; logged: string[] } {
  const logged: string[] = [];
  return { logger: pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line).msg) }), logged };
}

describe('importCustomers refusals read from a workbook', () => {
  it('groups the rows whose formula has no calculated value as one reason, quoting each formula in its row', async () => {
    const dir = temporaryFolder('qi-lib-');
    const reportPath = join(dir, 'report.csv');
    const summary = await importCustomers({ file: fixture('roster-xlsxwriter-formulas.xlsx'), dryRun: true, reportPath });
    const rule = 'is a formula with no calculated value: open the file in Excel, let it recalculate, and save it again';
    expect(summary.refusals).toEqual([{ reason: `"Nombre completo" ${rule}`, count: 3, rows: [2, 3, 4] }]);
    const report = Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(report[0]!.error).toBe(`row 2, "Nombre completo": "=A2&\\" \\"&B2" ${rule}`);
  });
});

describe('importCustomers on a school office\'s xlsxwriter export', () => {
  it('imports each student once as the sheet shows them and refuses each line that names no one, saying why', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const reportPath = join(temporaryFolder('qi-lib-'), 'report.csv');
    const summary = await importCustomers({ file: fixture('roster-xlsxwriter-school.xlsx'), apiUrl: server.url, apiKey: KEY, reportPath });
    const report = Papa.parse<Record<string, string>>(readFileSync(reportPath, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(report.map((line) => [line.row, line.status])).toEqual([
      ['3', 'invalid'], ['4', 'created'], ['5', 'invalid'], ['6', 'created'], ['7', 'created'], ['8', 'invalid'], ['10', 'invalid'], ['12', 'invalid'], ['13', 'invalid'],
    ]);
    expect(summary.counts).toMatchObject({ created: 3, invalid: 6 });
    expect(report.find((line) => line.row === '5')!.error).toMatch(/^row 5, "Celular": "55 1234 5679 \/ 55 8765 4321" holds two phone numbers/);
    expect(report.find((line) => line.row === '8')!.error).toMatch(/^row 8, "Correo electrónico": "#N\/A" is a spreadsheet's error/);
    // Inline strings, the `@`-formatted Matrícula's zeros, the date's number format, the header's no-break space and line break.
    const jose = byName(server, 'José Ángel García López');
    expect(jose).toMatchObject({ email: 'jose.garcia@gmail.com', phoneNumber: '+525512345678', optedOutWhatsappAt: '2025-01-15T00:00:00.000Z' });
    expect(jose.meta).toEqual({ Matrícula: '000123', CURP: 'GALJ100101HDFRPS09', RFC: 'GALJ100101AB1' });
    expect(server.store.tagsOf(jose.id)).toEqual(['3°A', 'Primaria']);
    // The hidden row is imported; `mailto:` and the old mobile `1` dropped; a trailing `;` after an address dropped.
    expect(byName(server, 'Luis Soto')).toMatchObject({ email: 'luis.soto@hotmail.com', phoneNumber: '+525512345680', meta: { Matrícula: '000125', Observaciones: 'Baja temporal' } });
    expect(byName(server, 'Ana Sofía Ruiz Díaz')).toMatchObject({ email: 'ana.ruiz@yahoo.com.mx' });
    expect(server.store.all()).toHaveLength(3);
  });
});

describe('importCustomers with an onEvent handler that throws', () => {
  for (const thrownOn of ['start', 'row', 'warning', 'stopping', 'end'] as const) {
    it(`logs a throw on "${thrownOn}" and goes on: every row reported once, the files closed, the lock released`, async ({ onTestFinished }) => {
      const server = await simulator({ latencyMs: 5 });
      onTestFinished(() => server.close());
      // A headerless column holding a value: a warning after the last row, once the file is read.
      const { dir, file } = rosterFile('lista.csv', `Nombre completo,Usuario,\n${Array.from({ length: 40 }, (_, i) => `Alumno ${i},alumno${i},${i === 3 ? 'nota' : ''}`).join('\n')}\n`);
      const reportPath = join(dir, 'report.csv');
      const controller = new AbortController();
      const { logger, logged } = warnLogger();
      const summary = await importCustomers({
        file,
        apiUrl: server.url,
        apiKey: KEY,
        reportPath,
        concurrency: 2,
        logger,
        signal: controller.signal,
        onEvent: (event) => {
          if (thrownOn === 'stopping' && event.type === 'row' && event.entry.row === 10) controller.abort();
          if (event.type === thrownOn) throw new Error('progress display bug');
        },
      });
      const rows = readFileSync(reportPath, 'utf8').trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0]));
      expect(rows).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
      expect(summary.rows).toBe(40);
      expect(summary.interrupted).toBe(thrownOn === 'stopping');
      // Said once, however many events of that type threw (40 rows).
      expect(logged.filter((message) => message.includes(`onEvent handler threw on a "${thrownOn}" event`))).toHaveLength(1);
      // The lock is gone: the same report can be written again at once.
      await expect(importCustomers({ file, dryRun: true, reportPath })).resolves.toMatchObject({ rows: 40 });
    });
  }
});

describe('importCustomers options a program may leave undefined', () => {
  it('keeps the default of a retry limit given as undefined, and logs an async onEvent handler\'s rejection instead of crashing', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const { dir, file } = rosterFile('lista.csv', 'Nombre completo,Usuario\nAna Uno,auno\nBeto Dos,bdos\n');
    const { logger, logged } = warnLogger();
    const summary = await importCustomers({
      file,
      apiUrl: server.url,
      apiKey: KEY,
      reportPath: join(dir, 'report.csv'),
      retry: { maxAttempts: undefined, baseDelayMs: undefined },
      logger,
      onEvent: async (event) => {
        if (event.type === 'row') throw new Error('progress display bug');
      },
    });
    expect(summary.counts.created).toBe(2);
    await new Promise((resolve) => setImmediate(resolve)); // the rejections are logged as they settle
    expect(logged.filter((message) => message.includes('onEvent handler threw on a "row" event'))).toHaveLength(1); // once for the event type, not once a row
  });
});

describe('importCustomers stopped part-way', () => {
  it('rejects with an ImportError that carries what the run did before, as its report holds every row', async () => {
    const server = await simulator({ latencyMs: 10 });
    const rows = Array.from({ length: 200 }, (_, i) => `Alumno ${i},alumno${i}`);
    const { dir, file } = rosterFile('lista.csv', `Nombre completo,Usuario\n${rows.join('\n')}\n`);
    const running = importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath: join(dir, 'report.csv'), concurrency: 2, retry: { maxRetryWaitMs: 1_500 } });
    // Ten answered (the simulator stores a create on arrival, and answers it the latency later).
    while ((server.stats.byStatus[201] ?? 0) < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();
    const error = await running.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).code).toBe('api_unreachable');
    const summary = (error as ImportError).summary!;
    expect(summary.rows).toBe(200);
    expect(summary.counts.created).toBeGreaterThanOrEqual(10);
    expect(summary.counts.not_attempted).toBeGreaterThan(100);
    const reported = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\r\n').length - 1;
    expect(reported).toBe(200);
  });
});

describe('importCustomers with a report that cannot be written', () => {
  it('rejects with one ImportError (output) carrying the summary, whatever the report format, and leaves no file open', async () => {
    const { dir, file } = rosterFile('lista.csv', 'Nombre completo,Usuario\nAna Ruiz,ana\nLuis Soto,luis\n');
    const openFiles = () => readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return [];
      }
    });
    const deviceMode = statSync('/dev/full').mode;
    for (const format of ['xlsx', 'csv', 'json']) {
      const reportPath = join(dir, `report.${format}`);
      symlinkSync('/dev/full', reportPath); // every write fails with ENOSPC, as on a full disk
      const error = await importCustomers({ file, dryRun: true, reportPath }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, format).toBeInstanceOf(ImportError);
      expect((error as ImportError).code, format).toBe('output');
      expect((error as ImportError).message, format).toMatch(/ENOSPC/);
      expect((error as ImportError).summary?.rows, format).toBe(2);
      expect(openFiles().filter((path) => path === '/dev/full' || path.startsWith(dir)), format).toEqual([]);
    }
    expect(statSync('/dev/full').mode).toBe(deviceMode); // a device is not narrowed to its owner
  });

  it('settles when an XLSX report fills the disk part-way, rather than waiting forever for its workbook to be committed', async () => {
    // Enough rows for the zip to write into the file, and fail, before the run ends.
    const rows = Array.from({ length: 10_000 }, (_, i) => `Alumno ${i},alumno${i},alumno${i}@escuela.mx`).join('\n');
    const { dir, file } = rosterFile('lista.csv', `Nombre completo,Usuario,Correo\n${rows}\n`);
    const reportPath = join(dir, 'report.xlsx');
    symlinkSync('/dev/full', reportPath);
    const error = await importCustomers({ file, dryRun: true, reportPath }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).code).toBe('output');
    expect((error as ImportError).message).toMatch(/report\.xlsx \(ENOSPC\)/);
    expect(readdirSync(dir)).not.toContain('report.lock');
  }, 20_000);

  it('rounds a timeout a program computed (1100.25 ms) to whole milliseconds, which the HTTP client needs', async ({ onTestFinished }) => {
    const server = await simulator();
    onTestFinished(() => server.close());
    const { dir, file } = rosterFile('lista.csv', 'Nombre completo,Usuario\nAna Ruiz,ana\n');
    const summary = await importCustomers({ file, apiUrl: server.url, apiKey: KEY, reportPath: join(dir, 'report.csv'), timeoutMs: 1100.25 });
    expect(summary.counts.created).toBe(1);
  });
});

describe('importCustomers aborted', () => {
  it('a dry run aborted reports the rows after the abort not_attempted, not valid', async () => {
    const dir = temporaryFolder('qi-dry-abort-');
    const file = join(dir, 'lista.csv');
    writeFileSync(file, `Nombre completo,Usuario\n${Array.from({ length: 3000 }, (_, i) => `Alumno ${i},alumno${i}`).join('\n')}\n`);
    const summary = await importCustomers({ file, dryRun: true, reportPath: join(dir, 'report.csv'), signal: AbortSignal.abort() });
    expect(summary.interrupted).toBe(true);
    expect(summary.counts.valid).toBe(0);
    expect(summary.counts.not_attempted).toBe(3000);
    expect(readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\r\n')).toHaveLength(3001);
  });

  it('twelve imports sharing one signal add no listener to it (no MaxListenersExceededWarning)', async () => {
    const dir = temporaryFolder('qi-shared-signal-');
    const file = join(dir, 'lista.csv');
    writeFileSync(file, 'Nombre completo,Usuario\nAna Ruiz,ana\n');
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const runs = Array.from({ length: 12 }, (_, i) => importCustomers({ file, dryRun: true, reportPath: join(dir, `report${i}.csv`), signal: controller.signal }));
      await expect(Promise.all(runs)).resolves.toHaveLength(12);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });
});
