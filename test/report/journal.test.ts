import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalIdentity } from '../../src/report/journal.js';
import { temporaryFolder } from '../temporary-folder.js';

const IDENTITY: JournalIdentity = { inputSha256: 'abc', mode: 'create', apiUrl: 'https://api.quentli.com/v1', keySha256: '0123456789abcdef', mappingSha256: 'def' };

function finishedJournal(lines: object[]): string {
  const path = join(temporaryFolder('journal-'), 'r.journal');
  writeFileSync(path, [{ journal: 1, ...IDENTITY }, ...lines, { complete: true }].map((line) => JSON.stringify(line)).join('\n') + '\n');
  return path;
}

describe('a finished journal of rows without a username', () => {
  it('counts the rows whose answer was lost (outcome unknown): their customers may be in Quentli', () => {
    const path = finishedJournal([
      { row: 2, attempt: true, at: 1, noUsername: true },
      { row: 3, attempt: true, at: 1, noUsername: true },
      { row: 3, status: 'created', id: 'cus_3' },
    ]);
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toEqual({ created: 1, unknown: 1, unfingerprinted: 2, sameFile: true, serverError: 0 });
  });

  it('counts a run whose every create was lost, which created nothing it knows of', () => {
    const path = finishedJournal([{ row: 2, attempt: true, at: 1, noUsername: true }]);
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toEqual({ created: 0, unknown: 1, unfingerprinted: 1, sameFile: true, serverError: 0 });
  });

  it('counts apart the rows of unknown outcome whose try was answered with a server error: a later run may send them again', () => {
    const path = finishedJournal([
      { row: 2, attempt: true, at: 1, noUsername: true },
      { row: 2, serverError: 500 },
      { row: 3, attempt: true, at: 1, noUsername: true },
    ]);
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toEqual({ created: 0, unknown: 2, unfingerprinted: 2, sameFile: true, serverError: 1 });
  });

  it('does not count a row whose tries wrote nothing (refused, never reached)', () => {
    const path = finishedJournal([
      { row: 2, attempt: true, at: 1, noUsername: true },
      { row: 2, unwritten: true },
    ]);
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toBeUndefined();
  });
});

describe('the customers a journal knows by name, email and phone (rows without a username)', () => {
  it('are those its rows created or found, and those carried over from the journal before it; a lost answer is unknown', () => {
    const path = finishedJournal([
      { contact: 'c-carried', id: 'cus_1' },
      { contact: 'c-carried-unknown', unknown: true },
      { row: 2, attempt: true, at: 1, noUsername: true, contact: 'c-created' },
      { row: 2, status: 'created', id: 'cus_2' },
      { row: 3, attempt: true, at: 1, noUsername: true, contact: 'c-lost' },
      { row: 4, status: 'exists', id: 'cus_1', contact: 'c-carried' },
      { row: 5, attempt: true, at: 1, noUsername: true, contact: 'c-refused' },
      { row: 5, unwritten: true },
    ]);
    const { contacts } = Journal.read(path, { ...IDENTITY, inputSha256: 'another file' }, false);
    expect(Object.fromEntries(contacts)).toEqual({
      'c-carried': { customerId: 'cus_1', unknown: false },
      'c-carried-unknown': { unknown: true },
      'c-created': { customerId: 'cus_2', unknown: false },
      'c-lost': { unknown: true, at: 1 }, // dated: a later run looks for it among the customers created since
    });
  });

  it('say of a lost answer whether every try was answered 5xx (not lost), also once carried over to the next journal', async () => {
    const path = finishedJournal([
      { contact: 'c-carried-5xx', unknown: true, at: 1, serverError: true },
      { row: 2, attempt: true, at: 1, noUsername: true, contact: 'c-5xx' },
      { row: 2, serverError: 500 },
      { row: 3, attempt: true, at: 1, noUsername: true, contact: 'c-lost' },
      // Answered 5xx, then sent again by a later try whose answer was lost: it may have been written.
      { row: 4, attempt: true, at: 1, noUsername: true, contact: 'c-5xx-then-lost' },
      { row: 4, serverError: 502 },
      { row: 4, attempt: true, at: 2, noUsername: true, contact: 'c-5xx-then-lost' },
      { row: 5, attempt: true, at: 3, noUsername: true, contact: 'c-carried-5xx' },
    ]);
    const { contacts, carry } = Journal.read(path, { ...IDENTITY, inputSha256: 'another file' }, false);
    expect(Object.fromEntries(contacts)).toEqual({
      'c-carried-5xx': { unknown: true, at: 1, serverError: false }, // this journal's own try of it was lost
      'c-5xx': { unknown: true, at: 1, serverError: true },
      'c-lost': { unknown: true, at: 1 },
      'c-5xx-then-lost': { unknown: true, at: 1 },
    });
    // Carried into the next journal (a fresh run under the same report name): still answered 5xx.
    const nextPath = join(temporaryFolder('journal-'), 'r.journal');
    await Journal.open(nextPath, IDENTITY, false, Journal.read(path, IDENTITY, false)).journal.close();
    expect(Journal.read(nextPath, { ...IDENTITY, inputSha256: 'another file' }, false).contacts.get('c-5xx')).toEqual({ unknown: true, at: 1, serverError: true });
  });

  it('are another organization\'s, or nobody\'s after --restart, for a run to another API, with another key or with --restart', () => {
    const path = finishedJournal([
      { row: 2, attempt: true, at: 1, noUsername: true, contact: 'c-created' },
      { row: 2, status: 'created', id: 'cus_2' },
    ]);
    expect(Journal.read(path, { ...IDENTITY, apiUrl: 'http://127.0.0.1:4010/v1' }, false).contacts.size).toBe(0);
    expect(Journal.read(path, { ...IDENTITY, keySha256: 'fedcba9876543210' }, false).contacts.size).toBe(0);
    expect(Journal.read(path, IDENTITY, true).contacts.size).toBe(0);
    expect(Journal.read(path, { ...IDENTITY, sheet: 'Otra hoja', inputSha256: 'x' }, false).contacts.size).toBe(1);
  });
});

