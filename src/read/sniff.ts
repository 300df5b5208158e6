import { open } from 'node:fs/promises';
import { utf16ByteOrder } from './decode.js';

/** What a file is by its content, whatever its name says. */
export type FileKind =
  | 'xlsx'
  | 'xls'
  | 'xlsb'
  | 'encrypted-office'
  | 'rights-managed-office'
  | 'ods'
  | 'numbers'
  | 'zip-of-files'
  | 'zip-other'
  | 'pdf'
  | 'png'
  | 'html'
  | 'mhtml'
  | 'xml-spreadsheet'
  | 'fods'
  | 'sylk'
  | 'dif'
  | 'journal'
  | 'google-drive-shortcut'
  | 'json'
  | 'text'
  | 'utf16-no-bom'
  | 'binary'
  | 'empty';

/** What a person is told about a file that is neither CSV text nor an .xlsx workbook: what it is, what to do. */
export const UNREADABLE_KINDS: Record<Exclude<FileKind, 'xlsx' | 'text'>, string> = {
  xls: 'is an old Excel 97-2003 workbook (.xls), which is not read: open it in Excel and save it as .xlsx or .csv',
  xlsb: 'is an Excel Binary Workbook (.xlsb), which is not read: open it in Excel and save it as .xlsx (Excel Workbook) or .csv',
  'encrypted-office': 'is password-protected: remove the password in Excel (File > Info > Protect Workbook > Encrypt with Password) and save again',
  'rights-managed-office': 'is encrypted by Microsoft 365 (a sensitivity label that encrypts, or Restrict Access), so only Office can open it: in Excel, choose a sensitivity label without encryption (or remove the restriction) and save again, or save a copy as .csv',
  ods: 'is an OpenDocument spreadsheet (.ods): open it in LibreOffice Calc or Excel and save it as .xlsx or .csv',
  numbers: 'is an Apple Numbers spreadsheet (.numbers), which is not read: in Numbers choose File > Export To > Excel (or CSV) and import the exported file',
  'zip-of-files': 'is a ZIP archive (a compressed folder) holding spreadsheet or CSV files, not a workbook itself: extract it (Windows: right-click > Extract All; Mac: double-click it) and import the roster file from it',
  'zip-other': 'is a ZIP archive but not an Excel workbook: save the roster as .xlsx or .csv',
  pdf: 'is a PDF document, not a roster: export the roster from where it was made as .xlsx or .csv',
  png: 'is a PNG image, not a roster: save the roster as .xlsx or .csv',
  html: 'is a web page (HTML), as the "export to Excel" button of many school and web systems writes it: open it in Excel and save it as .xlsx (Excel Workbook) or .csv',
  mhtml: 'is a single-file web page (MHTML, .mht), as Excel\'s "Single File Web Page" and the "export to Excel" button of some systems save it: open it in Excel and save it as .xlsx (Excel Workbook) or .csv',
  'xml-spreadsheet': 'is an Excel 2003 XML spreadsheet, which is not read: open it in Excel and save it as .xlsx (Excel Workbook) or .csv',
  fods: 'is a flat OpenDocument spreadsheet (.fods, LibreOffice\'s XML format), which is not read: open it in LibreOffice Calc or Excel and save it as .xlsx or .csv',
  sylk: 'is a SYLK spreadsheet (.slk, an old exchange format that Excel and some school systems save, often named .xls), which is not read: open it in Excel or LibreOffice Calc and save it as .xlsx or .csv',
  dif: 'is a DIF spreadsheet (.dif, Data Interchange Format), which is not read: open it in Excel or LibreOffice Calc and save it as .xlsx or .csv',
  journal: 'is the journal of an earlier import (its memory, for a resume), not a roster: import the original file again',
  'google-drive-shortcut': 'is a Google Drive shortcut (.gsheet), not the spreadsheet itself: open it in Google Sheets, choose File > Download > Microsoft Excel (.xlsx) or Comma-separated values (.csv), and import the downloaded file',
  json: 'is a JSON file, not a roster (a mapping file is given with --mapping): export the roster as .xlsx or .csv',
  'utf16-no-bom': 'is UTF-16 text without the byte order mark that says so, which is not read: save it from Excel as "CSV UTF-8 (comma delimited)" or as .xlsx',
  binary: 'is neither a text (CSV) file nor an Excel workbook: export the roster as .xlsx or .csv',
  empty: 'is empty (0 bytes): save the roster again as .xlsx or .csv',
};

