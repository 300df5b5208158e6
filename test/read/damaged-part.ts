import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ZipDirectory, type ZipEntry } from '../../src/read/xlsx-zip.js';
import { temporaryFolder } from '../temporary-folder.js';

/**
 * A workbook's bytes with one part's compressed data opening on a deflate block of the reserved
 * type (zlib's "invalid block type"): damage its zip directory does not show. With the workbook's
 * parts, to check where the damaged one lies.
 */
export async function withDamagedPart(path: string, partName: string): Promise<{ bytes: Buffer; entries: Map<string, ZipEntry> }> {
  const bytes = await readFile(path);
  const zip = await ZipDirectory.open(path);
  await zip.close();
  const at = zip.entries.get(partName)!.localHeaderOffset;
  bytes[at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28)] = 0xff;
  return { bytes, entries: zip.entries };
}

/** Runs `use` on `bytes` written to a file named `name` in a new temporary folder, removed when the test ends. */
export async function inFileOf<T>(name: string, bytes: Buffer, use: (path: string) => Promise<T>): Promise<T> {
  const dir = temporaryFolder('quentli-workbook-test-');
  const path = join(dir, name);
  await writeFile(path, bytes);
  return await use(path);
}
