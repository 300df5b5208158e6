import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors/index.js';
import { FileSink, outputError } from '../../src/report/file-sink.js';
import { JsonReportWriter } from '../../src/report/formats/json-report.js';
import { Journal, type JournalIdentity } from '../../src/report/journal.js';
import { temporaryFolder } from '../temporary-folder.js';

const IDENTITY: JournalIdentity = { inputSha256: 'abc', mode: 'create', apiUrl: 'https://api.quentli.com/v1', keySha256: '0123456789abcdef', mappingSha256: 'def' };

describe('files the run cannot write', () => {
  it('say which file, why, and what to do, as an ImportError the run stops on (exit 2)', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const error = outputError('/srv/reportes/alumnos.results.csv', full);
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('output');
    expect(error.message).toBe('cannot write /srv/reportes/alumnos.results.csv (ENOSPC): the run stops here; free some space there, then run the same command again (an import resumes where it stopped)');
    expect(outputError('/x', error)).toBe(error);
  });

  it('a report file that cannot be opened rejects its write and its close with that error', async () => {
    const sink = new FileSink(join(tmpdir(), 'no-such-folder-qi', 'r.csv'));
    await expect(sink.write('row\n')).rejects.toMatchObject({ code: 'output', message: expect.stringMatching(/^cannot write .*r\.csv \(ENOENT\)/) });
    await expect(sink.close()).rejects.toMatchObject({ code: 'output' });
  });

  it('a journal that cannot be appended to throws that error instead of letting the run go on unrecorded', () => {
    const path = join(temporaryFolder('journal-'), 'r.journal');
    const { journal } = Journal.open(path, IDENTITY, false);
    // The descriptor taken away behind its back: the next append fails as a full disk would.
    closeSync((journal as unknown as { fd: number }).fd);
    openSync(path, 'r'); // so the number is not simply reused for writing
    expect(() => journal.attempted(2)).toThrow(expect.objectContaining({ code: 'output' }));
  });
});

describe('a JSON report that cannot be assembled', () => {
  it('keeps saying the run did not finish, instead of a summary over rows cut short', async () => {
    const dir = temporaryFolder('json-report-');
    const path = join(dir, 'r.json');
    mkdirSync(join(dir, '.r.json.tmp')); // where the report is assembled: a folder, so it cannot be
    const writer = new JsonReportWriter(path, ['row', 'status']);
    await writer.write([{ cells: ['2', 'valid'], status: 'valid' }]);
    await expect(writer.close()).rejects.toMatchObject({ code: 'output' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ summary: null, rows: null });
    expect(readdirSync(dir).sort()).toEqual(['.r.json.tmp', 'r.json']); // the rows' scratch file is gone
  });
});

describe('a JSON report path that is a link', () => {
  it('is written where the link points, the link left as it is', async () => {
    const dir = temporaryFolder('json-link-');
    mkdirSync(join(dir, 'compartido'));
    const target = join(dir, 'compartido', 'resultados.json');
    writeFileSync(target, 'last night\n');
    symlinkSync(target, join(dir, 'r.json'));
    const writer = new JsonReportWriter(join(dir, 'r.json'), ['row', 'status']);
    await writer.write([{ cells: ['2', 'valid'], status: 'valid' }]);
    await writer.close();
    expect(lstatSync(join(dir, 'r.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ summary: null, rows: [{ row: 2, status: 'valid' }] });
    expect(readdirSync(join(dir, 'compartido'))).toEqual(['resultados.json']);
  });
});
