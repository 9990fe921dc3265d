import { describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import Notices from "./Notices.svelte";
import { answer, settle } from "../test/ipc";
import { show } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { NoticeDto } from "../bindings";

const notice = (key: string, title: string, deal: string | null = "d1"): NoticeDto => ({
  key,
  kind: "conflict",
  deal,
  title,
  body: "Fay Okafor's win at 10:04 was not applied: the deal had been won at 10:00.",
  person: { id: "p-fay", name: "Fay Okafor" },
});

describe("the notifications in the sidebar", () => {
  it("keeps what the app told before the window listened and each one it tells after, newest first, once each", async () => {
    session.notices = [];
    answer({ notices_told: () => [notice("conflict/e1", "Two laptops disagreed on Alpine retreat")] });
    await session.watchNotices();
    show(Notices);
    await settle();
    await emit("notices", [notice("handoff-overdue/d2/1", "Porto food tour has waited one business day for its handoff", "d2")]);
    await emit("notices", [notice("conflict/e1", "Two laptops disagreed on Alpine retreat")]);
    await settle();
    const items = [...document.querySelectorAll("#notices li")].map((li) => li.textContent ?? "");
    expect(items).toHaveLength(2);
    expect(items[0]).toContain("Porto food tour has waited one business day");
    expect(items[1]).toContain("Two laptops disagreed on Alpine retreat");
    expect(document.querySelector("#notices summary")?.textContent).toContain("2");
  });

  it("opens the deal a notice is about", async () => {
    session.notices = [notice("conflict/e1", "Two laptops disagreed on Alpine retreat")];
    show(Notices);
    await settle();
    document.querySelector<HTMLButtonElement>("#notices button.link")!.click();
    expect(session.route).toEqual({ screen: "deal", id: "d1" });
  });

  it("shows nothing until something was told", async () => {
    session.notices = [];
    show(Notices);
    await settle();
    expect(document.querySelector("#notices")).toBeNull();
  });
});
