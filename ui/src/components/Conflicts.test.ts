import { describe, expect, it, vi } from "vitest";
import Conflicts from "./Conflicts.svelte";
import { answer, settle } from "../test/ipc";
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
  take_other: "Bo Lind takes the fulfilment side",
  settled: null,
  can_settle: true,
};

const overwritten: ConflictDto = {
  id: "e2",
  deal: { id: "d1", title: "Alpine retreat" },
  kind: "section-overwritten",
  skipped: false,
  by: null,
  at: "2026-03-03T14:03:00Z",
  note: "Sam's text for \"Risks\" replaced \"Visa for Ana\", written on another laptop at the same time; the last one stands.",
  take_other: null,
  settled: null,
  can_settle: true,
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

  it("settles in one click: keep what stands, or take the other version the API described", async () => {
    const calls = answer({ conflict_settle: (a) => ({ ...wonTwice, settled: { by: null, at: "2026-03-03T11:00:00Z", how: (a.req as { how: string }).how } }) });
    const settled = vi.fn();
    show(Conflicts, { conflicts: [wonTwice, overwritten], zone: "Europe/London", settled });
    await settle();
    const [first, second] = [...document.querySelectorAll("li")];
    expect(first.textContent).toContain("Bo Lind takes the fulfilment side");
    expect(second.querySelector("button.take-other"), "nothing to take: only keep").toBeNull();
    first.querySelector<HTMLButtonElement>("button.take-other")!.click();
    await settle();
    expect(calls.at(-1)).toMatchObject({ cmd: "conflict_settle", args: { req: { conflict: "e1", how: "took-other" } } });
    expect(settled).toHaveBeenCalledTimes(1);
    second.querySelector<HTMLButtonElement>("button.keep")!.click();
    await settle();
    expect(calls.at(-1)).toMatchObject({ cmd: "conflict_settle", args: { req: { conflict: "e2", how: "kept" } } });
  });

  it("shows who settled a conflict and how, with nothing left to click", async () => {
    const done: ConflictDto = { ...wonTwice, can_settle: false, settled: { by: { id: "p1", name: "Sam Reyes" }, at: "2026-03-03T11:00:00Z", how: "took-other" } };
    show(Conflicts, { conflicts: [done], zone: "Europe/London" });
    await settle();
    const li = document.querySelector("li")!;
    expect(li.textContent).toContain("Settled by Sam Reyes at");
    expect(li.textContent).toContain("took the other version");
    expect(li.querySelector("button.keep")).toBeNull();
  });

  it("says why a settlement was refused, beside the conflict, and stays open", async () => {
    answer({ conflict_settle: () => { throw { code: "refused", message: "Bo Lind cannot settle a conflict: a department lead or the founder settles it" }; } });
    const settled = vi.fn();
    show(Conflicts, { conflicts: [wonTwice], zone: "Europe/London", settled });
    await settle();
    document.querySelector<HTMLButtonElement>("button.keep")!.click();
    await settle();
    expect(document.querySelector("[role=alert]")?.textContent).toContain("a department lead or the founder settles it");
    expect(settled).not.toHaveBeenCalled();
    expect(document.querySelector<HTMLButtonElement>("button.keep")!.disabled).toBe(false);
  });

  it("offers nothing to settle on a newer Handoff's event: updating settles it", async () => {
    show(Conflicts, { conflicts: [{ ...overwritten, kind: "newer-version", skipped: true, can_settle: false }], zone: "Europe/London" });
    await settle();
    expect(document.querySelector("button.keep")).toBeNull();
    expect(document.querySelector("li")?.textContent).toContain("Update Handoff on this laptop");
  });

  it("says who settles, to a person who may not", async () => {
    show(Conflicts, { conflicts: [{ ...wonTwice, can_settle: false }], zone: "Europe/London" });
    await settle();
    expect(document.querySelector("button.keep")).toBeNull();
    expect(document.querySelector(".not-yours")?.textContent).toContain("A department lead or the founder settles this");
  });
});
