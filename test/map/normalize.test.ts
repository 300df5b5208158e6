import { describe, expect, it } from 'vitest';
import { hasPhoneExtension, impossibleDateReason, leadingOneReadings, normalizeName, normalizePhone, parseBoolean, parseDateTime, splitTags, trimmed } from '../../src/map/normalize.js';
import { inTimeZone } from '../time-zone.js';

describe('normalizePhone (default country MX)', () => {
  const cases: [string, string][] = [
    ['55 1234 5678', '+525512345678'],
    ['55\u202f1234\u202f5678', '+525512345678'], // narrow non-breaking spaces between the groups
    ['55\u00a01234\u00a05678', '+525512345678'],
    ['55\u20091234\u20095678', '+525512345678'], // thin spaces, as a word processor sets a number
    ['55\u30001234\u30005678', '+525512345678'], // ideographic spaces
    ['+52\u2002(55)\u20031234\u200a5678', '+525512345678'], // en, em and hair spaces
    ['(55) 1234-5678', '+525512345678'],
    ['5512345678', '+525512345678'],
    ['55-1234-5678', '+525512345678'],
    ['55.1234.5678', '+525512345678'],
    ['+525512345678', '+525512345678'],
    ['+52 55 1234 5678', '+525512345678'],
    ['+52 (55) 1234-5678', '+525512345678'],
    ['0052 55 1234 5678', '+525512345678'],
    ['(222) 123-4567', '+522221234567'],
    ['477-593-3690', '+524775933690'],
    ['999 928 1798', '+529999281798'],
    ['33 1234 5678', '+523312345678'],
    ['81 8989 2599', '+528189892599'],
    // Mexico's pre-2019 forms: the mobile "1" after +52, and the 044/045/01 dialing prefixes.
    ['+52 1 55 3481 9026', '+525534819026'],
    ['+521 55 1234 5678', '+525512345678'],
    ['+5215512345678', '+525512345678'],
    ['52 1 55 1234 5678', '+525512345678'],
    ['044 55 1234 5678', '+525512345678'],
    ['045 33 1234 5678', '+523312345678'],
    ['01 55 1234 5678', '+525512345678'],
    // Numbers with their own country code keep it.
    ['+1 415 555 2671', '+14155552671'],
    ['+34 612 34 56 78', '+34612345678'],
    // A phone column exported as floats (pandas, a column with blanks): the digits a spreadsheet shows.
    ['5512345678.0', '+525512345678'],
    ['525512345678.0', '+525512345678'],
    ['+525512345678.0', '+525512345678'],
    ['5512345678.00', '+525512345678'], // a phone column formatted as Number with two decimals
    ['5,512,345,678', '+525512345678'], // and with thousands separators
    ['5,512,345,678.00', '+525512345678'], // both: Excel's Comma Style, saved to a CSV as shown
    ['5,512,345,678.0', '+525512345678'],
  ];
  for (const [text, e164] of cases) {
    it(`${JSON.stringify(text)} → ${e164}`, () => expect(normalizePhone(text, 'MX')).toBe(e164));
  }

  it('refuses impossible numbers', () => {
    for (const text of ['55 1234', '123', '', 'abc', 'n/a', '5512345678901', '+52 1 55 1234', '00 55 1234 5678', '+52 55 1234 567', '044 55 1234', '+999 1234 5678', '5.51E+09', '5512345678.5', '55123.0', '5,512,345,678.50', '5,512,345,678.000', '55,123,456.00', '552,345,678.00']) {
      expect(normalizePhone(text, 'MX'), text).toBeUndefined();
    }
  });

  it('sends no number that reads as US and as Mexican: 1 and ten digits without a +', () => {
    // Dialed from the US, or a Mexican mobile with its pre-2019 1: Mexico's plan takes any ten digits from 2, so both read.
    expect(leadingOneReadings('1 (619) 555-0134')).toEqual({ unitedStates: '+16195550134', mexico: '+526195550134' });
    expect(leadingOneReadings('1.956.682.1190')).toEqual({ unitedStates: '+19566821190', mexico: '+529566821190' });
    expect(normalizePhone('1-915-555-0199', 'MX')).toBeUndefined();
    expect(normalizePhone('1 55 1234 5678', 'MX')).toBeUndefined();
    // One reading only: that one.
    expect(leadingOneReadings('1 656 123 4567')).toEqual({ unitedStates: undefined, mexico: '+526561234567' });
    expect(normalizePhone('1 656 123 4567', 'MX')).toBe('+526561234567');
    // Not of that form.
    for (const text of ['+1 956 682 1190', '52 1 55 1234 5678', '5512345678', '1 55 1234 567']) expect(leadingOneReadings(text), text).toBeUndefined();
    expect(normalizePhone('+1 956 682 1190', 'MX')).toBe('+19566821190');
    expect(normalizePhone('1 (415) 555-2671', 'US')).toBe('+14155552671');
  });

  it('reads numbers without a country code with the default country', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('(20) 7946 0958', 'GB')).toBe('+442079460958');
    // The legacy Mexican forms are a Mexican habit: +52 1 still works elsewhere, 044 does not.
    expect(normalizePhone('+52 1 55 1234 5678', 'US')).toBe('+525512345678');
    expect(normalizePhone('044 55 1234 5678', 'US')).toBeUndefined();
  });

  it('reads numbers libphonenumber-js rewrites (Argentina\'s mobile 15) and other scripts\' digits; refuses one with an extension or a second number after it', () => {
    expect(normalizePhone('+54 11 15 1234 5678', 'MX')).toBe('+5491112345678');
    expect(normalizePhone('011 15 1234-5678', 'AR')).toBe('+5491112345678');
    expect(normalizePhone('５５１２３４５６７８', 'MX')).toBe('+525512345678');
    expect(normalizePhone('٥٥١٢٣٤٥٦٧٨', 'MX')).toBe('+525512345678');
    for (const text of ['5512345678;5587654321', '55 1234 5678 #12', '5512345678,,12', '55 1234 5678 ext 12', '+52 55 1234 5678 #12']) {
      expect(normalizePhone(text, 'MX'), text).toBeUndefined();
      expect(hasPhoneExtension(text, 'MX'), text).toBe(true);
    }
    expect(hasPhoneExtension('55 1234 5678', 'MX')).toBe(false);
  });
});

