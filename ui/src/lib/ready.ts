// Tells the app's log that a screen has rendered with its data, once per screen kind. The
// start-up benchmark (bench/app-startup-memory.py) times launch → this line. The first screen
// shown then tells the app's shell, which waits for it to start the day's backup (a copy of the
// whole agency that would otherwise slow the start).
import { info } from "@tauri-apps/plugin-log";
import { emit } from "@tauri-apps/api/event";

const said = new Set<string>();

export function ready(screen: string) {
  if (said.has(screen)) return;
  const first = said.size === 0;
  said.add(screen);
  const told = info(`ui-ready: ${screen}`).catch(() => {}); // not running in the app (tests): nothing to tell
  if (first) void told.then(() => emit("first-screen-shown")).catch(() => {});
}
