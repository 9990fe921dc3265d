// Tells the app's log that a screen has rendered with its data, once per screen kind. The
// start-up benchmark (bench/app-startup-memory.py) times launch → this line. The first screen
// shown also tells the app's shell, which waits for it to start the day's backup (a copy of the
// whole agency that would otherwise slow the start).
import { info } from "@tauri-apps/plugin-log";
import { emit } from "@tauri-apps/api/event";

const said = new Set<string>();

export function ready(screen: string) {
  if (said.has(screen)) return;
  if (said.size === 0) emit("first-screen-shown").catch(() => {}); // not running in the app: no one to tell
  said.add(screen);
  info(`ui-ready: ${screen}`).catch(() => {}); // not running in the app (tests): nothing to tell
}
