//! handoff-tests' one test binary (ripgrep's layout): a module per file, each a group of
//! scenarios; `util`, the temporary agency every CLI test drives through the real `handoff`
//! binary; `fixtures`, what the tests start from (Wayfarer Travel, the "Alpine retreat" deal, the
//! handoff meeting), written once; `regression`, a test per fixed bug, named after the bug. A new
//! file here is compiled only once it is named below.
//!
//! The CLI tests need the binary built first: `cargo build -p handoff-cli` (the workspace's test
//! command builds every binary before it runs the tests).

mod actions;
mod fixtures;
mod link;
mod util;

mod app_use_cases;
mod convergence;
mod core_messages;
mod corrections;
mod crm_import;
mod durability;
mod fold_props;
mod fuzz;
mod handoff_cli;
mod import_dwell;
mod invites;
mod owned_data;
mod pdf_exports;
mod regression;
mod service_loop_metrics;
mod service_review;
mod sync;
mod today;
mod trust;
