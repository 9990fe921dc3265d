import { describe, expect, it } from "vitest";
import ConfirmButton from "./ConfirmButton.svelte";
import { settle } from "../test/ipc";
import { show } from "../test/screen";

describe("a button for what cannot be undone by one click", () => {
  it("asks first, in place; only Yes does it, Cancel leaves it as it was", async () => {
    let done = 0;
    show(ConfirmButton, { id: "mark-lost", label: "Mark as lost", question: "Mark \"Alpine retreat\" lost?", yes: "Yes, mark it lost", onconfirm: () => done++ });
    document.querySelector<HTMLButtonElement>("#mark-lost")!.click();
    await settle();
    expect(done).toBe(0);
    expect(document.body.textContent).toContain("Mark \"Alpine retreat\" lost?");
    document.querySelector<HTMLButtonElement>("#mark-lost-no")!.click();
    await settle();
    expect(done).toBe(0);
    expect(document.querySelector("#mark-lost")!.textContent).toBe("Mark as lost");
    document.querySelector<HTMLButtonElement>("#mark-lost")!.click();
    await settle();
    document.querySelector<HTMLButtonElement>("#mark-lost-yes")!.click();
    await settle();
    expect(done).toBe(1);
  });
});
