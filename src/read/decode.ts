/** Text encodings the CSV reader recognises on its own. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | EightBitEncoding;

/** The 8-bit encodings told apart by `eightBitEncoding`. */
type EightBitEncoding = 'windows-1252' | 'macintosh' | 'ibm850';

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

/** The text ended in half a character (a file cut short), whose bytes were left out. */
export type CutEndNotice = (encoding: 'UTF-8' | 'UTF-16') => void;

/** Where 8-bit text mixes UTF-8 and Windows-1252: the first byte read in the encoding the file did not start in. */
export type MixedEncodingNotice = (byteOffset: number) => void;

/**
 * Decodes a byte stream into text chunks, detecting the encoding: a BOM names UTF-8 or UTF-16;
 * without one, the first non-ASCII character decides between UTF-8 and 8-bit text, and the 8-bit
 * text's first 64 KiB (from that character on, held back until read) between Windows-1252 (what
 * Excel in Mexico saves as "CSV"), Mac OS Roman (what Excel for Mac saves as "CSV") and code page
 * 850 (Excel's "CSV (MS-DOS)", DOS-era school systems; `eightBitEncoding`). ASCII before it reads
 * the same in all, so nothing decoded early can be wrong.
 *
 * 8-bit text is read character by character where the two mix (a file pasted together from two
 * exports, a roster edited in two programs): a byte sequence that is valid UTF-8 is read as UTF-8,
 * any other byte as Windows-1252, and `onMixed` hears where that first happened. In a real file
 * of either kind this changes nothing: Windows-1252 Spanish text does not hold valid UTF-8
 * sequences (`Ã©` would be one), and UTF-8 text holds no other bytes. A character cut between two
 * chunks is kept whole. UTF-16 text that ends in half a character is refused (DecodeError), or, given
 * `onCutEnd`, read without it and said there.
 */
