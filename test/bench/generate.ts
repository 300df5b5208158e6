import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { mulberry32 } from '../../src/simulator/prng.js';

/** Columns of a school roster as a Mexican school exports it. */
export const HEADERS = ['Nombre completo', 'Usuario', 'Correo electrónico', 'Teléfono', 'Acepta contrato', 'Etiquetas', 'Matrícula', 'Grado'];

const FIRST = ['María José', 'José Ángel', 'Sofía', 'Íñigo', 'Ana Lucía', 'Juan Pablo', 'Valentina', 'Luis Fernando', 'Ximena', 'Andrés', 'Renata', 'Emilio', 'Camila', 'Diego', 'Regina', 'Santiago'];
const LAST = ['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Núñez', 'Muñoz', 'Gutiérrez', 'Ibáñez', 'Cortés', 'Domínguez', 'Vázquez'];
const AREAS = ['55', '33', '81', '222', '664', '999', '477'];
const BOOLS = ['sí', 'Si', 'no', 'TRUE', '1', 'verdadero', 'No', 'falso'];
const TAGS = ['primaria', 'secundaria', 'beca', 'transporte', 'comedor', 'deportes'];
const GRADES = ['1° A', '2° B', '3° C', '4° A', '5° B', '6° C'];

/** How many rows of a generated roster should come out valid and invalid. */
export interface Expected {
  rows: number;
  valid: number;
  invalid: number;
}

/** Phones in the shapes rosters hold them: local, spaced, bracketed, E.164, and Mexico's pre-2019 prefixes. */
function phone(random: () => number): string {
  const area = AREAS[Math.floor(random() * AREAS.length)]!;
  const rest = String(Math.floor(random() * 10 ** (10 - area.length))).padStart(10 - area.length, '0');
  const local = area + rest;
  switch (Math.floor(random() * 8)) {
    case 0:
      return local;
    case 1:
      return `+52${local}`;
    case 2:
      return `+52 ${area} ${rest.slice(0, 4)} ${rest.slice(4)}`;
    case 3:
      return `(${area}) ${rest.slice(0, 4)}-${rest.slice(4)}`;
    case 4:
      return `${area}-${rest.slice(0, 4)}-${rest.slice(4)}`;
    case 5:
      return `044 ${area} ${rest}`;
    case 6:
      return `+52 1 ${local}`;
    default:
      return `+52${local}`; // the canonical form is the commonest in system exports
  }
}

/**
 * The cells of data row `i` (0-based). One row in 200 is wrong on purpose (a bad email, an
 * impossible phone or an unreadable yes/no), so the refusal path runs too; `invalid` says which.
 */
export function rosterRow(i: number, random: () => number): { cells: string[]; invalid: boolean } {
  const first = FIRST[Math.floor(random() * FIRST.length)]!;
  const last1 = LAST[Math.floor(random() * LAST.length)]!;
  const last2 = LAST[Math.floor(random() * LAST.length)]!;
  const username = `${first.split(' ')[0]!.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')}.${i}`;
  const tags = random() < 0.5 ? `${TAGS[i % TAGS.length]}, ${TAGS[(i + 2) % TAGS.length]}` : TAGS[i % TAGS.length]!;
  const cells = [
    `${first}  ${last1} ${last2}`,
    username,
    `${username}@colegio-ejemplo.edu.mx`,
    phone(random),
    BOOLS[Math.floor(random() * BOOLS.length)]!,
    tags,
    `A${String(100000 + i).padStart(8, '0')}`,
    GRADES[i % GRADES.length]!,
  ];
  let invalid = false;
  if (i % 200 === 199) {
    invalid = true;
    const which = (i / 200) % 3;
    if (which < 1) cells[2] = `${username}@`;
    else if (which < 2) cells[3] = '123';
    else cells[4] = 'quizás';
  }
  return { cells, invalid };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes a UTF-8 CSV roster of `rows` data rows (CRLF, as Excel writes), about 160 bytes a row. */
export async function writeCsvRoster(path: string, rows: number, seed = 7): Promise<Expected> {
  const random = mulberry32(seed);
  const out = createWriteStream(path);
  let invalid = 0;
  let buffer = HEADERS.map(csvCell).join(',') + '\r\n';
  for (let i = 0; i < rows; i++) {
    const row = rosterRow(i, random);
    if (row.invalid) invalid++;
    buffer += row.cells.map(csvCell).join(',') + '\r\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return { rows, valid: rows - invalid, invalid };
}

/**
 * Writes an .xlsx roster with exceljs's streaming writer and shared strings, as Excel itself stores
 * text (exceljs writes the sheet before the shared strings, so exceljs's own reader spools it first).
 */
export async function writeXlsxRoster(path: string, rows: number, seed = 11): Promise<Expected> {
  const random = mulberry32(seed);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('Alumnos');
  sheet.addRow(HEADERS).commit();
  let invalid = 0;
  for (let i = 0; i < rows; i++) {
    const row = rosterRow(i, random);
    if (row.invalid) invalid++;
    sheet.addRow(row.cells).commit();
  }
  sheet.commit();
  await workbook.commit();
  return { rows, valid: rows - invalid, invalid };
}
