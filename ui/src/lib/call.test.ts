import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../bindings";
import { call, ActionError, messageOf } from "./call";
import { answer, clearMocks } from "../test/ipc";

afterEach(() => clearMocks());

describe("call", () => {
  it("gives the data of a command that succeeded", async () => {
    answer({ whoami: () => null, person_list: () => [{ id: "p1", name: "Sam" }] });
    expect(await call(commands.whoami())).toBeNull();
    expect(await call(commands.personList())).toEqual([{ id: "p1", name: "Sam" }]);
  });
  it("throws the API's code and message when a command is refused", async () => {
    answer({ meeting_end: () => { throw { code: "refused", message: "Bo Lind has not signed the current brief" }; } });
    const err = await call(commands.meetingEnd({ deal: "d1", acting: { actor: null, at: null } })).catch((e) => e);
    expect(err).toBeInstanceOf(ActionError);
    expect(err.code).toBe("refused");
    expect(err.message).toBe("Bo Lind has not signed the current brief");
  });
  it("shows the app's own hint after the message for a refusal that has one, and none otherwise", () => {
    const meeting = new ActionError("not_in_meeting", "deal \"Alpine retreat\" is not in its handoff meeting: sign-off happens live — start the meeting first");
    expect(messageOf(meeting)).toBe(
      "deal \"Alpine retreat\" is not in its handoff meeting: sign-off happens live — start the meeting first. Press “Start the meeting” on the deal's page first.",
    );
    expect(messageOf(new ActionError("refused", "only an open deal can be won"))).toBe("only an open deal can be won");
    expect(messageOf(new Error("boom"))).toBe("boom");
  });
});
