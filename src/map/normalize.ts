import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const INNER_SPACES = /\s+/g;

/**
 * `text.trim()`, without the call when both ends are visible ASCII, as nearly every cell's are
 * (a million-row roster trims some ten million cells; the call measured about 200 instructions).
 */
export function trimmed(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? text : text.trim();
}

/** `'` before what a spreadsheet would run as a formula (our errors file) or read as a number (`'64000`, as Shopify exports ids and postcodes). */
const FORMULA_GUARD = /^'[=+\-@\d]/;

/**
 * `text` without the `'` our report writers put before a cell or header a spreadsheet would run as
 * a formula (`'=Ruiz`, `'@Instagram`), or Excel's mark for a number kept as text (`'64000`): the
 * value as the roster had it, so a fixed errors file imports what the roster would have.
 */
export function withoutFormulaGuard(text: string): string {
  return text.charCodeAt(0) === 0x27 /* ' */ && FORMULA_GUARD.test(text) ? text.slice(1) : text;
}

/**
 * Trims and collapses inner runs of white space (`  Ana   María ` → `Ana María`), and drops the
 * invisible characters a copy from a web page leaves inside (`Ana\u200bRuiz` shows as `AnaRuiz`).
 */
export function normalizeName(text: string): string {
  const trimmedText = trimmed(text);
  // Most names have single spaces only: one scan, no new string.
  return EXTRA_SPACE.test(trimmedText) ? trimmedText.replace(INVISIBLE_INSIDE, '').replace(INNER_SPACES, ' ').trim() : trimmedText;
}

/** A name as a person compares two: case, accents and runs of spaces aside (`JOSE  PEREZ` is `José Pérez`). */
export function comparableName(name: string): string {
  return normalizeName(name.normalize('NFD').replace(COMBINING_MARKS, '')).toLowerCase();
}
const COMBINING_MARKS = /\p{M}/gu;

/** Whether two names are one person's as a person compares them (`JOSE  PEREZ` and `José Pérez`). */
export function isSameName(a: string, b: string): boolean {
  return comparableName(a) === comparableName(b);
}

/** White space other than a single plain space between words, or an invisible character. */
const EXTRA_SPACE = /\s{2}|[^\S ]|[\u00ad\u200b\u2060]/;
/** Soft hyphen, zero-width space, word joiner: nothing a name shows (the zero-width joiners of an emoji stay). */
const INVISIBLE_INSIDE = /[\u00ad\u200b\u2060]/g;

/** Every space but the plain one: no-break, figure, thin, hair, en, em, narrow no-break, ideographic (`55\u20091234\u20095678`, as a word processor sets a number). */
const NARROW_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/;
const NARROW_SPACES_ALL = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;

/** A number with a `.0` or `.00` tail, as pandas and some school systems export a phone column that has blanks. */
const WHOLE_FLOAT = /^\+?\d{7,15}\.00?$/;
/**
 * A number with thousands separators (`5,512,345,678`), as a phone column formatted as Number shows
 * it, also with Excel's Comma Style `.00` (`5,512,345,678.00`): the digits before the point.
 */
const THOUSANDS = /^(\d{1,3}(?:,\d{3}){2,4})(?:\.00?)?$/;

/**
 * A phone number in E.164, read with `defaultCountry` when it has no country code; undefined when
 * it cannot be a real number. libphonenumber-js is the judge (it knows each country's lengths and
 * prefixes, and Mexico's dropped mobile `1`). A whole number written as a float (`5512345678.0`,
 * `.00`) or with thousands separators (`5,512,345,678`, `5,512,345,678.00`) is read as its digits.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode): string | undefined {
  // Non-breaking and thin spaces between the groups (`55\u202f1234\u202f5678`, as some systems and locales format numbers).
  const spaced = NARROW_SPACES.test(input) ? input.replace(NARROW_SPACES_ALL, ' ') : input;
  const dot = spaced.charCodeAt(spaced.length - 2) === 46 /* . */ ? 2 : spaced.charCodeAt(spaced.length - 3) === 46 ? 3 : 0;
  let text = dot !== 0 && WHOLE_FLOAT.test(spaced) ? spaced.slice(0, -dot) : spaced;
  if (text.charCodeAt(1) === 44 /* , */ || text.charCodeAt(2) === 44 || text.charCodeAt(3) === 44) {
    const grouped = THOUSANDS.exec(text);
    if (grouped) text = grouped[1]!.replace(/,/g, '');
  }
  const verdict = plainMexicanNumber(text, defaultCountry);
  if (verdict !== undefined) return verdict ?? undefined;
  if (defaultCountry === 'MX') {
    // `1 915 555 0199`: the one reading that is a valid number; both, and nothing is sent (the handler says why).
    const readings = leadingOneReadings(text);
    if (readings) return readings.unitedStates === undefined ? readings.mexico : readings.mexico === undefined ? readings.unitedStates : undefined;
  }
  // With an extension (`55 1234 5678 #12`, `,12`, `ext 12`, and `5512345678;5587654321`, whose
  // second number libphonenumber-js reads as one), E.164 cannot hold the whole cell: no number.
  const phone = parsePhoneNumberFromString(text, defaultCountry);
  if (phone?.isValid()) return phone.ext === undefined ? phone.number : undefined;
  const modern = withoutMexicanLegacyPrefix(text, defaultCountry);
  if (modern === undefined) return undefined;
  const retried = plainMexicanNumber(modern, defaultCountry);
  if (retried !== undefined) return retried ?? undefined;
  const modernPhone = parsePhoneNumberFromString(modern);
  return modernPhone?.isValid() && modernPhone.ext === undefined ? modernPhone.number : undefined;
}

