// Dates render on the server in UTC, labelled, so every viewer reads the same value.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
const dateOnly = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", timeZone: "UTC" });

export function formatDateTime(d: Date): string {
  return `${dateTime.format(d)} UTC`;
}

const dateOnlyIn = new Map<string, Intl.DateTimeFormat>([["UTC", dateOnly]]);

/** The calendar date in UTC, or in `timeZone` (a deletion's due date is a day in the business's time zone). */
export function formatDate(d: Date, timeZone = "UTC"): string {
  let format = dateOnlyIn.get(timeZone);
  if (!format)
    dateOnlyIn.set(timeZone, (format = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", timeZone })));
  return format.format(d);
}

export function formatAmount(amount: string | null): string {
  return amount === null ? "—" : Number(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** "1 entry", "2,048 entries": a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
