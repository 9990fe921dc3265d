// Tells the app's log that a screen has rendered with its data, once per screen kind. The
// start-up benchmark (bench/app-startup-memory.py) times launch → this line.
import { info } from "@tauri-apps/plugin-log";

const said = new Set<string>();

export function ready(screen: string) {
  if (said.has(screen)) return;
  said.add(screen);
  info(`ui-ready: ${screen}`).catch(() => {}); // not running in the app (tests): nothing to tell
}