/** Whether the text is a valid number with an extension (`55 1234 5678 #12`, `(oficina ext. 204)`), which `normalizePhone` refuses. */
export function hasPhoneExtension(text: string, defaultCountry: CountryCode): boolean {
  const phone = parsePhoneNumberFromString(text, defaultCountry);
  return phone?.ext !== undefined && phone.isValid();
}

/**
 * The two readings of `1` and ten digits without a `+` (`1 (619) 555-0134`): a US or Canada number
 * as dialed from there, or a Mexican mobile with its pre-2019 `1`; each undefined when it is no
 * valid number. Undefined when the text is not of that form. Border towns' rosters hold both.
 */
export function leadingOneReadings(text: string): { unitedStates: string | undefined; mexico: string | undefined } | undefined {
  if (text.length > 40 || text.charCodeAt(0) === 43 /* + */) return undefined;
  const digits = text.replace(SEPARATORS, '');
  if (!LEADING_ONE.test(digits)) return undefined;
  const ten = digits.slice(1);
  const northAmerican = parsePhoneNumberFromString(`+1${ten}`);
  const mexican = parsePhoneNumberFromString(`+52${ten}`);
  return { unitedStates: northAmerican?.isValid() ? northAmerican.number : undefined, mexico: mexican?.isValid() ? mexican.number : undefined };
}
const LEADING_ONE = /^1\d{10}$/;

/**
 * libphonenumber-js's verdict on a plain Mexican number without asking it (it costs 7 to 25 µs a
 * number, and most rosters hold plain numbers): the E.164 number when it would accept the text or
 * when the text is one of Mexico's pre-2019 forms of a valid number, null when neither (the number
 * is refused), undefined when only it can tell. Plain means digits, spaces, `(`, `)` and
 * `-`, a `+` only first; then libphonenumber-js keeps just the digits. After `+52` (calling codes are
 * prefix-free), or without a `+` when Mexico is the default country and the digits start neither with
 * an international prefix (`00`, `09`) nor with `52`, the rest is the national number as it is, since
 * Mexico's plan has no national prefix; and with no number types in the metadata, `isValid()` is the
 * national number pattern. `MEXICO_NATIONAL` checks those facts of the metadata once: a library update
 * that changes them turns this off. test/bench/phone-fast-path.test.ts compares the two.
 */
function plainMexicanNumber(text: string, defaultCountry: CountryCode): string | null | undefined {
  if (MEXICO_NATIONAL === undefined || text.length > 40) return undefined;
  // Runs of digits are sliced, not added one by one: a number written as plain digits is kept whole.
  let digits = '';
  let runStart = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (runStart === -1) runStart = i;
      continue;
    }
    if (runStart !== -1) {
      digits += text.slice(runStart, i);
      runStart = -1;
    }
    if (code === 43 /* + */ ? i !== 0 : code !== 32 && code !== 40 && code !== 41 && code !== 45) return undefined;
  }
  if (runStart !== -1) digits = runStart === 0 ? text : digits + text.slice(runStart);
  let national: string;
  if (text.charCodeAt(0) === 43) {
    if (!digits.startsWith('52')) return undefined;
    national = digits.slice(2);
  } else {
    // `1` and ten digits: a US number too, see leadingOneReadings.
    if (defaultCountry !== 'MX' || digits.startsWith('00') || digits.startsWith('09') || digits.startsWith('52') || (digits.length === 11 && digits.charCodeAt(0) === 49)) return undefined;
    national = digits;
  }
  if (MEXICO_NATIONAL.test(national)) return `+52${national}`;
  // Mexico's pre-2019 forms (see withoutMexicanLegacyPrefix), read from the digits at hand: a
  // quarter of a roster's numbers may still be written so, and a second pass over the text cost 2 µs.
  const legacy = (defaultCountry === 'MX' ? MEXICAN_LEGACY_NATIONAL : MEXICAN_LEGACY_MOBILE).exec(national);
  return legacy && MEXICO_NATIONAL.test(legacy[1]!) ? `+52${legacy[1]}` : null;
}

/** Mexico's national number pattern, when the metadata's plan is the one `plainMexicanNumber` was proven against. */
const MEXICO_NATIONAL = ((): RegExp | undefined => {
  const metadata = new Metadata();
  metadata.selectNumberingPlan('MX');
  const plan = metadata.numberingPlan! as unknown as {
    callingCode(): string;
    hasTypes(): boolean;
    nationalNumberPattern(): string;
    nationalPrefixForParsing(): string | undefined;
    IDDPrefix(): string;
    possibleLengths(): number[];
  };
  const proven =
    plan.callingCode() === '52' &&
    !plan.hasTypes() &&
    plan.nationalNumberPattern() === '[2-9]\\d{9}' &&
    !plan.nationalPrefixForParsing() &&
    plan.IDDPrefix() === '0[09]' &&
    plan.possibleLengths().join() === '10' &&
    (metadata as unknown as { getCountryCodesForCallingCode(code: string): string[] | undefined }).getCountryCodesForCallingCode('52')?.join() === 'MX';
  return proven ? /^[2-9]\d{9}$/ : undefined;
})();

const SEPARATORS = /[\s().\-/]/g;
/**
 * Mexico's pre-2019 forms after the calling code: the mobile `1` anywhere, `044`/`045`/`01` too where
 * Mexico is the default country. Written once here, with and without the calling code in front.
 */
