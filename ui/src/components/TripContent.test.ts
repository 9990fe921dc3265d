import { describe, expect, it } from "vitest";
import TripContent from "./TripContent.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import type { DealDetail } from "../bindings";

const deal = {
  id: "d1", title: "Lisbon weekend", status: "handed-off", trip: { start: "2026-12-04", end: "2026-12-07", destination: "Lisbon", travellers: 2 },
  travellers: [{ id: "t1", name: "Asha Patel", preferences: [{ topic: "dietary", title: "Dietary", text: "no nuts" }, { topic: "rooming", title: "Rooming", text: "with her parents" }] }],
  asks: [], signal: null,
} as unknown as DealDetail;



describe("editing a traveller", () => {
  it("sends only the preferences that changed, an emptied one as a clearing", async () => {
    const calls = answer({ itinerary_show: () => ({ deal: { id: "d1", title: "Lisbon weekend" }, trip: deal.trip, days: [] }), traveller_edit: () => ({}) });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("button[aria-label='Edit Asha Patel']")!.click();
    await settle();
    expect(document.querySelector<HTMLInputElement>("#edit-dietary")!.value).toBe("no nuts");
    type("#edit-dietary", "no nuts; carries an EpiPen");
    type("#edit-rooming", "");
    document.querySelector<HTMLButtonElement>("#save-traveller")!.click();
    await settle();
    const edit = calls.find((c) => c.cmd === "traveller_edit")!;
    expect(edit.args).toEqual({
      req: {
        deal: "d1", traveller: "t1", name: null,
        preferences: [{ topic: "dietary", text: "no nuts; carries an EpiPen" }, { topic: "rooming", text: "" }],
        acting: { actor: null, at: null },
      },
    });
  });

  it("keeps the form open with the API's message when the edit is refused", async () => {
    answer({ itinerary_show: () => ({ deal: { id: "d1", title: "x" }, trip: deal.trip, days: [] }), traveller_edit: () => { throw { code: "refused", message: "the trip is over: its travellers are history" }; } });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("button[aria-label='Edit Asha Patel']")!.click();
    await settle();
    type("#edit-name", "Asha R. Patel");
    document.querySelector<HTMLButtonElement>("#save-traveller")!.click();
    await settle();
    expect(document.body.textContent).toContain("the trip is over");
    expect(document.querySelector<HTMLInputElement>("#edit-name")!.value).toBe("Asha R. Patel");
  });
});
