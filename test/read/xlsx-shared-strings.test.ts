import { createReadStream, fstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { openWorkbookStream, writeWhole } from '../../src/read/xlsx-exceljs.js';
import { ZipDirectory } from '../../src/read/xlsx-zip.js';
import { withDamagedPart } from './damaged-part.js';
import { SharedStringSpillError, SharedStringTable } from '../../src/read/xlsx-shared-strings.js';
import { temporaryFolder } from '../temporary-folder.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures', name);

/** Every kind of text a cell can hold: Latin-1, other scripts, emoji, an unpaired surrogate, controls. */
function sampleText(i: number): string {
  switch (i % 9) {
    case 0:
      return '';
    case 1:
      return `Núñez ${i}`;
    case 2:
      return `Łódź Ωμέγα ${i}`;
    case 3:
      return `北京 ${i} 👩‍🏫`;
    case 4:
      return `\ud800 lone ${i}`;
    case 5:
      return `tab\tline\nend ${i}`;
    case 6:
      return 'ÿ'.repeat(i % 50);
    default:
      return `user.${i}@colegio-ejemplo.edu.mx`;
  }
}

function filledTable(count: number, options: ConstructorParameters<typeof SharedStringTable>[0]) {
  const table = new SharedStringTable(options);
  const expected: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = sampleText(i);
    table.add(text);
    expected.push(text);
  }
  table.add('');
  expected.push('');
  table.finish();
  return { table, expected };
}

describe('SharedStringTable', () => {
  let directory: string;
  beforeEach(() => {
    directory = temporaryFolder('quentli-strings-test-');
  });

  it('gives back every string by index, across segments, with rich text as plain text', () => {
    const { table, expected } = filledTable(10_000, { directory });
    expect(table.spilled).toBe(false);
    expect(table.size).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    expect(table.at(expected.length)).toBeUndefined();
    expect(table.at(-1)).toBeUndefined();
    table.close();
  });

  it('gives back the same strings past its memory budget, in any order, from a file that is never left behind', () => {
    const { table, expected } = filledTable(10_000, { memoryBudget: 1_000, directory });
    expect(table.spilled).toBe(true);
    expect(readdirSync(directory)).toEqual([]); // unlinked as soon as it was opened
    for (let i = 0; i < expected.length; i++) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    for (let i = expected.length - 1; i >= 0; i -= 7) expect(table.at(i), `index ${i}`).toBe(expected[i]);
    for (let n = 0; n < 2_000; n++) {
      const i = (n * 7919) % expected.length;
      expect(table.at(i), `index ${i}`).toBe(expected[i]);
    }
    expect(table.at(expected.length)).toBeUndefined();
    table.close();
    expect(readdirSync(directory)).toEqual([]);
  });

  it('reads strings of a segment not sealed yet', () => {
    const table = new SharedStringTable({ memoryBudget: 0, directory });
    for (let i = 0; i < 300; i++) table.add(sampleText(i));
    expect(table.spilled).toBe(true);
    expect(table.at(299)).toBe(sampleText(299));
    expect(table.at(3)).toBe(sampleText(3));
    table.close();
  });

  it.runIf(process.platform === 'linux')('keeps its temporary file readable by its owner only', () => {
    const table = new SharedStringTable({ memoryBudget: 0, directory });
    for (let i = 0; i < 1_000; i++) table.add(sampleText(i));
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(directory, 'quentli-shared-strings-'));
      } catch {
        return false; // closed meanwhile
      }
    });
    expect(open).toHaveLength(1);
    expect(fstatSync(Number(open[0])).mode & 0o777).toBe(0o600);
    table.close();
    expect(() => fstatSync(Number(open[0]))).toThrow();
  });

  it('says where it could not write its temporary file', () => {
    const table = new SharedStringTable({ memoryBudget: 0, directory: join(directory, 'missing') });
    for (let i = 0; i < 255; i++) table.add('Núñez');
    expect(() => table.add('Núñez')).toThrow(SharedStringSpillError);
    for (let i = 0; i < 255; i++) table.add('Núñez');
    expect(() => table.add('Núñez')).toThrow(/could not keep the workbook's shared strings in a temporary file in .*missing/);
  });
});

