// The window's "now", taken from the app: the meeting's, the call's and the review's running
// clocks, and how long a won deal has waited, count from the same clock as every rule in the app.
// On a laptop the two agree anyway; when the app runs at another moment (HANDOFF_CLOCK_OFFSET,
// as its end-to-end tests do), the window follows it. Until the app has answered, or if it
// cannot, the window's own clock is used.
import { commands } from "../bindings";
import { call } from "./call";

let offsetMs = 0;

/** Milliseconds since the epoch by the app's clock. */
export function now(): number {
  return Date.now() + offsetMs;
}

/** Asks the app what time it is and follows its clock from then on (the round trip halved). */
export async function followAppClock(): Promise<void> {
  try {
    const sent = Date.now();
    const app = Date.parse(await call(commands.clockNow()));
    const back = Date.now();
    if (Number.isFinite(app)) offsetMs = app - (sent + back) / 2;
  } catch {
    // The window's own clock, then: on one laptop it is the app's.
  }
}
