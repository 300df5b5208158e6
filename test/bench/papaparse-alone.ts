// The baseline of the parse scenario: papaparse alone streaming a decoded CSV with a header, one
// `step` per row, as FACTS.md measured it. Prints the row count as JSON.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const file = process.argv[2]!;
let rows = 0;
Papa.parse(createReadStream(file, { encoding: 'utf8' }) as unknown as File, {
  header: true,
  skipEmptyLines: true,
  step: () => {
    rows++;
  },
  complete: () => {
    process.stdout.write(JSON.stringify({ rows }));
  },
});
