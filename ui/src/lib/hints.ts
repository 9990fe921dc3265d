// Where to click next, in the app's own words, for the refusals that have one. The core's
// messages name no command, flag or screen; the command line adds its own hints the same way.
// A Record over every code: a new code does not type-check until it is given a hint or null.
import type { ErrorCode } from "../bindings";

export const hints: Record<ErrorCode | "unexpected", string | null> = {
  not_found: null,
  ambiguous: null,
  invalid_input: null,
  future_time: null,
  too_large: null,
  refused: null,
  no_database: "Set up your agency, or open the sample, on the first screen.",
  incompatible_database: null,
  busy: null,
  storage: null,
  not_a_handoff_database: null,
  no_founder: "Add a founder under People & calendar.",
  signatures_missing: "Each lead presses “Sign as …” in the meeting, after the last edit.",
  not_in_meeting: "Press “Start the meeting” on the deal's page first.",
  already_in_meeting: "Finish the brief, both sign it, then press “End the meeting — hand off”.",
  not_in_service_call: "Press “Start the call” first.",
  no_trip_dates: "Set the trip's dates on the deal's page and press “Save the trip”.",
  nothing_to_acknowledge: null,
  not_picked: "Pick the trip at the Tuesday review first.",
  no_sales_lead: "Name the Sales lead under People & calendar.",
  file_exists: "Choose another file name in the save dialog.",
  no_data_folder: "Start Handoff with --db and the path of its database file.",
  no_signing_key: "The signer makes their own key when they press “Sign as …” on the laptop they sign on.",
  passphrase_needed: "The signer types their passphrase in the signing dialog.",
  wrong_passphrase: "Type it again; a forgotten passphrase means making a new key (the old one is then revoked).",
  key_revoked: "Make a new key for them: press “Sign as …” and follow the dialog.",
  looks_like_someone: "If they really are someone else, tick “This is a different person” and add them again.",
  read_only_database: "Copy the database to a folder you can write to, or make it writable, then open it again.",
  clock_ahead: "Set both laptops to take their time from the network, then sync again.",
  logs_disagree: "This database may be a copy of another laptop's: keep one of the two, or ask the founder.",
  unexpected: null,
};
