import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of `SharedStringTable`. */
export interface SharedStringTableOptions {
  /**
   * Bytes of text the table keeps in memory; the segments past it go to a temporary file.
   * Default 4 MB (about 250,000 strings of a roster).
   */
  memoryBudget?: number;
  /** Folder of the temporary file. Default: the system's temporary folder. */
  directory?: string;
}

/** The table could not keep its strings in its temporary file, or read them back (a full disk, an unwritable folder). */
export class SharedStringSpillError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'SharedStringSpillError';
  }
}

// Small segments, so that one read back from the file serves a few rows and dies young, in the
// garbage collector's cheap young generation, instead of piling up in the old one.
const PER_SEGMENT = 256;
const SEGMENT_BITS = 8; // log2(PER_SEGMENT)
const SEGMENT_MASK = PER_SEGMENT - 1;
/** Spilled segments kept decoded at once: a sheet reads its strings in nearly the order they were added. */
const CACHED_SEGMENTS = 4;
const DEFAULT_MEMORY_BUDGET = 4 * 1024 * 1024;

/** Segment strings joined into one text; `ends[i]` is where string i of the segment ends in it. */
interface HeldSegment {
  text: string;
  ends: Uint32Array;
}

/** Where a segment sits in the temporary file: its `ends`, then its text. */
interface SpilledSegment {
  position: number;
  count: number;
  textBytes: number;
  /** Two bytes a character (UTF-16) when the text has characters past Latin-1, else one. */
  wide: boolean;
}

/**
 * A workbook's shared strings table, kept compactly: every 256 strings are joined into one
 * segment string (one byte a character for Spanish text, which is Latin-1), with where each string
 * ends in a typed array; a cell's text is sliced out by index. A table of 800,000 distinct strings
 * held as separate JS strings cost about 80 MB more than the same text joined. Past
 * `memoryBudget`, segments are written to a temporary file that is unlinked as soon as it is
 * opened (nothing is left behind, even if the process is killed) and read back a segment at a
 * time, with the last few kept decoded; `close()` releases it.
 */
export class SharedStringTable {
  private readonly memoryBudget: number;
  private readonly directory: string;
  private readonly segments: Array<HeldSegment | SpilledSegment> = [];
  private heldBytes = 0;
  private pending: string[] = [];
  private count = 0;

  /** The temporary file: `linked` while it still has a name in its folder, `end` its length. */
  private file: { fd: number; path: string; linked: boolean; end: number } | undefined;
  // A fixed ring, replaced in turn: a Map refreshed on every lookup reallocates its table, and each
  // table, held by the long-lived Map, was promoted to the old generation (270 MB in one run).
  private readonly cachedNumbers = new Int32Array(CACHED_SEGMENTS).fill(-1);
  private readonly cachedStrings: string[][] = [];
  private nextCacheSlot = 0;
  private scratch = Buffer.alloc(0);

  constructor(options: SharedStringTableOptions = {}) {
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    this.directory = options.directory ?? tmpdir();
  }

  /** Appends the next string of the table. */
  add(text: string): void {
    this.pending.push(text);
    this.count++;
    if (this.pending.length === PER_SEGMENT) this.seal();
  }

  /** Strings in the table. */
  get size(): number {
    return this.count;
  }