const SAMPLE_BYTES = 64 * 1024;
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
/** Rights management's data space (MS-OFFCRYPTO's IRMDS): `DRMEncryptedDataSpace`, `DRMEncryptedTransform`. */
const DRM_ENCRYPTED = Buffer.from('DRMEncrypted', 'utf16le');
const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/**
 * Tells what a file is by reading its first bytes (up to 64 KB, plus the zip's central directory
 * at the end when the start of a zip is not conclusive). Never trusts the file name.
 * A password-protected .xlsx/.docx is an OLE2 container like an old .xls; it is told apart by its
 * `EncryptedPackage` stream. Throws the fs error when the file cannot be opened (ENOENT, EISDIR…).
 */
export async function sniffFileKind(path: string): Promise<FileKind> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return 'empty';
    const sample = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    const head = sample.subarray(0, bytesRead);

    if (head.subarray(0, 8).equals(OLE2_MAGIC)) {
      return ole2Kind(await ole2Directory(handle, head, size));
    }
    if (isZipStart(head)) return sniffZip(head, await readZipTail(handle, size));
    if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
    if (head.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
    if (looksLikeUtf16WithoutBom(head)) return 'utf16-no-bom';
    if (!looksLikeText(head)) return 'binary';
    return markupKind(head) ?? exchangeFormatKind(head) ?? jsonKind(head) ?? 'text';
  } finally {
    await handle.close();
  }
}

/**
 * Markup in a text file: a web page, an Excel 2003 XML workbook or a flat OpenDocument spreadsheet
 * (LibreOffice's .fods) saved with a spreadsheet's name. Other XML is left to the CSV reader.
 */
function markupKind(head: Buffer): 'html' | 'mhtml' | 'xml-spreadsheet' | 'fods' | undefined {
  const bom = head[0] === 0xff && head[1] === 0xfe ? 'utf16le' : undefined;
  const text = (bom ? head.toString('utf16le', 2) : head.toString('latin1')).replace(/^(?:\xef\xbb\xbf|\ufeff)?\s*/, '');
  if (isWebArchive(text)) return 'mhtml';
  if (text[0] !== '<') return undefined;
  const start = text.slice(0, 4096).toLowerCase();
  if (/^<(?:!doctype html|html|head|body|table|meta|style|title)[\s>]/.test(start)) return 'html';
  // Also without the `<?xml …?>` line, as scripts that write it by hand may leave it out.
  if (/<(?:ss:)?workbook[\s>]/.test(start) && start.includes('urn:schemas-microsoft-com:office:spreadsheet')) return 'xml-spreadsheet';
  // A page that opens with something else, as ASP.NET's GridView exports (`<div>` around the
  // table) or a comment do: its table's tags give it away. Read as CSV, its first line was the header.
  if (/^<(?:!--|[a-z])/.test(start) && /<table[\s>]/.test(start) && /<t[dh][\s>]/.test(start)) return 'html';
  if (!start.startsWith('<?xml')) return undefined;
  // The root element declares some forty namespaces before its mimetype: look through the sample.
  if (/<office:document[\s>]/.test(text) && text.includes(`office:mimetype="${ODS_MIMETYPE}"`)) return 'fods';
  return /<html[\s>]/.test(start) ? 'html' : undefined;
}

/**
 * MHTML: a web page and its parts in one MIME message, what Excel's "Save as Single File Web Page"
 * writes (`MIME-Version: 1.0`, then `Content-Type: multipart/related`), also under an .xls name.
 */
function isWebArchive(text: string): boolean {
  const headers = /^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+/.exec(text)?.[0] ?? '';
  return /^mime-version:/im.test(headers) && /^content-type:\s*multipart\/related/im.test(headers);
}

/**
 * The text exchange formats a spreadsheet program saves, which the CSV reader would take for a
 * one-column list: SYLK (`ID;PWXL;N;E` from Excel, `ID;PCALCOOO32` from LibreOffice, then cell
 * records `C;X1;Y1;K"Nombre"`) and DIF (`TABLE`, `0,1`, a quoted title, then `VECTORS`). A CSV whose
 * first header is `ID` (`ID;Padre;Nombre`) has no cell record after it.
 */
function exchangeFormatKind(head: Buffer): 'sylk' | 'dif' | undefined {
  const text = head.toString('latin1');
  if (/^ID;P[^\r\n]*\r?\n/.test(text) && /\nC;[XY]\d+;/.test(text)) return 'sylk';
  if (/^TABLE\r?\n0,1\r?\n"[^"\r\n]*"\r?\n/.test(text) && /\nVECTORS\r?\n/.test(text)) return 'dif';
  return undefined;
}

/**
 * JSON picked for the roster: our own journal (`{"journal":1,…}` a line), a mapping file, a JSON
 * report. Read as a CSV, its first line was taken for column names. An object or an array of
 * objects or strings starts it; no roster's first header starts so. Google Drive for desktop shows
 * a Google Sheets spreadsheet as a small `.gsheet` file of JSON that names the document (`doc_id`).
 */
