/**
 * ISO 8601 dates as clients send them, checked once for where and bodies.
 * The range is what both drivers read back unchanged: Postgres holds years
 * 4713 BC to 294276, but it refuses year 0 and years past 9999 in this form,
 * and postgres.js and PGlite read years below 100 back as 19xx or 20xx.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EARLIEST = Date.UTC(100, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const DATE_RULE = "must be an ISO 8601 date between 0100-01-01 and 9999-12-31";

/** The date as a UTC ISO string, or undefined when it is not one we accept. */
export function parseIsoDate(value: unknown): string | undefined {
  if (typeof value !== "string" || !ISO_DATE.test(value)) return undefined;
  // Date.parse rolls 2024-02-30 over into March; a day the month lacks is refused.
  const [y, m, d] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  const time = Date.parse(value);
  if (!(time >= EARLIEST && time <= LATEST)) return undefined;
  return new Date(time).toISOString();
}

/** A stored instant (a Date from the driver, or text) as the API's UTC ISO string. */
export function toIsoString(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  return date.toISOString();
}
