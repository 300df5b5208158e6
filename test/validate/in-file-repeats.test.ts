import { describe, expect, it } from 'vitest';
import { contactKeyOf, InFileRepeats } from '../../src/validate/in-file-repeats.js';

const createRun = () => new InFileRepeats({ checkContacts: true, usernameHeader: 'Usuario', nameHeader: 'Nombre' });

describe('InFileRepeats', () => {
  it('refuses a username an earlier row used, compared without case, naming the first row and the column', () => {
    const repeats = createRun();
    expect(repeats.check({ username: 'MGomez', name: 'María Gómez' }, 2)).toBeUndefined();
    expect(repeats.check({ username: 'mgomez', name: 'Mario Gómez' }, 5)).toEqual({ row: 5, column: 'Usuario', code: 'duplicate_username', value: 'mgomez', rule: 'repeats the username of row 2 (usernames are compared without case or accents: both read "mgomez")' });
    expect(repeats.contactKey).toBeUndefined(); // rows with a username are not compared by contact
  });

  it('says how a repeat spelled otherwise compares (accents, case), and nothing more of an exact repeat', () => {
    const repeats = createRun();
    const rule = (row: number, username: string) => repeats.check({ username, name: 'Ana' }, row)?.rule;
    expect(rule(2, 'maria.pena')).toBeUndefined();
    expect(rule(3, 'maría.peña')).toBe('repeats the username of row 2 (usernames are compared without case or accents: both read "maria.pena")');
    expect(rule(4, 'maria.pena')).toBe('repeats the username of row 2');
    expect(rule(5, 'José.Luis')).toBeUndefined();
    expect(rule(6, 'José.Luis')).toBe('repeats the username of row 5');
    expect(rule(7, 'jose.luis')).toBe('repeats the username of row 5 (usernames are compared without case or accents: both read "jose.luis")');
    expect(rule(8, 'JOSÉ.LUIS')).toBe('repeats the username of row 5 (usernames are compared without case or accents: both read "jose.luis")');
    // First rows far apart (the spellings are kept by row, in a table that grows).
    expect(rule(50_000, 'A2024001')).toBeUndefined();
    expect(rule(50_001, 'A2024001')).toBe('repeats the username of row 50000');
    expect(rule(50_002, 'a2024001')).toBe('repeats the username of row 50000 (usernames are compared without case or accents: both read "a2024001")');
    expect(rule(50_003, 'José.Luis')).toBe('repeats the username of row 5');
  });

  it('refuses a row without a username that repeats an earlier one’s name, email and phone', () => {
    const repeats = createRun();
    expect(repeats.check({ name: 'José Pérez', email: 'jose@example.com' }, 2)).toBeUndefined();
    expect(repeats.contactKey).toBe(contactKeyOf({ name: 'José Pérez', email: 'jose@example.com' }));
    expect(repeats.check({ name: 'JOSE PEREZ', email: 'jose@example.com' }, 3)).toEqual({
      row: 3,
      column: 'Nombre',
      code: 'duplicate_customer',
      value: 'JOSE PEREZ',
      rule: 'repeats the name and email of row 2: with no username to tell them apart, both would be created',
    });
    expect(repeats.check({ name: 'José Pérez', phoneNumber: '+525512345678' }, 4)).toBeUndefined();
    expect(repeats.check({ name: 'José Pérez', phoneNumber: '+525512345678' }, 6)?.rule).toBe('repeats the name and phone number of row 4: with no username to tell them apart, both would be created');
  });

  it('leaves a name alone, and every row of a run that does not compare contacts, unchecked', () => {
    const repeats = createRun();
    expect(repeats.check({ name: 'Ana' }, 2)).toBeUndefined();
    expect(repeats.check({ name: 'Ana' }, 3)).toBeUndefined();
    expect(repeats.contactKey).toBeUndefined();
    const givenNamesOnly = new InFileRepeats({ checkContacts: false, usernameHeader: undefined, nameHeader: 'First Name' });
    expect(givenNamesOnly.check({ name: 'María José', email: 'a@example.com' }, 2)).toBeUndefined();
    expect(givenNamesOnly.check({ name: 'María José', email: 'a@example.com' }, 3)).toBeUndefined();
    expect(givenNamesOnly.isContactChecked({ name: 'María José', email: 'a@example.com' })).toBe(false);
    // Without a username column, the issue names no column.
    expect(givenNamesOnly.check({ username: 'u1' }, 4)).toBeUndefined();
    expect(givenNamesOnly.check({ username: 'U1' }, 5)).toEqual({ row: 5, code: 'duplicate_username', value: 'U1', rule: 'repeats the username of row 4 (usernames are compared without case or accents: both read "u1")' });
  });
});
