import { describe, expect, it } from "vitest";
import UndoBar from "./UndoBar.svelte";
import { answer, settle } from "../test/ipc";
import { call } from "../lib/call";
import { commands } from "../bindings";
import { show } from "../test/screen";
import { undo } from "../lib/undo.svelte";
import { session } from "../lib/session.svelte";

describe("the undo bar", () => {
  it("shows nothing until an action offers its undo, then takes it once and says so", async () => {
    show(UndoBar);
    await settle();
    expect(document.querySelector("#undo-bar")).toBeNull();
    let ran = 0;
    undo.give({ said: "Marked “Lisbon” lost.", run: async () => { ran++; } });
    await settle();
    expect(document.querySelector("#undo-bar")!.textContent).toContain("Marked “Lisbon” lost.");
    document.querySelector<HTMLButtonElement>("#undo")!.click();
    await settle();
    expect(ran).toBe(1);
    expect(document.querySelector("#undo")).toBeNull();
    expect(document.querySelector("#undone")!.textContent).toBe("Undone: Marked “Lisbon” lost.");
  });

  it("keeps the offer with the rules' refusal when the undo cannot be recorded", async () => {
    answer({ holiday_remove: () => { throw { code: "refused", message: "24 Dec 2026 is not a holiday of the agency" }; } });
    show(UndoBar);
    const run = () => call(commands.holidayRemove({ date: "2026-12-24", reason: "undo", acting: { actor: null, at: null } }));
    undo.give({ said: "Added 24 Dec 2026 as a holiday.", run });
    await settle();
    document.querySelector<HTMLButtonElement>("#undo")!.click();
    await settle();
    expect(document.querySelector("#undo-error")!.textContent).toContain("is not a holiday");
    expect(document.querySelector("#undo")).not.toBeNull();
  });

  it("goes when the lead moves to another screen or dismisses it", async () => {
    session.go({ screen: "deal", id: "d1", tab: "overview" });
    show(UndoBar);
    undo.give({ said: "Corrected “Lisbon”.", run: async () => {} });
    await settle();
    session.go({ screen: "deal", id: "d1", tab: "trip" });
    await settle();
    expect(document.querySelector("#undo-bar")).not.toBeNull();
    session.go({ screen: "deals" });
    await settle();
    expect(document.querySelector("#undo-bar")).toBeNull();
    undo.give({ said: "Corrected “Lisbon”.", run: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("button[aria-label='Dismiss']")!.click();
    await settle();
    expect(document.querySelector("#undo-bar")).toBeNull();
  });

  it("shows an offer only on the screen it was made on: one that settles after the lead left waits unseen", async () => {
    session.go({ screen: "people" });
    show(UndoBar);
    undo.give({ said: "Added Thu, 24 Dec 2026 as a holiday.", run: async () => {} }, "deal:d1");
    await settle();
    expect(document.querySelector("#undo-bar")).toBeNull();
  });
});
