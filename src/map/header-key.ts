const DIACRITICS = /[\u0300-\u036f]/g;
/** Characters a copy from a web page or a chat leaves in a header, unseen: `Nombre\u200b completo` is `Nombre completo`. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/**
 * Emoji a shared sheet puts before its column names (`📱 Celular`, `✉️ Correo`, `👤 Nombre`), with
 * their variation selector and skin tone: decoration, as the marks below are. `#` and digits, which
 * are emoji only as keycaps, stay.
 */
const PICTOGRAPHS = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0e\ufe0f]/gu;
/** Spaces and separators, and the marks templates add around a header: `*` or `(*)` (required), `:`, `¿…?`. */
const IGNORED = /[\s_.\-*:¿?]+/g;
/** `()` left by the marks above, and Spanish's inclusive endings: `Alumno(a)`, `Tutor(a)`, `Padres(as)`. */
const EMPTIED_PARENTHESES = /\((?:a|as|o|os|es)?\)|(?<=[a-z])\/(?:a|as|o|os)$/g;
/**
 * A note in parentheses at the end of a header, marks after it aside: `Teléfono (10 dígitos)`,
 * `Correo (obligatorio) *`; an inclusive ending inside it too: `(apellido paterno, materno y nombre(s))`.
 */
const TRAILING_NOTE = /\(((?:[^()]|\([a-z]{1,2}\))*)\)[\s*:.]*$/;
/**
 * A note that says whose value it is, or that it is another one: `Teléfono (mamá)`, `Correo
 * (tutor)`, `Celular (2)`, `Teléfono (otro)`. Such a header is no field of the customer's.
 */
const NOT_THE_CUSTOMERS =
  /(?<![a-z])(?:tutor|padres?|madre|papas?|mamas?|parents?|guardian|father|mother|responsable|contacto|conyuge|espos[oa]|emergencia|abuel|herman|familiar|ti[oa]s?(?![a-z])|recados|referencia|otr[oa]s?(?![a-z])|secundari|alternativ|adicional|segund(?!o (?:apellido|nombre))|tercer)|^\s*\d{1,2}\s*(?:[°º]|er|ro|do|da|o|a|nd|rd|th)?\.?\s*$/;

/**
 * A note that only says how to fill the column: `(obligatorio)`, `(opcional)`, `(10 dígitos)`,
 * `(celular)`, `(principal)`, `(WhatsApp)` (the mobile, the number Quentli writes to), `(apellidos y nombres)`, `(como aparece en el acta)`,
 * a whole name's order (`(apellido paterno, materno y nombre(s))`; `(apellido paterno)` alone is the part a split name's column holds),
 * `(ej. ana@correo.com)`, `(dd/mm/aaaa)`. Any other note may say which one it is (`Teléfono (casa)`,
 * `Correo (facturación)`, `Usuario (no llenar)`): kept, so a plain `Celular` or `Correo` beside it
 * stays the field, as before notes were read.
 */
const HOW_TO_FILL =
  /^\s*(?:obligatori[oa]|opcional|requerid[oa]|necesari[oa]|indispensable|\d{1,2}\s*digitos|a?\s*\d{1,2}\s*digitos|celular|movil|apellidos? y nombres?|nombres? y apellidos?|nombre completo|(?:comenzando|empezando|iniciando) (?:por|con) .*|(?:primer apellido|apellidos? paterno)\b.*\bnombre.*|completo|ej(?:emplo)?\b.*|formato\b.*|dd\s*[/-]\s*mm.*|en mayusculas|sin espacios|si aplica|con (?:clave )?lada|sin lada|lada incluida|inclu(?:ir|ye|ya|yendo) (?:la )?lada|lada \+ numero|principal|(?:con\s+)?whatsapp|(?:tal\s+)?como\s+(?:aparece|viene|esta|en)\b.*|tal\s+cual\b.*|segun\b.*|sin acentos|sin guiones|sin (?:espacios ni guiones|guiones ni espacios)|solo numeros|en minusculas|separad[oa]s?\s+(?:por|con)\s+comas?|separar(?:las)?\s+(?:por|con)\s+comas?)\s*$/;
/** Between the notes of one parenthesis: `(10 dígitos, sin espacios)`. */
const NOTE_PARTS = /\s*[,;]\s*/;

/**
 * A header reduced for matching: accents, case, spaces, `_`, `-`, `.` and the marks `*`, `:`, `¿`,
 * `?` ignored, and `(*)` (`Correo electrónico (*)` → `correoelectronico`) and an inclusive
 * ending (`Nombre del alumno(a)` → `nombredelalumno`). A note in parentheses at the end is ignored
 * too (`Correo electrónico (obligatorio)`, `Nombre completo (apellidos y nombres)`), unless it says
 * the value is someone else's or another one (`Teléfono (mamá)`, `Celular (2)`: kept, so no field).
 */
