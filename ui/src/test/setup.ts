// After every test: unmount what it showed and forget its IPC mocks.
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { unmountAll } from "./screen";

afterEach(() => {
  unmountAll();
  clearMocks();
});
