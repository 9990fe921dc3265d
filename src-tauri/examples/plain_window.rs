//! The floor under the app's memory and start-up: a plain Tauri window showing one static page —
//! the same Tauri and WebKit as the app, none of its state, plugins or UI. `ui/bench/tour-memory.mjs`
//! drives it the way it drives the app and reports its memory beside the app's, in the same run;
//! `bench/app-startup-memory.py` times it from launch to its page loaded (it prints
//! `plain-ready` then) beside the app's start to Today.
//!
//! `cargo build --release -p handoff-app --example plain_window`

/// The static page: a heading and a paragraph, no script.
const PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A plain window</title>\
<style>body{font-family:sans-serif;margin:40px;color:#1d2a30}</style></head><body>\
<h1 id=\"plain\">A plain Tauri window</h1><p>One static page: what any Tauri app on WebKit costs before it does anything.</p>\
</body></html>";

fn main() {
    let mut context = tauri::generate_context!();
    // The app's own window is not opened, only the plain one below; and the app's data folder
    // is not touched: WebKit keeps this window's data under an identifier of its own.
    context.config_mut().app.windows.clear();
    context.config_mut().identifier = "app.handoff.plain-window".into();
    tauri::Builder::default()
        .register_uri_scheme_protocol("plain", |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .expect("a static response")
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("plain://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "plain", url)
                .title("A plain Tauri window")
                .inner_size(1280.0, 800.0)
                .on_page_load(|_, page| {
                    if page.event() == tauri::webview::PageLoadEvent::Finished {
                        println!("plain-ready");
                    }
                })
                .build()?;
            Ok(())
        })
        .run(context)
        .expect("the plain window runs");
}
