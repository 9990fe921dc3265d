import { describe, expect, it } from "vitest";
import AddToCalendar from "./AddToCalendar.svelte";
import { answer, settle } from "../test/ipc";
import { show } from "../test/screen";

const saved = {
  path: "/home/fay/Alpine retreat — service call.ics", uid: "handoff-service-d1@handoff", sequence: 9,
  summary: "Service handoff call: Alpine retreat", start: "2027-01-28T09:00:00Z", end: "2027-01-28T09:15:00Z",
  weekly: false, cancelled: false, attendees: [{ id: "fay", name: "Fay Okafor" }, { id: "sol", name: "Sol Reed" }], without_email: ["Sol Reed"],
};

describe("add to calendar", () => {
  it("asks where, has the Rust side write the invitation, and says when and with whom", async () => {
    const calls = answer({ "plugin:dialog|save": () => "/home/fay/Alpine retreat — service call.ics", invite: () => saved });
    show(AddToCalendar, { kind: "service", deal: "d1", suggested: "Alpine retreat — service call" });
    document.querySelector<HTMLButtonElement>("#invite-service")!.click();
    await settle(10);
    const invite = calls.find((c) => c.cmd === "invite")!;
    expect(invite.args).toEqual({ req: { kind: "service", deal: "d1", at: null, from: null, out: "/home/fay/Alpine retreat — service call.ics", force: true } });
    const result = document.querySelector("#invite-service-result")!.textContent!;
    expect(result).toContain("with Fay Okafor and Sol Reed");
    expect(document.querySelector("#invite-service-no-email")!.textContent).toContain("No e-mail address for Sol Reed");
  });

  it("writes nothing when the dialog is cancelled, and shows a refusal where the user acted", async () => {
    const cancelled = answer({ "plugin:dialog|save": () => null });
    show(AddToCalendar, { kind: "meeting", deal: "d1", suggested: "x" });
    document.querySelector<HTMLButtonElement>("#invite-meeting")!.click();
    await settle(10);
    expect(cancelled.some((c) => c.cmd === "invite")).toBe(false);

    answer({
      "plugin:dialog|save": () => "/tmp/x.ics",
      invite: () => { throw { code: "refused", message: "there is nothing to invite to for \"Alpine retreat\" yet: the handoff meeting is planned when the deal is won: mark it won first" }; },
    });
    document.querySelector<HTMLButtonElement>("#invite-meeting")!.click();
    await settle(10);
    expect(document.querySelector("#invite-meeting-error")!.textContent).toContain("mark it won first");
  });
});
