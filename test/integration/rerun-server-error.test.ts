import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent, RunningSimulator, StartSimulatorOptions } from '../../src/simulator/index.js';
import { KEY, readReport, requireBuild, run, simulator, students, tempDir, writeRoster } from './cli-harness.js';

// A nightly roster without usernames whose create of one row was answered 500: that run cannot
// tell whether it was written, and fails the row. The next run of the same file under the same
// report name reads in its journal that the try was answered (not lost), looks for the customer by
// the row's name, email and phone, and sends it again only when none of the three finds one.

describe('a row without a username whose create an earlier run saw answered 5xx', () => {
  let sim: RunningSimulator;
  let cwd: string;

  beforeAll(requireBuild);

  afterEach(async () => {
    await sim.close();
  });

  /** A simulator whose second create is answered 5xx (`fault`); every other request is answered as usual. */
  async function secondCreateFails(fault: 'errorRate' | 'errorAfterCreateRate', afterFault: () => void = () => {}, options: StartSimulatorOptions = {}): Promise<void> {
    let posts = 0;
    let armed = true;
    const onRequest = (event: RequestEvent) => {
      if (!armed || event.method !== 'POST') return;
      posts++;
      // One request at a time (--concurrency 1): the next request to arrive is the second create.
      if (posts === 1) sim.setFaults({ [fault]: 1 });
      if (posts === 2) {
        sim.setFaults({ [fault]: 0 });
        armed = false;
        afterFault();
      }
    };
    sim = await simulator({ ...options, onRequest });
    cwd = tempDir();
  }

  const importRoster = () =>
    run([join(cwd, 'familias.csv'), '--api-url', sim.url, '--report', 'familias.results.csv', '--concurrency', '1'], { cwd, env: { QUENTLI_API_KEY: KEY } });

  it('is sent again by the next run when Quentli holds no customer with its name, email or phone: created once, exit 0', async () => {
    await secondCreateFails('errorRate');
    writeRoster(cwd, 'familias.csv', students(3), { withUsername: false });

    const first = await importRoster();
    expect(first.code, first.stderr).toBe(1);
    const failed = readReport(join(cwd, 'familias.results.csv')).find((line) => line.status === 'failed')!;
    expect(failed.row).toBe('3');
    expect(failed.error).toContain('so it was likely not created');
    expect(failed.error).toContain('but without a username that is not certain: the next run under this report name sends it again if Quentli then holds no customer created since with its name, its email or its phone');
    // Not told to import it elsewhere as well: that and the next run would create it twice.
    expect(failed.error).not.toContain('another --report');
    expect(sim.store.size).toBe(2);

    const second = await importRoster();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(
      'not created again, except that the row whose try was answered with a server error is sent again when Quentli holds no customer created since with its name, its email or its phone',
    );
    const report = readReport(join(cwd, 'familias.results.csv'));
    expect(report.map((line) => [line.row, line.status])).toEqual([
      ['2', 'exists'],
      ['3', 'created'],
      ['4', 'exists'],
    ]);
    expect(sim.store.size).toBe(3);
    expect(new Set(sim.store.all().map((customer) => customer.name)).size).toBe(3);

    // And the night after: found, nothing written.
    const writes = sim.stats.writes;
    const third = await importRoster();
    expect(third.code, third.stderr).toBe(0);
    expect(readReport(join(cwd, 'familias.results.csv')).every((line) => line.status === 'exists')).toBe(true);
    expect(sim.stats.writes).toBe(writes);
  });

  it('is not sent again by a run that has had no 201 yet, against an API that ignores the filter and sends no Date header, ten minutes behind', async () => {
    // The first create is written and answered 5xx: no 201 has set the API's clock, in that run or
    // the next, and its look-ups are answered by the customers created since, newest first.
    let posts = 0;
    sim = await simulator({
      ignoreFilter: true,
      customers: [{ name: 'Otra Familia', email: 'otra.familia@example.com' }],
      withoutDateHeader: true,
      clockOffsetMs: -600_000,
      onRequest: (event) => {
        if (event.method === 'POST' && ++posts === 1) sim.setFaults({ errorAfterCreateRate: 0 });
      },
    });
    sim.setFaults({ errorAfterCreateRate: 1 });
    cwd = tempDir();
    writeRoster(cwd, 'familias.csv', students(2), { withUsername: false });

    const first = await importRoster();
    expect(first.code, first.stderr).toBe(0);
    expect(readReport(join(cwd, 'familias.results.csv')).map((line) => [line.row, line.status])).toEqual([
      ['2', 'created'],
      ['3', 'created'],
    ]);

    const second = await importRoster();
    expect(second.code, second.stderr).toBe(0);
    expect(readReport(join(cwd, 'familias.results.csv')).map((line) => line.status)).toEqual(['exists', 'exists']);
    expect(sim.store.size).toBe(3);
    expect(new Set(sim.store.all().map((customer) => customer.name)).size).toBe(3);
  });

  it.each([
    ['', {}],
    [', against a server ten minutes behind without a Date header (nothing tells its clock before the look-up)', { clockOffsetMs: -600_000, withoutDateHeader: true }],
  ])('is not sent again when a customer created since holds its email under another name (its own, renamed): failed, saying what to do%s', async (_, options) => {
    // The create was written and then answered 5xx, and the customer renamed in Quentli before anyone looked.
    const rename = () => {
      const written = sim.store.all().at(-1)!;
      sim.store.update(written.id, { name: 'Renombrada Por La Oficina' });
    };
    await secondCreateFails('errorAfterCreateRate', rename, options);
    writeRoster(cwd, 'familias.csv', students(3), { withUsername: false });

    const first = await importRoster();
    expect(first.code, first.stderr).toBe(1);
    expect(sim.store.size).toBe(3);
    const renamed = sim.store.all().find((customer) => customer.name === 'Renombrada Por La Oficina')!;

    const creates = sim.stats.creates;
    const second = await importRoster();
    expect(second.code, second.stderr).toBe(1);
    const failed = readReport(join(cwd, 'familias.results.csv')).filter((line) => line.status === 'failed');
    expect(failed.map((line) => line.row)).toEqual(['3']);
    expect(failed[0]!.error).toContain(`but one created since holds its name, its email or its phone (${renamed.id}) and may be it, changed in Quentli since`);
    expect(failed[0]!.error).toContain('if not, import this row in a file of its own under another --report');
    expect(sim.stats.creates).toBe(creates);
    expect(sim.store.size).toBe(3);
  });
});