const LEGACY_ANY = '(?:1|044|045|01)(\\d{10})$';
const LEGACY_MOBILE = '1(\\d{10})$';
const MEXICAN_LEGACY_NATIONAL = new RegExp(`^${LEGACY_ANY}`);
const MEXICAN_LEGACY_MOBILE = new RegExp(`^${LEGACY_MOBILE}`);
const MEXICAN_LEGACY = new RegExp(`^(?:\\+52|0052|52)?${LEGACY_ANY}`);
const MEXICAN_LEGACY_INTERNATIONAL = new RegExp(`^(?:\\+52|0052)${LEGACY_MOBILE}`);

/**
 * Mexico dropped its mobile `1` (`+52 1 55…`) and the `044`/`045`/`01` dialing prefixes in 2019, and
 * libphonenumber now refuses them, but rosters still hold them: the same 10 digits with `+52` in front.
 */
function withoutMexicanLegacyPrefix(text: string, defaultCountry: CountryCode): string | undefined {
  const digits = text.replace(SEPARATORS, '');
  const match = (defaultCountry === 'MX' ? MEXICAN_LEGACY : MEXICAN_LEGACY_INTERNATIONAL).exec(digits);
  return match ? `+52${match[1]}` : undefined;
}

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['si', true],
  ['sí', true],
  ['s', true],
  ['no', false],
  ['n', false],
  ['yes', true],
  // PostgreSQL writes a boolean as t/f (`COPY … CSV`, psql): a nightly export from a school's database.
  ['t', true],
  ['f', false],
  ['1', true],
  ['0', false],
  // A 0/1 column with blanks as pandas writes it (a float column), as it writes `24001.0` for a student number.
  ['1.0', true],
  ['0.0', false],
  ['verdadero', true],
  ['falso', false],
  // A checklist's marks: ticked or crossed. A bare `x` is not here: a mark in the box, or a no?
  ['✓', true],
  ['✔', true],
  ['☑', true],
  ['✅', true],
  ['✗', false],
  ['✘', false],
  ['☐', false],
  ['❌', false],
]);
/** The emoji form a check mark may carry (`✔️`), and the period a sentence ends with (`Sí.`). */
const BOOLEAN_TAIL = /[\ufe0f.]$/;

/**
 * true/false, sí/si/s/no/n, yes, t/f, 1/0 (also `1.0`/`0.0`), verdadero/falso in any case, a period after them (`Sí.`), and
 * check marks (✓ ✔ ☑ ✅ yes, ✗ ✘ ☐ ❌ no); undefined for anything else (never a silent false).
 */
