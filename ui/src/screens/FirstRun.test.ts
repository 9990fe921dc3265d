import { describe, expect, it } from "vitest";
import FirstRun from "./FirstRun.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";



describe("first run", () => {
  it("creates the agency with the zone, working days and hours given, then asks for people", async () => {
    const calls = answer({ init: () => ({}), person_list: () => [], dept_list: () => [] });
    show(FirstRun);
    type("#agency-name", "Wayfarer Travel");
    type("#agency-zone", "Europe/London");
    await settle();
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(calls[0].cmd).toBe("init");
    expect(calls[0].args).toEqual({ req: { agency: "Wayfarer Travel", timezone: "Europe/London", workdays: "mon,tue,wed,thu,fri", hours: "09:00-17:30", acting: { actor: null, at: null } } });
    expect(document.body.textContent).toContain("2. People and departments");
  });

  it("keeps the form and shows the API's message when the zone is unknown", async () => {
    answer({ init: () => { throw { code: "invalid_input", message: "\"Europe/Londn\" is not a time zone: use an IANA name like Europe/London" }; } });
    show(FirstRun);
    type("#agency-name", "Wayfarer Travel");
    type("#agency-zone", "Europe/Londn");
    await settle();
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(document.querySelector("#init-error")!.textContent).toContain("is not a time zone");
    expect(document.querySelector<HTMLInputElement>("#agency-name")!.value).toBe("Wayfarer Travel");
  });

  it("joins the agency's hub instead of making a new agency, and opens on Today", async () => {
    const status = { joined: true, hub: "https://hub.example", agency: "Wayfarer Travel", person: "Fay Okafor", device: "d", last_success: null, last_error: null, offline: false, waiting: 0, clock_drift_ms: null, clock_offset_s: null, clock_offset_says: null };
    const calls = answer({
      sync_join_preview: () => ({ agency: null, deals: 0, events: 0, says: ["This laptop holds no agency yet: joining takes in your agency from the hub."] }),
      sync_join: () => ({ received: 120, sent: 0, conflicts: 0, status }),
      database_problem: () => null,
      sync_status: () => status,
      agency: () => ({ name: "Wayfarer Travel" }),
      person_list: () => [],
      whoami: () => null,
    });
    show(FirstRun);
    document.querySelector<HTMLButtonElement>("#join-instead")!.click();
    await settle();
    expect(document.querySelector("#join-preview")!.textContent).toContain("takes in your agency from the hub");
    type("#join-code", "handoff://join?hub=https%3A%2F%2Fhub.example&token=hndf_x");
    await settle();
    document.querySelector<HTMLFormElement>("form[aria-label=\"Join your agency's hub\"]")!.requestSubmit();
    await settle();
    expect(calls.map((c) => c.cmd), JSON.stringify(calls)).toEqual(expect.arrayContaining(["sync_join", "agency"]));
    expect(calls.some((c) => c.cmd === "init"), "no new agency").toBe(false);
  });

  it("offers the sample agency", async () => {
    const calls = answer({ open_sample: () => ({}), agency: () => ({ name: "Wayfarer Travel (sample)" }), person_list: () => [], whoami: () => null });
    show(FirstRun);
    document.querySelector<HTMLButtonElement>("#open-sample")!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toContain("open_sample");
  });
});