describe('parseBoolean', () => {
  it('accepts true/false, sí/si/no, yes, 1/0, verdadero/falso in any case', () => {
    const yes = ['true', 'TRUE', 'True', 'sí', 'Sí', 'SÍ', 'si', 'Si', 'SI', 'yes', 'Yes', 'YES', '1', 'verdadero', 'VERDADERO', 'Verdadero', ' sí '];
    const no = ['false', 'FALSE', 'False', 'no', 'No', 'NO', '0', 'falso', 'FALSO', 'Falso', ' no '];
    for (const text of yes) expect(parseBoolean(text), text).toBe(true);
    for (const text of no) expect(parseBoolean(text), text).toBe(false);
  });

  it('accepts "sí" written with a decomposed accent', () => {
    // macOS writes decomposed accents (NFD): "si" + U+0301.
    expect(parseBoolean('si\u0301')).toBe(true);
    expect(parseBoolean('SI\u0301')).toBe(true);
  });

  it('accepts S/N, a period after the word, and a checklist\'s marks', () => {
    for (const text of ['S', 's', 'Sí.', 'si.', 'SÍ.', '✓', '✔', '✔\ufe0f', '☑', '✅', '1.']) expect(parseBoolean(text), text).toBe(true);
    for (const text of ['N', 'n', 'No.', 'NO.', '✗', '✘', '☐', '❌']) expect(parseBoolean(text), text).toBe(false);
  });

  it('accepts t and f, as PostgreSQL writes a boolean to a CSV', () => {
    expect([parseBoolean('t'), parseBoolean('T'), parseBoolean('f'), parseBoolean('F')]).toEqual([true, true, false, false]);
  });

  it('accepts 1.0 and 0.0, a 0/1 column with blanks as pandas writes it', () => {
    expect(parseBoolean('1.0')).toBe(true);
    expect(parseBoolean('0.0')).toBe(false);
    for (const text of ['1.5', '0.1', '1,0', '01', '2.0']) expect(parseBoolean(text), text).toBeUndefined();
  });

  it('refuses anything else: never a silent false', () => {
    // A bare X may be a mark in the box or a no: refused (the row mapper says to write Sí or No).
    for (const text of ['tal vez', 'quizá', 'x', 'X', '', 'nope', '2', '-1', 'yes!', 'y', 'ok', 'verdad', 'Sí..', '.', 'No sé.', '☒']) {
      expect(parseBoolean(text), text).toBeUndefined();
    }
  });
});