describe('openWorkbookStream: shared strings past the budget', () => {
  let directory: string;
  beforeAll(() => {
    directory = temporaryFolder('quentli-strings-test-');
  });

  async function strings(path: string, memoryBudget: number | undefined) {
    const workbook = openWorkbookStream(createReadStream(path), { memoryBudget, directory });
    try {
      for await (const part of workbook.parts()) {
        for await (const chunk of part.chunks) void chunk;
      }
      const table = workbook.sharedStrings()!;
      return { texts: Array.from({ length: table.size }, (_, i) => table.at(i)), spilled: table.spilled };
    } finally {
      workbook.close();
    }
  }

  it('reads a workbook the same with its strings in a temporary file', async () => {
    const generated = join(directory, 'many-strings.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: generated, useSharedStrings: true, useStyles: false });
    const sheet = writer.addWorksheet('Alumnos');
    // XML cannot carry an unpaired surrogate: every other kind of text goes through exceljs's writer.
    for (let i = 0; i < 3_000; i++) sheet.addRow([sampleText(i % 9 === 4 ? i + 1 : i), `A${i}`]).commit();
    sheet.commit();
    await writer.commit();

    for (const path of [generated, fixture('roster-exceljs-formulas.xlsx'), fixture('roster-libreoffice-booleans-dates.xlsx')]) {
      const held = await strings(path, undefined);
      const spilled = await strings(path, 0);
      expect(held.spilled).toBe(false);
      expect(spilled.spilled).toBe(true);
      expect(held.texts.length, path).toBeGreaterThan(0);
      expect(spilled.texts, path).toEqual(held.texts);
    }
    expect(readdirSync(directory)).toEqual(['many-strings.xlsx']);
  });
});

describe('openWorkbookStream: every part, however slowly they are read', () => {
  it('hands over the sheets after the one its reader lingered over', async () => {
    // Both sheets of this LibreOffice workbook come before the shared strings and the
    // relationships: read ahead, both stream where they lie.
    const path = fixture('roster-libreoffice-booleans-dates.xlsx');
    const zip = await ZipDirectory.open(path);
    const sharedStrings = await zip.stream(zip.entries.get('xl/sharedStrings.xml')!);
    const rels = await zip.stream(zip.entries.get('xl/_rels/workbook.xml.rels')!);
    const workbook = openWorkbookStream(createReadStream(path));
    const seen: string[] = [];
    try {
      await workbook.readAheadOfSheet({ sharedStrings, rels });
      for await (const part of workbook.parts()) {
        seen.push(part.sheetNo);
        for await (const chunk of part.chunks) void chunk;
        // A busy machine, or a reader that sends each row before it reads the next: meanwhile the
        // unzipper reaches the end of this small file. exceljs's loop then stopped, without sheet 2.
        await sleep(200);
      }
    } finally {
      workbook.close();
      await zip.close();
    }
    expect(seen).toEqual(['1', '2']);
  });
});

describe('openWorkbookStream: a damaged part', () => {
  it('fails the read of a sheet that cannot be inflated instead of waiting for it forever', async () => {
    // unzipper reports the damage on the zip stream, not on the part's own, which the reader waits on.
    const directory = temporaryFolder('quentli-damaged-test-');
    const path = join(directory, 'damaged.xlsx');
    const { bytes } = await withDamagedPart(fixture('roster-openpyxl-two-sheets.xlsx'), 'xl/worksheets/sheet1.xml');
    writeFileSync(path, bytes);
    const workbook = openWorkbookStream(createReadStream(path), { directory });
    const read = (async () => {
      for await (const sheet of workbook.parts()) for await (const chunk of sheet.chunks) void chunk;
    })();
    await expect(read).rejects.toThrow(/invalid block type/);
    workbook.close();
    expect(readdirSync(directory)).toEqual(['damaged.xlsx']);
  });
});

describe('openWorkbookStream: a sheet copied to a temporary file', () => {
  it('has no name in the folder while it is read: a run that leaves at once (a second Ctrl-C, a crash) leaves no roster behind', async () => {
    // Both sheets come before the shared strings, and nothing is read ahead: both are copied.
    const directory = temporaryFolder('quentli-copy-test-');
    const workbook = openWorkbookStream(createReadStream(fixture('roster-libreoffice-booleans-dates.xlsx')), { directory });
    const seen: string[] = [];
    try {
      for await (const part of workbook.parts()) {
        expect(part.spooled).toBeDefined();
        let bytes = 0;
        for await (const chunk of part.chunks) bytes += (chunk as Buffer).length;
        expect(bytes).toBeGreaterThan(0);
        seen.push(`${part.sheetNo}: ${readdirSync(directory).join(', ')}`);
      }
    } finally {
      workbook.close();
    }
    expect(seen).toEqual(['1: ', '2: ']);
  });
});

describe('writeWhole: a sheet copied to a temporary file on a nearly full disk', () => {
  it('writes again what a write left out, as a nearly full disk takes part of one without an error', async () => {
    const written: string[] = [];
    // A file that takes at most 3 bytes a write.
    const short = {
      write: async (bytes: Buffer, offset: number) => {
        const part = bytes.subarray(offset, offset + 3);
        written.push(part.toString());
        return { bytesWritten: part.length, buffer: bytes };
      },
    };
    await writeWhole(short as unknown as FileHandle, Buffer.from('<row r="2">'));
    expect(written.join('')).toBe('<row r="2">');
  });
});

describe('openWorkbookStream: a sheet copied to a temporary file that fails', () => {
  it('leaves no copy behind, even one whose file was still being opened', async () => {
    // The sheet comes before the shared strings, so it is copied; damaged at its start, the copy
    // fails while its file is being opened, and the file used to appear after the reader removed it.
    const directory = temporaryFolder('quentli-damaged-copy-test-');
    const path = join(directory, 'damaged.xlsx');
    const { bytes, entries } = await withDamagedPart(fixture('roster-libreoffice-booleans-dates.xlsx'), 'xl/worksheets/sheet1.xml');
    expect(entries.get('xl/worksheets/sheet1.xml')!.index).toBeLessThan(entries.get('xl/sharedStrings.xml')!.index);
    writeFileSync(path, bytes);
    for (let read = 0; read < 100; read++) {
      const workbook = openWorkbookStream(createReadStream(path), { directory });
      const parts = (async () => {
        for await (const sheet of workbook.parts()) for await (const chunk of sheet.chunks) void chunk;
      })();
      await expect(parts).rejects.toThrow(/invalid block type/);
      workbook.close();
    }
    await sleep(50);
    expect(readdirSync(directory)).toEqual(['damaged.xlsx']);
  });
});

describe('openWorkbookStream: a part read ahead that failed before it was read', () => {
  it('fails the read instead of waiting for it forever', async () => {
    // planRead opens the parts read ahead before the reader reads them: an error may come first.
    const rels = new PassThrough().on('error', () => {});
    rels.destroy(new Error('EIO: i/o error, read'));
    await sleep(10);
    const workbook = openWorkbookStream(new PassThrough());
    await expect(workbook.readAheadOfSheet({ rels })).rejects.toThrow(/EIO/);
    workbook.close();
  }, 2_000);
});

describe('openWorkbookStream: a file that fails before its parts are read', () => {
  it('fails the read, neither raising an uncaught error nor waiting for ever', async () => {
    // The file opens while the parts are read ahead, before the parts are asked for: EMFILE then.
    const input = new PassThrough();
    const workbook = openWorkbookStream(input);
    input.destroy(new Error('EMFILE: too many open files'));
    await sleep(10);
    const parts = (async () => {
      for await (const sheet of workbook.parts()) for await (const chunk of sheet.chunks) void chunk;
    })();
    await expect(parts).rejects.toThrow(/EMFILE/);
    workbook.close();
  }, 2_000);
});

describe('openWorkbookStream: a file cut short', () => {
  it('fails the read, never hangs or raises an uncaught error, wherever the file ends', async () => {
    // unzipper reports the end of the file on the zip stream: while a part is read, or while the
    // part being written is still queued. Sheet 1 of this exceljs workbook comes before the shared
    // strings (copied to a temporary file); the file ends before or inside every kind of part.
    const directory = temporaryFolder('quentli-cut-test-');
    const bytes = readFileSync(fixture('roster-exceljs-formulas.xlsx'));
    const outcomes = new Set<string>();
    for (let cut = 50; cut < bytes.length; cut += 97) {
      const path = join(directory, 'cut.xlsx');
      writeFileSync(path, bytes.subarray(0, cut));
      const workbook = openWorkbookStream(createReadStream(path), { directory });
      const read = (async () => {
        let size = 0;
        for await (const sheet of workbook.parts()) for await (const chunk of sheet.chunks) size += chunk.length;
        return `read ${size} bytes`;
      })();
      const outcome = await Promise.race([read.catch((error: Error) => error.message), sleep(2000).then(() => `hung at byte ${cut}`)]);
      workbook.close();
      outcomes.add(outcome);
      expect(readdirSync(directory)).toEqual(['cut.xlsx']);
    }
    expect([...outcomes]).toEqual(['FILE_ENDED']);
  });
});
