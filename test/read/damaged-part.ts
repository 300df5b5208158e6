import { readFile } from 'node:fs/promises';
import { ZipDirectory, type ZipEntry } from '../../src/read/xlsx-zip.js';

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
