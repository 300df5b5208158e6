import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { temporaryFolder } from '../temporary-folder.js';

// An export still being written when the nightly run read it: its last line, cut, had been created
// as a customer (`u01` for `u01000`), and the whole line again the next night.
describe("a CSV's last line, unended, in a file that changed while it was read", () => {
  let dir: string;
  beforeEach(() => (dir = temporaryFolder('qi-unended-')));

  const reportRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').slice(0, 2).join(','));

  it('is not sent, and says why; the rows before it are', async ({ onTestFinished }) => {
    const sim = await startSimulator({ port: 0, apiKeys: ['sk_test_unended'] });
    onTestFinished(() => sim.close());
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Nombre,Usuario\nAna Ruiz,u00998\nLuis Gil,u00999\nAlumno Número 1000,u01');
    const events: string[] = [];
    const summary = await importCustomers({
      file,
      apiUrl: sim.url,
      apiKey: 'sk_test_unended',
      reportPath: join(dir, 'export.results.csv'),
      // The exporter writes the rest of the line once the run has the file open.
      onEvent: (event) => {
        if (event.type === 'start') appendFileSync(file, '000\n');
        if (event.type === 'row' && event.entry.error) events.push(event.entry.error);
      },
    });
    expect(summary.counts).toMatchObject({ created: 2, not_attempted: 1 });
    expect(sim.store.all().map((customer) => customer.username).sort()).toEqual(['u00998', 'u00999']);
    expect(reportRows(join(dir, 'export.results.csv'))).toEqual(['2,created', '3,created', '4,not_attempted']);
    expect(events).toEqual([expect.stringMatching(/^this is the file's last line, with no line break after it, and the file changed while it was read .*: the line may be cut short, so it was not sent/)]);
  });

  /** A dry run of `text` saved as `name`, with `meanwhile` done to the file once the run has it open. */
  const dryRunWhile = (name: string, text: string, meanwhile?: (file: string) => void) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return importCustomers({
      file,
      dryRun: true,
      reportPath: join(dir, `${name}.results.csv`),
      onEvent: (event) => {
        if (event.type === 'start') meanwhile?.(file);
      },
    });
  };

  it('is read like any other in a file that did not change (many exports end without a line break), and so is an ended one in one that did', async () => {
    const quiet = await dryRunWhile('lista.csv', 'Nombre,Usuario\nAna Ruiz,u00998\nLuis Gil,u00999');
    expect(quiet.counts).toMatchObject({ valid: 2, not_attempted: 0 });

    const grown = await dryRunWhile('ended.csv', 'Nombre,Usuario\nAna Ruiz,u00998\nLuis Gil,u00999\n', (file) => appendFileSync(file, 'Alumno Número 1000,u01'));
    expect(grown.counts).toMatchObject({ valid: 2, not_attempted: 0 });

    // Replaced by the next export renamed over it: the file read, still open, was whole.
    const renamed = await dryRunWhile('replaced.csv', 'Nombre,Usuario\nAna Ruiz,u00998\nLuis Gil,u00999', (file) => {
      writeFileSync(join(dir, 'next.csv'), 'Nombre,Usuario\nAna Ruiz,u00998\n');
      renameSync(join(dir, 'next.csv'), file);
    });
    expect(renamed.counts).toMatchObject({ valid: 2, not_attempted: 0 });
  });
});
