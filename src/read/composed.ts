/** A combining mark: text holding one may be decomposed (macOS writes é as e + ◌́). */
const MARK = /\p{M}/u;

/**
 * The text in NFC, the composed form Windows, Excel and the web write: a "José" decomposed by a Mac
 * export and a composed one are the same name and the same username, and are sent the same way.
 * Text without a combining mark is already composed and is returned as it is.
 */
export function composed(text: string): string {
  return MARK.test(text) ? text.normalize('NFC') : text;
}

/** Composes every cell of records parsed from `text`, testing each cell only when `text` holds a mark at all. */
export function composeRecords(text: string, records: string[][]): void {
  if (!MARK.test(text)) return;
  for (const record of records) {
    for (let i = 0; i < record.length; i++) record[i] = composed(record[i]!);
  }
}
