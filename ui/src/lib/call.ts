// Calls a command and unwraps its Result: the data, or a thrown ActionError carrying the
// `{code, message}` the Rust use case returned. Screens show `messageOf(e)` where the user acted:
// the message, and the app's own hint for the codes that have one (lib/hints.ts).
import type { ApiError, ErrorCode } from "../bindings";
import { hints } from "./hints";

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: ApiError };

export class ActionError extends Error {
  readonly code: ErrorCode | "unexpected";
  constructor(code: ErrorCode | "unexpected", message: string) {
    super(message);
    this.code = code;
  }
}

export async function call<T>(pending: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch (e) {
    throw new ActionError("unexpected", e instanceof Error ? e.message : String(e));
  }
  if (outcome.status === "error") throw new ActionError(outcome.error.code, outcome.error.message);
  return outcome.data;
}

/** The message to show for any failure: what is wrong, then where to click, when the app knows. */
export function messageOf(e: unknown): string {
  if (e instanceof ActionError) {
    const hint = hints[e.code];
    return hint ? `${e.message}. ${hint}` : e.message;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
