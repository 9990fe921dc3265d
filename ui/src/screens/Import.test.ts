import { describe, expect, it } from "vitest";
import Import from "./Import.svelte";
import type { ImportOptions, ImportPreview, MappedField } from "../bindings";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";

const header = ["Deal Id", "Deal Name", "Account", "Deal Amount", "Currency", "Owner Email", "Stage Name", "Closing Time"];
const fields: MappedField[] = ["external_id", "title", "customer", "value", "currency", "owner", "stage", "closed_at", "created_at", "handoff_at"];
const needed: MappedField[] = ["external_id", "title", "customer", "value", "owner", "closed_at"];

function preview(columns: Partial<Record<MappedField, string>>, over: Partial<ImportPreview>): ImportPreview {
  return {
    file: "/home/sam/zoho.csv",
    format: "a CSV export",
    columns: header,
    mapping: { crm: "a CSV export", columns, won: [], lost: [] },
    fields: fields.map((f) => ({ field: f, label: f.replace("_", " "), required: needed.includes(f), column: columns[f] ?? null })),
    mapping_name: null,
    saved_mappings: [],
    mapping_problem: null,
    dates: null,
    decimal: null,
    new: 0, open: 0, won: 0, lost: 0, updated: 0, unchanged: 0, skipped: 0, refused: 0,
    rows: [],
    ...over,
  };
}

const mapped: Partial<Record<MappedField, string>> = {
  external_id: "Deal Id", title: "Deal Name", customer: "Account", value: "Deal Amount", currency: "Currency",
  owner: "Owner Email", stage: "Stage Name", closed_at: "Closing Time",
};

const landed = preview(mapped, {
  format: "a CSV export",
  dates: "day-month-year",
  new: 1,
  rows: [{
    line: 2, external_id: "Z-1001", title: "Lind family – Ski week", customer: "Lind family", value: "9.000,00", currency: "EUR",
    owner: "lee@wayfarer.example", stage: "Closed Won", closed_at: "27/11/2026 10:15", handoff_at: "", outcome: "won",
    owner_matched: "Lee Park", value_read: "9,000.00 EUR", closed_read: "2026-11-27 10:15", action: "new", note: null, problem: null,
  }],
});

describe("importing a CRM export", () => {
  it("asks for the columns of an export it does not know, then shows the rows as they will land and imports them", async () => {
    let asked: ImportOptions[] = [];
    const calls = answer({
      "plugin:dialog|open": () => "/home/sam/zoho.csv",
      import_preview: (args) => {
        const options = args.options as ImportOptions;
        asked.push(options);
        return options.map?.columns?.external_id ? landed : preview({}, { mapping_problem: "zoho.csv is not an export Handoff knows by its columns" });
      },
      import_deals: () => ({ format: "a CSV export", rows: 1, imported: 1, opened: 0, won: 0, lost: 0, updated: 0, unchanged: 0, skipped: 0, escalated: 0, mapping_saved: "zoho" }),
    });
    show(Import);
    document.querySelector<HTMLButtonElement>("#import-choose")!.click();
    await settle();
    expect(document.querySelector("#import-mapping-problem")!.textContent).toContain("not an export Handoff knows");
    expect(document.querySelector<HTMLDetailsElement>("#import-mapping")!.open).toBe(true);
    expect(document.querySelector("#import-rows")).toBeNull();
    expect(document.querySelector("#import-go")).toBeNull();

    // Each field offers the file's own columns.
    const select = (f: MappedField) => `select.field-column[data-field="${f}"]`;
    expect([...document.querySelectorAll<HTMLOptionElement>(`${select("title")} option`)].map((o) => o.value)).toEqual(["", ...header]);
    for (const [field, column] of Object.entries(mapped)) type(select(field as MappedField), column!);
    type("#import-won", "Closed Won | Won & Paid");
    type("#import-save-as", "zoho");
    asked = [];
    document.querySelector<HTMLButtonElement>("#import-again")!.click();
    await settle();
    expect(asked[0].map?.columns?.owner).toBe("Owner Email");
    expect(asked[0].map?.won).toEqual(["Closed Won", "Won & Paid"]);
    expect(asked[0].mapping).toBe("zoho");

    const row = document.querySelector("#import-rows tbody tr")!;
    expect(row.textContent).toContain("Lee Park");
    expect(row.textContent).toContain("9,000.00 EUR");
    expect(row.textContent).toContain("2026-11-27 10:15");
    expect(row.textContent).toContain("Comes in won");

    document.querySelector<HTMLButtonElement>("#import-go")!.click();
    await settle();
    const imported = calls.find((c) => c.cmd === "import_deals")!;
    expect((imported.args.options as ImportOptions).mapping).toBe("zoho");
    expect(document.querySelector("#import-result")!.textContent).toContain("saved as “zoho”");
  });

  it("keeps the import button off while any row is refused", async () => {
    const bad = preview(mapped, {
      refused: 1,
      new: 1,
      rows: [{ ...landed.rows[0], action: "refused", owner_matched: null, problem: "line 2: the owner \"Jo\" matches nobody" }],
    });
    answer({ "plugin:dialog|open": () => "/home/sam/zoho.csv", import_preview: () => bad });
    show(Import);
    document.querySelector<HTMLButtonElement>("#import-choose")!.click();
    await settle();
    expect(document.querySelector("#import-rows")!.textContent).toContain("matches nobody");
    expect(document.querySelector<HTMLButtonElement>("#import-go")!.disabled).toBe(true);
  });

  it("imports only what the preview showed: a changed choice asks for the rows to be read again", async () => {
    const calls = answer({ "plugin:dialog|open": () => "/home/sam/zoho.csv", import_preview: () => landed });
    show(Import);
    document.querySelector<HTMLButtonElement>("#import-choose")!.click();
    await settle();
    expect(document.querySelector<HTMLButtonElement>("#import-go")!.disabled).toBe(false);
    document.querySelector<HTMLDetailsElement>("#import-mapping")!.open = true;
    type("#import-won", "Paid");
    await settle();
    expect(document.querySelector("#import-stale")).not.toBeNull();
    expect(document.querySelector<HTMLButtonElement>("#import-go")!.disabled).toBe(true);
    expect(calls.filter((c) => c.cmd === "import_deals")).toEqual([]);
  });
});
