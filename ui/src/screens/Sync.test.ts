import { describe, expect, it } from "vitest";
import Sync from "./Sync.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { SyncStatusDto } from "../bindings";

const off: SyncStatusDto = {
  joined: false, hub: null, agency: null, person: null, device: "0190-device", last_success: null,
  last_error: null, offline: false, waiting: 2, clock_drift_ms: null, clock_offset_s: null, clock_offset_says: null,
};
const on: SyncStatusDto = {
  ...off, joined: true, hub: "https://hub.wayfarer.example", agency: "Wayfarer Travel", person: "Sam Reyes",
  last_success: "2026-11-30T09:00:00Z", waiting: 0, clock_drift_ms: -1500,
};
const preview = { agency: "Wayfarer Travel", deals: 12, events: 340, says: ["This laptop holds Wayfarer Travel: 12 deals and 340 recorded events. Joining sends all of it to the hub."] };
const code = "handoff://join?hub=https%3A%2F%2Fhub.wayfarer.example&token=hndf_abc";

describe("the sync screen", () => {
  it("says what joining does before anyone joins, and joins with the join code alone", async () => {
    const calls = answer({
      sync_status: () => off,
      sync_join_preview: () => preview,
      sync_join: () => ({ received: 0, sent: 340, conflicts: 0, status: on }),
    });
    show(Sync);
    await settle();
    expect(document.querySelector("#join-preview")!.textContent).toContain("12 deals and 340 recorded events");
    type("#join-code", code);
    await settle();
    expect(document.querySelector("#join-token"), "a join code carries the token").toBeNull();
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(calls.find((c) => c.cmd === "sync_join")!.args).toEqual({ req: { url: code, token: "" } });
    expect(document.querySelector("#sync-said")!.textContent).toContain("Joined Wayfarer Travel as Sam Reyes");
    expect(document.querySelector("#sync-hub")!.textContent).toBe("https://hub.wayfarer.example");
  });

  it("asks the API again as a code is typed: it names the hub and warns when it is unencrypted", async () => {
    const calls = answer({
      sync_status: () => off,
      sync_join_preview: (args) =>
        args.url
          ? { ...preview, hub: "hub.example:80", unencrypted: true, says: ["This joins the hub at hub.example:80.", "hub.example:80 is reached without encryption (http://)."] }
          : preview,
    });
    show(Sync);
    await settle();
    type("#join-code", "handoff://join?hub=http%3A%2F%2Fhub.example%3A80&token=hndf_abc");
    await new Promise((r) => setTimeout(r, 350));
    await settle();
    const asked = calls.filter((c) => c.cmd === "sync_join_preview").map((c) => c.args.url);
    expect(asked[0]).toBeNull();
    expect(asked.at(-1)).toBe("handoff://join?hub=http%3A%2F%2Fhub.example%3A80&token=hndf_abc");
    expect(document.querySelector("#join-preview")!.textContent).toContain("reached without encryption");
    expect(document.querySelector("#join-preview")!.classList.contains("exposed")).toBe(true);
  });

  it("joins with an address and a token, and keeps what was typed when the hub refuses", async () => {
    const calls = answer({
      sync_status: () => off,
      sync_join_preview: () => preview,
      sync_join: () => { throw { code: "other_agency", message: "this database holds another agency than Wayfarer Travel on the hub: nothing was sent or taken in; join with a new, empty database" }; },
    });
    show(Sync);
    await settle();
    type("#join-code", "https://hub.wayfarer.example");
    await settle();
    type("#join-token", "hndf_abc");
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(calls.find((c) => c.cmd === "sync_join")!.args).toEqual({ req: { url: "https://hub.wayfarer.example", token: "hndf_abc" } });
    expect(document.querySelector("#join-error")!.textContent).toContain("nothing was sent or taken in");
    expect(document.querySelector<HTMLInputElement>("#join-token")!.value).toBe("hndf_abc");
  });

  it("shows where a joined laptop syncs, syncs now, and leaves only once confirmed", async () => {
    const calls = answer({
      sync_status: () => on,
      sync_now: () => ({ received: 5, sent: 1, conflicts: 0, status: on }),
      sync_leave: () => off,
    });
    show(Sync);
    await settle();
    expect(document.querySelector("#sync-person")!.textContent).toBe("Sam Reyes");
    expect(document.body.textContent).toContain("1.5 s ahead of the hub's");
    document.querySelector<HTMLButtonElement>("#sync-now")!.click();
    await settle();
    expect(document.querySelector("#sync-said")!.textContent).toContain("Took in 5 events from other laptops; sent 1.");
    document.querySelector<HTMLButtonElement>("#sync-leave")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "sync_leave"), "nothing until confirmed").toBe(false);
    expect(document.querySelector("dialog")!.textContent).toContain("keeps everything it holds");
    document.querySelector<HTMLButtonElement>("#leave-confirm")!.click();
    await settle();
    expect(calls.some((c) => c.cmd === "sync_leave")).toBe(true);
    expect(session.sync?.joined).toBe(false);
    expect(document.querySelector("#join-code")).not.toBeNull();
  });

  it("says offline calmly, with the reason, on a joined laptop that cannot reach its hub", async () => {
    answer({ sync_status: () => ({ ...on, offline: true, last_error: "the hub at https://hub.wayfarer.example cannot be reached", waiting: 3 }) });
    show(Sync);
    await settle();
    expect(document.querySelector("#sync-offline")!.textContent).toContain("what waits goes when the hub answers");
    expect(document.querySelector("#sync-waiting")!.textContent).toBe("3 changes");
    expect(document.querySelector("#sync-last-error")).toBeNull();
  });

  it("says when HANDOFF_CLOCK_OFFSET moves this laptop's clock, joined or not, and nothing when it does not", async () => {
    const says = (span: string) => `HANDOFF_CLOCK_OFFSET sets Handoff's clock ${span} this laptop's: everything recorded here is stamped at that time. Unset it unless that is meant.`;
    answer({ sync_status: () => ({ ...off, clock_offset_s: 172_800, clock_offset_says: says("2.0 days ahead of") }) });
    show(Sync);
    await settle();
    expect(document.querySelector("#sync-clock-offset")!.textContent).toContain("sets Handoff's clock 2.0 days ahead of this laptop's");
    answer({ sync_status: () => ({ ...on, clock_offset_s: -5_400, clock_offset_says: says("1.5 hours behind") }) });
    show(Sync);
    await settle();
    expect(document.querySelector("#sync-clock-offset")!.textContent).toContain("1.5 hours behind this laptop's");
    answer({ sync_status: () => on });
    show(Sync);
    await settle();
    expect(document.querySelector("#sync-clock-offset")).toBeNull();
  });

  it("shows the hub's webhook log: each delivery from the CRM, accepted or refused and why", async () => {
    answer({
      sync_status: () => on,
      webhook_log: () => [
        { crm: "pipedrive", received_at: "2026-11-30T10:05:00Z", accepted: true, status: 200, detail: "record 746: added and won; Fay Okafor owns the handoff" },
        { crm: "hubspot", received_at: "2026-11-30T10:01:00Z", accepted: false, status: 401, detail: "the X-HubSpot-Signature-v3 does not match" },
      ],
    });
    session.sync = on;
    show(Sync);
    await settle();
    document.querySelector<HTMLButtonElement>("#webhooks-show")!.click();
    await settle();
    const rows = document.querySelectorAll("#webhooks-log tbody tr");
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain("Pipedrive");
    expect(rows[0].textContent).toContain("Fay Okafor owns the handoff");
    expect(rows[1].textContent).toContain("refused (401)");
    expect(rows[1].classList.contains("bad")).toBe(true);
  });
});
