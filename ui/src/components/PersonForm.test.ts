import { describe, expect, it } from "vitest";
import PersonForm from "./PersonForm.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";

describe("adding a person", () => {
  it("a lookalike name is offered to confirm, and added only once the lead says it is someone else", async () => {
    let tries = 0;
    const calls = answer({
      person_add: (args) => {
        tries++;
        const req = (args as { req: { confirmed_different: boolean } }).req;
        if (!req.confirmed_different) throw { code: "looks_like_someone", message: "\"Sаm Reyes\" looks like Sam Reyes, who is in the agency already" };
        return {};
      },
    });
    show(PersonForm);
    type("#person-name", "S\u0430m Reyes");
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(document.querySelector("#person-error")!.textContent).toContain("looks like Sam Reyes");
    expect(document.querySelector<HTMLInputElement>("#person-name")!.value).toBe("S\u0430m Reyes");
    document.querySelector<HTMLInputElement>("#different-person")!.click();
    await settle();
    document.querySelector<HTMLFormElement>("form")!.requestSubmit();
    await settle();
    expect(tries).toBe(2);
    expect((calls[1].args as { req: { confirmed_different: boolean } }).req.confirmed_different).toBe(true);
    expect(document.querySelector("#different-person")).toBeNull();
  });
});
