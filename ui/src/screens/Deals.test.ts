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


describe("the deal list", () => {
  it("renders only the rows in view of 10,000 deals, and search and the status filter narrow it", async () => {
    answer({ deal_list: () => many, deal_search: () => [] });
    show(Deals);
    await settle();
    expect(document.querySelector("#deal-count")!.textContent).toBe("10,000 of 10,000 deals");
    const rendered = document.querySelectorAll(".dealrow").length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(40);

    type("#deal-search", "acme");
    await settle();
    expect(document.querySelector("#deal-count")!.textContent).toBe("1 of 10,000 deals");
    expect(document.querySelector(".dealrow")!.textContent).toContain("Trip 4242");

    type("#deal-search", "");
    type("#deal-status", "won");
    await settle();
    expect(document.querySelector("#deal-count")!.textContent).toBe("1,000 of 10,000 deals");
  });

  it("finds deals by their travellers and brief through the search index, and sorts by any column", async () => {
    const few = many.slice(0, 3).map((d, i) => ({ ...d, title: ["Lisbon", "Alpine", "Zermatt"][i], value_minor: [300, 100, 200][i], closed_at: `2026-11-0${i + 1}T09:00:00Z` }));
    const calls = answer({ deal_list: () => few, deal_search: (args) => ((args as { text: string }).text === "nut allergy" ? [few[2]] : []) });
    show(Deals);
    await settle();
    const titles = () => [...document.querySelectorAll(".dealrow .title")].map((e) => e.textContent);
    expect(titles(), "newest won first").toEqual(["Zermatt", "Alpine", "Lisbon"]);
    document.querySelector<HTMLButtonElement>("#sort-title")!.click();
    await settle();
    expect(titles()).toEqual(["Alpine", "Lisbon", "Zermatt"]);
    expect(document.querySelector("#sort-title")!.getAttribute("aria-sort")).toBe("ascending");
    document.querySelector<HTMLButtonElement>("#sort-title")!.click();
    await settle();
    expect(titles()).toEqual(["Zermatt", "Lisbon", "Alpine"]);
    document.querySelector<HTMLButtonElement>("#sort-value")!.click();
    await settle();
    expect(titles(), "largest first").toEqual(["Lisbon", "Zermatt", "Alpine"]);

    type("#deal-search", "nut allergy");
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(calls.find((c) => c.cmd === "deal_search")!.args).toEqual({ text: "nut allergy" });
    expect(titles()).toEqual(["Zermatt"]);
  });

  it("keeps what was typed in the new-deal form when the API refuses it", async () => {
    answer({ deal_list: () => [], deal_add: () => { throw { code: "invalid_input", message: "\"60.000,00\" uses a decimal comma: write 60000.00" }; } });
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
