import { describe, expect, it } from 'vitest';
import { EndOfRunWarnings } from '../../src/pipeline/end-of-run-warnings.js';
import { archivedNote, DIFFERS_NOTE } from '../../src/pipeline/row-notes.js';
import { caseMatchNote } from '../../src/send/delivery.js';
import { NOTE_SEPARATOR } from '../../src/send/sender.js';

describe('EndOfRunWarnings', () => {
  it('says nothing for a run with nothing to count', () => {
    const warnings = new EndOfRunWarnings();
    expect(warnings.templateRowsWarning()).toBeUndefined();
    expect(warnings.unheadedWarnings()).toEqual([]);
    expect(warnings.outcomeWarnings(undefined, true)).toEqual([]);
  });

  it('says one warning a column without a header, naming the column by its letter and the rows', () => {
    const warnings = new EndOfRunWarnings();
    warnings.addUnheadedValue(3, 7);
    warnings.addUnheadedValue(3, 5);
    warnings.addUnheadedValue(27, 9);
    expect(warnings.unheadedWarnings()).toEqual([
      'column D has no header but holds values in 2 rows (rows 5, 7): they were not imported; give the column a header to import them as metadata',
      'column AB has no header but holds values in 1 row (row 9): they were not imported; give the column a header to import them as metadata',
    ]);
  });

  it('says one warning a column headed as Excel names a table\'s column nobody named that holds values, naming the column, its header and the rows', () => {
    const warnings = new EndOfRunWarnings();
    const headers = ['Nombre', 'Correo', 'Columna1', 'Column2'];
    expect(warnings.placeholderWarnings(headers)).toEqual([]);
    warnings.addPlaceholderValue(3, 4);
    warnings.addPlaceholderValue(3, 2);
    expect(warnings.placeholderWarnings(headers)).toEqual([
      'column D is headed "Column2", the name Excel gives a table\'s column nobody named, and holds values in 2 rows (rows 2, 4): the import keeps them as metadata "Column2"; give the column a name that says what it holds where the file was made (or leave it out with --mapping)',
    ]);
  });

  it('says one warning of the rows whose status says the student left, naming the column, the values as first written and the rows, for a run and a dry run', () => {
    const warnings = new EndOfRunWarnings();
    for (const [row, status] of [[2, 'Activo'], [3, 'Baja'], [4, undefined], [5, ' Baja  temporal '], [6, 'egresada'], [7, 'BAJA'], [8, 'Inscrito'], [9, 'Inactivo']] as const) warnings.addStatus(row, status);
    expect(warnings.leftStatusWarning('Estatus', false)).toBe(
      '5 rows (rows 3, 5, 6, 7, 9) say "Baja", "Baja  temporal", "egresada" or "Inactivo" under "Estatus": they were imported as customers like any other row (the status kept as metadata); to leave such rows out, filter them out of the file before importing it',
    );
    const one = new EndOfRunWarnings();
    expect(one.leftStatusWarning('Situación', true)).toBeUndefined();
    one.addStatus(4, 'Egresado');
    expect(one.leftStatusWarning('Situación', true)).toBe(
      '1 row (row 4) says "Egresado" under "Situación": the import would bring it in as a customer like any other row (the status kept as metadata); to leave such rows out, filter them out of the file before importing it',
    );
  });

  it('says the outcome warnings in one order: without a username, archived, another case, another email or phone', () => {
    const warnings = new EndOfRunWarnings();
    warnings.differing.add(9);
    warnings.caseMatched.add(8);
    warnings.archived.add(7);
    warnings.archived.add(4);
    warnings.withoutUsername.add(6);
    const said = warnings.outcomeWarnings('Usuario', true);
    expect(said).toHaveLength(4);
    expect(said[0]).toMatch(/^1 row \(row 6\) has no username \("Usuario" is empty\): /);
    expect(said[1]).toBe('2 rows (rows 4, 7) match customers archived in Quentli: they stay archived (the import does not unarchive customers); see the note in the report');
    expect(said[2]).toMatch(/^1 row \(row 8\) matches a username Quentli writes otherwise \(in another case, or with its accents decomposed\): it is that customer, /);
    expect(said[3]).toMatch(/^1 row \(row 9\) has another email or phone than the customer Quentli holds for its username: /);
  });

  it('says of rows without a username and without an email or phone that the same file again is refused, not that the journal knows them', () => {
    // A row with a name alone leaves no fingerprint in the journal: the next run of the same file
    // under this report name is refused (exit 2, journal), so "whose journal knows each" was untrue.
    const mixed = new EndOfRunWarnings();
    for (const row of [3, 5]) mixed.withoutUsername.add(row);
    mixed.withoutContact.add(5);
    expect(mixed.outcomeWarnings('Usuario', true)).toEqual([
      '2 rows (rows 3, 5) have no username ("Usuario" is empty), and the journal cannot know them all by name, email and phone (1 row (row 5) has no email or phone): customers are matched by username, so importing this file again under this report name is refused (exit 2), and with --restart or under another report name creates those customers again; fill in the username to make a re-run safe',
    ]);
    const givenNames = new EndOfRunWarnings();
    givenNames.withoutUsername.add(4);
    givenNames.withoutContact.add(4);
    expect(givenNames.outcomeWarnings('Usuario', false)[0]).toContain('(the name column holds given names only): customers are matched by username, so importing this file again under this report name is refused (exit 2)');
    // Without a username column, the start's warning said the journal knows the rows: the rows it cannot are named at the end.
    const noColumn = new EndOfRunWarnings();
    noColumn.withoutContact.add(7);
    expect(noColumn.outcomeWarnings(undefined, true)).toEqual([
      '1 row (row 7) has no email or phone either, and the journal cannot know a customer by a name alone: importing this file again under this report name is refused (exit 2), and with --restart or under another report name creates that customer again',
    ]);
    // When the start's warning already said the journal cannot know the file's rows, nothing is repeated.
    expect(noColumn.outcomeWarnings(undefined, false)).toEqual([]);
  });

  it('counts a resumed row again by the notes the run that confirmed it wrote', () => {
    const warnings = new EndOfRunWarnings();
    const note = [caseMatchNote('AL0020', 'al0020'), archivedNote('2025-01-31T10:00:00Z'), `${DIFFERS_NOTE} phone for this username`].join(NOTE_SEPARATOR);
    warnings.addResumedNote(12, note);
    warnings.addResumedNote(13, 'created by an earlier import');
    expect([warnings.caseMatched.count, warnings.archived.count, warnings.differing.count]).toEqual([1, 1, 1]);
  });

  it('names the template rows skipped as ranges', () => {
    const warnings = new EndOfRunWarnings();
    for (const row of [4, 5, 6, 9]) warnings.templateRows.add(row);
    expect(warnings.templateRowsWarning()).toBe('rows 4–6, 9 hold only a list number or a calculated 0 and no customer data: skipped as empty template rows');
  });
});
