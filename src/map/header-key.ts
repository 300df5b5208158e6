const DIACRITICS = /[\u0300-\u036f]/g;
/** Spaces and separators, and the marks templates add around a header: `*` or `(*)` (required), `:`, `¿…?`. */
const IGNORED = /[\s_.\-*:¿?]+/g;
/** `()` left by the marks above, and Spanish's inclusive endings: `Alumno(a)`, `Tutor(a)`, `Padres(as)`. */
const EMPTIED_PARENTHESES = /\((?:a|as|o|os|es)?\)/g;

/**
 * A header reduced for matching: accents, case, spaces, `_`, `-`, `.` and the marks `*`, `:`, `¿`,
 * `?` ignored, and `(*)` (`Correo electrónico (*)` → `correoelectronico`) and an inclusive
 * ending (`Nombre del alumno(a)` → `nombredelalumno`).
 */
export function headerKey(header: string): string {
  return plainHeader(header).replace(IGNORED, '').replace(EMPTIED_PARENTHESES, '');
}

/** A header in lower case without accents, its words and separators kept: `Teléfono_casa` → `telefono_casa`. */
export function plainHeader(header: string): string {
  return header.normalize('NFD').replace(DIACRITICS, '').toLowerCase();
}
