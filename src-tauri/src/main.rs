// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use handoff_app_lib::command_line::{self, Start};

fn main() -> std::process::ExitCode {
    match command_line::read(std::env::args_os().skip(1)) {
        Start::App { db } => {
            handoff_app_lib::web_renderer::choose();
            handoff_app_lib::run(db);
            std::process::ExitCode::SUCCESS
        }
        Start::Print(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Start::Refuse(text) => {
            eprint!("{text}");
            std::process::ExitCode::from(2)
        }
    }
}
