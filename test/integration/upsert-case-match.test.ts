import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { KEY, logMessages, readReport, requireBuild, run, simulator, tempDir } from './cli-harness.js';

// The school system's export writes its usernames in capitals (`AB0`) where Quentli holds them as an
// earlier tool wrote them (`ab0`): each row is that customer, with a note in the report, every night.
// Logged a line a row, those notes filled the log's twenty row lines, and the row that failed (a
// new login for a student Quentli holds) was not among them.

const MATCHED = 25;

describe('--mode upsert, usernames Quentli holds in another case', () => {
  let sim: RunningSimulator;
  let cwd: string;

  beforeAll(requireBuild);

  beforeEach(async () => {
    sim = await simulator();
    const seed = [];
    const lines = ['Usuario,Nombre,Correo'];
    for (let i = 0; i < MATCHED; i++) {
      seed.push({ name: `Alumno ${i}`, username: `ab${i}`, email: `ab${i}@example.com` });
      lines.push(`AB${i},Alumno ${i},ab${i}@example.com`);
    }
    seed.push({ name: 'Vero Paz', username: 'al0022', email: 'vero@example.com' });
    lines.push('mx0022,Vero Paz,vero@example.com'); // a new login for a student Quentli holds: failed
    sim.store.seed(seed);
    cwd = tempDir();
    writeFileSync(join(cwd, 'alumnos.csv'), `${lines.join('\n')}\n`);
  });

  afterEach(async () => {
    await sim.close();
  });

  it('notes each row in the report and counts them in one warning, so the failures keep their log lines', async () => {
    const result = await run(['alumnos.csv', '--mode', 'upsert', '--api-url', sim.url, '--concurrency', '1'], { cwd, env: { QUENTLI_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(1);
    const report = readReport(join(cwd, 'alumnos.results.csv'));
    expect(report.slice(0, MATCHED).map((line) => line.status)).toEqual(Array(MATCHED).fill('unchanged'));
    expect(report[0]!.error).toBe('matched "ab0" in Quentli (usernames are compared without case, as in the file): check that this row is that customer');
    expect(report[MATCHED]!.status).toBe('failed');
    expect(sim.stats.writes).toBe(0);

    const messages = logMessages(result.stderr);
    expect(messages.filter((message) => message.includes('in another case') || message.includes('without case'))).toEqual([
      `${MATCHED} rows (rows 2, 3, 4, 5, 6 and ${MATCHED - 5} more) match usernames Quentli writes otherwise (in another case, or with its accents decomposed): each is that customer, and its username in Quentli is left as it is; check that these rows are those customers (see the note in the report)`,
    ]);
    expect(messages.some((message) => message.startsWith(`row ${MATCHED + 2}: no customer has the username "mx0022"`))).toBe(true);
  });
});