export async function* decodeText(
  bytes: AsyncIterable<Buffer>,
  onEncoding: (encoding: TextEncoding) => void,
  onMixed: MixedEncodingNotice = () => {},
  onCutEnd?: CutEndNotice,
): AsyncGenerator<string> {
  let encoding: TextEncoding | undefined;
  let decode: ((chunk: Buffer, offset: number) => string) | undefined;
  let offset = 0;
  let first = true;
  // An unfinished UTF-8 sequence at a chunk's end waits for the next chunk: only then can it be
  // told from Windows-1252 (whose é is also a UTF-8 lead byte).
  let held: Buffer | undefined;
  let mixedAt: number | undefined;
  /** The last byte of the text read so far: the letter before the first non-ASCII one may end the chunk before. */
  let lastByte = 0;
  // 8-bit text from its first non-ASCII byte on, until DECISION_BYTES of it (or the file's end) tell
  // its encoding: a fixed window, so the decision does not depend on where the file is cut.
  let eightBit: Buffer[] = [];
  let eightBitLength = 0;
  let eightBitAt = 0;
  let beforeEightBit = 0;
  const noteMixed = (at: number) => {
    if (mixedAt !== undefined) return;
    mixedAt = at;
    onMixed(at);
  };

  for await (let chunk of bytes) {
    if (held) {
      chunk = Buffer.concat([held, chunk]);
      offset -= held.length;
      held = undefined;
    }
    if (first) {
      // A first chunk shorter than a BOM that could start one waits for more bytes (a stream may
      // hand out one byte at a time); otherwise the mark would be read as text.
      if ((chunk.length < 3 && BOM_UTF8.subarray(0, chunk.length).equals(chunk)) || (chunk.length === 1 && (chunk[0] === 0xff || chunk[0] === 0xfe))) {
        if (chunk.length) held = chunk;
        offset += chunk.length;
        continue;
      }
      first = false;
      const bom = detectBom(chunk);
      if (bom) {
        encoding = bom.encoding;
        onEncoding(encoding);
        chunk = chunk.subarray(bom.length);
        offset += bom.length;
        if (encoding !== 'utf-8-bom') decode = utf16Decoder(encoding);
      }
    }
    if (encoding === 'utf-16le' || encoding === 'utf-16be') {
      const text = decode!(chunk, offset);
      offset += chunk.length;
      if (text) yield text;
      continue;
    }
    checkNoNul(chunk, offset);
    const cut = unfinishedUtf8Start(chunk);
    if (cut < chunk.length) {
      held = chunk.subarray(cut);
      chunk = chunk.subarray(0, cut);
    }
    let at = offset;
    offset += chunk.length + (held?.length ?? 0);
    if (!encoding && !eightBitLength) {
      const latin1 = chunk.toString('latin1');
      const firstHigh = latin1.search(NON_ASCII);
      if (firstHigh === -1) {
        if (chunk.length) {
          lastByte = chunk[chunk.length - 1]!;
          yield latin1;
        }
        continue;
      }
      // The first non-ASCII character alone tells UTF-8, not the rest of the chunk: the encoding and
      // where a mix is said to start must not depend on how the file was cut into chunks (a small
      // UTF-8 roster with one Windows-1252 row pasted in was called Windows-1252, and the warning
      // pointed at the header's first accent instead of the pasted row).
      UTF8_SEQUENCE_AT.lastIndex = firstHigh;
      if (UTF8_SEQUENCE_AT.test(latin1)) {
        encoding = 'utf-8';
        onEncoding(encoding);
      } else {
        if (firstHigh > 0) yield latin1.slice(0, firstHigh);
        beforeEightBit = firstHigh > 0 ? chunk[firstHigh - 1]! : lastByte;
        eightBitAt = at + firstHigh;
        chunk = chunk.subarray(firstHigh);
      }
    }
    if (!encoding) {
      eightBit.push(chunk);
      eightBitLength += chunk.length;
      if (eightBitLength < DECISION_BYTES + DECISION_LOOKAHEAD) continue;
      chunk = Buffer.concat(eightBit);
      at = eightBitAt;
      eightBit = [];
      encoding = eightBitEncoding(chunk, beforeEightBit);
      onEncoding(encoding);
    }
    decode ??= isEightBit(encoding) ? eightBitDecoder(encoding, noteMixed) : utf8Decoder(noteMixed);
    const text = decode(chunk, at);
    if (text) yield text;
  }
  if (!encoding && (eightBitLength || held)) {
    // The file ends before the window is full, or inside an unfinished UTF-8 sequence (whose bytes
    // are then not UTF-8): what there is decides.
    const rest = held ? Buffer.concat([...eightBit, held]) : Buffer.concat(eightBit);
    encoding = eightBitEncoding(rest, eightBitLength ? beforeEightBit : lastByte);
    onEncoding(encoding);
    const at = eightBitLength ? eightBitAt : offset - held!.length;
    const text = eightBitDecoder(encoding, noteMixed)(rest, at);
    if (text) yield text;
  } else if (held && onCutEnd && (encoding === 'utf-8' || encoding === 'utf-8-bom') && mixedAt === undefined && (held[0] === 0xc3 || held[0] === 0xc2)) {
    // A UTF-8 file cut inside an accented letter (its lead byte C3, or C2 of `°`, `¿`, a no-break
    // space): read as Windows-1252 it had been called a mix of the two encodings, the row ending
    // `JosÃ`. Not another lone byte: `José` typed in Windows-1252 at the end ends in E9, a lead byte too.
    onCutEnd('UTF-8');
  } else if (held) {
    // The file ends inside that unfinished sequence: its bytes are not UTF-8.
    offset -= held.length;
    const text = isEightBit(encoding) ? eightBitDecoder(encoding, noteMixed)(held, offset) : decodeMixed(held.toString('latin1'), offset, noteMixed);
    if (text) yield text;
  }
  if (!encoding) onEncoding('utf-8');
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    let tail: string;
    try {
      tail = decode!(Buffer.alloc(0), offset);
    } catch (error) {
      // Half a character after the last one (a file cut short, a byte a tool appended): every row was
      // read by now, and refusing the file here, after they were sent, failed each night's run for good.
      if (!onCutEnd) throw error;
      onCutEnd('UTF-16');
      return;
    }
    if (tail) yield tail;
  }
}

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** The UTF-16 byte order a file's first bytes mark, if they start with a UTF-16 byte-order mark. */
export function utf16ByteOrder(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const encoding = detectBom(head)?.encoding;
  return encoding === 'utf-16le' || encoding === 'utf-16be' ? encoding : undefined;
}

