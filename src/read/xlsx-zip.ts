import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  /** Position in the central directory (the order the entries were written in). */
  index: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The zip is not readable: its end record or central directory is missing or damaged. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Small parts only (workbook.xml, its relationships, styles.xml): never a worksheet. */
const MAX_SMALL_ENTRY = 32 * 1024 * 1024;

/**
 * Random access to a zip's entries, by its central directory: the workbook's metadata (sheet
 * names, relationships, number formats) read whole, the shared strings and the sheet streamed.
 */
export class ZipDirectory {
  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  /** Opens the file and reads its central directory; throws ZipFormatError if there is none. */
  static async open(path: string): Promise<ZipDirectory> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new ZipDirectory(path, handle, size, await readCentralDirectory(handle, size));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The uncompressed bytes of a small entry. */
  async read(entry: ZipEntry): Promise<Buffer> {
    if (entry.uncompressedSize > MAX_SMALL_ENTRY) {
      throw new ZipFormatError(`the part ${entry.name} is unexpectedly large`);
    }
    const dataStart = await this.dataStart(entry);
    const data = Buffer.alloc(entry.compressedSize);
    await this.handle.read(data, 0, entry.compressedSize, dataStart);
    if (entry.method === 0) return data;
    try {
      return inflateRawSync(data);
    } catch (error) {
      throw new ZipFormatError(`the part ${entry.name} is damaged (${(error as Error).message})`);
    }
  }

  /** A stream of an entry's uncompressed bytes, for a part too big to hold (a worksheet). */
  async stream(entry: ZipEntry, chunkBytes?: number): Promise<Readable> {
    return (await this.streamWithProgress(entry, chunkBytes)).stream;
  }

  /**
   * `stream`, with the share of the entry's stored bytes read so far (0 to 1): how far through a
   * worksheet the reader is. The stream reads the file by its own descriptor, so it outlives `close()`.
   */
  async streamWithProgress(entry: ZipEntry, chunkBytes?: number): Promise<{ stream: Readable; shareRead: () => number }> {
    const start = await this.dataStart(entry);
    const raw = createReadStream(this.path, { start, end: Math.max(start, start + entry.compressedSize - 1), ...(chunkBytes ? { highWaterMark: chunkBytes } : {}) });
    const shareRead = () => (entry.compressedSize === 0 ? 1 : Math.min(1, raw.bytesRead / entry.compressedSize));
    if (entry.method === 0) return { stream: raw, shareRead };
    const inflate = createInflateRaw(chunkBytes ? { chunkSize: chunkBytes } : {});
    raw.on('error', (error) => inflate.destroy(error));
    inflate.on('close', () => raw.destroy());
    return { stream: raw.pipe(inflate), shareRead };
  }

  private async dataStart(entry: ZipEntry): Promise<number> {
    const local = Buffer.alloc(30);
    await this.handle.read(local, 0, 30, entry.localHeaderOffset);
    if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) {
      throw new ZipFormatError(`the part ${entry.name} is damaged`);
    }
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.size) {
      throw new ZipFormatError(`the part ${entry.name} is cut short`);
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ZipFormatError(`the part ${entry.name} uses an unsupported compression method (${entry.method})`);
    }
    return dataStart;
  }

  /**
   * The entry of a part by its name, in any case: part names match case-insensitively (ECMA-376
   * part 2, 6.2.2.3), as Excel and LibreOffice read them, and some systems write
   * `xl/SharedStrings.xml`, whose strings were otherwise never found.
   */
  part(name: string): ZipEntry | undefined {
    const exact = this.entries.get(name);
    if (exact !== undefined) return exact;
    this.byLowerCase ??= new Map([...this.entries.values()].reverse().map((entry) => [entry.name.toLowerCase(), entry]));
    return this.byLowerCase.get(name.toLowerCase());
  }
  private byLowerCase: Map<string, ZipEntry> | undefined;

  /** The text of a small entry, or undefined when the zip has no such part. */
  async readText(name: string): Promise<string | undefined> {
    const entry = this.part(name);
    return entry === undefined ? undefined : (await this.read(entry)).toString('utf8');
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

async function readCentralDirectory(handle: FileHandle, size: number): Promise<Map<string, ZipEntry>> {
  // The end record is 22 bytes plus a comment of up to 64 KB, at the very end.
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, size - tailLength);
  let eocd = -1;
  for (let at = tailLength - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('the end of the zip is missing');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new ZipFormatError('ZIP64 workbooks (over 4 GB) are not supported');
  }
  if (cdOffset + cdSize > size) throw new ZipFormatError('the zip directory points past the end of the file');
  const cd = Buffer.alloc(cdSize);
  await handle.read(cd, 0, cdSize, cdOffset);
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let index = 0; index < count; index++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError('the zip directory is damaged');
    }
    const nameLength = cd.readUInt16LE(at + 28);
    const name = cd.toString('utf8', at + 46, at + 46 + nameLength);
    // A part's size or position that does not fit 32 bits is kept in a ZIP64 field instead: read as
    // the 0xFFFFFFFF standing for it, a sheet inflating past 4 GB was "cut short", an unexpected error.
    if (cd.readUInt32LE(at + 20) === 0xffffffff || cd.readUInt32LE(at + 24) === 0xffffffff || cd.readUInt32LE(at + 42) === 0xffffffff) {
      throw new ZipFormatError(`ZIP64 workbooks (over 4 GB) are not supported: the part ${name} is one`);
    }
    entries.set(name, {
      name,
      index,
      method: cd.readUInt16LE(at + 10),
      compressedSize: cd.readUInt32LE(at + 20),
      uncompressedSize: cd.readUInt32LE(at + 24),
      localHeaderOffset: cd.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
  }
  return entries;
}