export function parseBoolean(text: string): boolean | undefined {
  const known = BOOLEANS.get(text);
  if (known !== undefined) return known;
  // NFC: a decomposed "sí" (macOS writes accents as a letter plus a combining mark) is still sí.
  const key = text.trim().toLowerCase().normalize('NFC'); // keys are trimmed, lower case, NFC
  return BOOLEANS.get(key) ?? BOOLEANS.get(key.replace(BOOLEAN_TAIL, ''));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/**
 * A zone after a space, or by its name: `2025-01-15 10:30:00 UTC` (Ruby on Rails, BigQuery),
 * `2025-01-15 04:30:00 -0600` (Ruby's `Time#to_s`), `2025-01-15 04:30:00.0000000 -06:00` (SQL
 * Server's `datetimeoffset`): written as ISO writes it (`Z`, `-0600`) before the date-time is read.
 */
const SPACED_ZONE = /\s+(?:(UTC|GMT)|([+-]\d{2}(?::?\d{2})?))$/i;
/** A zone of whole hours written without its minutes (`-06`, `+00`), as PostgreSQL writes a `timestamptz` to a CSV (`2025-01-15 10:30:00-06`); `Date` reads it only with them. */
const ZONE_HOURS_ONLY = /[+-]\d{2}$/;
const ISO_DATE_ONE_DIGIT_HOUR = /^(\d{4}-\d{2}-\d{2}) (\d:\d{2})/;
/**
 * `15/01/2025`, with a time, 24-hour or 12-hour: `12:00:00 a. m.` as LibreOffice and Windows in
 * Spanish save a date-time cell to a CSV (also `a.m.`), `12:00:00 AM` in English; after a comma,
 * as JavaScript's `toLocaleString()` writes a date-time, which web apps export (`15/1/2025, 4:30:00 p.m.` in es-MX).
 */
const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:(?:,\s*|[ T])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])(\.?)\s*m\.?)?)?$/i;
/** `2025/03/15`: Gnumeric's CSV spelling of a date cell. The year first cannot be read another way. */
const YEAR_MONTH_DAY_SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/** `15/03/25`: LibreOffice's short date in Spanish (Mexico), also with a time (`15/01/25, 4:30 p.m.`, JavaScript's short date-time in es-MX); the century is anyone's guess. */
const TWO_DIGIT_YEAR = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:(?:,\s*|[ T])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s*m\.?)?)?$/i;
/** `15-mar-25`: Excel's `dd-mmm-yy`, and `Jan 15, 25` month first; the century is no more known. */
const TWO_DIGIT_YEAR_NAMED_MONTH = /^(?:\d{1,2}[-/ ]\p{L}{3,10}\.?[-/ ]\d{2}|\p{L}{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s*\d{2})$/iu;
/** The ending of a day typed as an ordinal: English (`15th`, `1st`), Spanish (`1ro`, `1º`, `1.º`, and `1°`, the degree sign keyboards offer for `º`). */
const DAY_ORDINAL = '(st|nd|rd|th|ro|\\.?[º°])?';

/**
 * `15-mar-2025`, `15-mar.-2025`, `15/Mar/2025`, `15 de marzo de 2025`: the day, the month by its
 * name (Spanish or English, whole or as Excel abbreviates it in a `dd-mmm-yyyy` cell saved to a
 * CSV) and a four-digit year; a weekday may come first (`WEEKDAY_FIRST`). A month's name is no
 * number: the order cannot be misread. The day may be typed as an ordinal (`DAY_ORDINAL`:
 * `15th January 2025`, `15th of January`, `1ro de enero`, `1º de enero`).
 */
const NAMED_MONTH_DATE = new RegExp(`^(\\d{1,2})${DAY_ORDINAL}(?:\\s+de\\s+|\\s+of\\s+|\\s*[-/ ]\\s*)(\\p{L}{3,10})\\.?(?:\\s+del?\\s+|\\s*[-/ ,]\\s*)(\\d{4})$`, 'iu');
/**
 * `January 15, 2025`, `Jan 15, 2025`: the month's name first, as Excel, LibreOffice and Google
 * Sheets write a long or medium date in an English locale; a weekday may come first (`Wednesday,
 * January 15, 2025`). Read as such before any weekday: `Mar 15, 2025` is March, not a Tuesday (martes).
 * The day may be typed as an ordinal (`January 15th, 2025`, `Jan 1st 2025`).
 */
const MONTH_FIRST_DATE = new RegExp(`^(\\p{L}{3,10})\\.?\\s+(\\d{1,2})${DAY_ORDINAL},?\\s+(\\d{4})$`, 'iu');
/** `miércoles, `, `mié. `, `Wednesday, `: the weekday LibreOffice's and Excel's long date formats put first (`miércoles, 15 de enero de 2025`). */
const WEEKDAY_FIRST = /^(\p{L}{3,9})\.?,?\s+(?=[\d\p{L}])/u;
/** Weekdays as `getUTCDay()` numbers them, Sunday first: Spanish names, with and without accents, and English ones, whole or as abbreviated. */
const WEEKDAY_NUMBERS: ReadonlyMap<string, number> = new Map(
  [
    ['domingo', 'dom', 'sunday', 'sun'],
    ['lunes', 'lun', 'monday', 'mon'],
    ['martes', 'mar', 'tuesday', 'tue'],
    ['miércoles', 'miercoles', 'mié', 'mie', 'wednesday', 'wed'],
    ['jueves', 'jue', 'thursday', 'thu'],
    ['viernes', 'vie', 'friday', 'fri'],
    ['sábado', 'sabado', 'sáb', 'sab', 'saturday', 'sat'],
  ].flatMap((names, index) => names.map((name) => [name, index] as const)),
);
const WEEKDAYS = ['Sunday (domingo)', 'Monday (lunes)', 'Tuesday (martes)', 'Wednesday (miércoles)', 'Thursday (jueves)', 'Friday (viernes)', 'Saturday (sábado)'];

/** A date written with its month's name: its parts as written, the ending of a day typed as an ordinal (`th`, `ro`, `º`), the weekday before it and the time after it (`TIME_AFTER_DATE`), if any. */
interface NamedMonthDate {
  day: number;
  monthName: string;
  year: number;
  ordinal?: string;
  weekday?: string;
  time?: RegExpExecArray;
}

/**
 * `10:30`, `10:30:00`, `10:30 AM`, `10:30 a. m.` after the year of a date with its month's name:
 * a date-time cell in a long or medium date format saved as shown (`January 15, 2025 10:30 AM`,
 * `miércoles, 15 de enero de 2025, 10:30 a. m.`), also with the `at` or `a las` of ICU's long
 * formats, which Google Sheets and web apps write (`January 15, 2025 at 10:30 AM`). A month's name
 * leaves no order to misread, so an English `AM` is read as a Spanish `a. m.` is.
 */
const TIME_AFTER_DATE = /(?<=\d{4})(?:\s+(?:at|a\s+las?)\s+|,\s*|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s*m\.?)?$/iu;
/** Whatever follows the first four-digit year and a space or comma: what is after a date (`15 de enero de 2025 10:30 hrs`, `15/01/2025 10:30 hrs`). */
const AFTER_YEAR = /^(.*?\d{4})(?!\d)[,\s]+(\S.*)$/su;

/** A date with its month's name (`namedMonthDate`), and the time after it (`TIME_AFTER_DATE`), if any. */
function namedMonthDateTime(value: string): NamedMonthDate | undefined {
  const date = namedMonthDate(value);
  if (date) return date;
  const time = TIME_AFTER_DATE.exec(value);
  const before = time ? namedMonthDate(value.slice(0, time.index)) : undefined;
  return before && { ...before, time: time! };
}

/** A day, a month's name and a year, in either order (`NAMED_MONTH_DATE`, `MONTH_FIRST_DATE`), after the weekday a long date format puts first, if any. */
function namedMonthDate(value: string): NamedMonthDate | undefined {
  const date = monthNameDate(value);
  if (date) return date;
  const weekday = WEEKDAY_FIRST.exec(value);
  const after = weekday ? monthNameDate(value.slice(weekday[0].length)) : undefined;
  return after && { ...after, weekday: weekday![1]! };
}

/** `15 de enero de 2025` or `January 15, 2025`, with nothing before it. */
function monthNameDate(text: string): NamedMonthDate | undefined {
  const dayFirst = NAMED_MONTH_DATE.exec(text);
  if (dayFirst) return { day: +dayFirst[1]!, monthName: dayFirst[3]!, year: +dayFirst[4]!, ordinal: dayFirst[2] };
  const monthFirst = MONTH_FIRST_DATE.exec(text);
  return monthFirst ? { day: +monthFirst[2]!, monthName: monthFirst[1]!, year: +monthFirst[4]!, ordinal: monthFirst[3] } : undefined;
}

/**
 * Why a day typed as an ordinal is not read: an ending that is not the day's (`21th`, `2st`,
 * `15ro`: a slip, of the ending or of the day); undefined for `1st`, `22nd`, `1ro`, `3ro`, `15º`.
 */
function ordinalReason(day: number, ordinal: string): string | undefined {
  const ending = ordinal.toLowerCase();
  if (ending.endsWith('º') || ending.endsWith('°')) return undefined;
  // Spanish: primero, tercero (`1ro`, `3ro`); the other days' endings differ (`2do`, `15º`).
  const right = ending === 'ro' ? (day === 1 || day === 3 ? 'ro' : 'º') : englishOrdinalEnding(day);
  return ending === right ? undefined : `is not a valid date: ${JSON.stringify(`${day}${ordinal}`)} is not ${day} as an ordinal (${day}${right}): check the day`;
}

/** `st`, `nd`, `rd` or `th`, as English writes a day as an ordinal (`1st`, `22nd`, `13th`). */
function englishOrdinalEnding(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

/**
 * Why a date's weekday (`martes, 15 de enero de 2025`) is not the date's: no weekday's name, or
 * another day's; undefined when it is that date's, or when the date does not exist (said apart).
 */
function weekdayReason(weekday: string, year: number, month: number, day: number): string | undefined {
  const named = WEEKDAY_NUMBERS.get(weekday.toLowerCase().normalize('NFC'));
  if (named === undefined) return `is not a valid date: ${JSON.stringify(weekday)} is no weekday's name (use dd/mm/yyyy)`;
  if (!isRealDate(year, month, day)) return undefined;
  const actual = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return actual === named ? undefined : `is not a valid date: ${day} ${MONTHS[month - 1]!} ${year} is a ${WEEKDAYS[actual]!}, not a ${WEEKDAYS[named]!}: check which is right`;
}

const MONTH_NUMBERS: ReadonlyMap<string, number> = new Map(
  [
    ['ene', 'enero', 'jan', 'january'],
    ['feb', 'febrero', 'february'],
    ['mar', 'marzo', 'march'],
    ['abr', 'abril', 'apr', 'april'],
    ['may', 'mayo'],
    ['jun', 'junio', 'june'],
    ['jul', 'julio', 'july'],
    ['ago', 'agosto', 'aug', 'august'],
    ['sep', 'sept', 'septiembre', 'setiembre', 'september'],
    ['oct', 'octubre', 'october'],
    ['nov', 'noviembre', 'november'],
    ['dic', 'diciembre', 'dec', 'december'],
  ].flatMap((names, index) => names.map((name) => [name, index + 1] as const)),
);

/**
 * An ISO 8601 date-time (UTC) from an ISO date, an ISO date-time, `dd/mm/yyyy` (the Mexican
 * order), `yyyy/mm/dd` or a day, a month's name and a year (`15-mar-2025`, `January 15, 2025`), optionally with `hh:mm` (after `dd/mm/yyyy`
 * or a named month's date, also a 12-hour `hh:mm a. m.`). A date-time without a zone is taken as UTC, so the result never
 * depends on the machine's time zone. Impossible dates (31/02/2025) give undefined.
 */
export function parseDateTime(text: string): string | undefined {
  // A one-digit hour after a space (`2025-03-15 0:00:00`) is how Excel and LibreOffice show a date-time
  // cell in the `yyyy-mm-dd h:mm:ss` format openpyxl and pandas give it, and save it to a CSV.
  const value = text.trim().replace(ISO_DATE_ONE_DIGIT_HOUR, '$1 0$2');
  let match = ISO_DATE.exec(value);
  if (match) return utcIso(+match[1]!, +match[2]!, +match[3]!, 0, 0, 0);
  match = DAY_MONTH_YEAR.exec(value);
  if (match) {
    const hour = clockHour(match[4], match[7]);
    if (hour === undefined || usOrderReason(match) !== undefined) return undefined;
    return utcIso(+match[3]!, +match[2]!, +match[1]!, hour, +(match[5] ?? 0), +(match[6] ?? 0));
  }
  match = YEAR_MONTH_DAY_SLASHED.exec(value);
  if (match) {
    return utcIso(+match[1]!, +match[2]!, +match[3]!, +(match[4] ?? 0), +(match[5] ?? 0), +(match[6] ?? 0));
  }
  const named = namedMonthDateTime(value);
  if (named) {
    const { day, monthName, year, ordinal, weekday, time } = named;
    const month = MONTH_NUMBERS.get(monthName.toLowerCase());
    if (month === undefined || (ordinal !== undefined && ordinalReason(day, ordinal) !== undefined)) return undefined;
    if (weekday !== undefined && weekdayReason(weekday, year, month, day) !== undefined) return undefined;
    const hour = time ? clockHour(time[1], time[4]) : 0;
    if (hour === undefined) return undefined;
    return utcIso(year, month, day, hour, +(time?.[2] ?? 0), +(time?.[3] ?? 0));
  }
  const iso = value.replace(SPACED_ZONE, (_, name: string | undefined, offset: string | undefined) => (name ? 'Z' : offset!));
  if (ISO_DATE_TIME.test(iso)) {
    const zoned = ZONE_HOURS_ONLY.test(iso) ? `${iso}:00` : iso;
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(zoned);
    const date = new Date(hasZone ? zoned.replace(' ', 'T') : `${zoned.replace(' ', 'T')}Z`);
    const [year, month, day] = value.slice(0, 10).split('-').map(Number);
    if (Number.isNaN(date.getTime()) || !isRealDate(year!, month!, day!)) return undefined;
    return date.toISOString();
  }
  return undefined;
}

/** The hour of a date's time on the 24-hour clock, given its `a`/`p` (`12:00:00 a. m.` is 0, `4:30 p. m.` 16); undefined for a 12-hour time's hour 0 or past 12. */
function clockHour(hourText: string | undefined, halfText: string | undefined): number | undefined {
  const hour = +(hourText ?? 0);
  const half = halfText?.toLowerCase();
  if (half === undefined) return hour;
  if (hour < 1 || hour > 12) return undefined;
  return (hour % 12) + (half === 'p' ? 12 : 0);
}

/**
 * Why a day-first date with an English `AM`/`PM` is not read: a US-English program (Excel, a .NET
 * system) writes such a date-time month first, `01/15/2025 12:00:00 AM`, so its day and month are
 * told apart only where the day-first reading is the one real date. Spanish `a. m.` is day first.
 */
function usOrderReason(match: RegExpExecArray): string | undefined {
  if (match[7] === undefined || match[8] === '.') return undefined;
  const [first, second, year] = [+match[1]!, +match[2]!, +match[3]!];
  const marker = `${match[7].toUpperCase()}M`;
  const write = `write the column's dates day first (dd/mm/yyyy) with a 24-hour time, or as yyyy-mm-dd`;
  if (second > 12 && isRealDate(year, first, second)) {
    return `is not a valid date: written month first with ${marker}, as a US-English program writes a date-time, it is ${MONTHS[first - 1]!} ${second}, ${year} (${pad(second)}/${pad(first)}/${year}): ${write}`;
  }
  if (first !== second && first <= 12 && second <= 12 && isRealDate(year, second, first)) {
    return `is not a valid date: written with ${marker}, as a US-English program writes a date-time month first, it may be ${first} ${MONTHS[second - 1]!} or ${MONTHS[first - 1]!} ${second}; ${write}`;
  }
  return undefined;
}
const pad = (value: number): string => String(value).padStart(2, '0');

function utcIso(year: number, month: number, day: number, hour: number, minute: number, second: number): string | undefined {
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second)).toISOString();
}

