import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sniffFileKind } from '../../src/read/sniff.js';
import { LISTA_PACKAGE, listaRels, zipOf } from './zip-of.js';
import { temporaryFolder } from '../temporary-folder.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures', name);

describe('sniffFileKind on the fixtures', () => {
  it.each([
    ['roster-cell-kinds.xlsx', 'xlsx'], // openpyxl
    ['roster-exceljs-formulas.xlsx', 'xlsx'], // exceljs: [Content_Types].xml first
    ['roster-libreoffice-booleans-dates.xlsx', 'xlsx'],
    ['roster-truncated.xlsx', 'xlsx'], // its start is an xlsx; readXlsx reports the missing end
    ['roster-legacy.xls', 'xls'],
    ['roster-password.xlsx', 'encrypted-office'],
    ['roster-sensitivity-label.xlsx', 'rights-managed-office'],
    ['roster-libreoffice.ods', 'ods'],
    ['roster-binary.xlsb', 'xlsb'],
    ['roster-csv-renamed.xlsx', 'text'],
    ['roster-sylk.xls', 'sylk'], // LibreOffice's SYLK, named .xls
    ['roster-libreoffice.dif', 'dif'],
    ['roster-libreoffice.fods', 'fods'],
    ['roster-aspnet-gridview.xls', 'html'], // a <div> around the table, no <html>
    ['roster-single-file-web-page.xls', 'mhtml'],
    ['roster-google-drive-shortcut.gsheet', 'google-drive-shortcut'],
    ['roster-apple-numbers.numbers', 'numbers'],
    ['roster-compressed-folder.zip', 'zip-of-files'],
  ])('%s is %s', async (name, kind) => {
    expect(await sniffFileKind(fixture(name))).toBe(kind);
  });
});

