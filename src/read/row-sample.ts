/** Rows (or ranges of rows) named in a message about many rows; the rest are counted. */
const ROWS_NAMED = 5;

/** The rows something was found on, for one warning at the end: how many, and the lowest few. */
export class RowSample {
  count = 0;
  private readonly first: number[] = [];

  /**
   * Rows sent side by side are added as their answers come: the lowest are kept, not the first
   * added, so the warning names the same rows each run (a resumed run's rows confirmed earlier come
   * first, and the first five answers of a concurrent run vary from run to run).
   */
  add(row: number): void {
    this.count++;
    if (this.first.length < ROWS_NAMED) {
      this.first.push(row);
      return;
    }
    const highest = this.first.reduce((at, value, i) => (value > this.first[at]! ? i : at), 0);
    if (row < this.first[highest]!) this.first[highest] = row;
  }

  /** How many rows and which, as a message says it: `1 row (row 4)`, `3 rows (rows 4, 6, 7)`. */
  counted(): string {
    return this.count === 1 ? `1 row (row ${this.listed()})` : `${this.count} rows (rows ${this.listed()})`;
  }

  /** The rows as a message lists them: `4, 6, 7`, or `4, 5, 6, 7, 8 and 3 more`. */
  listed(): string {
    // Sorted: rows sent side by side are added as their answers come.
    const named = [...this.first].sort((a, b) => a - b).join(', ');
    return this.count > this.first.length ? `${named} and ${this.count - this.first.length} more` : named;
  }
}

/** Rows as ranges, for one message about many: `4–31`, `4–10, 12, 15–31 and 3 more`. Rows are added in order. */
export class RowRanges {
  count = 0;
  private named = 0;
  private readonly ranges: [number, number][] = [];

  add(row: number): void {
    this.count++;
    const last = this.ranges[this.ranges.length - 1];
    if (last && last[1] === row - 1 && this.named === this.count - 1) last[1] = row;
    else if (this.ranges.length < ROWS_NAMED) this.ranges.push([row, row]);
    else return;
    this.named++;
  }

  /** `row 4`, `rows 4–31`, `rows 4–10, 12 and 3 more`. */
  listed(): string {
    const ranges = this.ranges.map(([first, last]) => (first === last ? `${first}` : `${first}–${last}`)).join(', ');
    return `${this.count === 1 ? 'row' : 'rows'} ${ranges}${this.count > this.named ? ` and ${this.count - this.named} more` : ''}`;
  }
}
