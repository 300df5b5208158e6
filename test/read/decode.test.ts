import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeText, type TextEncoding } from '../../src/read/decode.js';

async function* chunksOf(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const size of sizes) {
    yield bytes.subarray(at, at + size);
    at += size;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

/** Decodes `bytes` fed in chunks of the given sizes (the rest in one last chunk). */
async function decode(bytes: Buffer, sizes: number[] = []): Promise<{ text: string; encodings: TextEncoding[] }> {
  return decodeNoting(bytes, sizes).then(({ text, encodings }) => ({ text, encodings }));
}

/** The same, with where the text was first found to mix UTF-8 and Windows-1252 (each notice). */
async function decodeNoting(bytes: Buffer, sizes: number[] = []): Promise<{ text: string; encodings: TextEncoding[]; mixedAt: number[] }> {
  const encodings: TextEncoding[] = [];
  const mixedAt: number[] = [];
  let text = '';
  for await (const part of decodeText(
    chunksOf(bytes, sizes),
    (encoding) => encodings.push(encoding),
    (at) => mixedAt.push(at),
  )) {
    text += part;
  }
  return { text, encodings, mixedAt };
}

/** Every way to cut `bytes` in two. */
function everySplit(bytes: Buffer): number[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [i]);
}

const SAMPLE = 'Nombre;Teléfono\r\nÑúñez Peña;55 1234 5678\r\nZoë 😀 €;°\r\n';

