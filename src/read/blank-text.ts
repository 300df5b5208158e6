/**
 * Spaces and the characters a copy from a chat or a web page leaves unseen (zero-width space and
 * joiners, direction marks, word joiner, soft hyphen; `\s` holds the no-break space and the BOM).
 */
const UNSEEN = /^[\s\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069]*$/;

/**
 * Whether a cell shows nothing. A line holding a lone zero-width space looks blank in every
 * program, yet was read as a row whose cells are all empty and refused, and the run exited 1.
 */
export function isBlankText(text: string): boolean {
  return UNSEEN.test(text);
}
