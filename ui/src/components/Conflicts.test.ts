import { describe, expect, it, vi } from "vitest";
import Conflicts from "./Conflicts.svelte";
import { settle } from "../test/ipc";
import { show } from "../test/screen";
import type { ConflictDto } from "../bindings";

const wonTwice: ConflictDto = {
  id: "e1",
  deal: { id: "d1", title: "Alpine retreat" },
  kind: "won-twice",
  skipped: true,
  by: { id: "p2", name: "Bo Lind" },
  at: "2026-03-03T10:04:00Z",
  note: "Bo Lind marked the deal won at 2026-03-03 10:04 on another laptop, naming Bo Lind as fulfilment owner; it had been won at 2026-03-03 10:00 with Fay Okafor as fulfilment owner, which stands.",
};

const overwritten: ConflictDto = {
  id: "e2",
  deal: { id: "d1", title: "Alpine retreat" },
  kind: "section-overwritten",
  skipped: false,
  by: null,
  at: "2026-03-03T14:03:00Z",
  note: "Sam's text for \"Risks\" replaced \"Visa for Ana\", written on another laptop at the same time; the last one stands.",
};

describe("Conflicts", () => {
  it("shows each conflict's note as the API wrote it, and whether it was left out or replaced text", async () => {
    show(Conflicts, { conflicts: [wonTwice, overwritten], zone: "Europe/London" });
    await settle();
    const items = [...document.querySelectorAll("li")].map((li) => li.textContent ?? "");
    expect(items).toHaveLength(2);
    expect(items[0]).toContain("Not applied");
    expect(items[0]).toContain("with Fay Okafor as fulfilment owner, which stands");
    expect(items[1]).toContain("Replaced");
    expect(items[1]).toContain('"Visa for Ana"');
  });

  it("opens the deal a conflict is about, when asked to", async () => {
    const open = vi.fn();
    show(Conflicts, { conflicts: [wonTwice], zone: "Europe/London", open });
    await settle();
    document.querySelector<HTMLButtonElement>("button.link")!.click();
    expect(open).toHaveBeenCalledWith("d1");
  });

  it("shows nothing when the records met without conflict", async () => {
    show(Conflicts, { conflicts: [], zone: "Europe/London" });
    await settle();
    expect(document.querySelector("ul")).toBeNull();
  });
});
