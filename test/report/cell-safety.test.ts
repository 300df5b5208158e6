import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from '../../src/report/cell-safety.js';

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['=cmd|\' /C calc\'!A0', `'=cmd|' /C calc'!A0`],
    ['+52 55 1234 5678', `'+52 55 1234 5678`],
  ])('prefixes a quote to %j', (text, safe) => {
    expect(neutralizeFormula(text)).toBe(safe);
  });

  it.each(['+525512345678', '+14155552671', 'José', 'a=b', '5512345678', '', 'pedro@example.com', "'already"])('leaves %j alone', (text) => {
    expect(neutralizeFormula(text)).toBe(text);
  });
});
