// CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field quoted when it holds a
// comma, a quote or a line break, quotes doubled), with OWASP's guard against formula injection:
// a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one), so
// such a text cell gets a leading apostrophe and is shown, not evaluated. Numbers are written as
// they are: a negative number is data, not a formula.

/** The most rows one export writes: bounds the work a single request can cause. */
export const EXPORT_ROW_CAP = 100_000;

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** `vms-2026-12-07.csv`: what was exported and on which day (UTC). */
export function csvFilename(subject: string, at: Date): string {
  const safe = subject.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "export";
  return `${safe}-${at.toISOString().slice(0, 10)}.csv`;
}