export function headerKey(header: string): string {
  return writtenKey(withoutNotes(plainHeader(header)).replace(DIGITS_NOTE, '').replace(ORDER_NOTE, ''));
}
/** The order a name is written in, said after the header without parentheses: `Nombre del alumno empezando por apellidos`. */
const ORDER_NOTE = /(?<=\p{L})\s+(?:comenzando|empezando|iniciando)\s+(?:por|con)\s+(?:el\s+|los\s+)?(?:primer\s+)?apellidos?\b.*$/u;
/** How many digits, written after the header without parentheses, as a form's question says it: `Celular a 10 dígitos`. */
const DIGITS_NOTE = /(?<=[\p{L})][\s.:]*)\s+(?:a\s+|de\s+)?\d{1,2}\s*digitos[\s*:.]*$/u;

/**
 * `headerKey` without a yes/no note at the end (`Acepta contrato (Sí/No)`, `Sin factura (S/N)`),
 * or undefined when there is none: such a note is read past for a yes/no field only (`Usuario
 * (S/N)` asks whether there is one, and its answers are no usernames).
 */
export function keyWithoutYesNoNote(header: string): string | undefined {
  const plain = plainHeader(header);
  const note = YES_NO_NOTE.exec(plain);
  return note ? headerKey(plain.slice(0, note.index)) : undefined;
}
const YES_NO_NOTE = /\(\s*(?:si\s*(?:\/|o)\s*no|s\s*\/\s*n)\s*\)[\s*:.]*$/;

/**
 * A header reduced as `headerKey` does, its notes kept: how a mapping file names a column, so
 * `Teléfono (casa)` and `Teléfono (celular)`, one key for matching, stay two columns to it.
 */
export function writtenKey(header: string): string {
  return plainHeader(header).replace(IGNORED, '').replace(EMPTIED_PARENTHESES, '');
}

/** A header in lower case without accents or emoji, its words and separators kept: `Teléfono_casa` → `telefono_casa`. */
export function plainHeader(header: string): string {
  return header.replace(INVISIBLE, '').replace(PICTOGRAPHS, '').normalize('NFD').replace(DIACRITICS, '').toLowerCase();
}

/**
 * Whether a header is the name Excel gives a table's column nobody named (`Columna1`, `Column2`,
 * as a table made with "My table has headers" unticked, or a column added to one, is headed).
 */
export function isExcelPlaceholderHeader(header: string): boolean {
  return EXCEL_PLACEHOLDER.test(header);
}
const EXCEL_PLACEHOLDER = /^\s*colum(?:na|n)\s?\d{1,5}\s*$/i;

/**
 * Whether a header names a student's enrolment status (`Estatus`, `Status`, `Situación`, `Estado
 * del alumno`), whose `Baja` or `Egresado` rows an office may not mean to bill. Not `Estado` alone:
 * in a Mexican roster that is as often the state of the address.
 */
export function isStatusHeader(header: string): boolean {
  return STATUS_HEADER.test(headerKey(header));
}
const STATUS_HEADER = /^(?:estatus|status|situacion|(?:estado|estatus|situacion)del(?:alumno|alumna|estudiante)|studentstatus)$/;

/** A header on one line: a line break typed in the cell (Alt+Enter, `Teléfono\n(celular)`) reads as a space. */
export function singleLine(header: string): string {
  return header.includes('\n') || header.includes('\r') ? header.replace(LINE_BREAK, ' ') : header;
}
const LINE_BREAK = /[^\S\r\n]*[\r\n]+\s*/g;

/**
 * `plain` without the notes at its end that only say how to fill the column (`(obligatorio)`, `(10
 * digitos)`); an inclusive ending (`(s)`, `(a)`) is part of the word, and a note on whose value it
 * is stays. Nothing is taken when only a note would be left.
 */
function withoutNotes(plain: string): string {
  let rest = plain;
  for (let note = TRAILING_NOTE.exec(rest); note; note = TRAILING_NOTE.exec(rest)) {
    const text = note[1]!;
    const before = rest.slice(0, note.index);
    // A note of several (`10 dígitos, sin espacios`) only says how to fill the column when each part does.
    const howToFill = HOW_TO_FILL.test(text) || text.split(NOTE_PARTS).every((part) => HOW_TO_FILL.test(part));
    if (!howToFill || NOT_THE_CUSTOMERS.test(text) || before.replace(IGNORED, '') === '') break;
    rest = before;
  }
  return rest;
}
