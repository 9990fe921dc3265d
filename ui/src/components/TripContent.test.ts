import { describe, expect, it } from "vitest";
import TripContent from "./TripContent.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import type { DealDetail } from "../bindings";
import { undo } from "../lib/undo.svelte";

const deal = {
  id: "d1", title: "Lisbon weekend", status: "handed-off", trip: { start: "2026-12-04", end: "2026-12-07", destination: "Lisbon", travellers: 2 },
  travellers: [{ id: "t1", name: "Asha Patel", preferences: [{ topic: "dietary", title: "Dietary", text: "no nuts" }, { topic: "rooming", title: "Rooming", text: "with her parents" }] }],
  asks: [], signal: null, ask_refusal: null, signal_refusal: "the trip of \"Lisbon weekend\" has not ended yet (its last day is 2026-12-07): the signal is recorded after it",
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

const hotel = { id: "i1", day: "2026-12-05", time: "15:00:00", kind: "hotel", title: "Memmo Alfama", supplier: "Memmo", contact: "+351 21 049 5660", confirmation: null };
const withHotel = () => ({ deal: { id: "d1", title: "Lisbon weekend" }, trip: deal.trip, under_way: null, days: [{ day: "2026-12-05", number: 2, today: false, items: [hotel] }] });

describe("editing an itinerary item", () => {
  it("opens with the item as it is, sends what changed (an emptied detail clears it) and offers to write it back", async () => {
    const calls = answer({ itinerary_show: withHotel, itinerary_edit: () => hotel });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    expect(document.querySelector("tbody .badge")!.textContent).toBe("Hotel");
    document.querySelector<HTMLButtonElement>("button[aria-label='Edit Memmo Alfama']")!.click();
    await settle();
    expect(document.querySelector<HTMLInputElement>("#ie-time")!.value).toBe("15:00");
    expect(document.querySelector<HTMLSelectElement>("#ie-kind")!.value).toBe("hotel");
    type("#ie-title", "Memmo Alfama, river view");
    type("#ie-contact", "");
    type("#ie-conf", "MA-2291");
    document.querySelector<HTMLButtonElement>("#save-item")!.click();
    await settle();
    const edits = calls.filter((c) => c.cmd === "itinerary_edit");
    expect(edits[0].args).toEqual({
      req: {
        deal: "d1", item: "i1", day: null, time: null, kind: null, title: "Memmo Alfama, river view",
        supplier: null, contact: "", confirmation: "MA-2291", acting: { actor: null, at: null },
      },
    });
    expect(document.querySelector("#ie-title")).toBeNull();
    expect(undo.offer!.said).toBe("Changed “Memmo Alfama” in the itinerary.");
    await undo.take();
    expect(calls.filter((c) => c.cmd === "itinerary_edit")[1].args).toEqual({
      req: {
        deal: "d1", item: "i1", day: null, time: null, kind: null, title: "Memmo Alfama",
        supplier: null, contact: "+351 21 049 5660", confirmation: "", acting: { actor: null, at: null },
      },
    });
  });

  it("records nothing when nothing was changed", async () => {
    const calls = answer({ itinerary_show: withHotel, itinerary_edit: () => hotel });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("button[aria-label='Edit Memmo Alfama']")!.click();
    await settle();
    document.querySelector<HTMLButtonElement>("#save-item")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "itinerary_edit")).toBe(false);
    expect(document.querySelector("#ie-title")).toBeNull();
    expect(undo.offer).toBeNull();
  });

  it("keeps the form open with the rules' refusal, and offers no undo", async () => {
    answer({ itinerary_show: withHotel, itinerary_edit: () => { throw { code: "invalid_input", message: "2026-12-09 is after the trip ends (2026-12-07)" }; } });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("button[aria-label='Edit Memmo Alfama']")!.click();
    await settle();
    type("#ie-day", "2026-12-09");
    document.querySelector<HTMLButtonElement>("#save-item")!.click();
    await settle();
    expect(document.querySelector("#item-edit-error")!.textContent).toContain("after the trip ends");
    expect(document.querySelector<HTMLInputElement>("#ie-day")!.value).toBe("09/12/2026");
    expect(undo.offer).toBeNull();
  });
});

describe("undoing a traveller edit", () => {
  it("writes back the name and each changed preference, clearing one that was not there", async () => {
    const calls = answer({ itinerary_show: () => ({ deal: { id: "d1", title: "x" }, trip: deal.trip, days: [] }), traveller_edit: () => ({}) });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("button[aria-label='Edit Asha Patel']")!.click();
    await settle();
    type("#edit-name", "Asha R. Patel");
    type("#edit-mobility", "uses a cane");
    document.querySelector<HTMLButtonElement>("#save-traveller")!.click();
    await settle();
    await undo.take();
    expect(calls.filter((c) => c.cmd === "traveller_edit")[1].args).toEqual({
      req: { deal: "d1", traveller: "t1", name: "Asha Patel", preferences: [{ topic: "mobility", text: "" }], acting: { actor: null, at: null } },
    });
  });
});

describe("a trip under way", () => {
  it("opens with today's day of the trip and its plan, and marks today in the itinerary", async () => {
    const today = { day: "2026-12-05", number: 2, today: true, items: [hotel] };
    answer({ itinerary_show: () => ({ deal: { id: "d1", title: "Lisbon weekend" }, trip: deal.trip, under_way: { day: "2026-12-05", number: 2, of: 4 }, days: [{ day: "2026-12-04", number: 1, today: false, items: [] }, today] }) });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    const panel = document.querySelector("#trip-today")!;
    expect(panel.querySelector("h2")!.textContent).toBe("On the trip: day 2 of 4 · Sat, 5 Dec 2026");
    expect(panel.textContent).toContain("Memmo Alfama");
    expect(document.querySelector("h3.today")!.textContent).toContain("Today");
  });

  it("says so when nothing is planned for today", async () => {
    answer({ itinerary_show: () => ({ deal: { id: "d1", title: "x" }, trip: deal.trip, under_way: { day: "2026-12-04", number: 1, of: 4 }, days: [{ day: "2026-12-04", number: 1, today: true, items: [] }] }) });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    expect(document.querySelector("#trip-today")!.textContent).toContain("Nothing planned for today.");
  });

  it("has no today panel before the trip", async () => {
    answer({ itinerary_show: withHotel });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    expect(document.querySelector("#trip-today")).toBeNull();
  });
});

describe("what can be done on the trip, and when", () => {
  it("offers the signal only once the trip is over, saying why until then", async () => {
    answer({ itinerary_show: withHotel });
    show(TripContent, { deal, reload: async () => {} });
    await settle();
    expect(document.querySelector("#signal-record")).toBeNull();
    expect(document.querySelector("#signal-why")!.textContent).toContain("has not ended yet");
  });

  it("disables logging an ask before the trip, with the reason", async () => {
    answer({ itinerary_show: withHotel });
    show(TripContent, { deal: { ...deal, ask_refusal: "the trip of \"Lisbon weekend\" has not started yet (it starts 2026-12-04 00:00): asks are logged during the trip", signal_refusal: null }, reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("#ask-topic-dietary")!.click();
    await settle();
    expect(document.querySelector<HTMLButtonElement>("#ask-log")!.disabled).toBe(true);
    expect(document.querySelector("#ask-why")!.textContent).toContain("has not started yet");
    expect(document.querySelector("#signal-record")).not.toBeNull();
  });
});
