import { describe, expect, it } from "vitest";
import DealCorrection from "./DealCorrection.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import type { DealDetail } from "../bindings";
import { undo } from "../lib/undo.svelte";

const deal = (status: string) => ({ id: "d1", title: "Lisbon", customer: "Acme", value: "1,000.00 EUR", amount: "1000.00", currency: "EUR", closed_at: "2026-03-03T09:40:00Z", status }) as unknown as DealDetail;

function open() {
  const details = document.querySelector<HTMLDetailsElement>("#correct")!;
  details.open = true;
  details.dispatchEvent(new Event("toggle"));
}

describe("correcting a deal", () => {
  it("sends only what changed, with the reason, and says it is in the timeline", async () => {
    const calls = answer({ deal_correct: () => ({}) });
    let reloaded = 0;
    show(DealCorrection, { deal: deal("won"), reload: async () => { reloaded++; } });
    open();
    await settle();
    expect(document.querySelector<HTMLInputElement>("#correct-title")!.value).toBe("Lisbon");
    type("#correct-title", "Lisbon city break");
    type("#correct-closed-at", "2026-03-03T08:15");
    type("#correct-reason", "the CRM shows 08:15");
    await settle();
    document.querySelector<HTMLButtonElement>("#correct-save")!.click();
    await settle();
    expect(calls[0].args).toEqual({
      req: { deal: "d1", title: "Lisbon city break", customer: null, value: null, currency: null, closed_at: "2026-03-03 08:15", reason: "the CRM shows 08:15", acting: { actor: null, at: null } },
    });
    expect(reloaded).toBe(1);
    expect(document.querySelector("#correct-done")!.textContent).toContain("timeline");
  });

  it("shows the API's refusal where the lead acted, and a lost deal offers only to reopen", async () => {
    answer({ deal_reopen: () => { throw { code: "invalid_input", message: "the reason is empty: give it some text" }; } });
    show(DealCorrection, { deal: deal("lost"), reload: async () => {} });
    open();
    await settle();
    expect(document.querySelector("#correct-title")).toBeNull();
    document.querySelector<HTMLButtonElement>("#reopen")!.click();
    await settle();
    expect(document.querySelector("#correct-error")!.textContent).toContain("the reason is empty");
  });

  it("offers to take the correction back: only what it changed is written back, with a reason", async () => {
    const calls = answer({ deal_correct: () => ({}) });
    show(DealCorrection, { deal: deal("won"), reload: async () => {} });
    open();
    await settle();
    type("#correct-value", "1200");
    type("#correct-closed-at", "2026-03-03T08:15");
    type("#correct-reason", "the CRM shows 08:15");
    document.querySelector<HTMLButtonElement>("#correct-save")!.click();
    await settle();
    expect(undo.offer!.said).toBe("Corrected “Lisbon”.");
    await undo.take();
    expect(calls[1].args).toEqual({
      req: { deal: "d1", title: null, customer: null, value: "1000.00", currency: "EUR", closed_at: "2026-03-03T09:40:00Z", reason: "Undone right after: a correction", acting: { actor: null, at: null } },
    });
  });

  it("offers no undo when the correction is refused", async () => {
    answer({ deal_correct: () => { throw { code: "invalid_input", message: "the reason is empty: give it some text" }; } });
    show(DealCorrection, { deal: deal("won"), reload: async () => {} });
    open();
    await settle();
    type("#correct-title", "Lisbon city break");
    document.querySelector<HTMLButtonElement>("#correct-save")!.click();
    await settle();
    expect(undo.offer).toBeNull();
  });
});
