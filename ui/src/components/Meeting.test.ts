import { describe, expect, it } from "vitest";
import Meeting from "./Meeting.svelte";
import { answer, settle } from "../test/ipc";
import { show, type } from "../test/screen";
import type { DealDetail } from "../bindings";

const SECTIONS = ["customer", "trip", "sold", "promises", "preferences", "risks", "first-steps"];

/** A deal in its meeting; its brief written but for `unwritten`; `refusal` why this laptop's person may not write it. */
function deal(signed: "missing" | "valid", { unwritten = [] as string[], refusal = null as string | null } = {}): DealDetail {
  const sections = SECTIONS.map((s) => ({ section: s, title: s === "risks" ? "Risks and open questions" : s, prompt: "", text: unwritten.includes(s) ? "" : "None known", written: !unwritten.includes(s) }));
  const sign = signed === "valid" ? { state: "valid", at: "2026-11-24T09:10:00Z" } : { state: "missing" };
  return {
    id: "d1", title: "Alpine retreat", customer: "Acme GmbH", status: "won", value: "60,000.00 EUR", amount: "60000.00", value_minor: 6000000, currency: "EUR",
    sales_owner: { id: "sam", name: "Sam Reyes" }, fulfilment_owner: { id: "bo", name: "Bo Lind" }, closed_at: "2026-11-24T08:00:00Z", handoff_at: null,
    trip: { start: null, end: null, destination: null, travellers: null }, external_id: null,
    fulfilment: { original: { id: "fay", name: "Fay Okafor" }, assigned_because: "backup", acting: { id: "bo", name: "Bo Lind" }, reassignments: [] },
    meeting: { started_at: "2026-11-24T09:00:00Z", ended_at: null, flags: [] },
    brief: { deal: { id: "d1", title: "Alpine retreat" }, customer: "Acme GmbH", sections, sha256: "ab".repeat(32), sales: { signer: { id: "sam", name: "Sam Reyes" }, ...sign }, fulfilment: { signer: { id: "bo", name: "Bo Lind" }, ...sign }, signed: signed === "valid", unwritten, complete: unwritten.length === 0 },
    brief_refusal: refusal,
    meeting_end_refusal: signed === "valid" ? null : "the handoff of \"Alpine retreat\" needs both signatures: Bo Lind (fulfilment) has not signed",
    tasks: [], dwell_hours: null, dwell_business_hours: null, waiting: null, travellers: [], itinerary_items: 0, service: null, asks: [], signal: null, follow_up: null, timeline: [], conflicts: [],
  } as unknown as DealDetail;
}


