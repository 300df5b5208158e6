import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError, InputFileError } from '../../src/errors/index.js';
import { checkEarlierRun, journalIdentityOf, type EarlierRunContext } from '../../src/pipeline/earlier-run.js';
import type { ImportEvent } from '../../src/pipeline/options.js';
import { IdDigests } from '../../src/report/id-digests.js';
import type { EarlierRun } from '../../src/report/journal.js';
import { temporaryFolder } from '../temporary-folder.js';

const fresh = (): EarlierRun => ({ previous: new Map(), resume: false, sentWithoutUsername: [], endsCut: false, contacts: new Map(), carry: [], sentWithUsername: 0, confirmedIds: IdDigests.of([]), carryIds: new Map() });

function context(overrides: Partial<EarlierRunContext> = {}): EarlierRunContext & { events: ImportEvent[] } {
  const events: ImportEvent[] = [];
  return { journalPath: 'alumnos.journal', mode: 'create', hasUsernameColumn: true, emit: (event) => events.push(event), events, ...overrides };
}

describe('checkEarlierRun', () => {
  it('says nothing when no earlier run sent anything', () => {
    const said = context();
    checkEarlierRun(fresh(), said);
    expect(said.events).toEqual([]);
  });

  it('refuses a fresh run over an unfinished one that sent rows without a username, naming them', () => {
    const earlier = { ...fresh(), discarded: 'the input file changed since the unfinished run that wrote this journal', differs: 'inputSha256' as const, sentWithoutUsername: [4, 9] };
    const check = () => checkEarlierRun(earlier, context());
    expect(check).toThrow(ImportError);
    expect(check).toThrow(
      'alumnos.journal: the input file changed since the unfinished run that wrote this journal, and that run sent 2 rows without a username to this API, which a fresh run would create again (rows 4, 9 of the file that run read). Finish that run with the file that run read (the same command then resumes it), or add --restart to import every row anyway',
    );
  });

  it('refuses a create run without a username column after a run that matched customers by username', () => {
    const earlier = { ...fresh(), sentWithUsername: 1 };
    expect(() => checkEarlierRun(earlier, context({ hasUsernameColumn: false }))).toThrow(/^alumnos\.journal: the import that wrote this journal sent 1 row with a username to this API, and this file has no username column: each of that customer /);
    // Upsert mode cannot run without the column; a create run with it matches them.
    expect(() => checkEarlierRun(earlier, context({ hasUsernameColumn: true }))).not.toThrow();
  });

  it('refuses the same bytes again when the journal does not know every customer created without a username', () => {
    const earlier = { ...fresh(), finishedSameFile: true, finishedWithoutUsername: { created: 3, unknown: 0, unfingerprinted: 1, sameFile: true, serverError: 0 } };
    expect(() => checkEarlierRun(earlier, context())).toThrow(/this file was imported to this API to the end, and 3 customers were created without a username, which Quentli cannot match: importing it again/);
  });

  it('warns, and does not refuse, another file under the same report name', () => {
    const said = context();
    const earlier = { ...fresh(), finishedSameFile: false, finishedWithoutUsername: { created: 1, unknown: 2, unfingerprinted: 0, sameFile: false, serverError: 0 } };
    checkEarlierRun(earlier, said);
    expect(said.events).toEqual([
      {
        type: 'warning',
        message:
          'alumnos.journal: an earlier file under this report name was imported to this API to the end, and 1 customer was created without a username and 2 rows without a username may have created their customers (outcome unknown), which Quentli cannot match: a row of this file with the same name, email and phone as one of them is not sent again (`exists`), but one changed since (a corrected name, email or phone) is created a second time',
      },
    ]);
  });

  it('warns of the customers earlier runs created without a username when the last one created none', () => {
    const said = context({ hasUsernameColumn: false });
    const earlier = { ...fresh(), finishedSameFile: false, contacts: new Map([['f1', { customerId: 'cus_1' }], ['f2', { unknown: true }]]) } as EarlierRun;
    checkEarlierRun(earlier, said);
    expect(said.events).toHaveLength(1);
    expect((said.events[0] as { message: string }).message).toMatch(/^alumnos\.journal: earlier imports under this report name to this API created 1 customer without a username and sent 1 row without a username whose outcome is unknown, which Quentli cannot match: /);
  });
});

describe('journalIdentityOf', () => {
  const dir = temporaryFolder('earlier-run-');
  const file = join(dir, 'alumnos.csv');
  writeFileSync(file, 'Nombre,Usuario\nAna,a1\n');
  const source = {
    file,
    inputAtStart: undefined,
    settings: { mode: 'create' as const, shownApiUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk_test_x', defaultCountry: 'MX' as const },
    sheet: undefined,
    headerRow: 1,
    mapping: { columns: [], labelled: undefined },
  };

  it('fingerprints the input, the key and the mapping, in the journal’s order, with no sheet for a CSV', async () => {
    const identity = await journalIdentityOf(source);
    expect(Object.keys(identity)).toEqual(['inputSha256', 'mode', 'apiUrl', 'keySha256', 'mappingSha256']);
    expect(identity.keySha256).toHaveLength(16);
    expect(JSON.stringify(identity)).not.toContain('sk_test_x');
    expect(Object.keys(await journalIdentityOf({ ...source, sheet: 'Alumnos' }))).toEqual(['inputSha256', 'mode', 'sheet', 'apiUrl', 'keySha256', 'mappingSha256']);
  });

  it('says an input removed since the run started as an InputFileError, not a bare ENOENT', async () => {
    const gone = join(dir, 'borrado.csv');
    const error = await journalIdentityOf({ ...source, file: gone }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).code).toBe('input_file');
    expect((error as InputFileError).message).toBe(
      `${gone}: does not exist (it was read when the run started, then removed, moved or locked): nothing was sent; run the same command again once the export is complete`,
    );
  });
});
