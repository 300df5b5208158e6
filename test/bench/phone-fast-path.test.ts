// The phone fast path in src/map/normalize.ts must give exactly libphonenumber-js's answer: this
// compares normalizePhone with the libphonenumber-only reading on every shape the fast path takes
// and on random texts around them (separators, a `+` anywhere, 9 to 13 digits, leading 0 and 1).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/map/normalize.js';

/** normalizePhone as it was before the fast path: libphonenumber-js alone, then the legacy retry. */
function reference(text: string, defaultCountry: CountryCode): string | undefined {
  // `1` and ten digits without a `+`: the US reading or the Mexican one with its old 1, whichever alone is valid.
  const ten = defaultCountry === 'MX' && !text.startsWith('+') ? /^1(\d{10})$/.exec(text.replace(/[\s().\-/]/g, ''))?.[1] : undefined;
  if (ten !== undefined) {
    const [us, mx] = [parsePhoneNumberFromString(`+1${ten}`), parsePhoneNumberFromString(`+52${ten}`)].map((phone) => (phone?.isValid() ? phone.number : undefined));
    return us === undefined ? mx : mx === undefined ? us : undefined;
  }
  const phone = parsePhoneNumberFromString(text, defaultCountry);
  if (phone?.isValid()) return phone.number;
  const digits = text.replace(/[\s().\-/]/g, '');
  const legacy = (defaultCountry === 'MX' ? /^(?:\+52|0052|52)?(?:1|044|045|01)(\d{10})$/ : /^(?:\+52|0052)1(\d{10})$/).exec(digits);
  if (!legacy) return undefined;
  const retried = parsePhoneNumberFromString(`+52${legacy[1]}`);
  return retried?.isValid() ? retried.number : undefined;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('normalizePhone fast path', () => {
  it('agrees with libphonenumber-js on every leading digit and length', () => {
    for (const country of ['MX', 'US', 'CO'] as const) {
      for (let length = 8; length <= 13; length++) {
        for (let lead = 0; lead <= 99; lead++) {
          const digits = (String(lead).padStart(2, '0') + '4567890123456').slice(0, length);
          const texts = [digits, `+${digits}`, `+52${digits}`, `52${digits}`, `(${digits.slice(0, 2)}) ${digits.slice(2)}`, `+52 ${digits.slice(0, 2)}-${digits.slice(2)}`];
          texts.push(`044 ${digits}`, `045${digits}`, `01 ${digits}`, `+52 1 ${digits}`, `0052 1 ${digits}`, `1 ${digits}`, `00 ${digits}`, `09${digits}`, '', '+', '()', '+52');
          for (const text of texts) {
            expect(normalizePhone(text, country), `${text} (${country})`).toBe(reference(text, country));
          }
        }
      }
    }
  });

  it('agrees with libphonenumber-js on random texts of digits and separators', () => {
    const next = random(52);
    const alphabet = '0123456789012345678901234567890123456789 ()-+.';
    for (let i = 0; i < 20_000; i++) {
      const length = 8 + Math.floor(next() * 12);
      let text = next() < 0.5 ? '+52' : next() < 0.5 ? '+' : '';
      for (let c = 0; c < length; c++) text += alphabet[Math.floor(next() * alphabet.length)];
      const country = next() < 0.8 ? 'MX' : 'US';
      expect(normalizePhone(text, country), `${JSON.stringify(text)} (${country})`).toBe(reference(text, country));
    }
  });
});
