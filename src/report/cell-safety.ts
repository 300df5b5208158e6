/** A phone number in E.164 (`+525512345678`): left readable, it cannot hold a formula. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** First characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list): = + - @ tab CR. */
const FORMULA_STARTS = new Set([61, 43, 45, 64, 9, 13]);

/**
 * A cell's text made safe to open in a spreadsheet: text that would start a formula (`=`, `+`,
 * `-`, `@`, tab, carriage return) gets a leading `'`, as OWASP advises, so Excel or LibreOffice
 * show it as text instead of running it. Phone numbers in E.164 stay as they are. Only the report
 * writers call this: the values sent to the API are never altered.
 */
export function neutralizeFormula(text: string): string {
  if (!FORMULA_STARTS.has(text.charCodeAt(0)) || E164.test(text)) return text;
  return `'${text}`;
}