describe("the handoff meeting", () => {
  it("shows how much of the brief is written beside the page meter, and signs only a whole brief", async () => {
    const calls = answer({ brief_fit: () => ({ fits: true, body_size_pt: 10, over_percent: 0, longest_sections: [] }) });
    show(Meeting, { deal: deal("missing", { unwritten: ["risks", "first-steps"] }), reload: async () => {} });
    await settle();
    const meter = document.querySelector("#brief-completeness")!;
    expect(meter.textContent).toContain("5 of 7 sections written");
    expect(meter.textContent).toContain("Risks and open questions, first-steps");
    expect(document.querySelector("#fit-meter")!.textContent).toContain("Fits on one page");
    expect(document.querySelectorAll(".section.unwritten")).toHaveLength(2);
    for (const role of ["sales", "fulfilment"]) {
      const button = document.querySelector<HTMLButtonElement>("#sign-" + role)!;
      expect(button.disabled).toBe(true);
      button.click();
    }
    await settle();
    expect(calls.some((c) => c.cmd === "signer_key" || c.cmd === "brief_sign")).toBe(false);
  });

  it("keeps the brief read-only, saying why, for someone who does not write it", async () => {
    const why = "Fay Okafor cannot write the brief of \"Alpine retreat\": Sales writes it, live in the meeting (Sam Reyes for this deal), and Fay Okafor is in fulfilment";
    show(Meeting, { deal: deal("missing", { refusal: why }), reload: async () => {} });
    await settle();
    expect(document.querySelector("#brief-refusal")!.textContent).toBe(why);
    for (const s of SECTIONS) expect(document.querySelector<HTMLTextAreaElement>("#brief-" + s)!.disabled).toBe(true);
    expect(document.querySelector("#brief-completeness")!.textContent).toContain("All 7 sections written");
  });

  it("keeps what was typed and shows the API's message when a save is refused", async () => {
    answer({
      brief_fit: () => ({ fits: true, body_size_pt: 10, over_percent: 0, longest_sections: [] }),
      brief_set: () => { throw { code: "too_large", message: "the section is 4,200 characters; a section holds at most 4,000" }; },
    });
    show(Meeting, { deal: deal("missing"), reload: async () => {} });
    await settle();
    const box = document.querySelector<HTMLTextAreaElement>("#brief-sold")!;
    box.value = "x".repeat(4200);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new Event("blur"));
    await settle(10);
    expect(box.value).toHaveLength(4200);
    expect(box.parentElement!.querySelector(".status")!.textContent).toContain("a section holds at most 4,000");
    expect(document.querySelector("#fit-meter")!.textContent).toContain("Fits on one page");
  });

  it("signs as the person on the card with their passphrase, and shows the one-page meter's overflow", async () => {
    const key = { fingerprint: "3f9a 1c0b 77e2 d410", needs_passphrase: true };
    const calls = answer({
      brief_fit: () => ({ fits: false, body_size_pt: 8, over_percent: 12.4, longest_sections: [["What was sold", 2100]] }),
      signer_key: () => ({ person: { id: "bo", name: "Bo Lind" }, key, keychain_for_new_key: false }),
      brief_sign: () => ({}),
    });
    show(Meeting, { deal: deal("missing"), reload: async () => {} });
    await settle();
    expect(document.querySelector("#fit-meter")!.textContent).toContain("12% over one page");
    document.querySelector<HTMLButtonElement>("#sign-fulfilment")!.click();
    await settle();
    expect(document.querySelector("#sign-dialog")!.hasAttribute("open")).toBe(true);
    expect(document.querySelector("#sign-dialog")!.textContent).toContain("Bo Lind, type your passphrase");
    expect(calls.some((c) => c.cmd === "brief_sign")).toBe(false);
    type("#passphrase", "bo's own secret");
    document.querySelector<HTMLButtonElement>("#sign-confirm")!.click();
    await settle();
    const sign = calls.find((c) => c.cmd === "brief_sign")!;
    expect(sign.args).toEqual({ req: { deal: "d1", acting: { actor: "bo", at: null }, passphrase: "bo's own secret" } });
    expect(document.querySelector("#sign-dialog")!.hasAttribute("open")).toBe(false);
  });

  it("keeps the dialog open on a wrong passphrase, and makes a key first for a signer without one", async () => {
    let signerKey: unknown = { fingerprint: "3f9a", needs_passphrase: true };
    const calls = answer({
      brief_fit: () => ({ fits: true, body_size_pt: 10, over_percent: 0, longest_sections: [] }),
      signer_key: () => ({ person: { id: "sam", name: "Sam Reyes" }, key: signerKey, keychain_for_new_key: false }),
      brief_sign: () => { throw { code: "wrong_passphrase", message: "that passphrase does not open Sam Reyes's signing key: nothing was signed" }; },
      key_create: () => ({}),
    });
    show(Meeting, { deal: deal("missing"), reload: async () => {} });
    await settle();
    document.querySelector<HTMLButtonElement>("#sign-sales")!.click();
    await settle();
    type("#passphrase", "wrong");
    document.querySelector<HTMLButtonElement>("#sign-confirm")!.click();
    await settle();
    expect(document.querySelector("#sign-dialog-error")!.textContent).toContain("does not open Sam Reyes's signing key");
    expect(document.querySelector("#sign-dialog")!.hasAttribute("open")).toBe(true);
    document.querySelector<HTMLButtonElement>("#sign-cancel")!.click();

    // No key on this laptop: two passphrases that differ are refused before anything is made.
    signerKey = null;
    document.querySelector<HTMLButtonElement>("#sign-sales")!.click();
    await settle();
    expect(document.querySelector("#sign-dialog")!.textContent).toContain("has no signing key on this laptop");
    type("#new-passphrase", "sam's new secret");
    type("#new-passphrase-again", "sam's new secreT");
    document.querySelector<HTMLButtonElement>("#sign-confirm")!.click();
    await settle();
    expect(document.querySelector("#sign-dialog-error")!.textContent).toContain("differ");
    expect(calls.some((c) => c.cmd === "key_create")).toBe(false);
    type("#new-passphrase-again", "sam's new secret");
    document.querySelector<HTMLButtonElement>("#sign-confirm")!.click();
    await settle();
    const made = calls.find((c) => c.cmd === "key_create")!;
    expect(made.args).toEqual({ req: { acting: { actor: "sam", at: null }, passphrase: "sam's new secret", work_factor: null } });
  });

  it("disables the end with the reason while a signature is missing or stale", async () => {
    const calls = answer({ brief_fit: () => ({ fits: true, body_size_pt: 10, over_percent: 0, longest_sections: [] }) });
    show(Meeting, { deal: deal("missing"), reload: async () => {} });
    await settle();
    const end = document.querySelector<HTMLButtonElement>("#meeting-end")!;
    expect(end.disabled).toBe(true);
    expect(document.querySelector("#meeting-end-why")!.textContent).toContain("Bo Lind (fulfilment) has not signed");
    end.click();
    await settle();
    expect(calls.some((c) => c.cmd === "meeting_end")).toBe(false);
  });

  it("shows the rules' refusal when the end is refused after all (another laptop edited meanwhile)", async () => {
    answer({
      brief_fit: () => ({ fits: true, body_size_pt: 10, over_percent: 0, longest_sections: [] }),
      meeting_end: () => { throw { code: "refused", message: "Bo Lind's (fulfilment) signature is stale: the brief changed after it" }; },
    });
    show(Meeting, { deal: deal("valid"), reload: async () => {} });
    await settle();
    expect(document.querySelector("#meeting-end-why")).toBeNull();
    document.querySelector<HTMLButtonElement>("#meeting-end")!.click();
    await settle();
    expect(document.querySelector("#meeting-error")!.textContent).toContain("signature is stale");
  });
});
