import { describe, expect, it } from "vitest";
import Deals from "./Deals.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import { session } from "../lib/session.svelte";
import type { PersonDto } from "../bindings";

const many = Array.from({ length: 10_000 }, (_, i) => ({
  id: `d${i}`, title: `Trip ${i}`, customer: i === 4242 ? "Acme GmbH" : `Customer ${i % 97}`, status: i % 10 === 0 ? "won" : "handed-off",
  value: "1,000.00 EUR", amount: "1000.00", value_minor: 100000, currency: "EUR", sales_owner: { id: "sam", name: "Sam Reyes" },
  fulfilment_owner: { id: "fay", name: "Fay Okafor" }, closed_at: "2026-11-02T09:00:00Z", handoff_at: null,
}));


type Deal = (typeof many)[number];
type PageArgs = { status?: string | null; text?: string | null; sort?: string; ascending?: boolean; offset?: number; limit: number };

/** The API's deal_page over `deals`, as far as these tests need it: filter, sort, a page. */
function pages(deals: Deal[], found: (text: string) => string[] = () => []) {
  return (args: Record<string, unknown>) => {
    const r = (args as { req: PageArgs }).req;
    const text = r.text?.toLowerCase();
    const hits = text ? new Set(found(text)) : null;
    let list = deals.filter((d) => (!r.status || d.status === r.status) && (!hits || hits.has(d.id) || d.customer.toLowerCase().includes(text!)));
    const key = (d: Deal) => (r.sort === "title" ? d.title : r.sort === "value" ? d.value_minor : d.closed_at);
    list = [...list].sort((a, b) => { const [x, y] = [key(a), key(b)]; return (x < y ? -1 : x > y ? 1 : 0) * (r.ascending ? 1 : -1); });
    const offset = r.offset ?? 0;
    return { deals: list.slice(offset, offset + r.limit), offset, total: list.length, all: deals.length };
  };
}

const asked = (calls: { cmd: string; args: Record<string, unknown> }[]) =>
  calls.filter((c) => c.cmd === "deal_page").map((c) => (c.args as { req: PageArgs }).req);

describe("the deal list", () => {
  it("asks for the page in view only, renders only its rows, and the API narrows it by words and status", async () => {
    const calls = answer({ deal_page: pages(many) });
    show(Deals);
    await settle();
    expect(document.querySelector("#deal-count")!.textContent).toBe("10,000 of 10,000 deals");
    const rendered = document.querySelectorAll(".dealrow").length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(40);
    expect(asked(calls).every((r) => r.offset === 0 && r.limit === 100), "the first page only").toBe(true);

    // Scrolled far down: the page in view is asked for, and only it.
    const viewport = document.querySelector<HTMLElement>("[role=list]")!;
    viewport.scrollTop = 44 * 5000;
    viewport.dispatchEvent(new Event("scroll"));
    await settle();
    expect(asked(calls).map((r) => r.offset)).toContain(4900);
    expect(document.querySelector(".dealrow .title")!.textContent).toMatch(/^Trip 49\d\d$/);
    viewport.scrollTop = 0;
    viewport.dispatchEvent(new Event("scroll"));
    await settle();

    type("#deal-search", "acme");
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(asked(calls).at(-1)).toMatchObject({ text: "acme", offset: 0 });
    expect(document.querySelector("#deal-count")!.textContent).toBe("1 of 10,000 deals");
    expect(document.querySelector(".dealrow")!.textContent).toContain("Trip 4242");

    type("#deal-search", "");
    type("#deal-status", "won");
    await settle();
    expect(asked(calls).at(-1)).toMatchObject({ status: "won", text: null, offset: 0 });
    expect(document.querySelector("#deal-count")!.textContent).toBe("1,000 of 10,000 deals");
  });

  it("finds deals by their travellers and brief through the search index, and sorts by any column", async () => {
    const few = many.slice(0, 3).map((d, i) => ({ ...d, title: ["Lisbon", "Alpine", "Zermatt"][i], value_minor: [300, 100, 200][i], closed_at: `2026-11-0${i + 1}T09:00:00Z` }));
    const calls = answer({ deal_page: pages(few, (text) => (text === "nut allergy" ? [few[2].id] : [])) });
    show(Deals);
    await settle();
    const titles = () => [...document.querySelectorAll(".dealrow .title")].map((e) => e.textContent);
    expect(titles(), "newest won first").toEqual(["Zermatt", "Alpine", "Lisbon"]);
    document.querySelector<HTMLButtonElement>("#sort-title")!.click();
    await settle();
    expect(asked(calls).at(-1)).toMatchObject({ sort: "title", ascending: true });
    expect(titles()).toEqual(["Alpine", "Lisbon", "Zermatt"]);
    expect(document.querySelector("#sort-title")!.getAttribute("aria-sort")).toBe("ascending");
    document.querySelector<HTMLButtonElement>("#sort-title")!.click();
    await settle();
    expect(titles()).toEqual(["Zermatt", "Lisbon", "Alpine"]);
    document.querySelector<HTMLButtonElement>("#sort-value")!.click();
    await settle();
    expect(asked(calls).at(-1)).toMatchObject({ sort: "value", ascending: false });
    expect(titles(), "largest first").toEqual(["Lisbon", "Zermatt", "Alpine"]);

    type("#deal-search", "nut allergy");
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(asked(calls).at(-1)).toMatchObject({ text: "nut allergy" });
    expect(titles()).toEqual(["Zermatt"]);
  });

  it("keeps what was typed in the new-deal form when the API refuses it", async () => {
    answer({ deal_page: pages([]), deal_add: () => { throw { code: "invalid_input", message: "\"60.000,00\" uses a decimal comma: write 60000.00" }; } });
    session.people = [{ id: "sam", name: "Sam Reyes", dept: "sales", email: null, role: "lead", away: [], away_today: false, retired: null, sees_whole_agency: false }] as PersonDto[];
    show(Deals);
    await settle();
    document.querySelector<HTMLButtonElement>("#new-deal")!.click();
    await settle();
    for (const [sel, v] of [["#d-title", "Alpine retreat"], ["#d-customer", "Acme GmbH"], ["#d-value", "60.000,00"], ["#d-owner", "sam"]]) type(sel, v);
    document.querySelector<HTMLFormElement>("#deal-form")!.requestSubmit();
    await settle();
    expect(document.querySelector("#deal-form-error")!.textContent).toContain("decimal comma");
    expect(document.querySelector<HTMLInputElement>("#d-value")!.value).toBe("60.000,00");
  });
});
