import { describe, expect, it } from "vitest";
import { hours, stopwatch, percent, dateTime, plural, shortDay, money, number, dayField, dayHint, parseDay } from "./format";
import { session } from "./session.svelte";
import type { AgencyDto } from "../bindings";

describe("format", () => {
  it("says one thing and many things as English does", () => {
    expect(plural(1, "trip")).toBe("1 trip");
    expect(plural(0, "trip")).toBe("0 trips");
    expect(plural(3, "review")).toBe("3 reviews");
    expect(plural(1, "escalation")).toBe("1 escalation");
    expect(plural(2, "person", "people")).toBe("2 people");
    expect(plural(12000, "deal")).toBe("12,000 deals");
  });
  it("shows hours as hours and minutes, and days past 24 h", () => {
    expect(hours(0)).toBe("0 h 00 m");
    expect(hours(4.25)).toBe("4 h 15 m");
    expect(hours(49.5)).toBe("2 d 1 h");
    expect(hours(null)).toBe("—");
  });
  it("runs a stopwatch from an instant", () => {
    const start = "2026-11-24T09:00:00Z";
    expect(stopwatch(start, Date.parse("2026-11-24T09:14:59Z"))).toBe("14:59");
    expect(stopwatch(start, Date.parse("2026-11-24T10:01:02Z"))).toBe("1:01:02");
    expect(stopwatch(start, Date.parse("2026-11-24T08:00:00Z"))).toBe("00:00");
  });
  it("shows shares as percentages and instants in the agency zone", () => {
    expect(percent(0.857)).toBe("85.7%");
    expect(percent(null)).toBe("—");
    // 09:00 UTC in November is 04:00 in New York.
    expect(dateTime("2026-11-24T09:00:00Z", "America/New_York")).toMatch(/04:00/);
    expect(dateTime("2026-11-24T09:00:00Z", "Europe/London")).toMatch(/09:00/);
    // The deals list's Won column: the agency's day, short enough never to be cut.
    expect(shortDay("2026-11-30T23:30:00Z", "Europe/London")).toBe("30 Nov 2026");
    expect(shortDay("2026-11-30T23:30:00Z", "Asia/Tokyo")).toBe("1 Dec 2026");
  });
  it("writes days, numbers and money in the agency's locale", () => {
    const at = "2026-11-24T09:00:00Z";
    session.agency = { locale: "en-US" } as AgencyDto;
    expect(shortDay(at, "America/New_York")).toBe("Nov 24, 2026");
    expect(money("60000.50", "USD")).toBe("$60,000.50");
    session.agency = { locale: "de-DE" } as AgencyDto;
    expect(shortDay(at, "Europe/Berlin")).toBe("24. Nov. 2026");
    expect(money("60000.50", "EUR")).toBe("60.000,50\u00a0€");
    expect(number(4.25, 1)).toBe("4,3");
    expect(plural(12000, "deal")).toBe("12.000 deals");
    session.agency = null;
    expect(money("60000.50", "EUR")).toBe("€60,000.50");
    // The API's decimals, exactly: a forint amount with fillér, a dinar with fils, the largest amount.
    expect(money("1500.50", "HUF")).toBe("HUF\u00a01,500.50");
    expect(money("1.250", "KWD")).toBe("KWD\u00a01.250");
    expect(money("90071992547409.91", "EUR")).toBe("€90,071,992,547,409.91");
  });
  it("reads and writes a typed day in the agency's order, and refuses what is not a day", () => {
    session.agency = null; // British English
    expect([dayHint(), dayField("2026-12-01")]).toEqual(["dd/mm/yyyy", "01/12/2026"]);
    expect(parseDay("1/12/2026")).toBe("2026-12-01");
    expect(parseDay("01/12/26")).toBe("2026-12-01");
    expect(parseDay("2026-12-01")).toBe("2026-12-01");
    expect(parseDay("31/02/2026")).toBeNull();
    expect(parseDay("12/31/2026")).toBeNull();
    expect(parseDay("next Tuesday")).toBeNull();
    expect(parseDay("1/12")).toBeNull();
    session.agency = { locale: "en-US" } as AgencyDto;
    expect([dayHint(), dayField("2026-12-01")]).toEqual(["mm/dd/yyyy", "12/01/2026"]);
    expect(parseDay("12/31/2026")).toBe("2026-12-31");
    session.agency = { locale: "de-DE" } as AgencyDto;
    expect([dayHint(), dayField("2026-12-01")]).toEqual(["dd.mm.yyyy", "01.12.2026"]);
    expect(parseDay("1.12.2026")).toBe("2026-12-01");
    session.agency = null;
  });
});
