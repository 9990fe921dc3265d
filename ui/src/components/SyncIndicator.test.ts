import { describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import SyncIndicator from "./SyncIndicator.svelte";
import { answer, settle } from "../test/ipc";
import { show } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { SyncStatusDto } from "../bindings";

const status = (over: Partial<SyncStatusDto> = {}): SyncStatusDto => ({
  joined: true,
  hub: "https://hub.wayfarer.example",
  agency: "Wayfarer Travel",
  person: "Fay Okafor",
  device: "0190-device",
  last_success: "2026-11-30T09:00:00Z",
  last_error: null,
  offline: false,
  waiting: 0,
  clock_drift_ms: 120, clock_offset_s: null, clock_offset_says: null,
  ...over,
});

const indicator = () => document.querySelector<HTMLButtonElement>("#sync-indicator")!;

describe("the sync indicator", () => {
  it("says sync is off on a laptop that joined no hub", async () => {
    session.sync = status({ joined: false, hub: null, agency: null, person: null, last_success: null });
    show(SyncIndicator);
    await settle();
    expect(indicator().dataset.state).toBe("off");
    expect(indicator().textContent).toContain("Sync off");
  });

  it("says offline calmly with how many changes wait, not as an error", async () => {
    session.sync = status({ offline: true, last_error: "the hub cannot be reached", waiting: 3 });
    show(SyncIndicator);
    await settle();
    expect(indicator().dataset.state).toBe("offline");
    expect(indicator().textContent).toContain("Offline — 3 changes waiting");
  });

  it("shows the API's message when a sync failed for another reason", async () => {
    session.sync = status({ last_error: "the hub refused the token: it was revoked" });
    show(SyncIndicator);
    await settle();
    expect(indicator().dataset.state).toBe("error");
    expect(indicator().textContent).toContain("it was revoked");
  });

  it("follows the background sync: syncing when it starts, synced with the time when it ends", async () => {
    answer({ sync_status: () => status() });
    session.sync = null;
    show(SyncIndicator);
    await session.watchSync();
    await settle();
    expect(indicator().dataset.state).toBe("synced");
    await emit("sync-started");
    await settle();
    expect(indicator().dataset.state).toBe("syncing");
    const before = session.arrived;
    await emit("sync-status", { received: 4, sent: 1, conflicts: 0, status: status({ waiting: 0 }) });
    await settle();
    expect(indicator().dataset.state).toBe("synced");
    expect(indicator().textContent).toContain("Synced");
    expect(session.arrived).toBe(before + 1);
  });

  it("opens the sync screen", async () => {
    session.sync = status();
    show(SyncIndicator);
    indicator().click();
    expect(session.route).toEqual({ screen: "sync" });
  });
});
