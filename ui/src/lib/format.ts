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

/** A share as a percentage, to `digits` decimals at most: "85.7%", "85,7 %". */
export function percent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined) return "—";
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: digits }).format(share);
}

/** A number with the locale's separators, to `digits` decimals when given: "12,000", "4.5". */
export function number(n: number | null | undefined, digits?: number): string {
  if (n === null || n === undefined) return "—";
  const fixed = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale(), fixed).format(n);
}

/**
 * An amount in its currency, as the locale writes money: "€60,000.00", "60.000,00 €". The amount
 * is the API's exact decimal text: its decimals are kept as they are (never rounded to what the
 * browser thinks the currency has) and it is formatted as text, not as a floating-point number.
 */
export function money(amount: string, currency: string): string {
  const decimals = amount.split(".")[1]?.length ?? 0;
  try {
    const f = new Intl.NumberFormat(locale(), { style: "currency", currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return f.format(amount as unknown as number); // Intl formats a decimal string exactly
  } catch {
    return `${amount} ${currency}`; // a malformed currency code
  }
}

/** "1 trip", "3 trips": a count with its word, singular or plural as English has it. */
export function plural(n: number, one: string, many = one + "s"): string {
  return `${number(n)} ${n === 1 ? one : many}`;
}

type DayPart = "day" | "month" | "year";

/** How the locale writes a day in numbers: the order of its parts and what separates them. */
function dayPattern(): { order: DayPart[]; sep: string } {
  const parts = new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).formatToParts(new Date(Date.UTC(2026, 10, 24)));
  const order = parts.map((p) => p.type).filter((t): t is DayPart => t === "day" || t === "month" || t === "year");
  return { order, sep: parts.find((p) => p.type === "literal")?.value.trim() || "/" };
}

/** What a date field asks for, in the locale's order: "dd/mm/yyyy", "mm/dd/yyyy", "dd.mm.yyyy". */
export function dayHint(): string {
  const { order, sep } = dayPattern();
  return order.map((t) => (t === "day" ? "dd" : t === "month" ? "mm" : "yyyy")).join(sep);
}

/** A day (`YYYY-MM-DD`) as a date field shows it in the locale: "01/12/2026", "12/01/2026". */
export function dayField(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * The day a person typed, as `YYYY-MM-DD`: in the locale's order ("1/12/26" in London is the
 * 1st of December), or already as `2026-12-01`; null when it is not a day of the calendar.
 */
export function parseDay(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const numbers = t.split(/\D+/).filter(Boolean);
    if (numbers.length !== 3 || /[^\d\s./-]/.test(t)) return null;
    const at = Object.fromEntries(dayPattern().order.map((part, i) => [part, numbers[i]])) as Record<DayPart, string>;
    [y, m, d] = [Number(at.year), Number(at.month), Number(at.day)];
    if (at.year.length <= 2) y += 2000;
    else if (at.year.length !== 4) return null;
  }
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