describe('sniffFileKind on other content', () => {
  let dir: string;
  beforeAll(() => {
    dir = temporaryFolder('quentli-sniff-');
  });
  const kindOf = async (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return sniffFileKind(path);
  };

  it('tells JSON picked for the roster: the journal of an earlier import, a mapping file, a JSON report; a CSV whose header has braces stays text', async () => {
    expect(await kindOf('alumnos.results.journal', '{"journal":1,"inputSha256":"cc56","mode":"create"}\n{"row":2,"status":"created"}\n')).toBe('journal');
    expect(await kindOf('mapeo.json', '{\n  "columns": { "Nombre del alumno": "name" }\n}\n')).toBe('json');
    expect(await kindOf('reporte.json', '\ufeff[{"row": 2, "status": "created"}]')).toBe('json');
    // Google Drive's older shortcut (Backup and Sync); a mapping file naming a doc_id column stays a mapping file.
    expect(await kindOf('lista.gsheet', '{"url": "https://docs.google.com/open?id=1AbC", "doc_id": "1AbC", "email": "a@x.mx", "resource_id": "spreadsheet:1AbC"}')).toBe('google-drive-shortcut');
    expect(await kindOf('mapeo2.json', '{"columns": {"doc_id": "username"}}')).toBe('json');
    expect(await kindOf('lista.csv', '{Nombre},Correo\nAna,a@x.mx\n')).toBe('text');
    expect(await kindOf('lista2.csv', '[Nombre],[Correo]\nAna,a@x.mx\n')).toBe('text');
  });

  it('tells a PDF, a PNG, an empty file and binary data', async () => {
    expect(await kindOf('lista.csv', '%PDF-1.7\n%âãÏÓ\n1 0 obj\n')).toBe('pdf');
    expect(await kindOf('lista2.csv', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe('png');
    expect(await kindOf('vacio.csv', '')).toBe('empty');
    expect(await kindOf('datos.bin', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0x00, 0x10]))).toBe('binary');
  });

  it('tells text holding a stray NUL byte (the CSV reader names its line) from UTF-16 without a byte-order mark', async () => {
    const roster = 'Nombre completo,Usuario,Correo\n' + 'Ana Ruiz,ana.ruiz,ana@example.com\n'.repeat(20);
    expect(await kindOf('nul.csv', roster.replace('Ruiz,ana', 'Ruiz\0,ana'))).toBe('text');
    expect(await kindOf('le.csv', Buffer.from(roster, 'utf16le'))).toBe('utf16-no-bom');
    expect(await kindOf('be.csv', Buffer.from(roster, 'utf16le').swap16())).toBe('utf16-no-bom');
    expect(await kindOf('bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(roster, 'utf16le')]))).toBe('text');
  });

  it('tells text, in UTF-8, Windows-1252 or UTF-16 with a byte-order mark', async () => {
    expect(await kindOf('a.csv', 'Nombre completo;Teléfono\r\nJosé;5512345678\r\n')).toBe('text');
    expect(await kindOf('b.csv', Buffer.from('Nombre;Tel\xe9fono\r\nJos\xe9;55\r\n', 'latin1'))).toBe('text');
    expect(await kindOf('c.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Nombre\tTeléfono\r\n', 'utf16le')]))).toBe('text');
    // A short DOS export ending in Ctrl-Z is still text.
    expect(await kindOf('d.csv', 'Nombre,Correo\r\nAna,a@x.mx\r\n\x1a')).toBe('text');
    expect(await kindOf('e.csv', 'Nombre,Correo\r\nAna,a@x.mx\r\n\x1a\r\n')).toBe('text');
  });

  it('tells a FileMaker export, whose returns inside a field are vertical tabs (an address or a note of three lines), as text', async () => {
    const line = '"Ana Ruiz","ana@x.mx","Calle 5\vCol. Centro\vCDMX","Beca\vComedor"\r\n';
    expect(await kindOf('filemaker.csv', '"Nombre","Correo","Dirección","Etiquetas"\r\n' + line.repeat(20))).toBe('text');
    expect(await kindOf('filemaker.tab', 'Nombre\tCorreo\tNotas\r\n' + 'Ana Ruiz\tana@x.mx\tLlamar\ven la tarde\r\n'.repeat(20))).toBe('text');
  });

  it('tells a web page or an Excel 2003 XML workbook saved as .xls (the "export to Excel" of web systems)', async () => {
    expect(await kindOf('export.xls', '<html><body><table>\n<tr><td>Nombre</td></tr>\n<tr><td>Ana</td></tr>\n</table></body></html>\n')).toBe('html');
    expect(await kindOf('export2.xls', '\ufeff\r\n  <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">\n<HTML><TABLE BORDER=1>')).toBe('html');
    expect(await kindOf('export3.xls', '<table border="1"><tr><th>Alumno</th></tr></table>')).toBe('html');
    expect(await kindOf('export4.xls', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html xmlns:o="urn:schemas-microsoft-com:office:office">', 'utf16le')]))).toBe('html');
    const spreadsheetMl = '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">';
    expect(await kindOf('export5.xls', spreadsheetMl)).toBe('xml-spreadsheet');
    // Written by hand without the XML declaration, or with only Excel's processing instruction.
    expect(await kindOf('export5b.xls', '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n<Worksheet ss:Name="Alumnos"><Table>')).toBe('xml-spreadsheet');
    expect(await kindOf('export5c.xls', '<?mso-application progid="Excel.Sheet"?>\r\n<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">')).toBe('xml-spreadsheet');
    expect(await kindOf('export6.xls', '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')).toBe('html');
    // Opened by a comment or another tag: the table's tags tell it.
    expect(await kindOf('export7.xls', '<!-- Reporte generado 15/01/2025 -->\r\n<table><tr><td>Nombre</td></tr></table>')).toBe('html');
    expect(await kindOf('export8.xls', '\r\n<center><h3>Lista de alumnos</h3><TABLE border=1><TR><TH>Nombre</TH></TR></TABLE></center>')).toBe('html');
    expect(await kindOf('export9.xls', 'MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related;\r\n\tboundary="----=_NextPart_01"\r\n\r\n')).toBe('mhtml');
    // Text that only starts with a bracket, or other XML, is text: the reader says what it finds.
    expect(await kindOf('notas.csv', '<Alumno>,Correo\nAna,a@x.mx\n')).toBe('text');
    expect(await kindOf('datos.csv', '<?xml version="1.0"?><alumnos/>')).toBe('text');
    expect(await kindOf('notas2.csv', '<b>Nombre</b>,Correo\nAna,a@x.mx\n')).toBe('text');
    expect(await kindOf('mime.csv', 'MIME-Version,Nombre\n1.0,Ana\n')).toBe('text');
  });

  it('tells the SYLK and DIF that Excel saves, and keeps a semicolon CSV whose first header is ID as text', async () => {
    expect(await kindOf('excel.xls', 'ID;PWXL;N;E\r\nP;PGeneral\r\nC;Y1;X1;K"Nombre"\r\nC;Y2;X1;K"Ana"\r\nE\r\n')).toBe('sylk');
    expect(await kindOf('excel.dif', 'TABLE\r\n0,1\r\n"EXCEL"\r\nVECTORS\r\n0,1\r\n""\r\nTUPLES\r\n0,2\r\n""\r\n')).toBe('dif');
    expect(await kindOf('padres.csv', 'ID;Padre;Nombre\r\n1;Juan;Ana\r\nC;X;Y\r\n')).toBe('text');
    expect(await kindOf('tabla.csv', 'TABLE\r\n0,1\r\nAna\r\n')).toBe('text');
  });

  it('tells an xlsx, an ods and another zip by their entries', async () => {
    expect(await kindOf('x.csv', zipOf([['[Content_Types].xml', '<Types/>', 'deflate'], ['xl/workbook.xml', '<workbook/>', 'deflate']]))).toBe('xlsx');
    expect(await kindOf('o.xlsx', zipOf([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet', 'store'], ['content.xml', '<x/>', 'deflate']]))).toBe('ods');
    expect(await kindOf('t.xlsx', zipOf([['mimetype', 'application/vnd.oasis.opendocument.text', 'store'], ['content.xml', '<x/>', 'deflate']]))).toBe('zip-other');
    expect(await kindOf('w.xlsx', zipOf([['[Content_Types].xml', '<Types/>', 'deflate'], ['word/document.xml', '<w/>', 'deflate']]))).toBe('zip-other');
    expect(await kindOf('fotos.xlsx', zipOf([['foto1.jpg', 'not really', 'store']]))).toBe('zip-other');
    expect(await kindOf('lista.zip', zipOf([['Reporte alumnos.XLSX', 'PK', 'store']]))).toBe('zip-of-files');
    expect(await kindOf('informe.xlsx', zipOf([['[Content_Types].xml', '<Types/>', 'deflate'], ['word/document.xml', '<w/>', 'deflate'], ['word/embeddings/Microsoft_Excel_Worksheet.xlsx', 'PK', 'store']]))).toBe('zip-other');
    // A workbook stored (not deflated) in a zip: its own parts' headers show inside, the central directory names the file.
    const workbook = zipOf([...LISTA_PACKAGE, listaRels('worksheets/sheet1.xml'), ['xl/worksheets/sheet1.xml', '<worksheet/>', 'deflate']]);
    expect(await kindOf('descarga.zip', zipOf([['Lista 3A.xlsx', workbook, 'store']]))).toBe('zip-of-files');
    // A Mac's resource forks alone are no roster.
    expect(await kindOf('vacio.zip', zipOf([['__MACOSX/._lista.csv', '\x00', 'store']]))).toBe('zip-other');
  });

  it('reads a tiny zip whose end record would run past the file as a zip, without an error', async () => {
    // 18 to 21 bytes: an end record's signature near the end, its fields cut off.
    for (const length of [18, 21]) {
      const bytes = Buffer.alloc(length);
      bytes.write('PK\x03\x04', 0, 'latin1');
      bytes.write('PK\x05\x06', length - 4, 'latin1');
      expect(await kindOf(`corto${length}.xlsx`, bytes)).toBe('zip-other');
    }
  });

  it('trusts the central directory alone only when it is read whole: every entry its end record counts, within the limit', async () => {
    const workbook = zipOf([...LISTA_PACKAGE, listaRels('worksheets/sheet1.xml'), ['xl/worksheets/sheet1.xml', '<worksheet/>', 'deflate']]);
    // A damaged entry (its comment length wrong) stops the reading after the first: the workbook's other parts are still seen.
    const damaged = Buffer.from(workbook);
    const firstEntry = damaged.indexOf('PK\x01\x02', 0, 'latin1');
    damaged.writeUInt16LE(7, firstEntry + 32);
    expect(await kindOf('danado.xlsx', damaged)).toBe('xlsx');
    // A directory of more than 1 MB (20,000 images) naming the workbook's parts at its end.
    const images: Array<[string, string, 'store']> = Array.from({ length: 20_000 }, (_, i) => [`xl/media/image${i + 1}.png`, '', 'store']);
    const manyParts = zipOf([LISTA_PACKAGE[0]!, ...images, ...LISTA_PACKAGE.slice(1), listaRels('worksheets/sheet1.xml'), ['xl/worksheets/sheet1.xml', '<worksheet/>', 'deflate']]);
    expect(await kindOf('imagenes.xlsx', manyParts)).toBe('xlsx');
  });

  it('tells an Excel Binary Workbook (.xlsb), also named .xlsx, from an .xlsx with binary parts of its own', async () => {
    const xlsb: Array<[string, string, 'store' | 'deflate']> = [
      ['[Content_Types].xml', '<Types/>', 'deflate'],
      ['xl/_rels/workbook.bin.rels', '<Relationships/>', 'deflate'],
      ['xl/workbook.bin', '\x83\x01\x00', 'deflate'],
      ['xl/worksheets/sheet1.bin', '\x81\x01\x00', 'deflate'],
    ];
    expect(await kindOf('lista.xlsb', zipOf(xlsb))).toBe('xlsb');
    expect(await kindOf('lista-renombrada.xlsx', zipOf(xlsb))).toBe('xlsb');
    // A macro workbook (.xlsm) or one with printer settings holds .bin parts too: still an xlsx.
    expect(
      await kindOf('macros.xlsm', zipOf([['xl/workbook.xml', '<workbook/>', 'deflate'], ['xl/vbaProject.bin', '\xd0\xcf', 'deflate'], ['xl/printerSettings/printerSettings1.bin', '\x00', 'deflate']])),
    ).toBe('xlsx');
  });

  it('throws the fs error for a missing file', async () => {
    await expect(sniffFileKind(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
