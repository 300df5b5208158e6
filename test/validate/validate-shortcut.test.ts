import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/errors/index.js';
import { createRowMapper } from '../../src/map/map-row.js';
import { resolveMapping } from '../../src/map/resolve-mapping.js';
import { openSource } from '../../src/read/index.js';
import { customerInputSchema } from '../../src/validate/customer-schema.js';
import { createRowValidator } from '../../src/validate/validate-row.js';

// The validator lets a clean row skip the full zod parse; these tests hold that shortcut to the
// schema's own verdict, so the schema stays the one definition of a valid payload.

const FIXTURES = join(import.meta.dirname, '../../fixtures');

describe('the validator agrees with the payload schema', () => {
  it('on every row of every fixture roster', async () => {
    let checked = 0;
    for (const name of readdirSync(FIXTURES).filter((file) => /^roster-.*\.(csv|xlsx)$/.test(file))) {
      let table;
      try {
        table = await openSource(join(FIXTURES, name));
      } catch {
        continue; // the fixtures of refused files
      }
      let mapping;
      try {
        mapping = resolveMapping(table.headers);
      } catch {
        await table.close();
        continue; // headers that need a mapping file or another sheet
      }
      const mapRow = createRowMapper(mapping, { defaultCountry: 'MX' });
      const validate = createRowValidator(mapping);
      try {
        for await (const batch of table.batches) for (const source of batch) {
          const mapped = mapRow(source);
          const result = validate(mapped);
          const schema = customerInputSchema.safeParse(mapped.draft);
          if (result.ok) expect(schema.success, `${name} row ${source.row}`).toBe(true);
          else expect(result.issues.length, `${name} row ${source.row}`).toBeGreaterThan(0);
          if (schema.success && mapped.issues.length === 0) expect(result.ok, `${name} row ${source.row}`).toBe(true);
          checked++;
        }
      } catch (error) {
        if (!(error instanceof InputFileError)) throw error; // a file refused part-way: its rows before were checked
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('on tricky emails', () => {
    const mapping = resolveMapping(['Nombre', 'Correo']);
    const mapRow = createRowMapper(mapping, { defaultCountry: 'MX' });
    const validate = createRowValidator(mapping);
    const emails = ['ana@escuela.mx', 'ana.perez+tutor@escuela.edu.mx', "o'brien@x.com", 'pedro@', 'ana.lopez@gmail', 'a..b@x.com', '.a@x.com', 'josé@escuela.mx', 'ana@escuela.m', 'ANA@ESCUELA.MX', 'ana@-escuela.mx', 'ana @escuela.mx'];
    for (const email of emails) {
      const mapped = mapRow({ row: 2, values: ['Ana', email] });
      expect(validate(mapped).ok, email).toBe(customerInputSchema.safeParse(mapped.draft).success);
    }
  });
});
