// Showing instants, durations and numbers the way an agency lead reads them: in the agency's time
// zone and written in its locale (day before month in London, month before day in New York).
// Display only: every rule (what is late, what is red) comes from the API.
import { session } from "./session.svelte";

/** The agency's locale (its choice or its zone's, from the API); British English until it loads. */
export function locale(): string {
  return session.agency?.locale ?? "en-GB";
}

export function dateTime(iso: string | null | undefined, zone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale(), {
    timeZone: zone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** The local day of an instant: "Tue 24 Nov 2026". */
export function day(iso: string | null | undefined, zone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}

/** The local day of an instant, short for a column: "30 Nov 2026". */
export function shortDay(iso: string | null | undefined, zone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}

export function date(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "3 h 05 m", "2 d 4 h" for a number of hours. */
export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined) return "—";
  const total = Math.max(0, Math.round(h * 60));
  const d = Math.floor(total / (24 * 60));
  const hh = Math.floor((total % (24 * 60)) / 60);
  const mm = total % 60;
  if (d > 0) return `${d} d ${hh} h`;
  return `${hh} h ${String(mm).padStart(2, "0")} m`;
}

/** A stopwatch reading "mm:ss" (or "h:mm:ss") of the seconds between two instants. */
export function stopwatch(fromIso: string, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined) return "—";
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(share);
}

/** A number with the locale's separators, to `digits` decimals when given: "12,000", "4.5". */
export function number(n: number | null | undefined, digits?: number): string {
  if (n === null || n === undefined) return "—";
  const fixed = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale(), fixed).format(n);
}

/** An amount in its currency, as the locale writes money: "€60,000.00", "60.000,00 €". */
export function money(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`; // a currency code Intl does not know
  }
}

/** "1 trip", "3 trips": a count with its word, singular or plural as English has it. */
export function plural(n: number, one: string, many = one + "s"): string {
  return `${number(n)} ${n === 1 ? one : many}`;
}
