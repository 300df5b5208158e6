/** A phone number in E.164 (`+525512345678`): left readable, it cannot hold a formula. */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A cell's text made safe to open in a spreadsheet: text that would start a formula (`=`, `+`,
 * `-`, `@`, tab, carriage return: OWASP's CSV injection list) gets a leading `'`, as OWASP
 * advises, so Excel or LibreOffice show it as text instead of running it. Phone numbers in E.164
 * stay as they are. Only the report writers call this: the values sent to the API are never altered.
 */
export function neutralizeFormula(text: string): string {
  const first = text.charCodeAt(0);
  // Compared one by one rather than looked up in a Set: this runs for every cell of every report.
  const formula = first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13;
  if (!formula || E164.test(text)) return text;
  return `'${text}`;
}
