import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/report/journal.js';

const IDENTITY = { inputSha256: 'abc', mode: 'create' };

describe('journal file mode', () => {
  it('is created 0600', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'r.journal');
    await Journal.open(path, IDENTITY, false).journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([false, true])('narrows an existing journal to 0600 (resumed: %s)', async (resumed) => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'r.journal');
    writeFileSync(path, resumed ? `${JSON.stringify({ journal: 1, ...IDENTITY })}\n` : 'stale\n');
    chmodSync(path, 0o644);
    const opened = Journal.open(path, IDENTITY, false);
    await opened.journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('journal syncing', () => {
  it('keeps every line appended while a sync runs in the background, and closes after it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'r.journal');
    const { journal } = Journal.open(path, IDENTITY, false);
    const startedAt = Date.now();
    let row = 1;
    // Appends over more than one sync period, yielding so the background sync can start and finish.
    while (Date.now() - startedAt < 450) {
      journal.attempted(++row);
      journal.confirmed(row, 'created', `cus_${row}`);
      if (row % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    journal.attempted(++row); // this one stays unconfirmed
    await journal.close();
    const { previous, journal: reopened } = Journal.open(path, IDENTITY, false);
    await reopened.close();
    expect(previous.size).toBe(row - 1);
    expect(previous.get(2)).toMatchObject({ status: 'created', customerId: 'cus_2' });
    expect(previous.get(row)?.status).toBeUndefined();
  });
});
