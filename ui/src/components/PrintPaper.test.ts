import { describe, expect, it, vi } from "vitest";
import PrintPaper from "./PrintPaper.svelte";
import { answer, settle } from "../test/ipc";
import { show } from "../test/screen";

// pdf.js needs a real canvas: the pages are drawn for real in the end-to-end test.
vi.mock("../lib/printArea", () => ({ layOutForPrint: vi.fn(async () => 1) }));

describe("printing from the app", () => {
  it("asks the Rust side for the pages, lays them out and opens the print dialog, saying what went", async () => {
    const calls = answer({
      pdf_for_print: () => ({ title: "Alpine retreat — brief", pages: 1, draft: true, pdf: "JVBERi0=" }),
      print_window: () => null,
    });
    show(PrintPaper, { deal: "d1", paper: "brief" });
    document.querySelector<HTMLButtonElement>("#print-brief")!.click();
    await settle();
    expect(calls.map((c) => c.cmd)).toEqual(["pdf_for_print", "print_window"]);
    expect(calls[0].args).toEqual({ req: { deal: "d1", paper: "brief" } });
    expect(document.querySelector("#print-sent-brief")!.textContent).toBe("Alpine retreat — brief: 1 page sent to the print dialog, marked DRAFT (not signed by both).");
  });

  it("says why when the pages cannot be made, and opens no dialog", async () => {
    const calls = answer({ pdf_for_print: () => { throw { code: "not_found", message: "no deal matches \"Atlantis\"" }; } });
    show(PrintPaper, { deal: "Atlantis", paper: "service-pack" });
    document.querySelector<HTMLButtonElement>("#print-service-pack")!.click();
    await settle();
    expect(document.querySelector("#print-error-service-pack")!.textContent).toContain("no deal matches");
    expect(calls.some((c) => c.cmd === "print_window")).toBe(false);
  });
});
