import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalIdentity } from '../../src/report/journal.js';
import { temporaryFolder } from '../temporary-folder.js';

const IDENTITY: JournalIdentity = { inputSha256: 'abc', mode: 'create', apiUrl: 'https://api.quentli.com/v1', keySha256: '0123456789abcdef', mappingSha256: 'def' };

describe('journal file mode', () => {
  it('is created 0600', async () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    await Journal.open(path, IDENTITY, false).journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([false, true])('narrows an existing journal to 0600 (resumed: %s)', async (resumed) => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    writeFileSync(path, resumed ? `${JSON.stringify({ journal: 1, ...IDENTITY })}\n` : 'stale\n');
    chmodSync(path, 0o644);
    const opened = Journal.open(path, IDENTITY, false);
    await opened.journal.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('journal syncing', () => {
  it('keeps every line appended while a sync runs in the background, and closes after it', async () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
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

describe('journal identity', () => {
  /** An unfinished journal of `was` with one confirmed row, opened by the run `now`. */
  async function reopen(was: JournalIdentity, now: JournalIdentity) {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const first = Journal.open(path, was, false).journal;
    first.confirmed(2, 'created', 'cus_2');
    await first.close();
    const opened = Journal.open(path, now, false);
    await opened.journal.close();
    return opened;
  }

  it('resumes the same run: same input, sheet, mode, API, key and mapping', async () => {
    const opened = await reopen({ ...IDENTITY, sheet: '3° A' }, { ...IDENTITY, sheet: '3° A' });
    expect(opened.previous.get(2)).toMatchObject({ status: 'created', customerId: 'cus_2' });
    expect(opened.discarded).toBeUndefined();
  });

  it.each([
    ['another input', { inputSha256: 'xyz' }, /the input file changed/],
    ['another sheet of the workbook', { sheet: '3° B' }, /read sheet "3° A", this one reads sheet "3° B"/],
    ['another mode', { mode: 'upsert' }, /was in create mode, this one is in upsert mode/],
    ['another API', { apiUrl: 'https://api.demo.quentli.com/v1' }, /sent to https:\/\/api\.quentli\.com\/v1, this one sends to https:\/\/api\.demo\.quentli\.com\/v1/],
    ['another key', { keySha256: 'fedcba9876543210' }, /used another API key/],
    ['another mapping', { mappingSha256: 'ghi' }, /mapped the columns differently/],
  ])('starts afresh for %s, saying why: nothing of the other run passes for done', async (_what, change, reason) => {
    const opened = await reopen({ ...IDENTITY, sheet: '3° A' }, { ...IDENTITY, sheet: '3° A', ...change });
    expect(opened.previous.size).toBe(0);
    expect(opened.discarded).toMatch(reason);
    expect(opened.discarded).toMatch(/starting a fresh run$/);
  });
});

describe('journal attempts', () => {
  it('dates the first try of a row that was never confirmed, and forgets the date once it is', async () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const { journal } = Journal.open(path, IDENTITY, false);
    const before = Date.now();
    journal.attempted(2);
    journal.attempted(3);
    await journal.close();
    const { previous, journal: resumed } = Journal.open(path, IDENTITY, false);
    const firstTry = previous.get(2)!.attemptedAt!;
    expect(firstTry).toBeGreaterThanOrEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 5));
    resumed.attempted(2); // tried again by the resumed run: the first try still dates it
    resumed.confirmed(3, 'created', 'cus_3');
    await resumed.close();
    const { previous: again, journal: last } = Journal.open(path, IDENTITY, false);
    expect(again.get(2)).toEqual({ attempted: true, attemptedAt: firstTry, updateOnly: false });
    expect(again.get(3)).toEqual({ attempted: false, status: 'created', customerId: 'cus_3' });
    await last.close();
  });

  it('says of a row whose every try was an update (a PATCH) that none can have created its customer', async () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const { journal } = Journal.open(path, IDENTITY, false);
    journal.attempted(2, { update: true });
    journal.attempted(2, { update: true });
    journal.attempted(3, { update: true });
    journal.attempted(3);
    journal.attempted(4, { withoutUsername: true });
    await journal.close();
    const { previous, journal: resumed } = Journal.open(path, IDENTITY, false);
    expect(previous.get(2)).toMatchObject({ attempted: true, updateOnly: true });
    expect(previous.get(3)).toMatchObject({ attempted: true, updateOnly: false });
    expect(previous.get(4)).toMatchObject({ attempted: true, updateOnly: false, withoutUsername: true });
    await resumed.close();
  });
});

describe('journal lines cut short', () => {
  it('starts the first record of a resumed run on a line of its own after a line a full disk or a crash cut', async () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    writeFileSync(path, [JSON.stringify({ journal: 1, ...IDENTITY }), JSON.stringify({ row: 2, status: 'created', id: 'cus_2' }), '{"row":3,"at'].join('\n'));
    const opened = Journal.open(path, IDENTITY, false);
    expect([...opened.previous.keys()]).toEqual([2]); // the cut line is no record
    opened.journal.attempted(4);
    opened.journal.confirmed(4, 'created', 'cus_4');
    await opened.journal.close();
    const again = Journal.open(path, IDENTITY, false);
    await again.journal.close();
    expect(again.previous.get(4)).toEqual({ status: 'created', customerId: 'cus_4', attempted: false });
    expect(readFileSync(path, 'utf8').split('\n')).toContain('{"row":3,"at');
  });

  it('is an output error, which stops the run, when a line cannot be written (a full disk)', () => {
    expect(() => Journal.open('/dev/full', IDENTITY, true)).toThrow(expect.objectContaining({ code: 'output', message: expect.stringMatching(/^cannot write \/dev\/full \(ENOSPC\)/) }));
  });

  it('reads what an unfinished journal of the same run holds, without touching it', () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const text = [JSON.stringify({ journal: 1, ...IDENTITY }), JSON.stringify({ row: 2, status: 'created', id: 'cus_2' }), ''].join('\n');
    writeFileSync(path, text);
    expect(Journal.read(path, IDENTITY, false).previous.get(2)).toEqual({ status: 'created', customerId: 'cus_2', attempted: false });
    expect(Journal.read(path, { ...IDENTITY, apiUrl: 'https://api.demo.quentli.com/v1' }, false).previous.size).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
