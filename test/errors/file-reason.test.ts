import { chmodSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileReason } from '../../src/errors/file-reason.js';
import { loadMappingFile } from '../../src/map/mapping-file.js';
import { temporaryFolder } from '../temporary-folder.js';

const errno = (code: string) => Object.assign(new Error(`${code}: system text`), { code });

describe('fileReason', () => {
  it('says in words why a file cannot be read, the system code after them', () => {
    expect(fileReason(errno('ENOENT'))).toBe('does not exist');
    expect(fileReason(errno('EACCES'))).toBe('cannot be read: permission denied to the user running the import (EACCES)');
    expect(fileReason(errno('EISDIR'))).toBe('is a folder, not a file');
    expect(fileReason(errno('EBUSY'))).toMatch(/^cannot be read: another program holds it \(EBUSY\)/);
    expect(fileReason(errno('ELOOP'))).toBe('cannot be read (ELOOP)');
    expect(fileReason(new Error('odd'))).toBe('cannot be read (odd)');
  });

  it('says a name that is not UTF-8 is why a file is not found, not that it does not exist', async () => {
    // A Latin-1 byte in the name reaches Node as U+FFFD, so the file can be seen but not opened.
    const dir = temporaryFolder('qi-reason-');
    writeFileSync(Buffer.from(join(dir, 'Mar\xeda.csv'), 'latin1'), 'Nombre\nAna\n');
    const error = await open(join(dir, 'Mar\uFFFDa.csv')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(fileReason(error)).toBe(
      'cannot be opened under this name: it holds a character that is not UTF-8 (shown as \uFFFD), which cannot be passed on to open it; rename the file (or its folder) without accents and run again',
    );
    expect(fileReason(errno('ENOENT'))).toBe('does not exist');
  });

  it('is how a missing or unreadable mapping file is refused', async () => {
    const dir = temporaryFolder('qi-reason-');
    await expect(loadMappingFile(join(dir, 'mapeo.json'))).rejects.toThrow(`${join(dir, 'mapeo.json')}: the mapping file does not exist`);
    const locked = join(dir, 'locked.json');
    writeFileSync(locked, '{}');
    chmodSync(locked, 0);
    // root reads any file: the permission case is asserted where the test runs as another user.
    if (process.getuid?.() !== 0) await expect(loadMappingFile(locked)).rejects.toThrow('the mapping file cannot be read: permission denied');
  });
});
