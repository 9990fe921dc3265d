import { describe, expect, it } from "vitest";
import Escalations from "./Escalations.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";

const weeks = (counts: number[]) => counts.map((n, i) => ({ period: `2026-W${String(40 + i).padStart(2, "0")}`, escalations: n }));
const metrics = (last13: number) => ({
  total: 3, per_week: weeks([2, 0, 1]), per_quarter: [{ period: "2026-Q3", escalations: 1 }, { period: "2026-Q4", escalations: 2 }],
  first: "2026-09-30", last: "2026-10-18", target_per_quarter: 1, quarters_over_target: [{ period: "2026-Q4", escalations: 1 }], before_per_week: 1, last_13_weeks: last13, on_target: last13 <= 1,
});

describe("escalations", () => {
  it("shows the last 13 weeks against the playbook's aim, quiet weeks as zero, and each quarter met or over", async () => {
    answer({ metrics_escalations: () => metrics(3), escalation_list: () => [] });
    show(Escalations, {});
    await settle();
    const target = document.querySelector("#escalations-target")!.textContent!;
    expect(target).toContain("3 in the last 13 weeks");
    expect(target).toContain("above target");
    expect(target).toContain("about 1 a quarter; it began at 1 a week");
    expect(target).toContain("3 escalations in all");
    const quarters = document.querySelector("#escalations-quarters")!.textContent!;
    expect(quarters).toContain("met");
    expect(quarters).toContain("1 over");
  });

  it("logs a call by hand, with or without a deal, and keeps what was typed when refused", async () => {
    let logs = 0;
    const calls = answer({
      metrics_escalations: () => metrics(logs ? 1 : 0),
      escalation_list: () => [],
      escalation_log: (args) => {
        const req = (args as { req: { deal: string | null } }).req;
        if (req.deal === "Nowhere") throw { code: "not_found", message: "no deal \"Nowhere\": check the title" };
        logs++;
        return { at: "2026-11-24T10:00:00Z", deal: null, dept: null, founder: { id: "maya", name: "Maya Chen" }, reason: "The Smiths rang", automatic: false };
      },
    });
    show(Escalations, {});
    await settle();
    type("#escalation-reason", "The Smiths rang");
    type("#escalation-deal", "Nowhere");
    await settle();
    document.querySelector<HTMLButtonElement>("#escalation-log")!.click();
    await settle();
    expect(document.querySelector("#escalation-error")!.textContent).toContain("no deal \"Nowhere\"");
    expect(document.querySelector<HTMLInputElement>("#escalation-reason")!.value).toBe("The Smiths rang");
    type("#escalation-deal", "");
    await settle();
    document.querySelector<HTMLButtonElement>("#escalation-log")!.click();
    await settle();
    const log = calls.filter((c) => c.cmd === "escalation_log").pop()!;
    expect(log.args).toEqual({ req: { reason: "The Smiths rang", deal: null, acting: { actor: null, at: null } } });
    expect(document.querySelector("#escalation-logged")!.textContent).toContain("Logged: The Smiths rang");
    expect(document.querySelector("#escalations-target")!.textContent).toContain("on target");
  });
});
