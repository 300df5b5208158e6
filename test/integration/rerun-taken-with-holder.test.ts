import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { finished, fixture, KEY, readReport, requireBuild, run, simulator, spawnCli, tempDir } from './cli-harness.js';

// An API that answers a create of a taken username 200 with the customer holding it (the document
// gives no status for a taken username), and the same file imported again minutes later: the
// customers' createdAt is minutes old, not long before the run, so only the journal tells.

describe('the same file again, against an API answering a taken username 200 with its holder', () => {
  let sim: RunningSimulator;
  let cwd: string;

  beforeAll(requireBuild);

  beforeEach(async () => {
    sim = await simulator({ answerTakenWithHolder: true });
    cwd = tempDir();
  });

  afterEach(async () => {
    await sim.close();
  });

  const importDemo = () => run([fixture('roster-demo.csv'), '--api-url', sim.url, '--report', 'alumnos.csv'], { cwd, env: { QUENTLI_API_KEY: KEY } });

  it('reports every row the first run confirmed exists, none created, and writes nothing', async () => {
    const first = await importDemo();
    expect(first.code, first.stderr).toBe(1); // the demo roster's refused rows
    const created = readReport(join(cwd, 'alumnos.csv')).filter((line) => line.status === 'created');
    expect(created).toHaveLength(52);
    const writes = sim.stats.writes;

    const second = await importDemo();
    expect(second.code, second.stderr).toBe(1);
    const report = readReport(join(cwd, 'alumnos.csv'));
    expect(report.filter((line) => line.status === 'created')).toEqual([]);
    expect(report.filter((line) => line.status === 'exists').map((line) => [line.row, line.customerId])).toEqual(created.map((line) => [line.row, line.customerId]));
    expect(sim.stats.writes).toBe(writes);
  });

  it('reports them exists when that second run is interrupted and a third resumes it: the ids the first confirmed are carried over', async () => {
    const first = await importDemo();
    expect(first.code, first.stderr).toBe(1);
    const created = readReport(join(cwd, 'alumnos.csv')).filter((line) => line.status === 'created');
    expect(created).toHaveLength(52);

    // The second run, one row at a time and slowly, stopped by Ctrl-C after a few rows.
    sim.setFaults({ latencyMs: 30 });
    sim.resetStats();
    const args = [fixture('roster-demo.csv'), '--api-url', sim.url, '--report', 'alumnos.csv', '--concurrency', '1'];
    const child = spawnCli(args, { cwd, env: { QUENTLI_API_KEY: KEY } });
    const done = finished(child, cwd);
    while (sim.stats.byRoute['POST /customers'] < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    const second = await done;
    expect(second.code, second.stderr).toBe(130);
    const stopped = readReport(join(cwd, 'alumnos.csv'));
    expect(stopped.filter((line) => line.status === 'not_attempted').length).toBeGreaterThan(20);
    expect(stopped.filter((line) => line.status === 'created')).toEqual([]);
    expect(sim.stats.writes).toBe(0);

    sim.setFaults({ latencyMs: 0 });
    const third = await importDemo();
    expect(third.code, third.stderr).toBe(1);
    const report = readReport(join(cwd, 'alumnos.csv'));
    expect(report.filter((line) => line.status === 'created')).toEqual([]);
    expect(report.filter((line) => line.status === 'exists').map((line) => [line.row, line.customerId])).toEqual(created.map((line) => [line.row, line.customerId]));
    expect(sim.stats.writes).toBe(0); // since the second run started
  });
});