/**
 * Why a text written as a date is none (`31/02/2025`, US order `12/25/2025`): said, since "use
 * dd/mm/yyyy" to a cell that does is no help. Undefined for any text that is not written as a date.
 */
export function impossibleDateReason(text: string): string | undefined {
  const value = text.trim();
  if (TWO_DIGIT_YEAR.test(value) || TWO_DIGIT_YEAR_NAMED_MONTH.test(value)) return 'is not a valid date: its year has two digits; write it with four (dd/mm/yyyy)';
  const named = namedMonthDateTime(value);
  if (named) {
    const { day, monthName, year, ordinal, weekday, time } = named;
    const month = MONTH_NUMBERS.get(monthName.toLowerCase());
    if (month === undefined) return monthNameReason(monthName, day, year);
    const dateReason = (ordinal !== undefined ? ordinalReason(day, ordinal) : undefined) ?? (weekday !== undefined ? weekdayReason(weekday, year, month, day) : undefined) ?? dayReason(year, month, day);
    return dateReason ?? (time ? timeReason(time) : undefined);
  }
  const dated = AFTER_YEAR.exec(value);
  if (dated && (namedMonthDate(dated[1]!) || (DAY_MONTH_YEAR.test(dated[1]!) && !DAY_MONTH_YEAR.test(value)))) {
    // The date's own faults first (`31/02/2025 10:30 hrs`), as for a time that is read.
    return impossibleDateReason(dated[1]!) ?? `is not a valid date: ${JSON.stringify(dated[2])} after the date is no time this reads (write hh:mm, 24-hour, or hh:mm a. m./p. m.)`;
  }
  const iso = ISO_DATE.exec(value) ?? ISO_DATE_TIME_START.exec(value) ?? YEAR_MONTH_DAY_SLASHED.exec(value);
  const dayFirst = iso ? null : DAY_MONTH_YEAR.exec(value);
  if (!iso && !dayFirst) return missingPartReason(value) ?? compactDateReason(value);
  const usOrder = dayFirst ? usOrderReason(dayFirst) : undefined;
  if (usOrder !== undefined) return usOrder;
  if (dayFirst && clockHour(dayFirst[4], dayFirst[7]) === undefined) return twelveHourReason(dayFirst[7]!);
  const [year, month, day] = iso ? [+iso[1]!, +iso[2]!, +iso[3]!] : [+dayFirst![3]!, +dayFirst![2]!, +dayFirst![1]!];
  if (year < 1900 || year > 2999) return `is not a valid date: the year ${year} is out of range`;
  if (month < 1 || month > 12) {
    if (!iso && isRealDate(year, day, month)) {
      // The column's other dates may be month first too, and one whose day is 12 or less (`03/04/2025`) was read as another date.
      return `is not a valid date: dates are read day first (dd/mm/yyyy) and there is no month ${month}; if it is written month first (mm/dd/yyyy), write ${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${year}, and write the column's other dates day first too (03/04/2025 is read as 3 April)`;
    }
    return `is not a valid date: there is no month ${month}${iso ? ' (yyyy-mm-dd)' : ' (dd/mm/yyyy)'}`;
  }
  return dayReason(year, month, day);
}