  /** Whether some segments live in the temporary file. */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  /** The string at `index`, or undefined past the end. */
  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    const number = index >>> SEGMENT_BITS;
    const within = index & SEGMENT_MASK;
    const segment = this.segments[number];
    if (segment === undefined) return this.pending[within]; // not sealed yet
    if (!('text' in segment)) return this.load(number, segment)[within];
    const { text, ends } = segment;
    return text.slice(within === 0 ? 0 : ends[within - 1], ends[within]);
  }

  /** Seals the last, partial segment: call once the whole table was added. */
  finish(): void {
    this.seal();
  }

  /** Closes and removes the temporary file, if there is one; the table is empty afterwards. */
  close(): void {
    const file = this.file;
    this.file = undefined;
    this.segments.length = 0;
    this.pending = [];
    this.count = 0;
    this.cachedNumbers.fill(-1);
    this.cachedStrings.length = 0;
    if (file === undefined) return;
    closeSync(file.fd);
    if (file.linked) rmSync(file.path, { force: true });
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    // join() copies into one flat string (one byte a character when it can), so the parser's
    // chunks the strings were cut from are not kept alive.
    const text = this.pending.join('');
    const ends = new Uint32Array(this.pending.length);
    let end = 0;
    for (let i = 0; i < this.pending.length; i++) ends[i] = end += this.pending[i]!.length;
    this.pending = [];
    const wide = /[^\0-\xff]/.test(text);
    const bytes = text.length * (wide ? 2 : 1) + ends.byteLength;
    if (this.file === undefined && this.heldBytes + bytes <= this.memoryBudget) {
      this.segments.push({ text, ends });
      this.heldBytes += bytes;
    } else {
      this.segments.push(this.spill(text, ends, wide));
    }
  }

  private spill(text: string, ends: Uint32Array, wide: boolean): SpilledSegment {
    try {
      const file = (this.file ??= this.openFile());
      const position = file.end;
      writeAll(file.fd, new Uint8Array(ends.buffer, ends.byteOffset, ends.byteLength), position);
      // UTF-16 gives back any JS string exactly, lone surrogates included; Latin-1 halves the common case.
      const textBytes = writeAll(file.fd, Buffer.from(text, wide ? 'utf16le' : 'latin1'), position + ends.byteLength);
      file.end = position + ends.byteLength + textBytes;
      return { position, count: ends.length, textBytes, wide };
    } catch (error) {
      throw new SharedStringSpillError(
        `could not keep the workbook's shared strings in a temporary file in ${this.directory} (${(error as Error).message})`,
        { cause: error },
      );
    }
  }

  private openFile(): NonNullable<SharedStringTable['file']> {
    const path = join(this.directory, `quentli-shared-strings-${randomUUID()}.tmp`);
    const fd = openSync(path, 'wx+', 0o600); // owner only: the strings are personal data
    // Unlinked at once where the system allows it: the open descriptor keeps the data readable.
    let linked = true;
    try {
      unlinkSync(path);
      linked = false;
    } catch {
      // removed by close() instead
    }
    return { fd, path, linked, end: 0 };
  }

  /**
   * A spilled segment's strings, each decoded on its own: a slice of one segment string would keep
   * the whole segment alive for as long as any cell text cut from it.
   */
  private load(number: number, spilled: SpilledSegment): string[] {
    const slot = this.cachedNumbers.indexOf(number);
    if (slot >= 0) return this.cachedStrings[slot]!;
    const { fd } = this.file!; // open since the first segment was spilled
    const endsBytes = spilled.count * 4;
    const length = endsBytes + spilled.textBytes;
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.scratch.length));
    try {
      for (let read = 0; read < length; ) {
        const got = readSync(fd, this.scratch, read, length - read, spilled.position + read);
        if (got === 0) throw new Error('it was cut short');
        read += got;
      }
    } catch (error) {
      throw new SharedStringSpillError(
        `could not read back the workbook's shared strings from a temporary file in ${this.directory} (${(error as Error).message})`,
        { cause: error },
      );
    }
    const ends = new Uint32Array(this.scratch.buffer, this.scratch.byteOffset, spilled.count);
    const encoding = spilled.wide ? 'utf16le' : 'latin1';
    const unit = spilled.wide ? 2 : 1;
    const strings = new Array<string>(spilled.count);
    for (let i = 0, start = 0; i < spilled.count; i++) {
      const end = ends[i]!;
      strings[i] = this.scratch.toString(encoding, endsBytes + start * unit, endsBytes + end * unit);
      start = end;
    }
    this.cachedNumbers[this.nextCacheSlot] = number;
    this.cachedStrings[this.nextCacheSlot] = strings;
    this.nextCacheSlot = (this.nextCacheSlot + 1) % CACHED_SEGMENTS;
    return strings;
  }
}

/** Writes all of `bytes` at `position`; returns their length. */
function writeAll(fd: number, bytes: Uint8Array, position: number): number {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  return bytes.length;
}
