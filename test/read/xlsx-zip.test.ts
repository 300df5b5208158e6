import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZipDirectory, ZipFormatError } from '../../src/read/xlsx-zip.js';
import { zipOf } from './zip-of.js';
import { temporaryFolder } from '../temporary-folder.js';

let dir: string;
beforeAll(() => {
  dir = temporaryFolder('qi-zip-');
});

describe('ZipDirectory', () => {
  it('refuses a part whose size is kept in a ZIP64 field, naming it, instead of reading it as cut short', async () => {
    const bytes = zipOf([['xl/workbook.xml', '<workbook/>', 'deflate'], ['xl/worksheets/sheet1.xml', '<worksheet/>', 'deflate']]);
    // The second central directory entry's uncompressed size, as a writer marks a sheet inflating past 4 GB.
    const second = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 1);
    bytes.writeUInt32LE(0xffffffff, second + 24);
    const path = join(dir, 'zip64.xlsx');
    await writeFile(path, bytes);
    const error = await ZipDirectory.open(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipFormatError);
    expect((error as Error).message).toBe('ZIP64 workbooks (over 4 GB) are not supported: the part xl/worksheets/sheet1.xml is one');
  });
});