describe('decodeText', () => {
  it('pure ASCII is reported as utf-8', async () => {
    expect(await decode(Buffer.from('a,b\n1,2\n'))).toEqual({ text: 'a,b\n1,2\n', encodings: ['utf-8'] });
  });

  it('an empty stream gives no text', async () => {
    expect(await decode(Buffer.alloc(0))).toEqual({ text: '', encodings: ['utf-8'] });
  });

  it('UTF-8 with BOM: the BOM is dropped, at every split, also inside the BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]);
    for (const sizes of [...everySplit(bytes), [1, 1], [0, 1, 0, 1, 1]]) {
      expect(await decode(bytes, sizes), `split at ${sizes.join(',')}`).toEqual({ text: SAMPLE, encodings: ['utf-8-bom'] });
    }
  });

  it('a file that is only part of a BOM is Windows-1252 text', async () => {
    expect(await decode(Buffer.from([0xef, 0xbb]), [1])).toEqual({ text: 'ï»', encodings: ['windows-1252'] });
    expect(await decode(Buffer.from([0xff]))).toEqual({ text: 'ÿ', encodings: ['windows-1252'] });
  });

  it('UTF-8 without BOM, cut at every byte: no character altered', async () => {
    const bytes = Buffer.from(SAMPLE, 'utf8');
    for (const sizes of everySplit(bytes)) {
      expect(await decode(bytes, sizes), `split at ${sizes[0]}`).toEqual({ text: SAMPLE, encodings: ['utf-8'] });
    }
  });

  it('UTF-8 fed one byte at a time', async () => {
    const bytes = Buffer.from(SAMPLE, 'utf8');
    expect(await decode(bytes, Array.from({ length: bytes.length }, () => 1))).toEqual({ text: SAMPLE, encodings: ['utf-8'] });
  });

  it('UTF-16 LE and BE with BOM, cut at every byte (odd cuts and split surrogate pairs)', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const sizes of [...everySplit(le), [1, 1], [0, 1, 1]]) {
      expect(await decode(le, sizes)).toEqual({ text: SAMPLE, encodings: ['utf-16le'] });
      expect(await decode(be, sizes)).toEqual({ text: SAMPLE, encodings: ['utf-16be'] });
    }
  });

  it('Windows-1252 without BOM is detected from its first non-ASCII byte, at every split', async () => {
    const text = 'Nombre;Teléfono\r\nÑúñez Peña;°\r\nPrecio €5;“citado”\r\n';
    const bytes = iconv.encode(text, 'win1252');
    for (const sizes of everySplit(bytes)) {
      expect(await decode(bytes, sizes), `split at ${sizes[0]}`).toEqual({ text, encodings: ['windows-1252'] });
    }
  });

  it('Windows-1252 whose first non-ASCII byte comes in a later chunk', async () => {
    const text = `${'abc,def\n'.repeat(100)}José;Ibáñez\n`;
    const bytes = iconv.encode(text, 'win1252');
    expect(await decode(bytes, [400, 100])).toEqual({ text, encodings: ['windows-1252'] });
  });

  it('Windows-1252 whose only non-ASCII byte is the file\'s last byte', async () => {
    const text = 'Nombre\nJosé';
    expect(await decode(iconv.encode(text, 'win1252'), [5])).toEqual({ text, encodings: ['windows-1252'] });
    expect(await decode(iconv.encode(text, 'win1252'))).toEqual({ text, encodings: ['windows-1252'] });
  });

  it('the encoding is reported once', async () => {
    const { encodings } = await decode(Buffer.from(SAMPLE.repeat(50), 'utf8'), [10, 20, 30, 40, 50]);
    expect(encodings).toEqual(['utf-8']);
  });

  it('a NUL byte in 8-bit text is a DecodeError naming the byte', async () => {
    const bytes = Buffer.from('a,b\n1,\u00002\n', 'latin1');
    await expect(decode(bytes)).rejects.toBeInstanceOf(DecodeError);
    await expect(decode(bytes)).rejects.toThrow(/NUL byte at byte 6/);
  });

  it('UTF-8 with a Windows-1252 part pasted in later reads each character in its own encoding, and says where', async () => {
    const utf8Part = Buffer.from('Nombre;Teléfono\nPeña;55\n', 'utf8');
    const cp1252Part = iconv.encode('Ibáñez “Toño”;56\n', 'win1252');
    const bytes = Buffer.concat([utf8Part, cp1252Part, Buffer.from('Zoë 😀;57\n', 'utf8')]);
    const expected = 'Nombre;Teléfono\nPeña;55\nIbáñez “Toño”;56\nZoë 😀;57\n';
    // Read whole or cut anywhere: the file starts in UTF-8, and the mix starts at the á of Ibáñez
    // (not at the é of Teléfono, though the first chunk may hold both).
    for (const sizes of [[], ...everySplit(bytes)]) {
      expect(await decodeNoting(bytes, sizes), `split at ${sizes[0]}`).toEqual({ text: expected, encodings: ['utf-8'], mixedAt: [utf8Part.length + 2] });
    }
  });

  it('Windows-1252 with a UTF-8 part pasted in reads the UTF-8 characters as UTF-8, and says where', async () => {
    const cp1252Part = iconv.encode('Nombre;Teléfono\nIbáñez;56\n', 'win1252');
    const bytes = Buffer.concat([cp1252Part, Buffer.from('José Peña € 😀;57\n', 'utf8')]);
    const expected = 'Nombre;Teléfono\nIbáñez;56\nJosé Peña € 😀;57\n';
    for (const sizes of everySplit(bytes)) {
      expect(await decodeNoting(bytes, sizes), `split at ${sizes[0]}`).toEqual({
        text: expected,
        encodings: ['windows-1252'],
        mixedAt: [cp1252Part.length + 3], // the é of José
      });
    }
  });

  it('a file in one encoding gives no mixing notice', async () => {
    expect((await decodeNoting(Buffer.from(SAMPLE, 'utf8'), [7])).mixedAt).toEqual([]);
    expect((await decodeNoting(iconv.encode('Nombre\nÑúñez “€” – ° ¿Sí?\n', 'win1252'), [9])).mixedAt).toEqual([]);
  });

  it('every byte of Windows-1252 reads as iconv-lite reads it, the five bytes it leaves undefined as their C1 code', async () => {
    const bytes = Buffer.from(Array.from({ length: 0x80 }, (_, i) => 0x80 + i).filter((byte) => byte < 0xc2 || byte > 0xf4));
    // Words in Windows-1252 first: the run of bytes 80-C1 alone reads as Mac OS Roman's letters (ÉÑÖÜá).
    const { text } = await decode(Buffer.concat([Buffer.from('Jos\xe9 Pe\xf1a ', 'latin1'), bytes]));
    const undefinedBytes = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
    const expected = [...bytes].map((byte) => (undefinedBytes.has(byte) ? String.fromCharCode(byte) : iconv.decode(Buffer.from([byte]), 'win1252'))).join('');
    expect(text).toBe(`José Peña ${expected}`);
  });

  it('UTF-8 that ends in the middle of a character keeps those bytes, read as Windows-1252', async () => {
    const bytes = Buffer.concat([Buffer.from('Peña\n', 'utf8'), Buffer.from([0xe2, 0x82])]);
    expect(await decodeNoting(bytes)).toEqual({ text: 'Peña\nâ‚', encodings: ['utf-8'], mixedAt: [6] });
  });
});

