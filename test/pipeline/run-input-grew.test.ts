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

  it('is not said of a file that did not change, nor of one replaced by another after it was opened (the one read was whole)', async () => {
    const quiet = await importWhile('lista.csv');
    expect(quiet.summary.unreadInput).toBeUndefined();
    expect(exitCodeOf(quiet.summary)).toBe(0);

    const replaced = await importWhile('replaced.csv', (file) => {
      writeFileSync(join(dir, 'next.csv'), `${header}Eva Sol,u01000\n`);
      renameSync(join(dir, 'next.csv'), file);
    });
    expect(replaced.summary.unreadInput).toBeUndefined();
    expect(exitCodeOf(replaced.summary)).toBe(0);
    expect(replaced.warnings).toContainEqual(expect.stringMatching(/replaced\.csv changed while it was read \(replaced, or still being written\)/));
  });
});
