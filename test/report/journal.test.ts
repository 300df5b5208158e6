import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalIdentity } from '../../src/report/journal.js';

const IDENTITY: JournalIdentity = { inputSha256: 'abc', mode: 'create', apiUrl: 'https://api.quentli.com/v1', keySha256: '0123456789abcdef', mappingSha256: 'def' };

function finishedJournal(lines: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'r.journal');
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
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toEqual({ created: 1, unknown: 1, sameFile: true });
  });

  it('counts a run whose every create was lost, which created nothing it knows of', () => {
    const path = finishedJournal([{ row: 2, attempt: true, at: 1, noUsername: true }]);
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toEqual({ created: 0, unknown: 1, sameFile: true });
  });

  it('does not count a row whose tries wrote nothing (refused, never reached)', () => {
    const path = finishedJournal([
      { row: 2, attempt: true, at: 1, noUsername: true },
      { row: 2, unwritten: true },
    ]);
    expect(Journal.read(path, IDENTITY, false).finishedWithoutUsername).toBeUndefined();
  });
});
