/** Rows named in a message about many rows; the rest are counted. */
const ROWS_NAMED = 5;

/** The rows something was found on, for one warning at the end: how many, and the first few. */
export class RowSample {
  count = 0;
  private readonly first: number[] = [];

  add(row: number): void {
    if (this.count++ < ROWS_NAMED) this.first.push(row);
  }

  /** How many rows and which, as a message says it: `1 row (row 4)`, `3 rows (rows 4, 6, 7)`. */
  counted(): string {
    return this.count === 1 ? `1 row (row ${this.listed()})` : `${this.count} rows (rows ${this.listed()})`;
  }

  /** The rows as a message lists them: `4, 6, 7`, or `4, 5, 6, 7, 8 and 3 more`. */
  listed(): string {
    const named = this.first.join(', ');
    return this.count > this.first.length ? `${named} and ${this.count - this.first.length} more` : named;
  }
}
