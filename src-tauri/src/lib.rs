//! # handoff-app
//!
//! The Handoff desktop shell: opens the database (or, when it cannot, keeps why for the window to
//! show), registers the commands (one-line calls of handoff-api use cases) and the plugins a
//! desktop app needs, runs the window, the notifier, the daily backup and sync in the background.
//! Answers `--help` and `--version` without a display. No business rule lives here or in the UI.

mod background_sync;
pub mod command_line;
pub mod commands;
mod daily_backup;
mod files;
mod notifier;
pub mod web_renderer;

use std::path::PathBuf;

use tauri::{Listener, Manager};
use tauri_specta::{collect_commands, Builder};

/// The commands, for the invoke handler and for the TypeScript bindings.
pub fn specta_builder() -> Builder<tauri::Wry> {
    // Money is i64 minor units and counts are small: far below 2^53, so a JS number holds them exactly.
    Builder::<tauri::Wry>::new().dangerously_cast_bigints_to_number().disable_serde_phases().commands(
        collect_commands![
            commands::init,
            commands::open_sample,
            commands::agency,
            commands::holiday_add,
            commands::person_add,
            commands::person_list,
            commands::dept_set,
            commands::dept_list,
            commands::person_away,
            commands::clock_now,
            commands::whoami,
            commands::whoami_set,
            commands::deal_add,
            commands::deal_won,
            commands::deal_lost,
            commands::deal_show,
            commands::reassign,
            commands::escalation_log,
            commands::escalation_list,
            commands::export_brief,
            commands::export_service_pack,
            commands::brief_fit,
            commands::verify_brief,
            commands::verify_pack,
            commands::key_create,
            commands::key_list,
            commands::key_revoke,
            commands::laptop_key_revoke,
            commands::signer_key,
            commands::meeting_start,
            commands::brief_set,
            commands::brief_show,
            commands::brief_sign,
            commands::meeting_end,
            commands::import_deals,
            commands::import_preview,
            commands::dwell,
            commands::dwell_weekly,
            commands::metrics_periods,
            commands::metrics_service_monthly,
            commands::dwell_before_after,
            commands::metrics_service,
            commands::metrics_loop,
            commands::metrics_escalations,
            commands::ask_log,
            commands::ask_list,
            commands::trip_signal,
            commands::review_show,
            commands::review_start,
            commands::review_end,
            commands::review_pick,
            commands::followup_done,
            commands::outreach_cold,
            commands::outreach_call,
            commands::outreach_list,
            commands::agency_set,
            commands::service_show,
            commands::service_start,
            commands::service_ack,
            commands::service_complete,
            commands::service_reassign,
            commands::task_list,
            commands::task_done,
            commands::conflict_list,
            commands::conflict_settle,
            commands::notices_told,
            commands::today,
            commands::trip_set,
            commands::traveller_add,
            commands::traveller_edit,
            commands::traveller_list,
            commands::itinerary_add,
            commands::itinerary_edit,
            commands::itinerary_remove,
            commands::itinerary_show,
            commands::open_pdf,
            commands::pdf_for_print,
            commands::print_window,
            commands::reveal_pdf,
            commands::invite,
            commands::deal_contacted,
            commands::deal_page,
            commands::open_invite,
            commands::reveal_invite,
            commands::person_email,
            commands::database_problem,
            commands::backup,
            commands::backups,
            commands::restore,
            commands::export_all,
            commands::deal_correct,
            commands::deal_reopen,
            commands::away_correct,
            commands::holiday_remove,
            commands::person_retire,
            commands::sync_join,
            commands::sync_join_preview,
            commands::sync_now,
            commands::sync_status,
            commands::webhook_log,
            commands::sync_leave,
            commands::reveal_database,
            commands::quit,
        ],
    )
}

/// Writes the TypeScript bindings of every command and DTO.
pub fn export_bindings(path: &std::path::Path) -> Result<(), specta_typescript::Error> {
    specta_builder().export(
        specta_typescript::Typescript::default()
            .header("// Generated from the Rust commands and DTOs by src-tauri/tests/bindings.rs: do not edit.\n"),
        path,
    )
}

/// The database the app could not open, and why: the window shows it instead of the app, and the
/// file is left as it was.
pub struct DatabaseProblem {
    pub path: Option<PathBuf>,
    pub error: handoff_api::ApiError,
}

/// Opens the database the app uses; on failure, what the window shows instead.
fn open_database(db: Option<PathBuf>) -> Result<handoff_api::Ctx, DatabaseProblem> {
    let path = handoff_api::database_path(db).map_err(|error| DatabaseProblem { path: None, error })?;
    log::info!("database: {}", path.display());
    handoff_api::Ctx::open(&path, true).map_err(|error| DatabaseProblem { path: Some(path), error })
}

/// Runs the app on the database `db` names (else the default one).
pub fn run(db: Option<PathBuf>) {
    let builder = specta_builder();
    tauri::Builder::default()
        // First: a second launch focuses the running window instead of opening a second writer.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_log::Builder::new().level(log::LevelFilter::Info).build())
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .manage(notifier::Told::default())
        .setup(move |app| {
            match open_database(db) {
                Ok(ctx) => {
                    app.manage(ctx);
                    let notifier = notifier::start(app.handle().clone());
                    let (tell, shown) = std::sync::mpsc::sync_channel(1);
                    app.listen_any(daily_backup::FIRST_SCREEN_SHOWN, move |_| {
                        let _ = tell.try_send(());
                    });
                    daily_backup::start(app.handle().clone(), shown);
                    background_sync::start(app.handle().clone(), notifier);
                }
                Err(problem) => {
                    log::error!("the database cannot be opened: {}", problem.error.message);
                    app.manage(problem);
                }
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running the Handoff app");
}

#[cfg(test)]
mod tests {
    /// handoff-api names the app's data folder, where the default database lives, after the
    /// identifier Tauri gives the app; no platform's configuration may give it another.
    #[test]
    fn the_app_identifier_is_the_one_in_tauri_conf() {
        let conf = |text: &str| -> serde_json::Value { serde_json::from_str(text).expect("the configuration is JSON") };
        assert_eq!(conf(include_str!("../tauri.conf.json"))["identifier"], handoff_api::APP_IDENTIFIER);
        for platform in [include_str!("../tauri.macos.conf.json"), include_str!("../tauri.windows.conf.json")] {
            assert!(conf(platform).get("identifier").is_none());
        }
    }
}
