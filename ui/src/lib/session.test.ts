import { describe, expect, it } from "vitest";
import { answer, settle } from "../test/ipc";
import { session } from "./session.svelte";
import type { AgencyDto, SyncStatusDto } from "../bindings";

const status: SyncStatusDto = {
  joined: true, hub: "https://hub.example", agency: "Wayfarer Travel", person: "Fay Okafor", device: "d",
  last_success: "2026-11-30T09:00:00Z", last_error: null, offline: false, waiting: 0, clock_drift_ms: null, clock_offset_s: null, clock_offset_says: null,
};

describe("the session and the background sync", () => {
  it("opens the agency when it arrives on a laptop that joined before it came in", async () => {
    const calls = answer({
      database_problem: () => null,
      agency: () => ({ name: "Wayfarer Travel" }),
      person_list: () => [],
      whoami: () => null,
      sync_status: () => status,
    });
    session.agency = null;
    session.firstRun = true;
    session.synced({ received: 0, sent: 0, conflicts: 0, status });
    await settle();
    expect(calls.some((c) => c.cmd === "agency"), "nothing came: nothing to open").toBe(false);
    const before = session.arrived;
    session.synced({ received: 120, sent: 0, conflicts: 0, status });
    await settle();
    expect(session.arrived).toBe(before + 1);
    expect(calls.some((c) => c.cmd === "agency")).toBe(true);
    expect(session.firstRun).toBe(false);
    expect((session.agency as AgencyDto | null)?.name).toBe("Wayfarer Travel");
  });
});