describe('the customers a journal confirmed', () => {
  it('are its rows confirmed in the same organization, whatever the file, sheet or mode, and none after --restart', () => {
    const path = finishedJournal([
      { row: 2, attempt: true, at: 1 },
      { row: 2, status: 'created', id: 'cus_2' },
      { row: 3, attempt: true, at: 1 }, // its answer lost: not confirmed
      { row: 4, status: 'unchanged', id: 'cus_4' },
    ]);
    const ids = (identity: JournalIdentity, restart = false) => ['cus_2', 'cus_3', 'cus_4'].filter((id) => Journal.read(path, identity, restart).confirmedIds.has(id));
    expect(ids(IDENTITY)).toEqual(['cus_2', 'cus_4']);
    expect(ids({ ...IDENTITY, inputSha256: 'tonight', sheet: 'Otra hoja', mode: 'upsert' })).toEqual(['cus_2', 'cus_4']);
    expect(ids({ ...IDENTITY, apiUrl: 'http://127.0.0.1:4010/v1' })).toEqual([]);
    expect(ids({ ...IDENTITY, keySha256: 'fedcba9876543210' })).toEqual([]);
    expect(ids(IDENTITY, true)).toEqual([]);
  });

  it('are carried over to the next journal with those it carried, each organization\'s kept: a run resuming it knows them all', async () => {
    const sandbox = { ...IDENTITY, apiUrl: 'https://api.demo.quentli.com/v1' };
    const path = finishedJournal([
      { scope: `${sandbox.apiUrl}\u0000${sandbox.keySha256}`, ids: ['cus_sandbox'] },
      { scope: `${IDENTITY.apiUrl}\u0000${IDENTITY.keySha256}`, ids: ['cus_1', 'cus_2'] },
      { row: 2, status: 'exists', id: 'cus_2' },
      { row: 3, status: 'created', id: 'cus_3' },
    ]);
    // The next run, stopped part-way before it confirmed any row: its journal is what a resume reads.
    const nextPath = join(temporaryFolder('journal-'), 'r.journal');
    const tonight = { ...IDENTITY, inputSha256: 'tonight' };
    await Journal.open(nextPath, tonight, false, Journal.read(path, tonight, false)).journal.close();
    const resumed = Journal.read(nextPath, tonight, false);
    expect(resumed.resume).toBe(true);
    expect(['cus_1', 'cus_2', 'cus_3', 'cus_sandbox'].filter((id) => resumed.confirmedIds.has(id))).toEqual(['cus_1', 'cus_2', 'cus_3']);
    expect(Journal.read(nextPath, { ...sandbox, inputSha256: 'tonight' }, false).confirmedIds.has('cus_sandbox')).toBe(true);
    expect(resumed.carryIds.get(`${IDENTITY.apiUrl}\u0000${IDENTITY.keySha256}`)).toEqual(['cus_1', 'cus_2', 'cus_3']);
  });
});

describe('the customers a journal matched by username', () => {
  it('are its rows sent with a username, confirmed or unanswered, of the same sheet and organization, whatever the mode', () => {
    const path = finishedJournal([
      { contact: 'c-carried', id: 'cus_1' },
      { row: 2, attempt: true, at: 1 },
      { row: 2, status: 'created', id: 'cus_2' },
      { row: 3, attempt: true, at: 1 }, // its answer lost: the customer may be there
      { row: 4, status: 'unchanged', id: 'cus_4' },
      { row: 5, attempt: true, at: 1, noUsername: true, contact: 'c-created' },
      { row: 5, status: 'created', id: 'cus_5' },
      { row: 6, status: 'exists', id: 'cus_1', contact: 'c-carried' }, // created without a username by a run before
      { row: 7, attempt: true, at: 1 },
      { row: 7, unwritten: true }, // refused: nothing was written
    ]);
    expect(Journal.read(path, { ...IDENTITY, inputSha256: 'tonight' }, false).sentWithUsername).toBe(3);
    expect(Journal.read(path, { ...IDENTITY, inputSha256: 'tonight', mode: 'upsert' }, false).sentWithUsername).toBe(3);
    expect(Journal.read(path, { ...IDENTITY, sheet: 'Otra hoja' }, false).sentWithUsername).toBe(0);
    expect(Journal.read(path, { ...IDENTITY, apiUrl: 'http://127.0.0.1:4010/v1' }, false).sentWithUsername).toBe(0);
    expect(Journal.read(path, { ...IDENTITY, keySha256: 'fedcba9876543210' }, false).sentWithUsername).toBe(0);
    expect(Journal.read(path, IDENTITY, true).sentWithUsername).toBe(0);
  });
});

