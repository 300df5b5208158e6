import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { KEY, logMessages, readReport, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// A nightly create-mode import: the school's export corrected a family's phone and another's email.
// Create mode changes no customer, so Quentli keeps the old ones (WhatsApp reminders go to the old
// number); `exists` with an empty error column hid it. The report and one warning must say so.

const ROSTER = [
  'Nombre,Usuario,Correo,Celular',
  'Ana López,ana.lopez,ana@example.com,55 1234 0000', // phone corrected since
  'Beto Ruiz,beto.ruiz,beto.nuevo@example.com,55 2345 6789', // email corrected since
  'Carla Díaz,carla.diaz,CARLA@example.com,(55) 3456-7890', // as it is, written otherwise
  'Otro Niño,dario.paz,dario@example.com,55 9999 9999', // the username is someone else's: its own note
  '',
].join('\n');

describe('create mode, a row whose customer Quentli holds with another email or phone', () => {
  let sim: RunningSimulator;
  let cwd: string;

  beforeAll(requireBuild);

  beforeEach(async () => {
    sim = await simulator();
    sim.store.seed([
      { name: 'Ana López', username: 'ana.lopez', email: 'ana@example.com', phoneNumber: '+525512345678' },
      { name: 'Beto Ruiz', username: 'beto.ruiz', email: 'beto@example.com', phoneNumber: '+525523456789' },
      { name: 'Carla Díaz', username: 'carla.diaz', email: 'carla@example.com', phoneNumber: '+525534567890' },
      { name: 'Darío Paz', username: 'dario.paz', email: 'dario.paz@example.com', phoneNumber: '+525545678901' },
    ]);
    cwd = tempDir();
    writeFileSync(join(cwd, 'alumnos.csv'), ROSTER);
  });

  afterEach(async () => {
    await sim.close();
  });

  const importFile = (...extra: string[]) => run(['alumnos.csv', '--api-url', sim.url, ...extra], { cwd, env: { QUENTLI_API_KEY: KEY } });

  it('is exists, changes nothing, and says which fields Quentli holds otherwise: a note a row, one warning for them all', async () => {
    const result = await importFile();
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['exists', 'exists', 'exists', 'exists']);
    expect(report[0]!.error).toBe('Quentli holds another phoneNumber for this username (create mode changes no customer, --mode upsert updates it)');
    expect(report[1]!.error).toBe('Quentli holds another email for this username (create mode changes no customer, --mode upsert updates it)');
    expect(report[2]!.error).toBe('');
    expect(report[3]!.error).toBe('the username belongs to "Darío Paz" in Quentli, not "Otro Niño": check that this row is that customer');
    expect(sim.store.byUsername('ana.lopez')!.phoneNumber).toBe('+525512345678');
    expect(sim.stats.byRoute['PATCH /customers/:id'] ?? 0).toBe(0);

    const messages = logMessages(result.stderr);
    expect(messages.filter((message) => message.includes('Quentli holds another') || message.includes('another email or phone'))).toEqual([
      "2 rows (rows 2, 3) have another email or phone than the customer Quentli holds for its username: create mode changes no customer, so Quentli keeps the old ones; --mode upsert updates them (the report's error column names the fields)",
    ]);
    // The row that is likely someone else is still a warning of its own.
    expect(messages).toContainEqual('row 5: the username belongs to "Darío Paz" in Quentli, not "Otro Niño": check that this row is that customer');

    // Upsert writes them (not row 5: its username is held by a customer it shares nothing with); create mode then has nothing to say.
    expect((await importFile('--mode', 'upsert', '--report', 'sync.csv')).code).toBe(1);
    expect(readReport(join(cwd, 'sync.csv')).map((line) => line.status)).toEqual(['updated', 'updated', 'unchanged', 'failed']);
    const again = await importFile();
    expect(again.code, again.stderr).toBe(0);
    expect(readReport(join(cwd, 'alumnos.results.csv')).map((line) => line.error).slice(0, 3)).toEqual(['', '', '']);
    expect(logMessages(again.stderr).filter((message) => message.includes('another email or phone'))).toEqual([]);
  });

  it('keeps its note and the warning when a run that confirmed it is resumed (found by a chaos loop: the resumed report lost them)', async () => {
    expect((await importFile()).code).toBe(0);
    // As a run killed after confirming every row leaves its journal: without the line marking it complete.
    const journalPath = join(cwd, 'alumnos.results.journal');
    const lines = readFileSync(journalPath, 'utf8').split('\n').filter((line) => line !== '' && !line.includes('"complete":true'));
    writeFileSync(journalPath, `${lines.join('\n')}\n`);
    const posts = sim.stats.byRoute['POST /customers'] ?? 0;

    const resumed = await importFile();
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sim.stats.byRoute['POST /customers'] ?? 0).toBe(posts); // resumed: nothing sent again
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.map((line) => line.status)).toEqual(['exists', 'exists', 'exists', 'exists']);
    expect(report.map((line) => line.error)).toEqual([
      'Quentli holds another phoneNumber for this username (create mode changes no customer, --mode upsert updates it)',
      'Quentli holds another email for this username (create mode changes no customer, --mode upsert updates it)',
      '',
      'the username belongs to "Darío Paz" in Quentli, not "Otro Niño": check that this row is that customer',
    ]);
    expect(logMessages(resumed.stderr).filter((message) => message.includes('another email or phone'))).toEqual([
      "2 rows (rows 2, 3) have another email or phone than the customer Quentli holds for its username: create mode changes no customer, so Quentli keeps the old ones; --mode upsert updates them (the report's error column names the fields)",
    ]);
  });
});

describe('create mode, against an API that answers a taken username 200 with the customer holding it (the document gives no status)', () => {
  beforeAll(requireBuild);

  it('reports those rows exists with the same notes, not created', async () => {
    const sim = await simulator({ answerTakenWithHolder: true });
    try {
      const held = sim.store.seed([
        { name: 'Ana López', username: 'ana.lopez', email: 'ana@example.com', phoneNumber: '+525512345678' },
        { name: 'Beto Ruiz', username: 'beto.ruiz', email: 'beto@example.com', phoneNumber: '+525523456789' },
        { name: 'Carla Díaz', username: 'carla.diaz', email: 'carla@example.com', phoneNumber: '+525534567890' },
        { name: 'Darío Paz', username: 'dario.paz', email: 'dario.paz@example.com', phoneNumber: '+525545678901' },
      ]);
      // Last night's import: created well before this run's first try.
      for (const customer of held) customer.createdAt = new Date(Date.now() - 86_400_000).toISOString();
      const cwd = tempDir();
      writeFileSync(join(cwd, 'alumnos.csv'), ROSTER);
      const result = await run(['alumnos.csv', '--api-url', sim.url], { cwd, env: { QUENTLI_API_KEY: KEY } });
      expect(result.code, result.stderr).toBe(0);
      const report = readReport(join(cwd, 'alumnos.results.csv'));
      expect(report.map((line) => [line.status, line.customerId])).toEqual(held.map((customer) => ['exists', customer.id]));
      expect(report.map((line) => line.error)).toEqual([
        'Quentli holds another phoneNumber for this username (create mode changes no customer, --mode upsert updates it)',
        'Quentli holds another email for this username (create mode changes no customer, --mode upsert updates it)',
        '',
        'the username belongs to "Darío Paz" in Quentli, not "Otro Niño": check that this row is that customer',
      ]);
      expect(sim.store.size).toBe(4);
    } finally {
      await sim.close();
    }
  });
});
