import { describe, expect, it } from "vitest";
import Metrics from "./Metrics.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";

const stats = (handed_off: number, over = 0) => ({
  handed_off, mean_hours: 38, median_hours: 13, p90_hours: 20, worst_hours: 216, worst_deal: null,
  over_one_business_day: over, mean_business_hours: 10.4, median_business_hours: 6, p90_business_hours: 9,
  worst_business_hours: 59.5, heard_within_one_business_day: 0, heard_later: 0, not_heard_yet: handed_off, heard_unknown: 0,
});

const periods = {
  default: "last-12-weeks",
  periods: [
    { period: "last-4-weeks", label: "Last 4 weeks", from: "2026-11-09", to: "2026-11-30" },
    { period: "last-12-weeks", label: "Last 12 weeks", from: "2026-09-14", to: "2026-11-30" },
    { period: "all-time", label: "All time", from: null, to: null },
  ],
  weeks: [
    { monday: "2026-11-30", sunday: "2026-12-06" },
    { monday: "2026-11-23", sunday: "2026-11-29" },
    { monday: "2026-11-16", sunday: "2026-11-22" },
    { monday: "2026-11-09", sunday: "2026-11-15" },
  ],
};

function figures(over: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return answer({
    metrics_periods: () => periods,
    dwell: () => ({ ...stats(0), worst_deal_title: null, one_business_day_hours: 8.5, on_target: null, open: [], distribution: [] }),
    dwell_weekly: () => [
      { week: "2026-W46", monday: "2026-11-09", gap: false, ...stats(2) },
      { week: "2026-W47", monday: "2026-11-16", gap: true, ...stats(0) },
      { week: "2026-W48", monday: "2026-11-23", gap: true, ...stats(0) },
    ],
    metrics_service: () => ({
      service_handoffs_done: 4, on_time: 3, on_time_share: 0.75, mean_lead_hours: 80, delivered_trips: 4,
      asks_per_trip: 0.5, asks_target_below: 1, asks_on_target: true, asks_by_topic: [{ topic: "dietary", asks: 2, brief_should_have_covered: 2 }],
    }),
    metrics_service_monthly: () => [{ month: "2026-11", first_day: "2026-11-01", service_handoffs_done: 0, on_time_share: null, delivered_trips: 0, asks_per_trip: null }],
    metrics_loop: () => ({
      trips_back: 1, reviews_held: 1, picks: 1, follow_ups_done: 1, follow_ups_within_ten_days: 1, within_ten_days_share: 1,
      picked_renewals: 0, picked_renewal_rate: 0.1, cold_attempts: 10, cold_renewals: 1, cold_renewal_rate: 0.08,
      lift_percent: 25, lift_target_percent: 40, lift_on_target: false,
    }),
    metrics_escalations: () => ({
      total: 0, per_week: [], per_quarter: [], first: "2026-09-14", last: "2026-11-30", target_per_quarter: 1,
      quarters_over_target: [], before_per_week: 1, last_13_weeks: 0, on_target: true,
    }),
    escalation_list: () => [],
    dwell_before_after: (args) => {
      const req = args.req as { on: string };
      return {
        on: req.on, one_business_day_hours: 8.5,
        before: { from: "2026-11-09", to: "2026-11-15", ...stats(8, 1), worst_deal_title: "Corporate retreat", on_target: false },
        after: { from: "2026-11-16", to: "2026-12-06", ...stats(6), worst_hours: 11, worst_deal_title: "Team offsite", on_target: true },
      };
    },
    ...over,
  });
}

describe("the metrics", () => {
  it("reads every figure over the span picked, and judges each against the playbook's target in words", async () => {
    const calls = figures();
    show(Metrics, {});
    await settle();
    const span = { req: { from: "2026-09-14", to: "2026-11-30" } };
    for (const cmd of ["dwell_weekly", "metrics_service", "metrics_service_monthly", "metrics_loop", "metrics_escalations"]) {
      expect(calls.filter((c) => c.cmd === cmd).at(-1)!.args, cmd).toEqual(span);
    }
    expect(calls.find((c) => c.cmd === "dwell")!.args).toEqual({ req: { from: "2026-09-14", to: "2026-11-30" } });
    expect(document.querySelector("#asks-verdict")!.textContent).toContain("On target — target: under 1");
    expect(document.querySelector("#lift-verdict")!.textContent).toContain("Off target — target: +40% over the cold list");
    expect(document.querySelector("#dwell-verdict")!.textContent).toContain("Nothing to judge yet");
    expect(document.querySelector("#metrics-lift")!.textContent).toContain("+25%");
    expect(document.querySelector("#metrics-service")!.textContent).toContain("Dietary");
    expect(document.querySelector("#metrics-gaps")!.textContent).toBe("2 weeks without a handoff are left as a gap, not drawn as 0 hours.");
    const options = [...document.querySelectorAll("#metrics-period option")].map((o) => o.textContent);
    expect(options[1]).toMatch(/^Last 12 weeks \(Mon,? 14 Sept? 2026 – Mon,? 30 Nov 2026\)$/);
    expect(options.at(-1)).toBe("Weeks I pick…");
  });

  it("reads weeks a lead picks: from a Monday to the Sunday of the last week", async () => {
    const calls = figures();
    show(Metrics, {});
    await settle();
    type("#metrics-period", "custom");
    await settle();
    type("#metrics-from", "2026-11-09");
    type("#metrics-to", "2026-11-23");
    await settle();
    expect(calls.filter((c) => c.cmd === "metrics_loop").at(-1)!.args).toEqual({ req: { from: "2026-11-09", to: "2026-11-29" } });
  });

  it("compares the weeks before a change with the weeks after it, and shows a refusal in words", async () => {
    const calls = figures();
    show(Metrics, {});
    await settle();
    const table = document.querySelector("#compare-table")!.textContent!;
    expect(table).toContain("Corporate retreat");
    expect(table).toContain("Team offsite");
    expect(document.querySelector("#compare-verdict-before")!.textContent).toContain("Off target");
    expect(document.querySelector("#compare-verdict-after")!.textContent).toContain("On target");
    type("#compare-before", "2");
    await settle();
    expect(calls.filter((c) => c.cmd === "dwell_before_after").at(-1)!.args).toEqual({ req: { on: "2026-11-09", weeks_before: 2, weeks_after: 3 } });

    figures({ dwell_before_after: () => { throw { code: "invalid_input", message: "27 weeks after the change: compare 1 to 26 weeks" }; } });
    type("#compare-after", "4");
    await settle();
    expect(document.querySelector("#metrics-compare [role=alert]")!.textContent).toContain("compare 1 to 26 weeks");
    expect(document.querySelector("#compare-table")).toBeNull();
  });
});