describe('decodeText: Mac OS Roman (Excel for Mac\'s "CSV")', () => {
  const macRoman = (text: string) => iconv.encode(text, 'macintosh');

  it('reads a Mac file whose first accent is a Spanish letter in a word, at every split', async () => {
    const text = 'Nombre,Teléfono,Acepta\rMaría José Núñez,55 1234 5678,Sí\rAndrés Peña,,no\r';
    const bytes = macRoman(text);
    for (const sizes of [...everySplit(bytes), [9, 1, 1]]) {
      expect(await decode(bytes, sizes), `split at ${sizes.join(',')}`).toEqual({ text, encodings: ['macintosh'] });
    }
  });

  it('keeps Windows-1252 for Excel for Windows\' files, also where the first byte above 0x7f is Mac OS Roman\'s í, ñ or ó', async () => {
    for (const text of ['Nombre;Teléfono\r\nNúñez;1\r\n', 'Nombre\r\nO’Brien Núñez\r\n', 'Cliente\r\nSam’s Club Satélite\r\n', 'Horario\r\nlun–vie José\r\n', 'Nombre\r\nAna—Sofía\r\n', 'Marca\r\nNike™\r\n']) {
      const bytes = iconv.encode(text, 'windows-1252');
      for (const sizes of everySplit(bytes)) expect(await decode(bytes, sizes), `${text} split at ${sizes}`).toEqual({ text, encodings: ['windows-1252'] });
    }
  });

  it('reads a Mac file whose first accent is í, ñ, ó, Á or °, or starts a word, at every split', async () => {
    // Excel for Mac's saves as a reviewer made them: read as Windows-1252 before, JosŽ çngel PŽrez,
    // Mar’a, Luis Pe–a, and the headers TelŽfono, Matr’cula and Correo electr—nico not recognised.
    const texts = [
      'Nombre completo,Matrícula,Correo electrónico,Teléfono,Grado\r\nJosé Ángel Pérez,A001,jose@gmail.com,5587654321,3° B\r\nMaría Fernanda Ruiz,A002,maria@gmail.com,5512345678,3° A\r\n',
      'Nombre,Usuario,Correo,Grupo\rLuis Peña,lpena,luis@gmail.com,3A\rAna Muñoz,amunoz,ana@gmail.com,3A\rJosé Pérez,jperez,jose@gmail.com,3° B\rMaría Ibáñez,mibanez,maria@gmail.com,3B\r',
      'Nombre completo,Usuario,Correo,Grado\r\nMaría Fernanda Ruiz,mruiz,maria@gmail.com,3° A\r\nJosé Ángel Pérez,jperez,jose@gmail.com,3° B\r\nSofía Gómez Ibáñez,sgomez,sofia@gmail.com,2° A\r\n',
      'Nombre,Apellidos\rLeón,Gómez Colón\rRamón,Rincón\r',
      'Grupo,Nombre\r3° A,Luis Pérez\r',
      'Nombre\rÁngel Ruiz\rÓscar Díaz\r',
      'NOMBRE\rMUÑOZ NÚÑEZ ÁNGEL\rRAMÍREZ LÓPEZ JOSÉ\r',
      'Alumno,Notas\rAna Ruiz,“becado” – 6º B\r',
      // A curly apostrophe after a name's first letter, and no accent: read as Windows-1252, OÕBrien.
      'Nombre,Correo\rSean O’Brien,sean@gmail.com\rAna D’Angelo,ana@gmail.com\r',
    ];
    for (const text of texts) {
      const bytes = macRoman(text);
      expect(iconv.decode(bytes, 'windows-1252'), 'the case is one Windows-1252 could be').not.toBe(text);
      for (const sizes of [[], ...everySplit(bytes)]) expect(await decode(bytes, sizes), `${text} split at ${sizes}`).toEqual({ text, encodings: ['macintosh'] });
    }
  });

  it('keeps Windows-1252 for rosters with ’ – — ° “ ” and ñ, whichever of them comes first, at every split', async () => {
    const rows = [
      'Patrick O’Brien Núñez;3° A;“becado”',
      'Ana—Sofía Peña;1º B;Sam’s Club, McDonald’s',
      'JOSÉ ÁLVAREZ MUÑOZ;2ª C;horario lun–vie 8–14 – pagó €20',
      'Luis D’Angelo;3° B;it’s ok — we’ll see',
      'Begoña Ibáñez;6º A;Ángel, Óscar, Úrsula',
      'François Muñoz;5° C;niño(a) – turno “B”',
    ];
    for (let first = 0; first < rows.length; first++) {
      const text = `Nombre completo;Grupo;Notas\r\n${[...rows.slice(first), ...rows.slice(0, first)].join('\r\n')}\r\n`;
      const bytes = iconv.encode(text, 'windows-1252');
      for (const sizes of [[], ...everySplit(bytes)]) expect(await decode(bytes, sizes), `row ${first} first, split at ${sizes}`).toEqual({ text, encodings: ['windows-1252'] });
    }
  });

  it('decides on the first 64 KiB from the first non-ASCII byte, wherever the file is cut', async () => {
    // María in Mac OS Roman (its í at byte 10), then ASCII, then Windows-1252's José, whose é is the
    // first byte past the window (María decides) or its last (a tie: Windows-1252).
    for (const [fill, encoding] of [
      [64 * 1024 - 7, 'macintosh'],
      [64 * 1024 - 8, 'windows-1252'],
    ] as const) {
      const bytes = Buffer.concat([Buffer.from('Nombre\nMar\x92a\n', 'latin1'), Buffer.alloc(fill, 'x'), Buffer.from('\nJos\xe9\n', 'latin1')]);
      const whole = await decode(bytes);
      expect(whole.encodings).toEqual([encoding]);
      expect(whole.text.slice(0, 12)).toBe(encoding === 'macintosh' ? 'Nombre\nMaría' : 'Nombre\nMar’a');
      // The window ends at byte 65546, its context 3 bytes later.
      for (const sizes of [[1], [11], [65545], [65546], [65549], [65550], [4096, 4096], [10, 65536, 1, 1, 1, 1], [bytes.length - 1]]) {
        expect(await decode(bytes, sizes), `split at ${sizes}`).toEqual(whole);
      }
    }
  });

  it('reads every byte as Mac OS Roman does (the euro sign at DB since Mac OS 8.5, Apple\'s logo at F0)', async () => {
    const high = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    const { text, encodings } = await decode(Buffer.concat([Buffer.from('Jos\x8E ', 'latin1'), high]));
    expect(encodings).toEqual(['macintosh']);
    const expected = iconv.decode(high, 'macintosh').replace('\u00A4', '\u20AC').replace('\uFFFD', '\uF8FF');
    expect(text).toBe(`José ${expected}`);
  });
});

