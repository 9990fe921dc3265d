// Test support: answer the app's commands from a table, the way the Rust side would, and record
// every call of the app's own commands. A handler may throw `{code, message}` to answer with an ApiError.
// Events are mocked too: `emit` from "@tauri-apps/api/event" reaches what the screens `listen` to.
import { mockIPC, clearMocks } from "@tauri-apps/api/mocks";

export type Calls = { cmd: string; args: Record<string, unknown> }[];

export function answer(handlers: Record<string, (args: Record<string, unknown>) => unknown>): Calls {
  const calls: Calls = [];
  mockIPC((cmd, args) => {
    // Logging and the like are not the app's commands; a plugin's answer may be given (a dialog's).
    if (cmd.startsWith("plugin:")) return handlers[cmd]?.((args ?? {}) as Record<string, unknown>) ?? null;
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    const h = handlers[cmd];
    if (!h) throw { code: "not_found", message: `no mock for ${cmd}` };
    return h((args ?? {}) as Record<string, unknown>);
  }, { shouldMockEvents: true });
  return calls;
}

export { clearMocks };

/** Waits until the promise queue and Svelte's updates have settled. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
