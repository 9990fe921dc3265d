// After every test: unmount what it showed and forget its IPC mocks.
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { unmountAll } from "./screen";

afterEach(() => {
  unmountAll();
  clearMocks();
});

// jsdom has <dialog> but not its modal methods: open and close it the way a browser does.
if (typeof HTMLDialogElement !== "undefined" && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
}