describe('decodeText: code page 850 (Excel\'s "CSV (MS-DOS)", DOS-era school systems)', () => {
  const cp850 = (text: string) => iconv.encode(text, 'cp850');

  it('reads a DOS file whose first accent is a Spanish letter in a word, at every split', async () => {
    const text = 'Nombre completo;Matrícula;Teléfono;Correo electrónico\r\nJosé Peña Núñez;M-0101;55 1234 5678;jose@gmail.com\r\n';
    const bytes = cp850(text);
    for (const sizes of [...everySplit(bytes), [20, 1, 1]]) {
      expect(await decode(bytes, sizes), `split at ${sizes.join(',')}`).toEqual({ text, encodings: ['ibm850'] });
    }
  });

  it('reads DOS files whatever their first accent, in capitals or not, at every split', async () => {
    // Read as Windows-1252 before: Jos‚ Pe¤a N£¤ez, Mar¡a Ram¢n G¢mez, µngel Ib ¤ez, Matr¡cula.
    const texts = [
      'Nombre,Apellidos\r\nMaría,Ramón Gómez\r\nÁngel,Ibáñez\r\n',
      'Nombre\r\nÁngel Ibáñez\r\nÓscar Díaz\r\n',
      'NOMBRE;GRADO\r\nMUÑOZ NÚÑEZ ÁNGEL;3° A\r\nRAMÍREZ LÓPEZ JOSÉ;6º B\r\nARGÜELLO PÉREZ JESÚS;2ª C\r\n',
      'Alumno;Beca\r\nLuis Güemes;¿Sí?\r\n',
      'Nombre\r\nÚrsula Yáñez\r\nNoemí Peña\r\n',
    ];
    for (const text of texts) {
      const bytes = cp850(text);
      expect(iconv.decode(bytes, 'windows-1252'), 'the case is one Windows-1252 could be').not.toBe(text);
      for (const sizes of [[], ...everySplit(bytes)]) expect(await decode(bytes, sizes), `${text} split at ${sizes}`).toEqual({ text, encodings: ['ibm850'] });
    }
  });

  it('keeps Mac OS Roman for a file whose N° reads as code page 850\'s í before a figure', async () => {
    const text = 'Nombre,Notas\r\nAna Ruiz,N°3\r\nLuis Diaz,N°4\r\nPedro Gomez,Peña\r\n';
    const bytes = iconv.encode(text, 'macintosh');
    for (const sizes of [[], ...everySplit(bytes)]) expect(await decode(bytes, sizes), `split at ${sizes}`).toEqual({ text, encodings: ['macintosh'] });
  });

  it('keeps Windows-1252 and Mac OS Roman for their own files holding the same text', async () => {
    const text = 'Nombre completo;Matrícula;Grado\r\nJosé Peña Núñez;M-0101;3° A\r\nMaría Ramón Gómez;M-0102;1º B\r\nÁngel Ibáñez;M-0103;2° A\r\nÓSCAR MUÑOZ DÍAZ;M-0104;6° B\r\n';
    for (const [encoding, iconvName] of [['windows-1252', 'win1252'], ['macintosh', 'macintosh']] as const) {
      const bytes = iconv.encode(text, iconvName);
      for (const sizes of [[], ...everySplit(bytes)]) expect(await decode(bytes, sizes), `${encoding} split at ${sizes}`).toEqual({ text, encodings: [encoding] });
    }
  });

  it('keeps Windows-1252 where its signs sit as code page 850\'s letters would, if its accents say so', async () => {
    const texts = [
      'Nombre;Notas\r\nJuan\u00a0Carlos Pérez;¡Bienvenido!\r\n', // a no-break space (á in code page 850) and an opening ¡ (í)
      'Concepto;Notas\r\nCuota £20, 50¢;¥100 – Peña\r\n',
      'Nombre;Notas\r\nMesut Özil;Dosis 5µg, pagó\r\n', // Ö and µ are code page 850's Í and Á
      'Nombre\r\nPàmies Núñez\r\nél mismo\r\n',
      // An accented capital ending a word after one capital (Santa Fé), starting one (ÁLVAREZ, ÚRSULA), a price after £.
      'Nombre,Colonia\r\nAna Ruiz,Santa Fé\r\nLuis Díaz,Santa Fé\r\nJorge Perez,Lomas de Santa Fé\r\n',
      'NOMBRE\r\nÁLVAREZ RUIZ ANA\r\nÓSCAR GOMEZ\r\nKÖHLER SCHÖN PEDRO\r\nÚRSULA DIAZ\r\n',
      'Nombre;Pago\r\nAna Ruiz;GBP£20\r\n',
    ];
    for (const text of texts) {
      const bytes = iconv.encode(text, 'win1252');
      for (const sizes of [[], ...everySplit(bytes)]) expect(await decode(bytes, sizes), `${text} split at ${sizes}`).toEqual({ text, encodings: ['windows-1252'] });
    }
  });

  it('decides on the first 64 KiB from the first non-ASCII byte, and reads what follows in code page 850, in any chunks', async () => {
    // José in code page 850 (é at byte 10), then ASCII, then Windows-1252's José, whose é is the
    // first byte past the window (the first José decides) or its last (a tie: Windows-1252).
    for (const [fill, encoding] of [
      [64 * 1024 - 7, 'ibm850'],
      [64 * 1024 - 8, 'windows-1252'],
    ] as const) {
      const bytes = Buffer.concat([Buffer.from('Nombre\nJos\x82 \n', 'latin1'), Buffer.alloc(fill, 'x'), Buffer.from('\nJos\xe9\n', 'latin1')]);
      const whole = await decode(bytes);
      expect(whole.encodings).toEqual([encoding]);
      expect(whole.text.slice(0, 11)).toBe(encoding === 'ibm850' ? 'Nombre\nJosé' : 'Nombre\nJos‚');
      expect(whole.text.slice(-5)).toBe(encoding === 'ibm850' ? 'JosÚ\n' : 'José\n');
      for (const sizes of [[1], [11], [65545], [65546], [65549], [65550], [4096, 4096], [10, 65536, 1, 1, 1, 1], [bytes.length - 1]]) {
        expect(await decode(bytes, sizes), `split at ${sizes}`).toEqual(whole);
      }
    }
  });

  it('reads a roster several windows long, cut in 64 KiB chunks or at random, as iconv-lite does', async () => {
    const rows = ['Nombre completo;Matrícula;Teléfono;Correo electrónico'];
    for (let i = 0; rows.join('\r\n').length < 300 * 1024; i++) rows.push(`José Peña Núñez ${i};M-${i};55 1234 5678;jose${i}@gmail.com`, `ÁNGEL IBÁÑEZ ${i};M-${i}b;;`);
    const text = `${rows.join('\r\n')}\r\n`;
    const bytes = cp850(text);
    let seed = 850;
    const randomSizes = Array.from({ length: 200 }, () => (seed = (seed * 48271) % 0x7fffffff) % 4096);
    for (const sizes of [[], Array.from({ length: 5 }, () => 64 * 1024), randomSizes]) {
      expect(await decode(bytes, sizes)).toEqual({ text, encodings: ['ibm850'] });
    }
  });

  it('reads every byte as iconv-lite reads code page 850', async () => {
    const high = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    const expected = iconv.decode(high, 'cp850');
    // Words in code page 850 first: the run of bytes alone reads as a few Mac OS Roman capitals and letters.
    const words = 'José María Peña Núñez ';
    for (const sizes of [[], [6], [6, 1, 1], [70]]) {
      expect(await decode(Buffer.concat([cp850(words), high]), sizes)).toEqual({ text: `${words}${expected}`, encodings: ['ibm850'] });
    }
  });
});

