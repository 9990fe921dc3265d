import { describe, expect, it } from "vitest";
import Review from "./Review.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";

function review(over: Record<string, unknown>) {
  return {
    review: "2026-11-10", first: "2026-11-03", last: "2026-11-09", picks_allowed: 3, picks: 0,
    sales_lead: { id: "sam", name: "Sam Reyes" },
    trips: [{
      rank: 1, deal: { id: "d1", title: "Lake week" }, customer: "Lind family", trip_end: "2026-11-05",
      signal: { sentiment: "thrilled", strength: 5, note: "loved the boat", at: "2026-11-06T09:00:00Z" },
      asks: [{ id: "a1", topic: "dietary", text: "vegan menu", brief_should_have_covered: true, traveller: null, at: "2026-11-04T09:00:00Z" }],
      follow_up: null, travellers: ["Ada Lind", "Bo Lind"], renewal_choices: [{ id: "d9", title: "Lake week 2027" }],
    }],
    travellers_back: 2, meeting: null, minutes_allowed: 30, start_refusal: null, end_refusal: null,
    choices: ["2026-12-01", "2026-11-24", "2026-11-17", "2026-11-10"],
    ...over,
  };
}

const noOutreach = { outreach_list: () => ({ from: "2026-11-03", to: "2026-11-30", entries: [], attempts: 0, renewals: 0, calls: 0 }) };

