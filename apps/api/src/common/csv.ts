/*
 * CSV for people (RFC 4180, UTF-8): every file the product writes for a spreadsheet goes through here.
 *
 * Formula safety (OWASP "CSV Injection"): a text cell that begins with =, +, -, @, a tab or a carriage return is
 * written with a leading apostrophe, which spreadsheets show as text instead of evaluating. Numbers are written as
 * numbers (a negative number is data, not a formula); text never is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : neutralizeFormula(value);
  return /[",\r\n\t]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text a spreadsheet will show as is: formula-like text gets a leading apostrophe. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
