import { describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import Data from "./Data.svelte";
import { answer, settle } from "../test/ipc";
import { show } from "../test/screen";

const daily = [
  { path: "/data/backups/handoff-2026-11-29.db", bytes: 262144, events: 1204, made_at: "2026-11-29T08:00:00Z" },
  { path: "/data/backups/handoff-2026-11-28.db", bytes: 258048, events: 1190, made_at: "2026-11-28T08:00:00Z" },
];

describe("your data", () => {
  it("lists the daily backups, newest first, and restores one only once the lead confirms", async () => {
    const calls = answer({
      backups: () => daily,
      restore: () => ({ restored_from: daily[1].path, kept_as: "/data/handoff.before-restore-20261129-101500.db", events: 1190 }),
      database_problem: () => null,
      agency: () => ({ name: "Wayfarer Travel", timezone: "Europe/London" }),
      person_list: () => [],
      whoami: () => null,
    });
    show(Data);
    await settle();
    const rows = document.querySelectorAll("#daily-backups tbody tr");
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain("1,204");
    rows[1].querySelector<HTMLButtonElement>("button.restore-daily")!.click();
    await settle();
    expect(document.querySelector("#restore-confirm")!.textContent).toContain(daily[1].path);
    expect(calls.map((c) => c.cmd)).not.toContain("restore");

    document.querySelector<HTMLButtonElement>("#restore-confirm-yes")!.click();
    await settle();
    const restore = calls.find((c) => c.cmd === "restore")!;
    expect(restore.args).toEqual({ from: daily[1].path });
    expect(document.querySelector("#restore-result")!.textContent).toContain("handoff.before-restore-20261129-101500.db");
    expect(calls.map((c) => c.cmd)).toContain("agency"); // the whole app reloads what it shows
  });

  it("cancelling the confirmation restores nothing", async () => {
    const calls = answer({ backups: () => daily });
    show(Data);
    await settle();
    document.querySelector<HTMLButtonElement>("button.restore-daily")!.click();
    document.querySelector<HTMLButtonElement>("#restore-confirm-no")!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toEqual(["backups"]);
  });

  it("says when there is no daily backup yet", async () => {
    answer({ backups: () => [] });
    show(Data);
    await settle();
    expect(document.querySelector("#daily-none")).not.toBeNull();
  });

  it("lists the day's backup as soon as the app says it made it", async () => {
    let made: typeof daily = [];
    answer({ backups: () => made });
    show(Data);
    await settle();
    expect(document.querySelector("#daily-none")).not.toBeNull();
    made = daily;
    await emit("daily-backup-made");
    await settle();
    expect(document.querySelectorAll("#daily-backups tbody tr").length).toBe(2);
    expect(document.querySelector("#daily-none")).toBeNull();
  });
});