describe('a journal of 94c0c1d, whose identity holds the API URL with its credentials', () => {
  it('is resumed by the same command, its URL masked as this version shows it', () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const now = { ...IDENTITY, apiUrl: 'http://***@127.0.0.1:4010/v1' };
    const lines = [{ journal: 1, ...now, apiUrl: 'http://u:p@ss@127.0.0.1:4010/v1' }, { row: 2, attempt: true, at: 1, noUsername: true }, { row: 2, status: 'created', id: 'cus_2' }];
    writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const earlier = Journal.read(path, now, false);
    // Discarded as sent elsewhere, nothing refused the fresh run, which created row 2 a second time.
    expect(earlier.resume).toBe(true);
    expect(earlier.previous.get(2)?.status).toBe('created');
  });
});

describe('a journal written before 7fe011b, whose identity holds the API URL as it was given (https://API.quentli.com:443/v1)', () => {
  const given = 'https://API.Quentli.com:443/v1';
  const write = (lines: object[]) => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    writeFileSync(path, [{ journal: 1, ...IDENTITY, apiUrl: given }, ...lines].map((line) => JSON.stringify(line)).join('\n') + '\n');
    return path;
  };

  it('is this API\'s, as this version spells it: its customers created without a username are known, not created a second time', () => {
    // Its own rows' and those it carried, whose scope spells the URL as given too.
    const path = write([
      { contact: 'c-carried', id: 'cus_1', scope: `${given}\u0000${IDENTITY.keySha256}` },
      { row: 2, attempt: true, at: 1, noUsername: true, contact: 'c-created' },
      { row: 2, status: 'created', id: 'cus_2' },
      { complete: true },
    ]);
    const earlier = Journal.read(path, IDENTITY, false);
    expect(earlier.finishedWithoutUsername).toEqual({ created: 1, unknown: 0, unfingerprinted: 0, sameFile: true, serverError: 0 });
    expect(Object.fromEntries(earlier.contacts)).toEqual({ 'c-carried': { customerId: 'cus_1', unknown: false }, 'c-created': { customerId: 'cus_2', unknown: false } });
  });

  it('is resumed by the same command', () => {
    const earlier = Journal.read(write([{ row: 2, attempt: true, at: 1, noUsername: true }]), IDENTITY, false);
    expect(earlier.discarded).toBeUndefined();
    expect(earlier.resume).toBe(true);
  });
});

describe('a journal line with a status this version does not write (edited by hand, or damaged)', () => {
  it('is read as unreadable: the row is not taken as confirmed, and the word never reaches a report', () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const lines = [{ journal: 1, ...IDENTITY }, { row: 2, status: 'created', id: 'cus_2' }, { row: 3, status: 'weird', id: 'cus_3' }, { row: 4, status: 7 }];
    writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const earlier = Journal.read(path, IDENTITY, false);
    expect(earlier.resume).toBe(true);
    expect(earlier.previous.get(2)?.status).toBe('created');
    expect(earlier.previous.get(3)?.status).toBeUndefined();
    expect(earlier.previous.get(4)?.status).toBeUndefined();
  });
});

describe('a confirmed row\'s note', () => {
  it('is read back with its status, for a resumed run\'s report; a row confirmed again without one has none', () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    writeFileSync(
      path,
      [
        { journal: 1, ...IDENTITY },
        { row: 2, status: 'exists', id: 'cus_2', note: 'Quentli holds another email for this username' },
        { row: 3, status: 'created', id: 'cus_3' },
        { row: 4, status: 'exists', id: 'cus_4', note: 'an old note' },
        { row: 4, status: 'exists', id: 'cus_4' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n',
    );
    const { previous } = Journal.read(path, IDENTITY, false);
    expect(previous.get(2)).toMatchObject({ status: 'exists', customerId: 'cus_2', note: 'Quentli holds another email for this username' });
    expect(previous.get(3)!.note).toBeUndefined();
    expect(previous.get(4)!.note).toBeUndefined();
  });

  it('is read back for each row when many rows share it, and kept apart from another one (notes are held once each)', () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const shared = 'Quentli holds another phoneNumber for this username';
    const lines = [{ journal: 1, ...IDENTITY }, ...Array.from({ length: 50 }, (_, i) => ({ row: i + 2, status: 'exists', id: `cus_${i}`, note: i === 7 ? 'changed: email' : shared }))];
    writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const { previous } = Journal.read(path, IDENTITY, false);
    expect(previous.size).toBe(50);
    for (let row = 2; row < 52; row++) expect(previous.get(row)!.note).toBe(row === 9 ? 'changed: email' : shared);
  });
});