describe("the Tuesday review", () => {
  it("lists every traveller back, in words, and offers only Tuesdays in the agency's date format", async () => {
    answer({ ...noOutreach, review_show: () => review({}) });
    show(Review, {});
    await settle();
    expect(document.body.textContent).toContain("1 trip back, 2 travellers");
    expect(document.querySelector("#review-trips")!.textContent).toContain("Ada Lind, Bo Lind");
    expect(document.querySelector("#review-trips")!.textContent).toContain("Thrilled");
    expect(document.querySelector("#review-trips")!.textContent).toContain("Dietary");
    const options = [...document.querySelectorAll("#review-date option")].map((o) => o.textContent);
    expect(options).toEqual(["Tue, 1 Dec 2026", "Tue, 24 Nov 2026", "Tue, 17 Nov 2026", "Tue, 10 Nov 2026"]);
  });

  it("starts the review, runs its 30-minute clock, and ends it", async () => {
    const started = { started_at: new Date(Date.now() - 31 * 60000).toISOString(), started_by: { id: "sam", name: "Sam Reyes" }, ended_at: null, ended_by: null, minutes: 31, overran: true };
    const calls = answer({ ...noOutreach,
      review_show: () => review({}),
      review_start: () => review({ meeting: started, start_refusal: "the review of 2026-11-10 started already" }),
      review_end: () => review({ meeting: { ...started, ended_at: "2026-11-10T10:41:00Z", minutes: 41 } }),
    });
    show(Review, {});
    await settle();
    document.querySelector<HTMLButtonElement>("#review-start")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "review_start")!.args).toEqual({ req: { date: "2026-11-10", acting: { actor: null, at: null } } });
    const timer = document.querySelector("#review-timer")!;
    expect(timer.textContent).toContain("of 30:00");
    expect(timer.classList.contains("over")).toBe(true);
    document.querySelector<HTMLButtonElement>("#review-end")!.click();
    await settle();
    expect(document.querySelector("#review-timer")).toBeNull();
    expect(document.querySelector("#review-held")!.textContent).toContain("41 min — over its 30");
  });

  it("says why a review cannot start yet instead of a button that does nothing", async () => {
    answer({ ...noOutreach, review_show: () => review({ start_refusal: "the review of 2026-12-01 is held from that Tuesday on: start it then" }) });
    show(Review, {});
    await settle();
    expect(document.querySelector<HTMLButtonElement>("#review-start")!.disabled).toBe(true);
    expect(document.querySelector("#review-start-why")!.textContent).toContain("held from that Tuesday on");
  });

  it("opens another review picked from the list", async () => {
    const calls = answer({ ...noOutreach, review_show: (args) => review(args.date ? { review: args.date } : {}) });
    show(Review, {});
    await settle();
    type("#review-date", "2026-11-24");
    await settle();
    expect(calls.filter((c) => c.cmd === "review_show").map((c) => (c.args as { date: string | null }).date)).toEqual([null, "2026-11-24"]);
  });

  it("changes a recorded outcome weeks later to a renewal into a deal chosen from a list", async () => {
    const done = { review: "2026-11-10", owner: { id: "sam", name: "Sam Reyes" }, due_at: "2026-11-15T17:30:00Z", outcome: "no-answer", renewed_deal: null, done_at: "2026-11-12T16:00:00Z", updated_at: null, within_ten_days: true };
    const withFollowUp = (f: Record<string, unknown>) => review({ trips: [{ ...review({}).trips[0], follow_up: f }] });
    const calls = answer({ ...noOutreach,
      review_show: () => withFollowUp(done),
      followup_done: () => ({ ...done, outcome: "renewed", renewed_deal: "d9", updated_at: "2026-11-28T11:00:00Z" }),
    });
    show(Review, {});
    await settle();
    expect(document.querySelector("#review-trips")!.textContent).toContain("No answer");
    document.querySelector<HTMLButtonElement>("#review-trips button.change")!.click();
    await settle();
    type('select[aria-label="Outcome for Lake week"]', "renewed");
    await settle();
    const into = [...document.querySelectorAll('select[aria-label="Renewed into for Lake week"] option')].map((o) => o.textContent);
    expect(into).toEqual(["The new deal (if booked)", "Lake week 2027"]);
    type('select[aria-label="Renewed into for Lake week"]', "d9");
    await settle();
    [...document.querySelectorAll<HTMLButtonElement>("#review-trips button")].find((b) => b.textContent === "Save the outcome")!.click();
    await settle();
    expect(calls.find((c) => c.cmd === "followup_done")!.args).toEqual({ req: { deal: "d1", outcome: "renewed", renewed_deal: "d9", acting: { actor: "sam", at: null } } });
  });

  it("logs a cold call by call, keeps what was typed when refused, and lists the calls with their totals", async () => {
    const logged: unknown[] = [];
    const list = () => ({
      from: "2026-11-03", to: "2026-11-30", attempts: 9, renewals: 1, calls: logged.length,
      entries: [
        ...logged.map(() => ({ date: "2026-11-30", attempts: 1, renewals: 1, customer: "Lind family", outcome: "renewed", note: "June again" })),
        { date: "2026-11-20", attempts: 8, renewals: 0, customer: null, outcome: null, note: null },
      ],
    });
    let refuse = true;
    const calls = answer({
      review_show: () => review({}),
      outreach_list: list,
      outreach_call: (args) => {
        if (refuse) throw { code: "invalid_input", message: "a call to nobody: say which customer was called" };
        logged.push(args.req);
        return { date: "2026-11-30", attempts: 1, renewals: 1, customer: "Lind family", outcome: "renewed", note: "June again" };
      },
    });
    show(Review, {});
    await settle();
    expect(document.querySelector("#outreach-totals")!.textContent).toContain("9 cold calls (0 one by one), 1 renewal");
    expect(document.querySelector("#outreach-list")!.textContent).toContain("A batch: 8 calls, 0 renewals");
    type("#call-outcome", "renewed");
    type("#call-note", "June again");
    document.querySelector<HTMLButtonElement>("#call-log")!.click();
    await settle();
    expect(document.querySelector("#call-error")!.textContent).toContain("say which customer was called");
    expect(document.querySelector<HTMLInputElement>("#call-note")!.value).toBe("June again");
    refuse = false;
    type("#call-customer", "Lind family");
    document.querySelector<HTMLButtonElement>("#call-log")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "outreach_call").at(-1)!.args).toEqual({
      req: { customer: "Lind family", outcome: "renewed", note: "June again", date: null, acting: { actor: null, at: null } },
    });
    expect(document.querySelector("#cold-done")!.textContent).toBe("Logged the call to Lind family: renewed.");
    expect(document.querySelector("#outreach-list")!.textContent).toContain("Lind family");
    expect(document.querySelector("#outreach-list")!.textContent).toContain("Renewed");
    expect(document.querySelector<HTMLInputElement>("#call-customer")!.value).toBe("");
  });
});