/**
 * Why a date's month is not read: no month's name, or a weekday's where the month should be
 * (`Martes 15, 2025`, typed without its month), said so with the date to write.
 */
function monthNameReason(monthName: string, day: number, year: number): string {
  if (!WEEKDAY_NUMBERS.has(monthName.toLowerCase().normalize('NFC'))) return `is not a valid date: ${JSON.stringify(monthName)} is no month's name (use dd/mm/yyyy)`;
  return `is not a valid date: ${JSON.stringify(monthName)} is a weekday, not a month, and no month is written: write the date with its month, ${day}/mm/${year} (dd/mm/yyyy)`;
}

/** `15 de enero`, `15-ene` (Excel's `d-mmm` date format, saved as shown), `15th of January`: a day and a month's name, no year. */
const NO_YEAR_DAY_FIRST = new RegExp(`^(\\d{1,2})${DAY_ORDINAL}(?:\\s+de\\s+|\\s+of\\s+|\\s*[-/ ]\\s*)(\\p{L}{3,10})\\.?$`, 'iu');
/** `January 15`, `Jan 15th`: the month's name and a day, no year. */
const NO_YEAR_MONTH_FIRST = new RegExp(`^(\\p{L}{3,10})\\.?\\s+(\\d{1,2})${DAY_ORDINAL}$`, 'iu');
/** `enero 2025`, `enero de 2025`, `ene-2025`, `January 2025`: a month's name and a year, no day. */
const NO_DAY_NAMED = /^(\p{L}{3,10})\.?(?:\s+del?\s+|\s*[-/ ,]\s*)(\d{4})$/iu;
/** `15/01`: a day and a month (Excel's `dd/mm`), no year. */
const NO_YEAR_NUMERIC = /^\d{1,2}[/-]\d{1,2}$/;
/** `01/2025`, `2025-01`: a month and a year, no day. */
const NO_DAY_NUMERIC = /^(?:(\d{1,2})[/-](\d{4})|(\d{4})-(\d{2}))$/;

