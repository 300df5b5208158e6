import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../src/read/index.js';
import { temporaryFolder } from '../temporary-folder.js';

const dir = temporaryFolder('qi-open-source-');

describe('openSource refusals say what to do', () => {
  it.skipIf(process.platform === 'win32')('a named pipe (a process substitution, /dev/stdin on a pipe): save the roster to a file', async () => {
    const fifo = join(dir, 'alumnos.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(openSource(fifo)).rejects.toThrow(`${fifo}: is not a regular file (a pipe or a device, read only once): save the roster to a file and give its path`);
  });
});

describe('openSource: an office program\'s lock file picked beside the roster', () => {
  it('says which workbook it stands for: Excel\'s ~$ owner file and LibreOffice\'s .~lock…# file', async () => {
    const excelLock = join(dir, '~$lista 3B.xlsx');
    // Excel's owner file: the user's name, its length first, padded to 165 bytes.
    writeFileSync(excelLock, Buffer.concat([Buffer.from([10]), Buffer.from('Secretaria'.padEnd(53)), Buffer.alloc(111)]));
    await expect(openSource(excelLock)).rejects.toThrow(`${excelLock}: is the lock file Excel or LibreOffice keeps beside lista 3B.xlsx while it is open, not a roster: import lista 3B.xlsx itself`);
    const libreLock = join(dir, '.~lock.alumnos.csv#');
    writeFileSync(libreLock, 'Secretaría,pc-oficina,secretaria,02.12.2026 08:15,file:///home/secretaria/.config/libreoffice/4;\n');
    await expect(openSource(libreLock)).rejects.toThrow(/is the lock file Excel or LibreOffice keeps beside alumnos\.csv while it is open/);
  });
});