describe('decodeText on generated bytes', () => {
  // A fixed-seed generator: the same cases every run, so a failure can be replayed.
  let seed = 20240611;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  /** Chunk sizes cutting `length` bytes at random points (empty chunks included). */
  const randomCuts = (length: number) => {
    const sizes: number[] = [];
    for (let left = length; left > 0 && random(5) > 0; ) {
      const size = random(Math.min(left, 6) + 1);
      sizes.push(size);
      left -= size;
    }
    return sizes;
  };
  // Bytes that start, continue, break or fake UTF-8 sequences and BOMs, among any other byte.
  const TRICKY = [0x41, 0x0a, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xe0, 0xf4, 0x8f, 0xc0, 0xc1, 0xf5, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0x81, 0x8d, 0x90, 0x9d];
  const UTF8_SEQUENCE = /[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2}/;

  it('any bytes cut anywhere decode as they do whole: same text, encoding and mixing notice', async () => {
    for (let n = 0; n < 3000; n++) {
      const bytes = Buffer.from(Array.from({ length: random(40) }, () => (random(10) < 7 ? TRICKY[random(TRICKY.length)]! : 1 + random(255))));
      const sizes = randomCuts(bytes.length);
      expect(await decodeNoting(bytes, sizes), `${bytes.toString('hex')} cut ${sizes.join(',')}`).toEqual(await decodeNoting(bytes));
    }
  });

  it('valid UTF-8 cut anywhere decodes as Buffer.toString does, with no notice', async () => {
    const chars = ['a', '\n', 'é', 'Ñ', '€', '😀', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{10ffff}'];
    for (let n = 0; n < 1000; n++) {
      const bytes = Buffer.from(Array.from({ length: random(20) }, () => chars[random(chars.length)]).join(''), 'utf8');
      const sizes = randomCuts(bytes.length);
      const { text, mixedAt } = await decodeNoting(bytes, sizes);
      expect({ text, mixedAt }, `${bytes.toString('hex')} cut ${sizes.join(',')}`).toEqual({ text: bytes.toString('utf8'), mixedAt: [] });
    }
  });

  it('Windows-1252 cut anywhere decodes as iconv-lite does, but for its five undefined bytes', async () => {
    const undefinedBytes = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
    for (let n = 0; n < 1000; n++) {
      const bytes = Buffer.from(Array.from({ length: random(30) }, () => 1 + random(255)));
      // Pairs that form valid UTF-8 are read as UTF-8 on purpose; a UTF-16 BOM names UTF-16.
      if (UTF8_SEQUENCE.test(bytes.toString('latin1')) || (bytes[0]! >= 0xfe && bytes[1]! >= 0xfe)) continue;
      // Bytes that read more as Mac OS Roman or code page 850 letters in words (`x\x8Ez`, `x\x82z`): tested above.
      if ((await decode(bytes)).encodings[0] !== 'windows-1252') continue;
      const sizes = randomCuts(bytes.length);
      const expected = [...bytes].map((byte) => (undefinedBytes.has(byte) ? String.fromCharCode(byte) : iconv.decode(Buffer.from([byte]), 'win1252'))).join('');
      expect((await decodeNoting(bytes, sizes)).text, `${bytes.toString('hex')} cut ${sizes.join(',')}`).toBe(expected);
    }
  });
});
