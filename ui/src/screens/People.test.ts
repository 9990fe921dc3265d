import { describe, expect, it } from "vitest";
import People from "./People.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { AgencyDto } from "../bindings";
import { undo } from "../lib/undo.svelte";

const agency: AgencyDto = {
  name: "Wayfarer", timezone: "Europe/London", workdays: "mon,tue,wed,thu,fri", hours: "09:00-17:30",
  one_business_day_hours: 8.5, holidays: [], review_picks: 3, review_time: "10:00", paper: "a4", locale: "en-GB",
  device_key: null, keys_folder: "keys", keychain: false, device: "d", database: "handoff.db",
};

describe("People & calendar", () => {
  it("sets the Tuesday review's time, and shows the API's refusal in words", async () => {
    session.agency = agency;
    let refuse = true;
    const calls = answer({
      person_list: () => [], whoami: () => null, dept_list: () => [], key_list: () => ({ signing: [], laptops: [] }),
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
      req: { review_picks: 3, review_time: "09:30", paper: "a4", locale: null, workdays: null, hours: null, acting: { actor: null, at: null } },
    });
    expect(session.agency!.review_time).toBe("09:30");
    session.agency = null;
  });

  it("offers to take back a holiday just added, and no away period", async () => {
    session.agency = agency;
    const bo = { id: "p2", name: "Bo Lindqvist", email: null, away: [], retired: false };
    session.people = [bo] as never;
    const calls = answer({
      person_list: () => [bo], whoami: () => null, dept_list: () => [], key_list: () => ({ signing: [], laptops: [] }), agency: () => agency,
      holiday_add: () => agency, holiday_remove: () => agency, person_away: () => bo, away_correct: () => bo,
    });
    show(People, {});
    await settle();
    type("#hol-date", "2026-12-24");
    document.querySelector<HTMLButtonElement>("#add-holiday")!.click();
    await settle();
    expect(undo.offer!.said).toBe("Added Thu, 24 Dec 2026 as a holiday.");
    await undo.take();
    expect(calls.find((c) => c.cmd === "holiday_remove")!.args).toEqual({
      req: { date: "2026-12-24", reason: "Undone right after: holiday added", acting: { actor: null, at: null } },
    });
    // An away period has no one-click undo (it can move service calls to others).
    type("#away-person", "p2");
    type("#away-from", "2026-12-21");
    type("#away-to", "2026-12-31");
    document.querySelector<HTMLButtonElement>("#save-away")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "person_away")).toBe(true);
    expect(undo.offer).toBeNull();
    session.agency = null;
    session.people = [];
  });

  it("sends the locale only when the lead picks another, and lists each with how it writes a day", async () => {
    session.agency = agency;
    let chosen = "en-GB";
    const calls = answer({
      person_list: () => [], whoami: () => null, dept_list: () => [], key_list: () => ({ signing: [], laptops: [] }),
      agency: () => ({ ...agency, locale: chosen }), agency_set: (a) => { chosen = (a.req as { locale: string | null }).locale ?? chosen; return { ...agency, locale: chosen }; },
    });
    show(People, {});
    await settle();
    const options = [...document.querySelectorAll<HTMLOptionElement>("#set-locale option")].map((o) => o.textContent);
    expect(options).toContain("English (United Kingdom) — 24/11/2026");
    expect(options).toContain("English (United States) — 11/24/26");
    type("#set-locale", "en-US");
    [...document.querySelectorAll("button")].find((b) => b.textContent === "Save settings")!.click();
    await settle();
    expect((calls.find((c) => c.cmd === "agency_set")!.args.req as { locale: string }).locale).toBe("en-US");
    expect(session.agency!.locale).toBe("en-US");
    session.agency = null;
  });

  it("lists each laptop's sealing key and revokes a lost one with a reason, showing a refusal where the lead acted", async () => {
    session.agency = agency;
    const laptop = { device: "0192ab34-cd56-7ef0-8123-456789abcdef", fingerprint: "SHA256:lost", this_laptop: false, registered_at: "2026-10-01T09:00:00Z", revoked_at: null, revoked_reason: null };
    let revoked = false;
    const calls = answer({
      person_list: () => [], whoami: () => null, dept_list: () => [], agency: () => agency,
      key_list: () => ({ signing: [], laptops: [revoked ? { ...laptop, revoked_at: "2026-11-30T09:00:00Z", revoked_reason: "lost in Lisbon" } : laptop] }),
      laptop_key_revoke: (a) => {
        if (!(a.req as { reason: string }).reason) throw { code: "invalid_input", message: "the reason is empty: give it some text" };
        revoked = true;
        return [];
      },
    });
    show(People, {});
    await settle();
    expect(document.querySelector("#laptop-keys")!.textContent).toContain("0192ab34-cd56-7ef0-8123-456789abcdef");
    document.querySelector<HTMLButtonElement>(".laptop-revoke")!.click();
    await settle();
    document.querySelector<HTMLButtonElement>("#laptop-revoke-confirm")!.click();
    await settle();
    expect(document.querySelector("#laptops-error")!.textContent).toContain("the reason is empty");
    type("#laptop-revoke-reason", "lost in Lisbon");
    document.querySelector<HTMLButtonElement>("#laptop-revoke-confirm")!.click();
    await settle();
    expect(calls.filter((c) => c.cmd === "laptop_key_revoke").at(-1)!.args).toEqual({
      req: { device: laptop.device, reason: "lost in Lisbon", acting: { actor: null, at: null } },
    });
    expect(document.querySelector("#laptop-keys")!.textContent).toContain("Revoked");
  });
});