/**
 * Why a date with a part left out is none: no year (`15 de enero`, `15-ene` as Excel saves a date
 * cell formatted `d-mmm`, `January 15`, `15/01`) or no day (`enero 2025`, `01/2025`), said with the
 * date to write; undefined for any other text. A weekday may come first (`miércoles 15 de enero`).
 */
function missingPartReason(value: string): string | undefined {
  const weekday = WEEKDAY_FIRST.exec(value);
  const noYear = dayAndMonth(value) ?? (weekday && WEEKDAY_NUMBERS.has(weekday[1]!.toLowerCase().normalize('NFC')) ? dayAndMonth(value.slice(weekday[0].length)) : undefined);
  if (noYear) {
    const { day, month } = noYear;
    return `is not a valid date: no year is written (${day} ${MONTHS[month - 1]!}): write the date with its year, ${pad(day)}/${pad(month)}/yyyy (dd/mm/yyyy), or give the column's date format a year where the file was made`;
  }
  if (NO_YEAR_NUMERIC.test(value)) return 'is not a valid date: no year is written: write the date with its year (dd/mm/yyyy)';
  const named = NO_DAY_NAMED.exec(value);
  const numeric = named ? null : NO_DAY_NUMERIC.exec(value);
  const month = named ? MONTH_NUMBERS.get(named[1]!.toLowerCase()) : numeric ? +(numeric[1] ?? numeric[4]!) : undefined;
  const year = named ? +named[2]! : numeric ? +(numeric[2] ?? numeric[3]!) : 0;
  if (month === undefined || month < 1 || month > 12 || year < 1900 || year > 2999) return undefined;
  return `is not a valid date: no day is written (${MONTHS[month - 1]!} ${year}): write the date with its day, dd/${pad(month)}/${year} (dd/mm/yyyy)`;
}

/** A day and a month's name with no year (`NO_YEAR_DAY_FIRST`, `NO_YEAR_MONTH_FIRST`), the month as its number; undefined for anything else. */
function dayAndMonth(text: string): { day: number; month: number } | undefined {
  const dayFirst = NO_YEAR_DAY_FIRST.exec(text);
  const monthFirst = dayFirst ? null : NO_YEAR_MONTH_FIRST.exec(text);
  const [day, monthName] = dayFirst ? [+dayFirst[1]!, dayFirst[3]!] : monthFirst ? [+monthFirst[2]!, monthFirst[1]!] : [0, ''];
  const month = MONTH_NUMBERS.get(monthName.toLowerCase());
  return month !== undefined && day >= 1 && day <= 31 ? { day, month } : undefined;
}

/** `20250115`: a date as eight digits, year first (SQL Server's `CONVERT(char(8), fecha, 112)`, dBase's and FoxPro's text exports, SAP's). */
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Why eight digits that are a date written yyyymmdd (`20250115`) are not read: they are a number
 * as much as a date, as an Excel serial is, so the date they would be is said, not sent; undefined
 * for eight digits that are no such date.
 */
function compactDateReason(value: string): string | undefined {
  const digits = COMPACT_DATE.exec(value);
  if (!digits || !isRealDate(+digits[1]!, +digits[2]!, +digits[3]!)) return undefined;
  const [year, month, day] = [digits[1]!, digits[2]!, digits[3]!];
  return `is a number, not a date: if it is a date written yyyymmdd (${value} is ${day}/${month}/${year}), write it as ${year}-${month}-${day} (yyyy-mm-dd) or ${day}/${month}/${year} (dd/mm/yyyy)`;
}

/** Why the time after a date (`TIME_AFTER_DATE`) is none: a 12-hour time's hour 0 or past 12, or an hour past 23 or minutes past 59. */
function timeReason(time: RegExpExecArray): string | undefined {
  if (clockHour(time[1], time[4]) === undefined) return twelveHourReason(time[4]!);
  const [hour, minute, second] = [+time[1]!, +time[2]!, +(time[3] ?? 0)];
  const written = `${time[1]!}:${time[2]!}${time[3] === undefined ? '' : `:${time[3]}`}`;
  return hour > 23 || minute > 59 || second > 59 ? `is not a valid date: ${JSON.stringify(written)} is no time of day` : undefined;
}

