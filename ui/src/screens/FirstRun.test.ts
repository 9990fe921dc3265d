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

  it("offers the sample agency", async () => {
    const calls = answer({ open_sample: () => ({}), agency: () => ({ name: "Wayfarer Travel (sample)" }), person_list: () => [], whoami: () => null });
    show(FirstRun);
    document.querySelector<HTMLButtonElement>("#open-sample")!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toContain("open_sample");
  });
});
