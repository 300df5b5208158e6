// The baseline of the Excel scenario: exceljs's streaming WorkbookReader alone iterating every row
// of every sheet (shared strings cached, its default). Prints the data row count as JSON.
import ExcelJS from 'exceljs';

const file = process.argv[2]!;
let rows = 0;
const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
for await (const sheet of reader) {
  for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
    if (row.number > 1) rows++;
  }
}
process.stdout.write(JSON.stringify({ rows }));
