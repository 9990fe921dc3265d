import { describe, expect, it } from "vitest";
import People from "./People.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { AgencyDto } from "../bindings";

const agency: AgencyDto = {
  name: "Wayfarer", timezone: "Europe/London", workdays: "mon,tue,wed,thu,fri", hours: "09:00-17:30",
  one_business_day_hours: 8.5, holidays: [], review_picks: 3, review_time: "10:00", paper: "a4",
  device_key: null, keys_folder: "keys", keychain: false, device: "d", database: "handoff.db",
};

describe("People & calendar", () => {
  it("sets the Tuesday review's time, and shows the API's refusal in words", async () => {
    session.agency = agency;
    let refuse = true;
    const calls = answer({
      person_list: () => [], whoami: () => null, dept_list: () => [], key_list: () => ({ signing: [] }),
      agency: () => ({ ...agency, review_time: refuse ? "10:00" : "09:30" }),
      agency_set: () => {
        if (refuse) throw { code: "invalid_input", message: "a Tuesday review at 17:15 would not fit its 30 minutes in the working hours 09:00-17:30: choose a time from 09:00 to 17:00" };
        return { ...agency, review_time: "09:30" };
      },
    });
    show(People, {});
    await settle();
    expect(document.querySelector<HTMLInputElement>("#set-review-time")!.value).toBe("10:00");
    type("#set-review-time", "17:15");
    const save = [...document.querySelectorAll("button")].find((b) => b.textContent === "Save settings")!;
    save.click();
    await settle();
    expect(document.body.textContent).toContain("choose a time from 09:00 to 17:00");
    refuse = false;
    type("#set-review-time", "09:30");
    save.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "agency_set").at(-1)!.args).toEqual({
      req: { review_picks: 3, review_time: "09:30", paper: "a4", workdays: null, hours: null, acting: { actor: null, at: null } },
    });
    expect(session.agency!.review_time).toBe("09:30");
    session.agency = null;
  });
});
