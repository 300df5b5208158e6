// A reference for the parse scenario: the per-row work a dry run cannot skip, done by the
// importer's own stage functions in one plain loop, with none of the pipeline around them (no
// report entries, ordering, summary, events, errors file or pool). The reader, then for each row:
// map and normalize the cells, validate, check the username against earlier rows, format the
// results report line; lines are written in batches. Prints the row count and the valid rows as JSON.
// What the importer takes beyond this loop is the pipeline's own cost; what this loop takes
// beyond papaparse alone is the stages' work. With `--validate-only` it stops after validating
// (no username check, no report): parse and validate alone.
import { openSync, writeSync, closeSync } from 'node:fs';
import { createRowMapper } from '../../src/map/map-row.js';
import { resolveMapping } from '../../src/map/resolve-mapping.js';
import { readCsv } from '../../src/read/csv.js';
import { reportCsvLine } from '../../src/report/report-entry.js';
import { FirstRowRegistry } from '../../src/validate/first-row-registry.js';
import { createRowValidator } from '../../src/validate/validate-row.js';

const [file, reportPath] = process.argv.slice(2);
const validateOnly = process.argv.includes('--validate-only');
const table = await readCsv(file!);
const mapping = resolveMapping(table.headers);
const mapRow = createRowMapper(mapping, { defaultCountry: 'MX' });
const validateRow = createRowValidator(mapping);
const firstRowOf = new FirstRowRegistry();
const report = openSync(reportPath!, 'w');
let lines: string[] = [];
let rows = 0;
let valid = 0;
for await (const batch of table.batches) for (const source of batch) {
  rows++;
  const validated = validateRow(mapRow(source));
  if (validateOnly) {
    if (validated.ok) valid++;
    continue;
  }
  const draft = validated.ok ? validated.input : validated.draft;
  const earlier = draft.username === undefined ? undefined : firstRowOf.claim(draft.username, source.row);
  const status = !validated.ok ? 'invalid' : earlier === undefined ? 'valid' : 'duplicate';
  if (status === 'valid') valid++;
  lines.push(reportCsvLine({ row: source.row, status, username: draft.username, name: draft.name, values: source.values }));
  if (lines.length === 512) {
    writeSync(report, lines.join(''));
    lines = [];
  }
}
writeSync(report, lines.join(''));
closeSync(report);
process.stdout.write(JSON.stringify({ rows, valid }));
