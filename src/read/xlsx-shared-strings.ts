/** A shared string as exceljs's parser hands it over: plain text, or rich text runs. */
export type SharedString = string | { richText: Array<{ text?: string | null }> } | null | undefined;

const PER_SEGMENT = 4096;
const SEGMENT_BITS = 12; // log2(PER_SEGMENT)

/**
 * A workbook's shared strings table, kept compactly: every 4,096 strings are joined into one
 * segment string (one byte a character for Spanish text, which is Latin-1), with each string's
 * start in a typed array. A table of 800,000 distinct strings held as separate JS strings cost
 * about 80 MB more than the same text here; a sheet reads a cell's text by index, slicing it out.
 */
export class SharedStringTable {
  private readonly segments: string[] = [];
  private starts = new Uint32Array(PER_SEGMENT);
  private pending: string[] = [];
  private pendingLength = 0;
  private count = 0;

  /** Appends the next string of the table (rich text as the plain text of its runs). */
  add(value: SharedString): void {
    const text = typeof value === 'string' ? value : value ? value.richText.map((run) => run.text ?? '').join('') : '';
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = this.pendingLength;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pending.length === PER_SEGMENT) this.seal();
  }

  /** Strings in the table. */
  get size(): number {
    return this.count;
  }

  /** The string at `index`, or undefined past the end. */
  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    const segment = index >>> SEGMENT_BITS;
    const text = this.segments[segment] ?? this.pending.join(''); // finish() seals the last one
    
    const start = this.starts[index]!;
    const next = index + 1;
    const end = next < this.count && next >>> SEGMENT_BITS === segment ? this.starts[next]! : text.length;
    return text.slice(start, end);
  }

  /** Seals the last, partial segment: call once the whole table was added. */
  finish(): void {
    this.seal();
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    // join() copies into one flat string (one byte a character when it can), so the parser's
    // chunks the strings were cut from are not kept alive.
    this.segments.push(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }
}