function detectBom(chunk: Buffer): { encoding: 'utf-8-bom' | 'utf-16le' | 'utf-16be'; length: number } | undefined {
  if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return { encoding: 'utf-8-bom', length: 3 };
  if (chunk[0] === 0xff && chunk[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (chunk[0] === 0xfe && chunk[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function utf16Decoder(encoding: 'utf-16le' | 'utf-16be'): (chunk: Buffer, offset: number) => string {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return (chunk, offset) => {
    try {
      return chunk.length ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new DecodeError(chunk.length ? `is not valid ${encoding} text near byte ${offset}: save it again as UTF-8` : `ends in the middle of a ${encoding} character`, offset);
    }
  };
}

/**
 * UTF-8 text (never cut mid-character); bytes that are not UTF-8 fall back to Windows-1252.
 * Decoded in streaming mode, though no character is ever left open between calls: Node's one-shot
 * decode flushes its converter each call, which made reading a UTF-8 file 0.3 s slower a million rows.
 */
function utf8Decoder(noteMixed: MixedEncodingNotice): (bytes: Buffer, offset: number) => string {
  let decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return (bytes, offset) => {
    try {
      return decoder.decode(bytes, { stream: true });
    } catch {
      decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // whatever it held of the bad bytes is gone
      return decodeMixed(bytes.toString('latin1'), offset, noteMixed);
    }
  };
}

/** Whether `encoding` is one `eightBitEncoding` chooses (the others are UTF-8 or UTF-16). */
function isEightBit(encoding: TextEncoding | undefined): encoding is EightBitEncoding {
  return encoding === 'windows-1252' || encoding === 'macintosh' || encoding === 'ibm850';
}

/** How text in an 8-bit encoding is decoded: Windows-1252 with any UTF-8 pasted in, the others by their table alone. */
function eightBitDecoder(encoding: EightBitEncoding, noteMixed: MixedEncodingNotice): (bytes: Buffer, offset: number) => string {
  if (encoding === 'windows-1252') return (bytes, offset) => decodeWindows1252(bytes, offset, noteMixed);
  const high = encoding === 'macintosh' ? MAC_ROMAN_HIGH : IBM850_HIGH;
  return (bytes) => decodeHighBytes(bytes, high);
}

/** Windows-1252 text; a valid UTF-8 sequence in it is read as UTF-8 (a pasted-in part of another file). */
function decodeWindows1252(bytes: Buffer, offset: number, noteMixed: MixedEncodingNotice): string {
  const latin1 = bytes.toString('latin1');
  const found = latin1.search(UTF8_SEQUENCE);
  if (found === -1) return latin1.replace(C1_BYTE, windows1252Char); // A0-FF are the same characters in both; only 80-9F differ
  noteMixed(offset + found);
  return decodeMixed(latin1, offset, noteMixed);
}

/** Character by character, over a Latin-1 view of the bytes: valid UTF-8 sequences as UTF-8, any other byte as Windows-1252. */
function decodeMixed(latin1: string, offset: number, noteMixed: MixedEncodingNotice): string {
  return latin1.replace(UTF8_OR_HIGH_BYTE, (match: string, at: number) => {
    if (match.length > 1) return Buffer.from(match, 'latin1').toString('utf8');
    noteMixed(offset + at);
    return windows1252Char(match);
  });
}

/** A complete, valid UTF-8 sequence of two to four bytes, over a Latin-1 view of the bytes (RFC 3629's table). */
const UTF8_SEQUENCE_SOURCE =
  '[\\xC2-\\xDF][\\x80-\\xBF]|\\xE0[\\xA0-\\xBF][\\x80-\\xBF]|[\\xE1-\\xEC\\xEE\\xEF][\\x80-\\xBF]{2}|\\xED[\\x80-\\x9F][\\x80-\\xBF]|\\xF0[\\x90-\\xBF][\\x80-\\xBF]{2}|[\\xF1-\\xF3][\\x80-\\xBF]{3}|\\xF4[\\x80-\\x8F][\\x80-\\xBF]{2}';
/** A UTF-8 character of two to four bytes, over a Latin-1 view of the bytes. */
export const UTF8_SEQUENCE = new RegExp(UTF8_SEQUENCE_SOURCE);
const UTF8_SEQUENCE_AT = new RegExp(UTF8_SEQUENCE_SOURCE, 'y');
const UTF8_OR_HIGH_BYTE = new RegExp(`${UTF8_SEQUENCE_SOURCE}|[\\x80-\\xFF]`, 'g');
const C1_BYTE = /[\x80-\x9F]/g;

/** Windows-1252's characters for bytes 80-9F; the five it leaves undefined stay as their C1 code, as browsers read them. */
const WINDOWS_1252_C1 = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function windows1252Char(byte: string): string {
  const code = byte.charCodeAt(0);
  return code >= 0x80 && code <= 0x9f ? WINDOWS_1252_C1[code - 0x80]! : byte;
}

/** How much 8-bit text, from its first non-ASCII byte on, tells Windows-1252 from Mac OS Roman: a roster's first few hundred rows. */
const DECISION_BYTES = 64 * 1024;
/** Bytes past the window read as context for its last ones (`’ll` and what follows). */
const DECISION_LOOKAHEAD = 3;

/**
 * Windows-1252, Mac OS Roman or code page 850, by which reads more non-ASCII bytes of the window as
 * Spanish text: each of the other two is scored against Windows-1252 (`macintoshEvidence`,
 * `ibm850Evidence`). One accent alone is not enough: Mac OS Roman's í ñ ó are Windows-1252's ’ – —
 * (`Mar’a` or María, but also `Sam’s Club`, `lun–vie`), so a file deciding on its first one read
 * `Mar\x92a José` and `Pe\x96a` as Windows-1252. A tie, as with no evidence at all, is
 * Windows-1252, by far the commoner: another encoding must win outright, and code page 850 must
 * also outscore Mac OS Roman (their Spanish letters hardly share a byte, so both rarely score).
 */
function eightBitEncoding(bytes: Buffer, before: number): EightBitEncoding {
  const end = Math.min(bytes.length, DECISION_BYTES);
  const byteAt = (at: number) => (at < bytes.length && at < DECISION_BYTES + DECISION_LOOKAHEAD ? bytes[at]! : 0);
  let macintosh = 0;
  let ibm850 = 0;
  for (let at = 0; at < end; at++) {
    const byte = bytes[at]!;
    if (byte < 0x80) continue;
    const prev = at > 0 ? bytes[at - 1]! : before;
    const next = byteAt(at + 1);
    const prev2 = at > 1 ? bytes[at - 2]! : 0x20;
    macintosh += macintoshEvidence(prev2, prev, byte, next, byteAt(at + 2), byteAt(at + 3));
    ibm850 += ibm850Evidence(prev2, prev, byte, next);
  }
  if (ibm850 > 0 && ibm850 > macintosh) return 'ibm850';
  return macintosh > 0 ? 'macintosh' : 'windows-1252';
}

/**
 * 1 where a non-ASCII `byte` (between `prev` and `next`, then `next2`, `next3`) reads as Spanish
 * text in Mac OS Roman and as a sign out of place in Windows-1252 (`Jos\x8E`: José or JosŽ;
 * `G\x97mez`: Gómez or G—mez; `3\xA1 A`: 3° A or 3¡ A), -1 the other way round (`Jos\xE9`: José
 * or JosÈ; `O\x92Brien`: O’Brien or OíBrien; `10\x9612`: 10–12 or 10ñ12), 0 where both read as
 * plausible text (`Lu\x92s`: Luís or Lu’s; `lun\x96vie`: lunñvie or lun–vie).
 */
function macintoshEvidence(prev2: number, prev: number, byte: number, next: number, next2: number, next3: number): number {
  switch (byte) {
    // Mac OS Roman's letters and signs first.
    // á é ú ü É Ñ Ü; in Windows-1252 ‡ Ž œ Ÿ ƒ „ †, which no Spanish word holds after a letter.
    case 0x87: case 0x8e: case 0x9c: case 0x9f: case 0x83: case 0x84: case 0x86:
      return isMacCapital(prev) || isLower(prev) ? 1 : 0;
    // í or ’: María, Díaz; O’Brien, D’Angelo; Sam’s, don’t, we’ll (and Luís) tell nothing.
    case 0x92:
      if (!isAsciiLetter(prev)) return 0;
      if (isUpper(next)) return -1;
      return isLower(next) && !isContractionEnd(next, next2, next3) ? 1 : 0;
    // ñ or –: between vowels (Peña, Año, Ibáñez), ñ; between figures or spaces (10–12, a – b), a dash.
    case 0x96:
      if (isVowel(prev, true) && isVowel(next, false)) return 1;
      return (isDigit(prev) && isDigit(next)) || (prev === 0x20 && next === 0x20) ? -1 : 0;
    // ó or —: between letters (Gómez, electrónico), ó; between figures, a dash.
    case 0x97:
      if (isAsciiLetter(prev) && isLower(next)) return 1;
      return isDigit(prev) && isDigit(next) ? -1 : 0;
    // Á Í Ó Ú or ç ê î ò: starting a word (Ángel, Óscar) or between capitals (RAMÍREZ, NÚÑEZ), a
    // capital; between lower-case letters (François, Benoît), the other.
    case 0xe7: case 0xea: case 0xee: case 0xf2:
      if ((isWordStart(prev) && (isAsciiLetter(next) || isMacCapital(next))) || (isMacCapital(prev) && isMacCapital(next))) return 1;
      return isLower(prev) && isLower(next) ? -1 : 0;
    // ° º ª after a figure (3° A, 6º B, 2ª); in Windows-1252 ¡ ¼ », of which only ¼ follows figures.
    case 0xa1: case 0xbc: case 0xbb:
      return isDigit(prev) ? 1 : 0;
    // ’ in a word (it’s), or after a name's one-letter start (O’Brien, D’Angelo); in Windows-1252 Õ,
    // never before a lower-case letter, nor right after a word's first capital (OÕBrien).
    case 0xd5:
      if (isAsciiLetter(prev) && isLower(next)) return 1;
      return isWordStart(prev2) && isUpper(prev) && isUpper(next) ? 1 : 0;
    // – between spaces or figures; in Windows-1252 Ð.
    case 0xd0:
      return (prev === 0x20 && next === 0x20) || (isDigit(prev) && isDigit(next)) ? 1 : 0;

    // Windows-1252's.
    // á é í ó ú ñ ü; in Mac OS Roman · È Ì Û ˙ Ò ¸, which no Spanish word holds.
    case 0xe1: case 0xe9: case 0xed: case 0xf3: case 0xfa: case 0xf1: case 0xfc:
      return isAsciiLetter(prev) || isAsciiLetter(next) ? -1 : 0;
    // Ñ between capitals (MUÑOZ); Mac OS Roman's — between words or spaces (nota—ver, a — b).
    case 0xd1:
      if (isUpper(prev) && isUpper(next)) return -1;
      return (isLower(prev) && isLower(next)) || (prev === 0x20 && next === 0x20) ? 1 : 0;
    // Ó between capitals or starting a word (LÓPEZ, Óscar); Mac OS Roman's ” closing one (“becado”).
    case 0xd3:
      if ((isUpper(prev) && isUpper(next)) || (isWordStart(prev) && isLower(next))) return -1;
      return isLower(prev) && isWordStart(next) ? 1 : 0;
    // É Í Ú Ü between capitals or starting a word (PÉREZ, Úrsula); in Mac OS Roman … Õ ⁄ ‹. Not Á:
    // Mac OS Roman's ¡ also starts words.
    case 0xc9: case 0xcd: case 0xda: case 0xdc:
      return (isUpper(prev) && isUpper(next)) || (isWordStart(prev) && isLower(next)) ? -1 : 0;
    case 0xc1:
      return isUpper(prev) && isUpper(next) ? -1 : 0;
    // ° º ª after a figure (3° A, 1º, 2ª); in Mac OS Roman ∞ ∫ ™.
    case 0xb0: case 0xba: case 0xaa:
      return isDigit(prev) ? -1 : 0;
    // “ opening a word, ” closing one; in Mac OS Roman ì and î.
    case 0x93:
      return isWordStart(prev) && isAsciiLetter(next) ? -1 : 0;
    case 0x94:
      return isAsciiLetter(prev) && isWordStart(next) ? -1 : 0;
    // € before a figure; in Mac OS Roman Ä.
    case 0x80:
      return isDigit(next) ? -1 : 0;
    default:
      return 0;
  }
}

/**
 * 1 where a non-ASCII `byte` (between `prev` and `next`) reads as Spanish text in code page 850 and
 * as a sign out of place in Windows-1252 (`Jos\x82`: José or Jos‚; `Mar\xA1a`: María or Mar¡a;
 * `\xB5ngel`: Ángel or µngel; `3\xF8 A`: 3° A or 3ø A), -1 the other way round (`Jos\xE9`: José or
 * JosÚ; `Pe\xF1a`: Peña or Pe±a; `3\xB0 A`: 3° A or 3░ A), 0 where neither reads better.
 */
function ibm850Evidence(prev2: number, prev: number, byte: number, next: number): number {
  switch (byte) {
    // Code page 850's letters and signs first.
    // é ü after a letter (José, Güero); in Windows-1252 ‚ and a C1 code.
    case 0x82: case 0x81:
      return isAsciiLetter(prev) ? 1 : 0;
    // í after a letter (María); Windows-1252's ¡ opening a word (¡Hola!).
    case 0xa1:
      if (isAsciiLetter(prev) && !isDigit(next)) return 1; // not N¡3: a Mac OS Roman N°3 read as 1252
      return isWordStart(prev) && isAsciiLetter(next) ? -1 : 0;
    // ó ú after a letter (Gómez, Núñez); Windows-1252's ¢ £ beside figures (50¢, £20).
    case 0xa2: case 0xa3:
      if (isAsciiLetter(prev) && !isDigit(next)) return 1; // not GBP£20
      return isDigit(prev) || isDigit(next) ? -1 : 0;
    // ñ Ñ between letters, the one before maybe accented (Peña, Ibáñez, MUÑOZ, NÚÑEZ); in Windows-1252 ¤ ¥.
    case 0xa4: case 0xa5:
      if (isIbm850Letter(prev) && isAsciiLetter(next)) return 1;
      return isDigit(prev) || isDigit(next) ? -1 : 0;
    // É beside a letter (PÉREZ, Éric); in Windows-1252 a C1 code, never text.
    case 0x90:
      return isAsciiLetter(prev) || isAsciiLetter(next) ? 1 : 0;
    // Ü between capitals (ARGÜELLO); in Windows-1252 š, a lower-case letter.
    case 0x9a:
      return isUpper(prev) && isUpper(next) ? 1 : 0;
    // Á starting a word, or after a capital (Ángel, SÁNCHEZ, MAMÁ); in Windows-1252 µ.
    case 0xb5:
      return (isWordStart(prev) && isIbm850Letter(next)) || isInCapitals(prev2, prev, next) ? 1 : 0;
    // Í after a capital (RAMÍREZ, NOEMÍ); in Windows-1252 Ö, whose words start with it (Özil) as Íker does.
    case 0xd6:
      return isInCapitals(prev2, prev, next) ? 1 : 0;
    // Ó starting a word, or after a capital (Óscar, LÓPEZ); in Windows-1252 à, which sits inside lower-case words.
    case 0xe0:
      if ((isWordStart(prev) && isIbm850Letter(next)) || isInCapitals(prev2, prev, next)) return 1;
      return isLower(prev) && isLower(next) ? -1 : 0;
    // Ú after a capital or before one (NÚÑEZ, JESÚS, ÚRSULA); Windows-1252's é after a letter (José,
    // Pérez). Before a lower-case letter at a word's start, either: Úrsula, but also él, época.
    case 0xe9:
      if (isInCapitals(prev2, prev, next) || (isWordStart(prev) && isUpper(next))) return 1;
      return isAsciiLetter(prev) ? -1 : 0;
    // ° º ª after a figure (3° A, 6º B, 2ª); in Windows-1252 ø § ¦.
    case 0xf8: case 0xa7: case 0xa6:
      return isDigit(prev) ? 1 : 0;
    // ¿ ¡ opening a word (¿Acepta?, ¡Bienvenido!); in Windows-1252 ¨ and a soft hyphen, which sits inside words.
    case 0xa8: case 0xad:
      return isWordStart(prev) && isAsciiLetter(next) ? 1 : 0;

    // Windows-1252's.
    // á í ó ú ñ ü beside a letter; in code page 850 ß Ý ¾ · ± ³.
    case 0xe1: case 0xed: case 0xf3: case 0xfa: case 0xf1: case 0xfc:
      return isAsciiLetter(prev) || isAsciiLetter(next) ? -1 : 0;
    // Ñ after a capital (MUÑOZ, BRISEÑO); in code page 850 Ð.
    case 0xd1:
      return isUpper(prev) && (isUpper(next) || isWordStart(next)) ? -1 : 0;
    // Á É Í Ó Ú Ü after a capital or starting a word (PÉREZ, JOSÉ, ÁLVAREZ, Óscar); in code page 850 ┴ ╔ ═ Ë ┌ ▄.
    case 0xc1: case 0xc9: case 0xcd: case 0xd3: case 0xda: case 0xdc:
      return (isUpper(prev) && (isUpper(next) || isWordStart(next))) || (isWordStart(prev) && isAsciiLetter(next)) ? -1 : 0;
    // ° º ª after a figure (3° A, 1º, 2ª); in code page 850 ░ ║ ¬.
    case 0xb0: case 0xba: case 0xaa:
      return isDigit(prev) ? -1 : 0;
    // ’ after a letter (O’Brien, Sam’s); in code page 850 Æ.
    case 0x92:
      return isAsciiLetter(prev) ? -1 : 0;
    // “ opening a word, ” closing one; in code page 850 ô and ö.
    case 0x93:
      return isWordStart(prev) && isAsciiLetter(next) ? -1 : 0;
    case 0x94:
      return isAsciiLetter(prev) && isWordStart(next) ? -1 : 0;
    // – — between figures or spaces (8–14, a — b); in code page 850 û ù.
    case 0x96: case 0x97:
      return (isDigit(prev) && isDigit(next)) || (prev === 0x20 && next === 0x20) ? -1 : 0;
    // € before a figure; in code page 850 Ç.
    case 0x80:
      return isDigit(next) ? -1 : 0;
    default:
      return 0;
  }
}

/** An ASCII letter or one of code page 850's Spanish letters (á é í ó ú ñ ü, Á É Í Ó Ú Ñ Ü): Ibáñez, NÚÑEZ. */
function isIbm850Letter(code: number): boolean {
  return isAsciiLetter(code) || IBM850_SPANISH_LETTERS.has(code);
}

/**
 * Whether a code page 850 capital between `prev` and `next` (after `prev2`) is inside or ends a word
 * in capitals: SÁNCHEZ, MAMÁ. Ending one, two capitals before it: `Fé` (Santa Fé in Windows-1252) is not.
 */
function isInCapitals(prev2: number, prev: number, next: number): boolean {
  return isUpper(prev) && (isIbm850Capital(next) || (isWordStart(next) && isUpper(prev2)));
}

/** A capital letter in ASCII or, for Spanish, in code page 850 (Á É Í Ó Ú Ñ Ü). */
function isIbm850Capital(code: number): boolean {
  return isUpper(code) || IBM850_SPANISH_CAPITALS.has(code);
}

const IBM850_SPANISH_CAPITALS = new Set([0xb5, 0x90, 0xd6, 0xe0, 0xe9, 0xa5, 0x9a]);
const IBM850_SPANISH_LETTERS = new Set([0xa0, 0x82, 0xa1, 0xa2, 0xa3, 0xa4, 0x81, ...IBM850_SPANISH_CAPITALS]);

/** Whether the letters after an apostrophe end the word as English's do: Sam’s, don’t, I’d, I’m, we’ll, you’re, I’ve. */
function isContractionEnd(next: number, next2: number, next3: number): boolean {
  if (!isAsciiLetter(next2)) return next === 0x73 || next === 0x74 || next === 0x64 || next === 0x6d; // s t d m
  if (isAsciiLetter(next3)) return false;
  const pair = String.fromCharCode(next, next2);
  return pair === 'll' || pair === 're' || pair === 've';
}

/** a e i o u, or Mac OS Roman's á é í ó ú; with `capitals`, A E I O U too. */
function isVowel(code: number, capitals: boolean): boolean {
  if (code === 0x87 || code === 0x8e || code === 0x92 || code === 0x97 || code === 0x9c) return true;
  const letter = String.fromCharCode(code);
  return 'aeiou'.includes(letter) || (capitals && 'AEIOU'.includes(letter));
}

/** Whether a word may start after `code`: the file's start (0), a space, a delimiter, a quote; not a letter, a figure or another non-ASCII byte. */
function isWordStart(code: number): boolean {
  return code < 0x80 && !isAsciiLetter(code) && !isDigit(code);
}

/** A capital letter in ASCII or, for Spanish, in Mac OS Roman (É Ñ Ü Á Í Ó Ú): MUÑOZ, NÚÑEZ. */
function isMacCapital(code: number): boolean {
  return isUpper(code) || code === 0x83 || code === 0x84 || code === 0x86 || code === 0xe7 || code === 0xea || code === 0xee || code === 0xf2;
}

function isAsciiLetter(code: number): boolean {
  return isUpper(code) || isLower(code);
}

function isUpper(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

function isLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Mac OS Roman's characters for bytes 80-FF (`€` at DB since Mac OS 8.5; Apple's logo at F0, a private-use character). */
const MAC_ROMAN_HIGH =
  '\u00C4\u00C5\u00C7\u00C9\u00D1\u00D6\u00DC\u00E1\u00E0\u00E2\u00E4\u00E3\u00E5\u00E7\u00E9\u00E8\u00EA\u00EB\u00ED\u00EC\u00EE\u00EF\u00F1\u00F3\u00F2\u00F4\u00F6\u00F5\u00FA\u00F9\u00FB\u00FC' +
  '\u2020\u00B0\u00A2\u00A3\u00A7\u2022\u00B6\u00DF\u00AE\u00A9\u2122\u00B4\u00A8\u2260\u00C6\u00D8\u221E\u00B1\u2264\u2265\u00A5\u00B5\u2202\u2211\u220F\u03C0\u222B\u00AA\u00BA\u2126\u00E6\u00F8' +
  '\u00BF\u00A1\u00AC\u221A\u0192\u2248\u2206\u00AB\u00BB\u2026\u00A0\u00C0\u00C3\u00D5\u0152\u0153\u2013\u2014\u201C\u201D\u2018\u2019\u00F7\u25CA\u00FF\u0178\u2044\u20AC\u2039\u203A\uFB01\uFB02' +
  '\u2021\u00B7\u201A\u201E\u2030\u00C2\u00CA\u00C1\u00CB\u00C8\u00CD\u00CE\u00CF\u00CC\u00D3\u00D4\uF8FF\u00D2\u00DA\u00DB\u00D9\u0131\u02C6\u02DC\u00AF\u02D8\u02D9\u02DA\u00B8\u02DD\u02DB\u02C7';
/** Code page 850's characters for bytes 80-FF (IBM's table, as Windows and iconv read it; Node's `TextDecoder` has none). */
const IBM850_HIGH =
  '\u00C7\u00FC\u00E9\u00E2\u00E4\u00E0\u00E5\u00E7\u00EA\u00EB\u00E8\u00EF\u00EE\u00EC\u00C4\u00C5\u00C9\u00E6\u00C6\u00F4\u00F6\u00F2\u00FB\u00F9\u00FF\u00D6\u00DC\u00F8\u00A3\u00D8\u00D7\u0192' +
  '\u00E1\u00ED\u00F3\u00FA\u00F1\u00D1\u00AA\u00BA\u00BF\u00AE\u00AC\u00BD\u00BC\u00A1\u00AB\u00BB\u2591\u2592\u2593\u2502\u2524\u00C1\u00C2\u00C0\u00A9\u2563\u2551\u2557\u255D\u00A2\u00A5\u2510' +
  '\u2514\u2534\u252C\u251C\u2500\u253C\u00E3\u00C3\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u00A4\u00F0\u00D0\u00CA\u00CB\u00C8\u0131\u00CD\u00CE\u00CF\u2518\u250C\u2588\u2584\u00A6\u00CC\u2580' +
  '\u00D3\u00DF\u00D4\u00D2\u00F5\u00D5\u00B5\u00FE\u00DE\u00DA\u00DB\u00D9\u00FD\u00DD\u00AF\u00B4\u00AD\u00B1\u2017\u00BE\u00B6\u00A7\u00F7\u00B8\u00B0\u00A8\u00B7\u00B9\u00B3\u00B2\u25A0\u00A0';
const HIGH_BYTE = /[\x80-\xFF]/g;

/** 8-bit text by a table of the characters for bytes 80-FF (ASCII is the same in all). */
function decodeHighBytes(bytes: Buffer, high: string): string {
  return bytes.toString('latin1').replace(HIGH_BYTE, (byte) => high[byte.charCodeAt(0) - 0x80]!);
}

/** A byte above 0x7f, over a Latin-1 view of the bytes (one char per byte, scanned natively). */
const NON_ASCII = /[\u0080-\u00ff]/;

/**
 * Where the bytes that the next chunk may still complete start at the end of `chunk`: an unfinished
 * UTF-8 sequence (a lead byte followed by fewer continuation bytes than it announces, all valid so
 * far), and any unfinished one just before it (`E1 F1`: the streaming decoder would keep the `E1` to
 * itself once the `F1` is held back, and lose it when the next chunk turns out not to be UTF-8).
 * `chunk.length` when there are none.
 */
function unfinishedUtf8Start(chunk: Buffer): number {
  let end = chunk.length;
  for (;;) {
    const start = unfinishedSequenceBefore(chunk, end);
    if (start === end) return end;
    end = start;
  }
}

/** Where an unfinished UTF-8 sequence ending at `end` starts, or `end` when the bytes before it end none. */
function unfinishedSequenceBefore(chunk: Buffer, end: number): number {
  for (let back = 1; back <= 3 && back <= end; back++) {
    const at = end - back;
    const byte = chunk[at]!;
    if (byte < 0x80) return end;
    if (byte < 0xc0) continue; // a continuation byte: look further back for its lead
    const needs = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1;
    return byte >= 0xc2 && byte <= 0xf4 && back <= needs ? at : end;
  }
  return end;
}

function checkNoNul(chunk: Buffer, offset: number): void {
  const at = chunk.indexOf(0);
  if (at !== -1) throw new DecodeError(`is not a text file (a NUL byte at byte ${offset + at}): export it as CSV or .xlsx`, offset + at);
}
