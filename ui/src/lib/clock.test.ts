import { afterEach, describe, expect, it } from "vitest";
import { answer, clearMocks } from "../test/ipc";
import { followAppClock, now } from "./clock";

describe("the window's clock", () => {
  afterEach(() => clearMocks());

  it("follows the app's clock when the app runs at another moment", async () => {
    const weekAgo = Date.now() - 7 * 86400_000;
    answer({ clock_now: () => new Date(weekAgo).toISOString() });
    await followAppClock();
    expect(Math.abs(now() - weekAgo)).toBeLessThan(2000);
  });

  it("keeps the last clock it had when the app cannot say", async () => {
    answer({ clock_now: () => new Date(Date.now() + 3600_000).toISOString() });
    await followAppClock();
    answer({});
    await followAppClock();
    expect(Math.abs(now() - (Date.now() + 3600_000))).toBeLessThan(2000);
  });
});
