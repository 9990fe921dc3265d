import { describe, expect, it } from "vitest";
import type { PreferenceTopic } from "../bindings";
import { allOf, keysOf, outcomeLabels, preferenceTopics } from "./words";

describe("the closed word lists", () => {
  it("offer every value of the generated union, in order", () => {
    expect(preferenceTopics).toEqual(["dietary", "mobility", "rooming", "medical", "other"]);
    expect(keysOf(outcomeLabels)).toEqual(["renewed", "referral", "no-interest", "no-answer"]);
  });
  it("refuse, at type-check time, a list that leaves a value out", () => {
    // @ts-expect-error — "other" and three more are missing: the type check fails here if it does not notice.
    const partial = allOf<PreferenceTopic>()(["dietary"]);
    expect(partial).toEqual(["dietary"]);
  });
});