describe('parseDateTime', () => {
  const cases: [string, string][] = [
    ['2025-01-15', '2025-01-15T00:00:00.000Z'],
    ['2024-11-20', '2024-11-20T00:00:00.000Z'],
    ['15/01/2025', '2025-01-15T00:00:00.000Z'],
    ['03/02/2025', '2025-02-03T00:00:00.000Z'],
    ['3/2/2025', '2025-02-03T00:00:00.000Z'],
    ['15-01-2025', '2025-01-15T00:00:00.000Z'],
    ['15.01.2025', '2025-01-15T00:00:00.000Z'],
    ['29/02/2024', '2024-02-29T00:00:00.000Z'],
    ['15/01/2025 10:30', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15T10:30:00Z', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15T10:30:00.000Z', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15T10:30:00-06:00', '2025-01-15T16:30:00.000Z'],
    ['2025-01-15 10:30', '2025-01-15T10:30:00.000Z'],
    [' 2025-01-15 ', '2025-01-15T00:00:00.000Z'],
    // A date-time cell formatted `yyyy-mm-dd h:mm:ss` (openpyxl's and pandas' default), saved as CSV by Excel or LibreOffice.
    ['2025-03-15 0:00:00', '2025-03-15T00:00:00.000Z'],
    ['2025-03-15 7:05', '2025-03-15T07:05:00.000Z'],
    // Year first with slashes: Gnumeric's CSV spelling of a date cell; it reads no other way.
    ['2025/03/15', '2025-03-15T00:00:00.000Z'],
    ['2025/3/5', '2025-03-05T00:00:00.000Z'],
    ['2025/03/15 14:30', '2025-03-15T14:30:00.000Z'],
    // The month by its name: Excel's `dd-mmm-yyyy` cell saved to a CSV (Spanish abbreviations end in a period
    // in Windows' es-MX), and the date as a letter writes it. Either order of a named month reads one way.
    ['15-mar-2025', '2025-03-15T00:00:00.000Z'],
    ['15-mar.-2025', '2025-03-15T00:00:00.000Z'],
    ['05/Ene/2025', '2025-01-05T00:00:00.000Z'],
    ['1-DIC-2024', '2024-12-01T00:00:00.000Z'],
    ['15-Aug-2025', '2025-08-15T00:00:00.000Z'],
    ['15 de marzo de 2025', '2025-03-15T00:00:00.000Z'],
    ['1 de Septiembre del 2024', '2024-09-01T00:00:00.000Z'],
    ['15 marzo 2025', '2025-03-15T00:00:00.000Z'],
    // A 12-hour time as LibreOffice and Windows in Spanish save a date-time cell to a CSV: midnight is `12:00:00 a. m.`.
    ['15/01/2025 12:00:00 a. m.', '2025-01-15T00:00:00.000Z'],
    ['15/01/2025 12:00:00 p. m.', '2025-01-15T12:00:00.000Z'],
    ['03/02/2025 04:30:00 p. m.', '2025-02-03T16:30:00.000Z'],
    ['03/04/2025 12:00:00 a.m.', '2025-04-03T00:00:00.000Z'],
    ['15/01/2025 12:00:00\u00a0a.\u00a0m.', '2025-01-15T00:00:00.000Z'],
    // English AM/PM where only the day-first reading is a date, or both are the same.
    ['15/01/2025 12:00:00 AM', '2025-01-15T00:00:00.000Z'],
    ['15/01/2025 9:05 pm', '2025-01-15T21:05:00.000Z'],
    ['01/01/2025 09:15:00 AM', '2025-01-01T09:15:00.000Z'],
    // A long date as LibreOffice and Excel write it in Spanish: its weekday first, read where it is the date's.
    ['miércoles, 15 de enero de 2025', '2025-01-15T00:00:00.000Z'],
    ['MIERCOLES 15 DE ENERO DE 2025', '2025-01-15T00:00:00.000Z'],
    ['mié., 15 de ene. de 2025', '2025-01-15T00:00:00.000Z'],
    ['lunes, 3 de febrero de 2025', '2025-02-03T00:00:00.000Z'],
    ['sábado, 1-mar-2025', '2025-03-01T00:00:00.000Z'],
    ['Wednesday, 15 January 2025', '2025-01-15T00:00:00.000Z'],
    // Long and medium dates as Excel, LibreOffice and Google Sheets write them in an English locale: the month first.
    ['Wednesday, January 15, 2025', '2025-01-15T00:00:00.000Z'],
    ['January 15, 2025', '2025-01-15T00:00:00.000Z'],
    ['Jan 15, 2025', '2025-01-15T00:00:00.000Z'],
    ['Wed, Jan 15, 2025', '2025-01-15T00:00:00.000Z'],
    ['Sept. 3, 2025', '2025-09-03T00:00:00.000Z'],
    ['Mar 15, 2025', '2025-03-15T00:00:00.000Z'],
    ['15-Jan-2025', '2025-01-15T00:00:00.000Z'],
    ['15 Jan 2025', '2025-01-15T00:00:00.000Z'],
    // A date as people type it: the day as an ordinal, English or Spanish, in either order, after a weekday too.
    ['January 15th, 2025', '2025-01-15T00:00:00.000Z'],
    ['Jan 1st 2025', '2025-01-01T00:00:00.000Z'],
    ['JANUARY 22ND, 2025', '2025-01-22T00:00:00.000Z'],
    ['Feb 3rd, 2025', '2025-02-03T00:00:00.000Z'],
    ['March 11th, 2025', '2025-03-11T00:00:00.000Z'],
    ['15th January 2025', '2025-01-15T00:00:00.000Z'],
    ['15th of January, 2025', '2025-01-15T00:00:00.000Z'],
    ['Wednesday, January 15th, 2025', '2025-01-15T00:00:00.000Z'],
    ['15 de enero del 2025', '2025-01-15T00:00:00.000Z'],
    ['1ro de enero de 2025', '2025-01-01T00:00:00.000Z'],
    ['3ro de marzo de 2025', '2025-03-03T00:00:00.000Z'],
    ['1° de enero de 2025', '2025-01-01T00:00:00.000Z'],
    ['1º de enero de 2025', '2025-01-01T00:00:00.000Z'],
    ['1.º de enero de 2025', '2025-01-01T00:00:00.000Z'],
    ['miércoles 1º de enero de 2025', '2025-01-01T00:00:00.000Z'],
    ['enero 15, 2025', '2025-01-15T00:00:00.000Z'],
    ['15/ene/2025', '2025-01-15T00:00:00.000Z'],
    ['15-ene-2025', '2025-01-15T00:00:00.000Z'],
    ['15.01.2025', '2025-01-15T00:00:00.000Z'],
    // A date-time cell in a long or medium date format saved as shown: the time after the date, read as `2025-01-15 10:30` is (UTC).
    ['January 15, 2025 10:30 AM', '2025-01-15T10:30:00.000Z'],
    ['January 15, 2025 12:00 AM', '2025-01-15T00:00:00.000Z'],
    ['Jan 15, 2025, 4:45:30 PM', '2025-01-15T16:45:30.000Z'],
    ['Wednesday, January 15, 2025 at 4:45 PM', '2025-01-15T16:45:00.000Z'],
    ['January 15th, 2025 9:05 pm', '2025-01-15T21:05:00.000Z'],
    ['15 de enero de 2025 10:30', '2025-01-15T10:30:00.000Z'],
    ['miércoles, 15 de enero de 2025, 10:30 a. m.', '2025-01-15T10:30:00.000Z'],
    ['15 de enero de 2025 a las 1:30 p.m.', '2025-01-15T13:30:00.000Z'],
    ['15 de enero de 2025 10:30\u00a0a.\u00a0m.', '2025-01-15T10:30:00.000Z'],
    ['15 ene 2025, 23:59', '2025-01-15T23:59:00.000Z'],
    // PostgreSQL's `timestamptz` in a CSV: the zone's hours only, microseconds when it has them.
    ['2025-01-15 10:30:00-06', '2025-01-15T16:30:00.000Z'],
    ['2025-01-15 10:30:00+00', '2025-01-15T10:30:00.000Z'],
    ['2024-11-20 08:05:12.345678-06', '2024-11-20T14:05:12.345Z'],
    ['2025-01-15T10:30+05', '2025-01-15T05:30:00.000Z'],
    // A zone after a space or by its name: Ruby's `Time#to_s`, Rails and BigQuery's `UTC`, SQL Server's `datetimeoffset`.
    ['2025-01-15 04:30:00 -0600', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15 10:30:00 UTC', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15 10:30:00 gmt', '2025-01-15T10:30:00.000Z'],
    ['2025-01-15 04:30:00.0000000 -06:00', '2025-01-15T10:30:00.000Z'],
    // The time after a comma, as JavaScript's `toLocaleString()` writes a date-time (es-MX, en-GB).
    ['15/1/2025, 4:30:00 p.m.', '2025-01-15T16:30:00.000Z'],
    ['3/2/2025, 12:00:00 a.m.', '2025-02-03T00:00:00.000Z'],
    ['15/01/2025, 16:30:00', '2025-01-15T16:30:00.000Z'],
  ];
  for (const [text, iso] of cases) {
    it(`${JSON.stringify(text)} → ${iso}`, () => expect(parseDateTime(text)).toBe(iso));
  }

  it('refuses impossible and unreadable dates', () => {
    for (const text of ['31/02/2025', '29/02/2025', '31/04/2025', '00/01/2025', '15/13/2025', '2025-02-31', '2025-13-01', '2025-02-31T10:00:00Z', '2025-01-15T25:00:00Z', '15/01/25', 'mañana', '', '2025/02/30', '2025/13/01', '2025/01/15/3', '15/01/2025 24:00', '2025-03-15T0:00:00', '2025-03-15 0:0', '2025-02-30 0:00:00', '2025-01-15 UTC', '2025-01-15 10:30:00 CST', '15/01/2025 10:30 UTC']) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
  });

  it('says why a date written as one does not exist, and nothing of other texts', () => {
    expect(impossibleDateReason('31/02/2025')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('29/02/2023')).toBe('is not a date that exists: February 2023 has 28 days');
    expect(impossibleDateReason('31/04/2025 10:00')).toBe('is not a date that exists: April 2025 has 30 days');
    expect(impossibleDateReason('2025-02-30')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('2025-02-30T10:00:00Z')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('2025-02-30 10:00:00-06')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('2025-02-30 10:00:00 UTC')).toBe('is not a date that exists: February 2025 has 28 days');
    // A date written month first, as a US form exports it: the day-first reading it would have.
    expect(impossibleDateReason('12/25/2025')).toBe("is not a valid date: dates are read day first (dd/mm/yyyy) and there is no month 25; if it is written month first (mm/dd/yyyy), write 25/12/2025, and write the column's other dates day first too (03/04/2025 is read as 3 April)");
    expect(impossibleDateReason('15/13/2025')).toBe('is not a valid date: there is no month 13 (dd/mm/yyyy)');
    // Month first, yet no date either way (30 February): no spelling offered.
    expect(impossibleDateReason('02/30/2025')).toBe('is not a valid date: there is no month 30 (dd/mm/yyyy)');
    expect(impossibleDateReason('2025-13-01')).toBe('is not a valid date: there is no month 13 (yyyy-mm-dd)');
    expect(impossibleDateReason('00/01/2025')).toBe('is not a valid date: there is no day 0');
    expect(impossibleDateReason('01/01/1850')).toBe('is not a valid date: the year 1850 is out of range');
    expect(impossibleDateReason('2025/02/30')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('31-feb-2025')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('15 de hola de 2025')).toBe('is not a valid date: "hola" is no month\'s name (use dd/mm/yyyy)');
    expect(impossibleDateReason('15-mar-25')).toBe('is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)');
    // Two digits of year (LibreOffice's short date in Spanish): the century is not guessed.
    expect(impossibleDateReason('15/03/25')).toBe('is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)');
    expect(impossibleDateReason('3/15/25')).toBe('is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)');
    expect(impossibleDateReason('20/11/24, 9:15 a.m.')).toBe('is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)');
    // en-US's `toLocaleString()`: month first with PM, refused as the same without the comma is.
    expect(impossibleDateReason('1/15/2025, 4:30:00 PM')).toBe(
      "is not a valid date: written month first with PM, as a US-English program writes a date-time, it is January 15, 2025 (15/01/2025): write the column's dates day first (dd/mm/yyyy) with a 24-hour time, or as yyyy-mm-dd",
    );
    expect(parseDateTime('1/15/2025, 4:30:00 PM')).toBeUndefined();
    expect(impossibleDateReason('31/02/2025, 10:00')).toBe('is not a date that exists: February 2025 has 28 days');
    // Month first with AM/PM, as a US-English program writes a date-time: no month 15, or two dates.
    expect(impossibleDateReason('01/15/2025 12:00:00 AM')).toBe(
      "is not a valid date: written month first with AM, as a US-English program writes a date-time, it is January 15, 2025 (15/01/2025): write the column's dates day first (dd/mm/yyyy) with a 24-hour time, or as yyyy-mm-dd",
    );
    expect(impossibleDateReason('03/04/2025 04:30:00 PM')).toBe(
      "is not a valid date: written with PM, as a US-English program writes a date-time month first, it may be 3 April or March 4; write the column's dates day first (dd/mm/yyyy) with a 24-hour time, or as yyyy-mm-dd",
    );
    expect(parseDateTime('03/04/2025 04:30:00 PM')).toBeUndefined();
    expect(impossibleDateReason('15/01/2025 00:00:00 a. m.')).toBe('is not a valid date: a time with a. m. has hours 1 to 12');
    expect(impossibleDateReason('15/01/2025 13:00 PM')).toBe('is not a valid date: a time with p. m. has hours 1 to 12');
    // A weekday that is not the date's, or no weekday at all: said, the date not guessed from either.
    expect(impossibleDateReason('martes, 15 de enero de 2025')).toBe('is not a valid date: 15 January 2025 is a Wednesday (miércoles), not a Tuesday (martes): check which is right');
    expect(parseDateTime('martes, 15 de enero de 2025')).toBeUndefined();
    expect(impossibleDateReason('fulano, 15 de enero de 2025')).toBe('is not a valid date: "fulano" is no weekday\'s name (use dd/mm/yyyy)');
    expect(impossibleDateReason('jueves, 30 de febrero de 2025')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('Tuesday, January 15, 2025')).toBe('is not a valid date: 15 January 2025 is a Wednesday (miércoles), not a Tuesday (martes): check which is right');
    expect(parseDateTime('Tuesday, January 15, 2025')).toBeUndefined();
    expect(impossibleDateReason('February 30, 2025')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('Janvier 15, 2025')).toBe('is not a valid date: "Janvier" is no month\'s name (use dd/mm/yyyy)');
    expect(impossibleDateReason('Jan 15, 25')).toBe('is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)');
    // A weekday where the month should be: the month is missing, said so with what to write.
    expect(impossibleDateReason('Martes 15, 2025')).toBe('is not a valid date: "Martes" is a weekday, not a month, and no month is written: write the date with its month, 15/mm/2025 (dd/mm/yyyy)');
    expect(impossibleDateReason('Tuesday 4, 2025 10:30')).toBe('is not a valid date: "Tuesday" is a weekday, not a month, and no month is written: write the date with its month, 4/mm/2025 (dd/mm/yyyy)');
    expect(impossibleDateReason('sáb 15, 2025')).toBe('is not a valid date: "sáb" is a weekday, not a month, and no month is written: write the date with its month, 15/mm/2025 (dd/mm/yyyy)');
    expect(parseDateTime('Martes 15, 2025')).toBeUndefined();
    // A date with a part left out: which, and the date to write.
    const noYear = (shown: string, write: string) => `is not a valid date: no year is written (${shown}): write the date with its year, ${write} (dd/mm/yyyy), or give the column's date format a year where the file was made`;
    expect(impossibleDateReason('15-ene')).toBe(noYear('15 January', '15/01/yyyy'));
    expect(impossibleDateReason('3-Feb')).toBe(noYear('3 February', '03/02/yyyy'));
    expect(impossibleDateReason('15 de enero')).toBe(noYear('15 January', '15/01/yyyy'));
    expect(impossibleDateReason('miércoles 15 de enero')).toBe(noYear('15 January', '15/01/yyyy'));
    expect(impossibleDateReason('January 15th')).toBe(noYear('15 January', '15/01/yyyy'));
    expect(impossibleDateReason('Wednesday, January 15')).toBe(noYear('15 January', '15/01/yyyy'));
    expect(impossibleDateReason('15/01')).toBe('is not a valid date: no year is written: write the date with its year (dd/mm/yyyy)');
    for (const text of ['enero 2025', 'enero de 2025', 'ene-2025', 'January 2025', '01/2025', '2025-01']) {
      expect(impossibleDateReason(text), text).toBe('is not a valid date: no day is written (January 2025): write the date with its day, dd/01/2025 (dd/mm/yyyy)');
      expect(parseDateTime(text), text).toBeUndefined();
    }
    // Not a date with a part left out: nothing said (the plain message).
    for (const text of ['hola 15 de enero', '32 de enero', '13/2025', 'hola 2025', 'Enero', '1.50']) {
      expect(impossibleDateReason(text), text).toBeUndefined();
    }
    // Eight digits that are a date written yyyymmdd: the date said, not read (a number as much as a date).
    expect(impossibleDateReason('20250115')).toBe('is a number, not a date: if it is a date written yyyymmdd (20250115 is 15/01/2025), write it as 2025-01-15 (yyyy-mm-dd) or 15/01/2025 (dd/mm/yyyy)');
    expect(parseDateTime('20250115')).toBeUndefined();
    for (const text of ['20251315', '20250230', '15012025', '12345678']) expect(impossibleDateReason(text), text).toBeUndefined();
    // A day typed as an ordinal whose ending is not the day's: a slip, of the ending or of the day.
    expect(impossibleDateReason('February 21th, 2025')).toBe('is not a valid date: "21th" is not 21 as an ordinal (21st): check the day');
    expect(parseDateTime('February 21th, 2025')).toBeUndefined();
    expect(impossibleDateReason('2st January 2025')).toBe('is not a valid date: "2st" is not 2 as an ordinal (2nd): check the day');
    expect(impossibleDateReason('12nd January 2025')).toBe('is not a valid date: "12nd" is not 12 as an ordinal (12th): check the day');
    expect(impossibleDateReason('15ro de enero de 2025')).toBe('is not a valid date: "15ro" is not 15 as an ordinal (15º): check the day');
    expect(parseDateTime('15ro de enero de 2025')).toBeUndefined();
    expect(impossibleDateReason('Tuesday, January 15th, 2025')).toBe('is not a valid date: 15 January 2025 is a Wednesday (miércoles), not a Tuesday (martes): check which is right');
    expect(impossibleDateReason('February 30th, 2025')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('Jan 15th, 25')).toBe('is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)');
    // A long date with a time: what of the time is not read, named; the date's own faults first.
    expect(impossibleDateReason('20 de noviembre de 2024 16:30 hrs')).toBe('is not a valid date: "16:30 hrs" after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)');
    expect(impossibleDateReason('15 de enero de 2025 por la tarde')).toBe('is not a valid date: "por la tarde" after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)');
    expect(impossibleDateReason('Jan 15, 2025, 13:30 PM')).toBe('is not a valid date: a time with p. m. has hours 1 to 12');
    expect(impossibleDateReason('January 15, 2025 0:30 a. m.')).toBe('is not a valid date: a time with a. m. has hours 1 to 12');
    expect(impossibleDateReason('January 15, 2025 25:00')).toBe('is not a valid date: "25:00" is no time of day');
    expect(impossibleDateReason('15 de enero de 2025, 10:60')).toBe('is not a valid date: "10:60" is no time of day');
    expect(impossibleDateReason('martes, 15 de enero de 2025, 10:30 a. m.')).toBe('is not a valid date: 15 January 2025 is a Wednesday (miércoles), not a Tuesday (martes): check which is right');
    expect(impossibleDateReason('February 30, 2025 10:30 AM')).toBe('is not a date that exists: February 2025 has 28 days');
    // After a numeric date too; the date's own faults first.
    expect(impossibleDateReason('15/01/2025 10:30 hrs')).toBe('is not a valid date: "10:30 hrs" after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)');
    expect(impossibleDateReason('15-01-2025 - 10:30')).toBe('is not a valid date: "- 10:30" after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)');
    expect(impossibleDateReason('31/02/2025 10:30 hrs')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(impossibleDateReason('February 30, 2025 10:30 hrs')).toBe('is not a date that exists: February 2025 has 28 days');
    expect(parseDateTime('15/01/2025 10:30 hrs')).toBeUndefined();
    for (const text of ['20 de noviembre de 2024 16:30 hrs', 'Jan 15, 2025, 13:30 PM', 'January 15, 2025 25:00', 'martes, 15 de enero de 2025, 10:30 a. m.']) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
    for (const text of ['mañana', '', '2025/01/15', '15/01/2025', '2025-01-15', '15/01/2025 24:00', '2025-01-15T25:00:00Z', '15/01/2025 12:00:00 a. m.', '15/01/2025 12:00:00 AM', 'miércoles, 15 de enero de 2025', 'Wednesday, January 15, 2025', 'January 15, 2025 10:30 AM']) {
      expect(impossibleDateReason(text), text).toBeUndefined();
    }
  });

  it('does not depend on the machine\'s time zone', () => {
    inTimeZone('America/Mexico_City');
    expect(parseDateTime('15/01/2025')).toBe('2025-01-15T00:00:00.000Z');
    expect(parseDateTime('2025-01-15 10:30')).toBe('2025-01-15T10:30:00.000Z');
  });
});

describe('splitTags', () => {
  it('splits on commas, trims, drops empties and repeats, keeps first-seen order', () => {
    expect(splitTags('Primaria, Colegiatura, Transporte')).toEqual(['Primaria', 'Colegiatura', 'Transporte']);
    expect(splitTags(' VIP ,, Colegiatura ,VIP,  ,Colegiatura')).toEqual(['VIP', 'Colegiatura']);
    expect(splitTags('Primaria')).toEqual(['Primaria']);
    expect(splitTags(' , ,')).toEqual([]);
    expect(splitTags('Beca 50%, "Beca deportiva"')).toEqual(['Beca 50%', '"Beca deportiva"']);
  });

  it('drops what a roster writes where a customer has no tag, alone or among tags', () => {
    for (const none of ['-', '—', 'N/A', 'n/a', 'N.A.', '?', 'Ninguna', 'ninguno', 'none', 'NULL', '\\N', '[NULL]', 'Sin etiqueta', 'sin grupo']) expect(splitTags(none), none).toEqual([]);
    expect(splitTags('Beca, -, N/A')).toEqual(['Beca']);
    // A tag that only starts like one is a tag.
    expect(splitTags('Sin beca, Ninguna deuda, NA')).toEqual(['Sin beca', 'Ninguna deuda', 'NA']);
  });

  it('reads a list as JSON or Python writes it (a script\'s export) without its brackets and quotes', () => {
    expect(splitTags('["Primaria", "Beca 50%"]')).toEqual(['Primaria', 'Beca 50%']);
    expect(splitTags("['primaria', 'comedor', 'primaria']")).toEqual(['primaria', 'comedor']);
    expect(splitTags('[]')).toEqual([]);
    expect(splitTags(" ['VIP'] ")).toEqual(['VIP']);
    // Brackets a school typed around a tag are kept: only quoted items make a list.
    expect(splitTags('[VIP], Beca')).toEqual(['[VIP]', 'Beca']);
  });

  it('splits on semicolons and line breaks too: a CRM\'s multi-select, one tag a line', () => {
    expect(splitTags('Corporativo;Pyme')).toEqual(['Corporativo', 'Pyme']);
    expect(splitTags('Persona moral; Nómina, VIP')).toEqual(['Persona moral', 'Nómina', 'VIP']);
    expect(splitTags('Beca\r\nTransporte\nBeca')).toEqual(['Beca', 'Transporte']);
  });

  it('splits on a vertical tab, FileMaker\'s return inside a field (a checkbox set exports its values one a line)', () => {
    expect(splitTags('Beca\vComedor\vTransporte')).toEqual(['Beca', 'Comedor', 'Transporte']);
    expect(splitTags('Beca\v')).toEqual(['Beca']);
  });

  it('drops Google Contacts\' own groups (* myContacts, * starred), which every exported contact carries', () => {
    expect(splitTags('* myContacts ::: Clientes VIP ::: * starred')).toEqual(['Clientes VIP']);
    expect(splitTags('* myContacts')).toEqual([]);
    expect(splitTags('*VIP')).toEqual(['*VIP']);
    expect(splitTags('Beca, * Transporte')).toEqual(['Beca', '* Transporte']); // a school's own mark
  });

  it('takes a repeat in another case for the same tag, keeping the first spelling', () => {
    expect(splitTags('Beca, beca ,BECA')).toEqual(['Beca']);
    expect(splitTags('Inglés,inglés, Francés')).toEqual(['Inglés', 'Francés']);
  });
});

describe('trimmed', () => {
  it('trims as String.prototype.trim does, whatever the ends', () => {
    const cells = ['', ' ', 'a', ' a', 'a ', '\ta\n', '\u00a0Ana\u3000', '\ufeffx', 'x\u2028', 'é', ' é ', '~x!', '\u007fx\u007f', '\u0001x', 'María José'];
    for (const cell of cells) expect(trimmed(cell)).toBe(cell.trim());
  });
});

describe('normalizeName', () => {
  it('trims and collapses inner runs of white space', () => {
    expect(normalizeName('  Ana   María\t López ')).toBe('Ana María López');
    expect(normalizeName('José')).toBe('José');
    expect(normalizeName('Ana\u00a0\u00a0María')).toBe('Ana María');
  });

  it('drops the invisible characters a copy from a web page leaves inside a name, as the name shows', () => {
    expect(normalizeName('Ana\u200bRuiz')).toBe('AnaRuiz');
    expect(normalizeName('Ana \u00adRuiz\u2060 Peña')).toBe('Ana Ruiz Peña');
  });
});
