/**
 * CSV for exports that end up in spreadsheets (audit trail, proof ledger, results): RFC 4180
 * quoting, and cells that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR)
 * prefixed with `'`, so an exported value can never run as one (CSV injection).
 */
function cell(value: unknown): string {
  let text = value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(cell).join(",")}\r\n`;
}

export function toCsv<T>(columns: readonly (keyof T & string)[], rows: Iterable<T>): string {
  let text = csvLine(columns);
  for (const row of rows) text += csvLine(columns.map((column) => row[column]));
  return text;
}
