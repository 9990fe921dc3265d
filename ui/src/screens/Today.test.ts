import { describe, expect, it } from "vitest";
import Today from "./Today.svelte";
import { answer, settle } from "../test/ipc";
import { show, type, unmountAll } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { PersonDto } from "../bindings";

const board = {
  now: "2026-11-24T10:00:00Z",
  timezone: "Europe/London",
  person: null,
  waiting: [
    { deal: "d1", title: "Iceland lights", closed_at: "2026-11-19T11:20:00Z", hours_waiting: 118, business_hours_waiting: 23.2, breached: true, urgency: "red", deadline: "2026-11-20T11:20:00Z", should_act: { id: "p2", name: "Bo Lind" } },
    { deal: "d2", title: "Amalfi honeymoon", closed_at: "2026-11-24T08:00:00Z", hours_waiting: 2, business_hours_waiting: 1, breached: false, urgency: "fresh", deadline: "2026-11-24T16:30:00Z", should_act: { id: "p2", name: "Bo Lind" } },
  ],
  tasks: [{ id: "t1", deal: { id: "d3", title: "Peru" }, title: "Confirm dates with customer", owner: { id: "p2", name: "Bo Lind" }, due_at: "2026-11-24T09:00:00Z", done_at: null, overdue: true }],
  service_handoffs: [],
  next_review: { date: "2026-12-01", first: "2026-11-24", last: "2026-11-30", trips: 2, with_signal: 1, picks: 0, picks_allowed: 3 },
  follow_ups: [],
  conflicts: [],
};


describe("Today", () => {
  it("shows each waiting deal with the API's urgency and the person who should act", async () => {
    const calls = answer({ today: () => board });
    show(Today);
    await settle();
    const red = document.querySelector("tr[data-deal='Iceland lights']")!;
    expect(red.className).toContain("urgency-red");
    expect(red.textContent).toContain("Over one business day");
    expect(red.textContent).toContain("Bo Lind");
    const fresh = document.querySelector("tr[data-deal='Amalfi honeymoon']")!;
    expect(fresh.className).toContain("urgency-fresh");
    expect(fresh.textContent).toContain("In time");
    expect(document.querySelector("#today-tasks")!.textContent).toContain("Overdue");
    expect(calls[0]).toEqual({ cmd: "today", args: { person: null } });
  });

  it("counts the next review's trips in words, one trip as one", async () => {
    answer({ today: () => ({ ...board, next_review: { ...board.next_review, trips: 1, picks: 1, picks_allowed: 1 } }) });
    show(Today);
    await settle();
    expect(document.body.textContent).toContain("1 trip back, 1 with a signal; 1 of 1 pick made.");
  });

  it("shows the API's message when the board cannot be loaded", async () => {
    answer({ today: () => { throw { code: "storage", message: "the database is damaged: restore it from a backup" }; } });
    show(Today);
    await settle();
    expect(document.querySelector("[role=alert]")!.textContent).toBe("the database is damaged: restore it from a backup");
  });

  it("opens on the work of the person who uses this laptop, and the founder's laptop on everyone", async () => {
    const calls = answer({ today: () => board });
    session.me = { id: "p-fay", name: "Fay Okafor", dept: "fulfilment" } as PersonDto;
    show(Today);
    await settle();
    expect(calls[0]).toEqual({ cmd: "today", args: { person: "p-fay" } });
    unmountAll();
    calls.length = 0;
    session.me = { id: "p-maya", name: "Maya Chen", dept: "founder", sees_whole_agency: true } as PersonDto;
    show(Today);
    await settle();
    expect(calls[0]).toEqual({ cmd: "today", args: { person: null } });
    session.me = null;
  });
});
