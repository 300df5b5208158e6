const DIACRITICS = /[\u0300-\u036f]/g;
const IGNORED = /[\s_.\-]+/g;

/** A header reduced for matching: accents, case, spaces, `_`, `-` and `.` ignored (`Correo electrónico` → `correoelectronico`). */
export function headerKey(header: string): string {
  return header.normalize('NFD').replace(DIACRITICS, '').toLowerCase().replace(IGNORED, '');
}
