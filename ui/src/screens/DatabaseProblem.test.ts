import { describe, expect, it } from "vitest";
import App from "../App.svelte";
import { answer, settle } from "../test/ipc";
import { show } from "../test/screen";

describe("a database the app cannot open", () => {
  it("shows which file, why and what to do, instead of the app, and calls nothing else", async () => {
    const calls = answer({
      database_problem: () => ({
        path: "/home/maya/agency.db",
        error: { code: "incompatible_database", message: "/home/maya/agency.db was written by a newer version of Handoff (schema 9; this version knows up to 5); it was not changed — update Handoff to open it" },
      }),
      reveal_database: () => null,
      quit: () => null,
    });
    show(App);
    await settle();
    expect(document.querySelector("h1")!.textContent).toBe("Handoff cannot open its database");
    expect(document.querySelector("#database-path")!.textContent).toBe("/home/maya/agency.db");
    expect(document.querySelector("#load-error")!.textContent).toContain("update Handoff to open it");
    expect(document.querySelector("nav")).toBeNull();
    document.querySelector<HTMLButtonElement>("#reveal-database")!.click();
    document.querySelector<HTMLButtonElement>("#quit")!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toEqual(["database_problem", "reveal_database", "quit"]);
  });

  it("gives the app's hint when the code has one", async () => {
    answer({ database_problem: () => ({ path: "/media/usb/agency.db", error: { code: "read_only_database", message: "the database is read-only" } }) });
    show(App);
    await settle();
    expect(document.querySelector("#load-hint")!.textContent).toContain("make it writable");
  });
});
