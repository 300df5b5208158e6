import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XlsxTableWriter } from '../../../src/report/formats/xlsx-table.js';
import type { TableRow } from '../../../src/report/formats/table-writer.js';
import { temporaryFolder } from '../../temporary-folder.js';

describe('an XLSX report on a disk that fills up', () => {
  // /dev/full fails every write with ENOSPC, as a full disk does, once the zip writes into it.
  it('fails the next write and its close, instead of losing rows and waiting forever for the workbook to commit', async () => {
    const path = join(temporaryFolder('xlsx-full-'), 'r.xlsx');
    symlinkSync('/dev/full', path);
    const writer = new XlsxTableWriter(path, ['row', 'status', 'error'], { numericColumns: [0], highlight: true, statusColumn: 1 });
    let failure: unknown;
    // Batches as the report writer sends them, with the run's reading between them, until the zip
    // has written into the file and failed.
    for (let batch = 0; batch < 100 && failure === undefined; batch++) {
      await new Promise((resolve) => setImmediate(resolve));
      const rows: TableRow[] = Array.from({ length: 512 }, (_, i) => ({ cells: [String(batch * 512 + i), 'created', `nota ${Math.random()}`], status: 'created' }));
      failure = await writer.write(rows).then(
        () => undefined,
        (error: unknown) => error,
      );
    }
    expect(failure).toMatchObject({ code: 'output', message: expect.stringMatching(/^cannot write .*r\.xlsx \(ENOSPC\)/) });
    // Its zip could no longer reach the file: committed, the workbook waited for a 'finish' that never came.
    await expect(writer.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});
