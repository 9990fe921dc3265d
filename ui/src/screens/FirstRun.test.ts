import { afterEach, describe, expect, it } from "vitest";
import { mount, unmount } from "svelte";
import FirstRun from "./FirstRun.svelte";
import { answer, clearMocks, settle } from "../test/ipc";

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  clearMocks();
  document.body.innerHTML = "";
});

function set(sel: string, value: string) {
  const el = document.querySelector<HTMLInputElement>(sel)!;
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("first run", () => {
  it("creates the agency with the zone, working days and hours given, then asks for people", async () => {
    const calls = answer({ init: () => ({}), person_list: () => [], dept_list: () => [] });
    app = mount(FirstRun, { target: document.body });
    set("#agency-name", "Wayfarer Travel");
    set("#agency-zone", "Europe/London");
    await settle();
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(calls[0].cmd).toBe("init");
    expect(calls[0].args).toEqual({ req: { agency: "Wayfarer Travel", timezone: "Europe/London", workdays: "mon,tue,wed,thu,fri", hours: "09:00-17:30", acting: { actor: null, at: null } } });
    expect(document.body.textContent).toContain("2. People and departments");
  });

  it("keeps the form and shows the API's message when the zone is unknown", async () => {
    answer({ init: () => { throw { code: "invalid_input", message: "\"Europe/Londn\" is not a time zone: use an IANA name like Europe/London" }; } });
    app = mount(FirstRun, { target: document.body });
    set("#agency-name", "Wayfarer Travel");
    set("#agency-zone", "Europe/Londn");
    await settle();
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(document.querySelector("#init-error")!.textContent).toContain("is not a time zone");
    expect(document.querySelector<HTMLInputElement>("#agency-name")!.value).toBe("Wayfarer Travel");
  });

  it("offers the sample agency", async () => {
    const calls = answer({ open_sample: () => ({}), agency: () => ({ name: "Wayfarer Travel (sample)" }), person_list: () => [], whoami: () => null });
    app = mount(FirstRun, { target: document.body });
    document.querySelector<HTMLButtonElement>("#open-sample")!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toContain("open_sample");
  });
});
