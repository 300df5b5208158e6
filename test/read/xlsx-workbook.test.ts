import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMergedRanges } from '../../src/read/xlsx-workbook.js';
import { ZipDirectory } from '../../src/read/xlsx-zip.js';
import { zipOf } from './zip-of.js';
import { temporaryFolder } from '../temporary-folder.js';

let dir: string;
beforeAll(() => {
  dir = temporaryFolder('qi-workbook-');
});

describe('readMergedRanges', () => {
  it('finds the merged ranges after megabytes of other text past the rows, searched as it inflates', async () => {
    // 3 MB of whitespace and a long element between the rows and the merges: several 1 MB scan chunks, an element cut between two.
    const sheet =
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Grupo</t></is></c></row></sheetData>' +
      `<sheetProtection/>${' '.repeat(3_000_000)}<extLst>${'x'.repeat(10_000)}</extLst>` +
      '<mergeCells count="2"><mergeCell ref="A2:A4"/><mergeCell ref="b5:c6"/></mergeCells></worksheet>';
    const path = join(dir, 'merges.xlsx');
    await writeFile(path, zipOf([['xl/worksheets/sheet1.xml', sheet, 'deflate']]));
    const zip = await ZipDirectory.open(path);
    try {
      expect(await readMergedRanges(zip, zip.entries.get('xl/worksheets/sheet1.xml')!)).toEqual([
        { ref: 'A2:A4', firstCol: 1, lastCol: 1, top: 2, bottom: 4 },
        { ref: 'B5:C6', firstCol: 2, lastCol: 3, top: 5, bottom: 6 },
      ]);
    } finally {
      await zip.close();
    }
  });
});
