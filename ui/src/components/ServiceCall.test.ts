import { describe, expect, it } from "vitest";
import ServiceCall from "./ServiceCall.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { DealDetail, PersonDto } from "../bindings";

const deal = { id: "d1", title: "Family safari" } as unknown as DealDetail;
const person = (id: string, name: string, dept: string) => ({ id, name, dept, email: null, role: null, away: [], away_today: false, retired: null }) as unknown as PersonDto;

function service(over: Record<string, unknown>) {
  return {
    deal: { id: "d1", title: "Family safari" }, trip_start: "2026-04-20T07:00:00Z", due_at: "2026-04-17T07:00:00Z",
    owner: { id: "sol", name: "Sol Reed" }, owner_because: "lead", original_owner: { id: "sol", name: "Sol Reed" }, assigned_because: "lead",
    reassignments: [], started_at: null, completed_at: null, call_minutes: null, call_overran: false, lead_hours: null, on_time: null, late: false,
    checklist: [
      { traveller: "t1", traveller_name: "Ana Ruiz", topic: "dietary", text: "vegan", state: "acknowledged", acknowledged_at: "2026-04-16T08:02:00Z", acknowledged_by: { id: "sol", name: "Sol Reed" } },
      { traveller: "t2", traveller_name: "Ben Ruiz", topic: "rooming", text: "own room", state: "open", acknowledged_at: null, acknowledged_by: null },
    ],
    open_items: 1,
    ...over,
  };
}

describe("the service handoff call", () => {
  it("runs a 15-minute timer while the call is on, and says who acknowledged each item and when", async () => {
    answer({ service_show: () => service({ started_at: new Date(Date.now() - 16 * 60000).toISOString() }) });
    show(ServiceCall, { deal, reload: async () => {} });
    await settle();
    const timer = document.querySelector("#service-timer")!;
    expect(timer.textContent).toContain("of 15:00");
    expect(timer.classList.contains("over")).toBe(true);
    const rows = document.querySelectorAll("#service-checklist tbody tr");
    expect(rows[0].textContent).toContain("Sol Reed");
    expect(rows[1].querySelector("button.ack")).not.toBeNull();
  });

  it("flags a call that took longer than 15 minutes once it is done, and hides the timer", async () => {
    answer({ service_show: () => service({ started_at: "2026-04-16T08:00:00Z", completed_at: "2026-04-16T08:22:00Z", call_minutes: 22, call_overran: true }) });
    show(ServiceCall, { deal, reload: async () => {} });
    await settle();
    expect(document.querySelector("#service-length")!.textContent).toContain("The call took 22 min — over its 15");
    expect(document.querySelector("#service-timer")).toBeNull();
  });

  it("hands the service side to someone else in Service, with a reason", async () => {
    session.people = [person("sol", "Sol Reed", "service"), person("ivy", "Ivy Park", "service"), person("fay", "Fay Okafor", "fulfilment")];
    const calls = answer({ service_show: () => service({}), service_reassign: () => service({ owner: { id: "ivy", name: "Ivy Park" } }) });
    show(ServiceCall, { deal, reload: async () => {} });
    await settle();
    const options = [...document.querySelectorAll("#service-reassign-to option")].map((o) => o.textContent);
    expect(options).toEqual(["Choose", "Ivy Park"]);
    type("#service-reassign-to", "ivy");
    type("#service-reassign-reason", "Sol is on the Lisbon trip that week");
    await settle();
    document.querySelector<HTMLButtonElement>("#service-reassign-save")!.click();
    await settle();
    const req = calls.find((c) => c.cmd === "service_reassign")!;
    expect(req.args).toEqual({ req: { deal: "d1", to: "ivy", reason: "Sol is on the Lisbon trip that week", acting: { actor: null, at: null } } });
    session.people = [];
  });
});
