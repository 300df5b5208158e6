import iconv from 'iconv-lite';

/** Text encodings the CSV reader recognises on its own. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Raised when the bytes cannot be decoded as the encoding the file started in. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

/**
 * Decodes a byte stream into text chunks, detecting the encoding: a BOM names UTF-8 or UTF-16;
 * without one, the first non-ASCII bytes decide between UTF-8 and Windows-1252 (what Excel in
 * Mexico saves as "CSV"). Until then both read the same, so nothing decoded early can be wrong.
 * A streaming decoder keeps characters split across chunk boundaries whole.
 */
export async function* decodeText(
  bytes: AsyncIterable<Buffer>,
  onEncoding: (encoding: TextEncoding) => void,
): AsyncGenerator<string> {
  let encoding: TextEncoding | undefined;
  let decode: ((chunk: Buffer) => string) | undefined;
  let offset = 0;
  let first = true;
  // A chunk whose only non-ASCII bytes are an unfinished UTF-8 sequence at its very end proves nothing
  // (cp1252's é is also a UTF-8 lead byte): it waits for the next chunk before the encoding is chosen.
  let held: Buffer | undefined;

  for await (let chunk of bytes) {
    if (held) {
      chunk = Buffer.concat([held, chunk]);
      held = undefined;
    }
    if (first) {
      first = false;
      const bom = detectBom(chunk);
      if (bom) {
        encoding = bom.encoding;
        decode = makeDecoder(encoding);
        onEncoding(encoding);
        chunk = chunk.subarray(bom.length);
        offset += bom.length;
      }
    }
    if (!decode) {
      const firstHigh = indexOfNonAscii(chunk);
      if (firstHigh === -1) {
        checkNoNul(chunk, offset);
        offset += chunk.length;
        yield chunk.toString('latin1');
        continue;
      }
      if (isCutUtf8Start(chunk.subarray(firstHigh))) {
        held = chunk;
        continue;
      }
      encoding = looksLikeUtf8(chunk.subarray(firstHigh)) ? 'utf-8' : 'windows-1252';
      decode = makeDecoder(encoding);
      onEncoding(encoding);
    }
    if (encoding !== 'utf-16le' && encoding !== 'utf-16be') checkNoNul(chunk, offset);
    let text: string;
    try {
      text = decode(chunk);
    } catch {
      throw new DecodeError(`is not valid ${encoding} text near byte ${offset}: save it again as UTF-8`, offset);
    }
    offset += chunk.length;
    if (text) yield text;
  }
  if (held) {
    // The file ends inside that unfinished sequence: it is not UTF-8.
    encoding = 'windows-1252';
    decode = makeDecoder(encoding);
    onEncoding(encoding);
    checkNoNul(held, offset);
    const text = decode(held);
    offset += held.length;
    if (text) yield text;
  }
  if (!encoding) onEncoding('utf-8');
  if (decode) {
    let tail: string;
    try {
      tail = decode(Buffer.alloc(0));
    } catch {
      throw new DecodeError(`ends in the middle of a ${encoding} character`, offset);
    }
    if (tail) yield tail;
  }
}

function detectBom(chunk: Buffer): { encoding: TextEncoding; length: number } | undefined {
  if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return { encoding: 'utf-8-bom', length: 3 };
  if (chunk[0] === 0xff && chunk[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (chunk[0] === 0xfe && chunk[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function makeDecoder(encoding: TextEncoding): (chunk: Buffer) => string {
  if (encoding === 'windows-1252') {
    const decoder = iconv.getDecoder('win1252');
    return (chunk) => (chunk.length ? decoder.write(chunk) : (decoder.end() ?? ''));
  }
  const decoder = new TextDecoder(encoding === 'utf-8-bom' ? 'utf-8' : encoding, { fatal: true, ignoreBOM: true });
  return (chunk) => (chunk.length ? decoder.decode(chunk, { stream: true }) : decoder.decode());
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** Index of the first byte above 0x7f: a latin1 view maps bytes to chars one to one, and a regex scans it natively. */
function indexOfNonAscii(chunk: Buffer): number {
  return chunk.toString('latin1').search(NON_ASCII);
}

/** True when the bytes are valid UTF-8, allowing a character cut at the end of the chunk. */
function looksLikeUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** True when the bytes (from the first non-ASCII one) are only the start of one UTF-8 character, cut at the chunk's end. */
function isCutUtf8Start(bytes: Buffer): boolean {
  if (bytes.length >= 4 || !looksLikeUtf8(bytes)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

function checkNoNul(chunk: Buffer, offset: number): void {
  const at = chunk.indexOf(0);
  if (at !== -1) throw new DecodeError(`is not a text file (a NUL byte at byte ${offset + at}): export it as CSV or .xlsx`, offset + at);
}