/** A 12-hour time's hour out of 1 to 12 (`00:00 a. m.`, `13:00 PM`), given its `a` or `p`. */
function twelveHourReason(half: string): string {
  return `is not a valid date: a time with ${half.toLowerCase() === 'a' ? 'a. m.' : 'p. m.'} has hours 1 to 12`;
}

/** Why a day of a real month is none (`31` of February), or why the year is out of range; undefined for a real date. */
function dayReason(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2999) return `is not a valid date: the year ${year} is out of range`;
  const days = daysIn(year, month);
  if (day < 1) return `is not a valid date: there is no day ${day}`;
  if (day > days) return `is not a date that exists: ${MONTHS[month - 1]!} ${year} has ${days} days`;
  return undefined;
}
const ISO_DATE_TIME_START = /^(\d{4})-(\d{2})-(\d{2})[T ]/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2999) return false;
  return day <= daysIn(year, month);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Tags split at commas, semicolons and line breaks (`Beca, Transporte`; a CRM's `Pyme;Corporativo`;
 * one tag a line, as Alt+Enter writes them or as FileMaker exports a checkbox set; Google Contacts' `Clientes ::: VIP`), trimmed, without empties or repeats (case aside: the
 * first spelling stays), in first-seen order.
 */
export function splitTags(text: string): string[] {
  // `["beca", "comedor"]`, `['beca']`, `[]`: a list as JSON or Python writes it (a script's export); its marks are no tags.
  if (text.indexOf('[') !== -1 && QUOTED_LIST.test(text)) {
    return splitTags(text.trim().slice(1, -1).split(TAG_SEPARATOR).map((part) => trimmed(part).replace(QUOTES_AROUND, '$2')).join(','));
  }
  if (!TAG_SEPARATOR.test(text)) {
    const tag = trimmed(text); // one tag, the common case: no split
    return tag && !isGoogleGroup(tag) && !isNoTag(tag) ? [tag] : [];
  }
  const tags: string[] = [];
  for (const part of text.split(TAG_SEPARATOR)) {
    const tag = trimmed(part);
    if (isGoogleGroup(tag) || isNoTag(tag)) continue;
    // A repeat in another case (`Beca, beca`) is the same tag; a handful of tags: a scan beats a Set.
    if (tag && !tags.some((seen) => seen === tag || seen.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  return tags;
}
/** Google Contacts' own groups (`* myContacts`, `* starred`), which every contact it exports carries: no tags of the customer's. */
function isGoogleGroup(tag: string): boolean {
  return tag.charCodeAt(0) === 0x2a /* * */ && GOOGLE_GROUPS.has(tag.toLowerCase());
}
/** What a roster writes where a customer has no tag (`-`, `N/A`, `ninguna`, `sin etiqueta`): a tag `-` on every student otherwise. */
function isNoTag(tag: string): boolean {
  return tag.length <= 14 && mayBePlaceholder(tag.charCodeAt(0)) && NO_TAG.test(tag);
}
const NO_TAG = placeholderPattern('sin (?:etiqueta|grupo|categor[ií]a)s?');

/**
 * What an office writes in a cell for nothing, whatever the field (`N/A`, `-`, `?`, `ninguno`,
 * `null`), or a database export for NULL (MySQL's `\N`, DBeaver's `[NULL]`), with a field's own
 * words added (`sin correo`, `sin matrícula`), matched whole in any case.
 */
export function placeholderPattern(fieldWords: string): RegExp {
  return new RegExp(`^(?:n\\/a|n\\.\\s?a\\.?|-+|–|—|\\.+|\\?+|ningun[oa]?|none|null|\\[null\\]|\\\\n|${fieldWords})$`, 'iu');
}

/**
 * Whether text starting with this character code may be a placeholder: `-`, `.`, `?`, a dash, `[`,
 * `\`, or `n`, `s`, `p` in either case (`N/A`, `sin…`, `pendiente`). Compared before the pattern: a
 * dry run reads a million cells.
 */
export function mayBePlaceholder(initial: number): boolean {
  const letter = initial | 0x20;
  return (
    letter === 0x6e /* n */ ||
    letter === 0x73 /* s */ ||
    letter === 0x70 /* p */ ||
    initial === 0x2d ||
    initial === 0x2e ||
    initial === 0x3f ||
    initial === 0x5b /* [ */ ||
    initial === 0x5c /* \ */ ||
    initial === 0x2013 ||
    initial === 0x2014
  );
}
const GOOGLE_GROUPS: ReadonlySet<string> = new Set(['* mycontacts', '* starred', '* friends', '* family', '* coworkers']);
/** `,`, `;`, a line break (FileMaker writes a return inside a field as a vertical tab), and Google Contacts' ` ::: ` between labels. */
const TAG_SEPARATOR = /[,;\r\n\v]|:::/;
/** Brackets around quoted items, or around nothing. */
const QUOTED_LIST = /^\s*\[\s*(?:(["']).*\1)?\s*\]\s*$/s;
const QUOTES_AROUND = /^(["'])(.*)\1$/s;

/** An extension at the end of a phone (`55 5678 1200 ext. 3`, `x 12`, RFC 3966's `;ext=12`), which E.164 cannot hold. */
export const PHONE_EXTENSION_END = /\s*;?(?:ext(?:ensi[oó]n)?\.?|x)\s*[=:]?\s*\d+\s*$/iu;
