// What every screen shares: the agency, who uses this laptop, the people, and where we are.
import { commands, type AgencyDto, type PersonDto, type Acting, type DatabaseProblemDto, type NoticeDto, type SyncReportDto, type SyncStatusDto } from "../bindings";
import { listen } from "@tauri-apps/api/event";
import { call } from "./call";
import { followAppClock } from "./clock";

export type Route =
  | { screen: "today" }
  | { screen: "deals" }
  | { screen: "deal"; id: string; tab?: "overview" | "meeting" | "trip" | "service" | "timeline" }
  | { screen: "review" }
  | { screen: "metrics" }
  | { screen: "people" }
  | { screen: "import" }
  | { screen: "data" }
  | { screen: "sync" };

class Session {
  agency = $state<AgencyDto | null>(null);
  me = $state<PersonDto | null>(null);
  people = $state<PersonDto[]>([]);
  route = $state<Route>({ screen: "today" });
  /** Set when the database has no agency yet: the first-run screen shows. */
  firstRun = $state(false);
  loadError = $state<string | null>(null);
  /** Set when the app could not open its database: the window says why instead of the app. */
  problem = $state<DatabaseProblemDto | null>(null);

  /** How this laptop syncs, as the app's background sync last told (null until it has). */
  sync = $state<SyncStatusDto | null>(null);
  /** A sync is under way. */
  syncing = $state(false);
  /** Grows each time events from another laptop come in: screens that show data load again. */
  arrived = $state(0);
  private watching = false;
  /** What the app told this laptop's person since it started (desktop notifications), newest first. */
  notices = $state<NoticeDto[]>([]);
  private hearing = false;

  /** Follows the app's notifier: what it told before the window listened, then each `notices`. */
  async watchNotices() {
    if (this.hearing) return;
    this.hearing = true;
    try {
      await listen<NoticeDto[]>("notices", (e) => this.told(e.payload));
      this.told(await commands.noticesTold());
    } catch {
      // The window could not listen yet: the next load tries again.
      this.hearing = false;
    }
  }

  /** Adds notices the app told, newest first, each once. */
  told(list: NoticeDto[]) {
    const known = new Set(this.notices.map((n) => n.key));
    this.notices = [...list.filter((n) => !known.has(n.key)), ...this.notices];
  }


  /** Follows the background sync: `sync-started` and `sync-status` from the app's shell. */
  async watchSync() {
    if (this.watching) return;
    this.watching = true;
    await listen("sync-started", () => (this.syncing = true));
    await listen<SyncReportDto>("sync-status", (e) => this.synced(e.payload));
    try {
      this.sync = await call(commands.syncStatus());
    } catch {
      // No database yet: the first run shows instead.
    }
  }

  /** What a sync did, from the background or from a button. */
  synced(report: SyncReportDto) {
    this.syncing = false;
    this.sync = report.status;
    if (report.received > 0) {
      this.arrived += 1;
      // A laptop that joined before its agency came in opens it as soon as it does.
      if (this.agency) void this.refreshPeople();
      else if (this.firstRun) void this.load();
    }
  }

  async load() {
    this.problem = await commands.databaseProblem();
    if (this.problem) return;
    await followAppClock();
    void this.watchSync();
    try {
      this.agency = await call(commands.agency());
      this.firstRun = false;
    } catch (e) {
      if ((e as { code?: string }).code === "no_database") {
        this.firstRun = true;
        this.agency = null;
        return;
      }
      this.loadError = (e as Error).message;
      return;
    }
    await this.refreshPeople();
    void this.watchNotices();
  }

  async refreshPeople() {
    this.people = await call(commands.personList());
    this.me = await call(commands.whoami());
  }

  /** The people still in the agency: the ones a lead can name, staff or act as. */
  get present(): PersonDto[] {
    return this.people.filter((p) => !p.retired);
  }

  get zone(): string {
    return this.agency?.timezone ?? "UTC";
  }

  /** Who acts: this laptop's person, unless a screen names someone else (a signer). */
  acting(actor?: string | null): Acting {
    return { actor: actor ?? this.me?.id ?? null, at: null };
  }

  go(route: Route) {
    this.route = route;
  }
}

export const session = new Session();