function jsonKind(head: Buffer): 'journal' | 'google-drive-shortcut' | 'json' | undefined {
  const text = head.toString('utf8').replace(/^\ufeff?\s*/, '');
  if (text.startsWith('{"journal":')) return 'journal';
  // Google's is a few hundred bytes; a mapping file that names a doc_id column says "columns".
  if (text.length < 1024 && /^\{[^]*"doc_id"\s*:\s*"/.test(text) && !text.includes('"columns"')) return 'google-drive-shortcut';
  return /^(?:\{\s*"|\[\s*[{"\]])/.test(text) ? 'json' : undefined;
}

function isZipStart(head: Buffer): boolean {
  // Local file header, or the end record of an empty archive.
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/** Entry names seen in the local file headers of the sample, and the stored `mimetype` text. */
function localEntries(head: Buffer): { names: string[]; mimetype?: string } {
  const names: string[] = [];
  let mimetype: string | undefined;
  let at = head.indexOf('PK\x03\x04', 0, 'latin1');
  while (at >= 0 && at + 30 <= head.length) {
    const nameLength = head.readUInt16LE(at + 26);
    const extraLength = head.readUInt16LE(at + 28);
    const nameEnd = at + 30 + nameLength;
    if (nameEnd > head.length) break;
    const name = head.toString('utf8', at + 30, nameEnd);
    names.push(name);
    // ODF puts an uncompressed `mimetype` entry first.
    if (name === 'mimetype' && head.readUInt16LE(at + 8) === 0) {
      const dataStart = nameEnd + extraLength;
      const length = head.readUInt32LE(at + 18);
      mimetype = head.toString('latin1', dataStart, Math.min(head.length, dataStart + length));
    }
    at = head.indexOf('PK\x03\x04', nameEnd, 'latin1');
  }
  return mimetype === undefined ? { names } : { names, mimetype };
}

/** Entry names from the end of a zip; `whole` when they are its central directory's, read where its end record says. */
type ZipTail = { names: string[]; whole: boolean };

const CENTRAL_DIRECTORY_LIMIT = 1024 * 1024;

/**
 * The central directory's entry names, when the end of the file holds one (empty if truncated): the
 * directory the end record points at (up to 1 MB, all the entries it counts), else the entries seen
 * in the last 64 KB (a damaged end, or a directory too large).
 */
async function readZipTail(handle: import('node:fs/promises').FileHandle, size: number): Promise<ZipTail> {
  const length = Math.min(size, SAMPLE_BYTES);
  const tail = Buffer.alloc(length);
  await handle.read(tail, 0, length, size - length);
  // The end record is 22 bytes: a shorter tail has none (a negative offset would count from its end).
  const end = length < 22 ? -1 : tail.lastIndexOf('PK\x05\x06', length - 22, 'latin1');
  if (end >= 0) {
    const entryCount = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directorySize <= CENTRAL_DIRECTORY_LIMIT && directoryOffset + directorySize <= size - length + end) {
      const directory = Buffer.alloc(directorySize);
      await handle.read(directory, 0, directory.length, directoryOffset);
      const names = centralNames(directory);
      // Whole only if every entry the end record counts was read: one cut short or damaged may hide the workbook's parts.
      if (names.length > 0 && names.length === entryCount) return { names, whole: true };
    }
  }
  return { names: centralNames(tail, true), whole: false };
}

/**
 * The names of the central directory's entries in `bytes`, one after the other from its start, or,
 * `scanning`, wherever an entry's signature shows (also a stored zip's own, inside another).
 */
function centralNames(bytes: Buffer, scanning = false): string[] {
  const names: string[] = [];
  let at = scanning ? bytes.indexOf('PK\x01\x02', 0, 'latin1') : 0;
  while (at >= 0 && at + 46 <= bytes.length && bytes.readUInt32LE(at) === 0x02014b50) {
    const nameLength = bytes.readUInt16LE(at + 28);
    names.push(bytes.toString('utf8', at + 46, Math.min(bytes.length, at + 46 + nameLength)));
    // The next entry: after this one's name, extra field and comment, or the next signature found.
    at = scanning ? bytes.indexOf('PK\x01\x02', at + 46 + nameLength, 'latin1') : at + 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return names;
}

function sniffZip(head: Buffer, central: ZipTail): FileKind {
  const { names, mimetype } = localEntries(head);
  if (mimetype !== undefined) {
    return mimetype.startsWith(ODS_MIMETYPE) ? 'ods' : 'zip-other';
  }
  // Part names match in any case (ECMA-376 part 2, 6.2.2.3): some systems write xl/Workbook.xml.
  // The local headers seen in the first 64 KB count only when the central directory is not whole:
  // they include those of a zip stored inside this one (a workbook sent in a compressed folder).
  const all = (central.whole ? central.names : [...names, ...central.names]).map((name) => name.toLowerCase());
  // Excel's "Excel Binary Workbook": the same package, its parts binary (`xl/workbook.bin`,
  // `xl/worksheets/sheet1.bin`). Taken for an .xlsx, it was called damaged ("download it again").
  if (!all.includes('xl/workbook.xml') && all.some((name) => name === 'xl/workbook.bin' || name === 'xl/_rels/workbook.bin.rels')) return 'xlsb';
  if (all.some((name) => name === 'xl/workbook.xml' || name.startsWith('xl/worksheets/'))) return 'xlsx';
  if (all.includes('mimetype') && all.includes('content.xml')) return 'zip-other';
  // A truncated workbook may only show its first entries: [Content_Types].xml and xl/… parts.
  if (central.names.length === 0 && all.some((name) => name.startsWith('xl/'))) return 'xlsx';
  // Numbers since 2013 saves a zip of Index/*.iwa (its own binary) parts.
  if (all.some((name) => /^index\/[^/]+\.iwa$/.test(name))) return 'numbers';
  // A roster sent compressed (an email's attachment, a system's download): it names the files inside.
  // A Word or PowerPoint file is a zip too, with an embedded workbook (word/embeddings/…xlsx): no folder to extract.
  const officePackage = all.includes('[content_types].xml');
  if (!officePackage && all.some((name) => !name.startsWith('__macosx/') && /\.(?:xlsx|xlsm|xls|csv|txt|ods)$/.test(name))) return 'zip-of-files';
  return 'zip-other';
}

/**
 * What an OLE2 compound file is by the names in its directory: an encrypted Office file holds an
 * `EncryptedPackage` stream, under a password (`StrongEncryptionDataSpace`) or under Microsoft 365
 * rights management (a sensitivity label that encrypts: `DRMEncryptedDataSpace`); else an old .xls.
 */
function ole2Kind(directory: Buffer): 'encrypted-office' | 'rights-managed-office' | 'xls' {
  if (!directory.includes(ENCRYPTED_PACKAGE)) return 'xls';
  return directory.includes(DRM_ENCRYPTED) ? 'rights-managed-office' : 'encrypted-office';
}

/** The sample and the first directory sectors (the header says where the directory starts), where the stream names are. */
async function ole2Directory(
  handle: import('node:fs/promises').FileHandle,
  head: Buffer,
  size: number,
): Promise<Buffer> {
  if (head.length < 512) return head;
  const sectorSize = 2 ** head.readUInt16LE(30);
  const firstDirectorySector = head.readUInt32LE(48);
  const offset = (firstDirectorySector + 1) * sectorSize;
  if (sectorSize > 65536 || offset >= size) return head;
  const directory = Buffer.alloc(Math.min(4 * sectorSize, size - offset));
  await handle.read(directory, 0, directory.length, offset);
  return Buffer.concat([head, directory]);
}

/** NUL bytes any text sample may hold and still be text, however short (past them, one in a hundred). */
const STRAY_NULS = 4;

/**
 * Text if it starts with a UTF-16 byte-order mark, or if no more than one byte in a hundred is a
 * control character and as few are NULs. A NUL or a few in otherwise plain text (a field an export
 * padded with them) still make it text: the CSV reader refuses it naming the NUL's line, where
 * "neither a text file nor a workbook" told nobody where to look.
 */
function looksLikeText(head: Buffer): boolean {
  if (utf16ByteOrder(head)) return true;
  let control = 0;
  let nul = 0;
  for (const byte of head) {
    if (byte === 0) nul++;
    // A vertical tab is FileMaker's return inside a field: its exports hold one a line of an address or a note.
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0b && byte !== 0x0c && byte !== 0x0d) control++;
  }
  // A DOS end-of-file mark (Ctrl-Z) at the end, maybe followed by line breaks: the CSV reader drops it.
  let end = head.length - 1;
  while (end >= 0 && (head[end] === 0x0a || head[end] === 0x0d)) end--;
  if (head[end] === 0x1a) control--;
  return control <= head.length / 100 && nul <= Math.max(STRAY_NULS, head.length / 100);
}

/**
 * UTF-16 written without its byte-order mark: a NUL beside most ASCII characters (every other byte,
 * odd ones in little-endian, even ones in big-endian) and none in the other half.
 */
function looksLikeUtf16WithoutBom(head: Buffer): boolean {
  const pairs = head.length >> 1;
  if (pairs < 2 || utf16ByteOrder(head)) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  return (oddNul >= pairs * 0.6 && evenNul === 0) || (evenNul >= pairs * 0.6 && oddNul === 0);
}
