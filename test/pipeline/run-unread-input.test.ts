import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf, importCustomers, type ImportSummary } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

// An export still being written when the nightly run read it, with a pause in its writing as the
// run reached its end: the rows written after were never read, and the run exited 0, "all fine",
// with a warning in the log alone.
describe('a CSV that grew after its end was read', () => {
  let dir: string;
  beforeEach(() => (dir = temporaryFolder('qi-grew-')));

  const header = 'Nombre,Usuario\nAna Ruiz,u00998\nLuis Gil,u00999\n';

  /** An import of `text` saved as `name`, with `meanwhile` done to the file once the run has read it. */
  const importWhile = async (name: string, meanwhile?: (file: string) => void) => {
    const sim = await startSimulator({ port: 0, apiKeys: ['sk_test_grew'] });
    const file = join(dir, name);
    writeFileSync(file, header);
    const warnings: string[] = [];
    try {
      const summary: ImportSummary = await importCustomers({
        file,
        apiUrl: sim.url,
        apiKey: 'sk_test_grew',
        reportPath: join(dir, `${name}.results.csv`),
        onEvent: (event) => {
          // The first chunk was the whole file: its end is read by now.
          if (event.type === 'start') meanwhile?.(file);
          if (event.type === 'warning') warnings.push(event.message);
        },
      });
      return { summary, warnings, usernames: sim.store.all().map((customer) => customer.username).sort(), report: readFileSync(join(dir, `${name}.results.csv`), 'utf8') };
    } finally {
      await sim.close();
    }
  };

  it('says so in the summary and the exit code, not only in a warning', async () => {
    const { summary, warnings, usernames, report } = await importWhile('export.csv', (file) => appendFileSync(file, 'Eva Sol,u01000\n'));
    expect(usernames).toEqual(['u00998', 'u00999']);
    expect(report).not.toContain('u01000');
    expect(summary.counts).toMatchObject({ created: 2, not_attempted: 0 });
    expect(summary.unreadInput).toBe('appended');
    expect(exitCodeOf(summary)).toBe(1);
    expect(warnings).toContainEqual(expect.stringMatching(/export\.csv grew after its end was read .*: the 15 bytes written since were not read, so their rows are in no report line and were not sent/));
  });

  it('is not said of a file that did not change', async () => {
    const quiet = await importWhile('lista.csv');
    expect(quiet.summary.unreadInput).toBeUndefined();
    expect(exitCodeOf(quiet.summary)).toBe(0);
  });
});

// Tonight's export renamed over last night's while the run read it: last night's was imported
// whole, again, and tonight's not at all, with exit 0 and a warning in the log alone; a cron job
// started a minute early did that every night, a day behind.
describe('a CSV replaced by another file while it was read', () => {
  let dir: string;
  beforeEach(() => (dir = temporaryFolder('qi-replaced-')));

  const lastNight = 'Nombre,Usuario\nAna Ruiz,u00998\nLuis Gil,u00999\n';
  const tonight = `${lastNight}Eva Sol,u01000\n`;

  /** Runs of `file` against one simulator; `landing` is renamed over it once the first run has read it. */
  const nights = async (landing: string, dryRun = false) => {
    const sim = await startSimulator({ port: 0, apiKeys: ['sk_test_replaced'] });
    const file = join(dir, 'export.csv');
    writeFileSync(file, lastNight);
    const warnings: string[] = [];
    const run = (onStart?: () => void) =>
      importCustomers({
        file,
        apiUrl: sim.url,
        apiKey: 'sk_test_replaced',
        dryRun,
        reportPath: join(dir, 'export.results.csv'),
        onEvent: (event) => {
          if (event.type === 'start') onStart?.();
          if (event.type === 'warning') warnings.push(event.message);
        },
      });
    try {
      const first = await run(() => {
        writeFileSync(join(dir, 'next.csv'), landing);
        renameSync(join(dir, 'next.csv'), file);
      });
      const usernamesAfterFirst = sim.store.all().map((customer) => customer.username).sort();
      const next = await run();
      return { first, next, warnings, usernamesAfterFirst, usernames: sim.store.all().map((customer) => customer.username).sort() };
    } finally {
      await sim.close();
    }
  };

  it('says so in the summary and the exit code; the next run imports the new file, nothing twice', async () => {
    const { first, next, warnings, usernamesAfterFirst, usernames } = await nights(tonight);
    expect(first.counts).toMatchObject({ created: 2 });
    expect(usernamesAfterFirst).toEqual(['u00998', 'u00999']);
    expect(first.unreadInput).toBe('replaced');
    expect(exitCodeOf(first)).toBe(1);
    expect(warnings).toContainEqual(expect.stringMatching(/export\.csv was replaced by another file while it was read .*: this run imported the file it had open, whole, and did not read the new one/));
    expect(next.counts).toMatchObject({ created: 1, exists: 2 });
    expect(next.unreadInput).toBeUndefined();
    expect(usernames).toEqual(['u00998', 'u00999', 'u01000']);
  });

  it('is not said when the file renamed over it has the same content (a sync tool placing the same export again)', async () => {
    const { first, warnings } = await nights(lastNight);
    expect(first.unreadInput).toBeUndefined();
    expect(exitCodeOf(first)).toBe(0);
    expect(warnings).toContainEqual(expect.stringMatching(/export\.csv changed while it was read \(replaced, or still being written\)/));
  });

  it('is said of new content written over it in place once its rows were read (not "grew": it was not appended to)', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, apiKeys: ['sk_test_replaced'] });
    onTestFinished(() => sim.close());
    const file = join(dir, 'export.csv');
    writeFileSync(file, lastNight);
    const warnings: string[] = [];
    let rewritten = false;
    const summary = await importCustomers({
      file,
      apiUrl: sim.url,
      apiKey: 'sk_test_replaced',
      reportPath: join(dir, 'export.results.csv'),
      onEvent: (event) => {
        // The first answer: the rows were read and looked at; tonight's export starts over the file.
        if (event.type === 'row' && !rewritten) {
          rewritten = true;
          writeFileSync(file, `Nombre,Usuario\nAarón Nuevo,u00001\n${lastNight.split('\n').slice(1).join('\n')}Eva Sol,u01000\n`);
        }
        if (event.type === 'warning') warnings.push(event.message);
      },
    });
    expect(summary.counts).toMatchObject({ created: 2 });
    expect(summary.unreadInput).toBe('replaced');
    expect(exitCodeOf(summary)).toBe(1);
    expect(warnings).toContainEqual(expect.stringMatching(/export\.csv was written again in place after its rows were read .*: this run imported the file as it was, whole, and did not read the new content/));
    expect(warnings.join('\n')).not.toContain('grew after its end was read');
  });

  it('is said by a dry run, which has no hash of the file it read to compare', async () => {
    const { first } = await nights(lastNight, true);
    expect(first.unreadInput).toBe('replaced');
    expect(exitCodeOf(first)).toBe(1);
  });
});
