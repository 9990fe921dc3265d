import { describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import DateField from "./DateField.svelte";
import { settle } from "../test/ipc";
import { show, type } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { AgencyDto } from "../bindings";

/** A form holding one day, bound to the field the way the screens bind theirs. */
function form(day: string) {
  const bound = $state({ day });
  show(DateField, {
    id: "when",
    get value() { return bound.day; },
    set value(v: string) { bound.day = v; },
  } as never);
  return bound;
}

const field = () => document.querySelector<HTMLInputElement>("#when")!;

describe("a date field in the agency's locale", () => {
  it("shows the day the London way and hands back the day typed as YYYY-MM-DD", async () => {
    const bound = form("2026-12-01");
    await settle();
    expect(field().value).toBe("01/12/2026");
    expect(field().placeholder).toBe("dd/mm/yyyy");
    type("#when", "24/12/2026");
    await settle();
    expect(bound.day).toBe("2026-12-24");
    expect(document.querySelector("#when-hint")).toBeNull();
  });

  it("flags what is not a day when the lead leaves the field, and passes it on as typed", async () => {
    const bound = form("");
    type("#when", "31/02/2026");
    await settle();
    expect(bound.day).toBe("31/02/2026");
    expect(document.querySelector("#when-hint")!.textContent).toBe("Not a day: write it as dd/mm/yyyy");
    expect(field().getAttribute("aria-invalid")).toBe("true");
  });

  it("leaves what is being typed alone, and shows a day set from outside", async () => {
    const bound = form("");
    field().value = "1/12/20";
    field().dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    expect(bound.day).toBe("2020-12-01");
    expect(field().value, "not rewritten under the lead's fingers").toBe("1/12/20");
    bound.day = "";
    flushSync();
    expect(field().value).toBe("");
    bound.day = "2027-01-05";
    flushSync();
    expect(field().value).toBe("05/01/2027");
  });

  it("writes month first for a New York agency", async () => {
    session.agency = { locale: "en-US" } as AgencyDto;
    const bound = form("2027-01-05");
    await settle();
    expect(field().value).toBe("01/05/2027");
    type("#when", "12/31/2026");
    await settle();
    expect(bound.day).toBe("2026-12-31");
    session.agency = null;
  });
});
