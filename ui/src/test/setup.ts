// After every test: unmount what it showed, forget its IPC mocks and any undo it offered.
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { unmountAll } from "./screen";
import { undo } from "../lib/undo.svelte";
import { session } from "../lib/session.svelte";

afterEach(() => {
  unmountAll();
  clearMocks();
  undo.drop();
  session.agency = null; // a test that set the agency's locale leaves the next one in British English
});

// jsdom has <dialog> but not its modal methods: open and close it the way a browser does.
if (typeof HTMLDialogElement !== "undefined" && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
}
