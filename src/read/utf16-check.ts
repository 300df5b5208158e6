import { open } from 'node:fs/promises';
import { utf16ByteOrder } from './decode.js';

const READ_BYTES = 1024 * 1024;
/** Bytes of the bad character's line kept to tell its column (a longer line's column is not told). */
const LONGEST_LINE = 1024 * 1024;
/** Bytes of the file's start kept to tell its delimiter. */
const HEAD_BYTES = 32 * 1024;

/** Half a character in UTF-16 text: where it is, as a person finds it in an editor. */
export interface BrokenUtf16 {
  /** Its line, 1-based. */
  line: number;
  /** The text of its line before it; undefined when the line is longer than a megabyte. */
  before: string | undefined;
  /** The file's first characters, to tell its delimiter. */
  head: string;
}

/**
 * The first unpaired surrogate (half of a character beyond U+FFFF, alone) of a UTF-16 file with a
 * byte-order mark, or undefined (also for a file of another encoding). A high surrogate that ends
 * the file is a file cut short, which the reader reads without it.
 */
export async function findBrokenUtf16(path: string): Promise<BrokenUtf16 | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const { bytesRead: headBytes } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const encoding = utf16ByteOrder(buffer.subarray(0, headBytes));
    if (!encoding) return undefined;
    const bigEndian = encoding === 'utf-16be';
    const decode = (bytes: Buffer) => new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
    const head = decode(buffer.subarray(0, headBytes - (headBytes % 2)));
    const unit = bigEndian ? (at: number) => buffer.readUInt16BE(at) : (at: number) => buffer.readUInt16LE(at);

    // Lines end in LF (CRLF included), or in a lone CR in a file that has no LF.
    const lf = { count: 1, start: 2 };
    const cr = { count: 1, start: 2 };
    let highAt = -1;
    let bad = -1;
    for (let position = 2; bad === -1; ) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, position);
      const units = bytesRead >> 1;
      if (units === 0) break;
      for (let i = 0; i < units; i++) {
        const code = unit(i * 2);
        const at = position + i * 2;
        if (highAt !== -1) {
          if (code >= 0xdc00 && code <= 0xdfff) {
            highAt = -1;
            continue;
          }
          bad = highAt;
          break;
        }
        if (code >= 0xd800 && code <= 0xdbff) highAt = at;
        else if (code >= 0xdc00 && code <= 0xdfff) {
          bad = at;
          break;
        } else if (code === 0x0a) {
          lf.count++;
          lf.start = at + 2;
        } else if (code === 0x0d) {
          cr.count++;
          cr.start = at + 2;
        }
      }
      position += units * 2;
    }
    if (bad === -1) return undefined;
    const { count: line, start: lineStart } = lf.count > 1 ? lf : cr;
    let before: string | undefined;
    if (bad - lineStart <= LONGEST_LINE) {
      const bytes = Buffer.alloc(bad - lineStart);
      await handle.read(bytes, 0, bytes.length, lineStart);
      before = decode(bytes);
    }
    return { line, before, head };
  } finally {
    await handle.close();
  }
}
