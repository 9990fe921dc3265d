//! What the hub's tests share: a hub on 127.0.0.1 serving from each storage in turn — the
//! SQLite file, and PostgreSQL (a throwaway cluster on 127.0.0.1 that the test command starts and
//! names in `HANDOFF_TEST_POSTGRES`) — and what it kept, as text.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use handoff_hub::postgres::Postgres;
use handoff_hub::secrets::SecretsKey;
use handoff_hub::server::{router, Hub, Timings, PATIENCE};
use handoff_hub::storage::{Sqlite, Storage};

pub struct Running {
    pub url: String,
    /// How many laptops' waits for news the hub holds open.
    pub waiting: Box<dyn Fn() -> usize>,
    pub storage: Box<dyn Storage>,
    /// Everything kept, as text: the SQLite file, or PostgreSQL's tables.
    pub kept: Box<dyn Fn() -> String>,
    pub runtime: tokio::runtime::Runtime,
    /// The key this hub opens its webhook secrets with.
    pub secrets: SecretsKey,
    /// The stand-ins for HubSpot's and Pipedrive's APIs this hub asks.
    pub hubspot: ApiStandIn,
    pub pipedrive: ApiStandIn,
    pub _dir: tempfile::TempDir,
}

pub fn serve<S: Storage + Clone>(storage: S, kept: Box<dyn Fn() -> String>, dir: tempfile::TempDir) -> Running {
    serve_with(storage, kept, dir, Timings::default())
}

pub fn serve_with<S: Storage + Clone>(
    storage: S,
    kept: Box<dyn Fn() -> String>,
    dir: tempfile::TempDir,
    timings: Timings,
) -> Running {
    // When the workspace builds reqwest with rustls, it needs a provider even for plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let secrets = SecretsKey::from_bytes(rand::random());
    let (hubspot, pipedrive) = (ApiStandIn::default(), ApiStandIn::default());
    let (hubspot_url, pipedrive_url) = (hubspot.serve(&runtime), pipedrive.serve(&runtime));
    let hub = Hub::with_secrets(Hub::with_timings(storage.clone(), timings), secrets.clone());
    let hub = Hub::with_crm_apis(hub, &hubspot_url, &pipedrive_url).unwrap();
    let counted = hub.clone();
    let waiting = Box::new(move || counted.waiting());
    let app = router(hub);
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    Running { url, waiting, storage: Box::new(storage), kept, runtime, secrets, hubspot, pipedrive, _dir: dir }
}

/// A stand-in for a CRM's API on 127.0.0.1: it answers each path (without its query) what a test
/// put there — 404 for anything else — and notes every request's path, query and token (a bearer
/// token, or Pipedrive's `x-api-token`).
#[derive(Clone, Default)]
pub struct ApiStandIn {
    answers: Arc<Mutex<BTreeMap<String, (u16, String)>>>,
    asked: Arc<Mutex<Vec<(String, String)>>>,
}

impl ApiStandIn {
    /// Answers `path` with `status` and `body` from now on.
    pub fn answer(&self, path: &str, status: u16, body: &str) {
        self.answers.lock().unwrap().insert(path.to_string(), (status, body.to_string()));
    }

    /// Every request so far: its path with its query, and its token.
    pub fn asked(&self) -> Vec<(String, String)> {
        self.asked.lock().unwrap().clone()
    }

    fn serve(&self, runtime: &tokio::runtime::Runtime) -> String {
        let this = self.clone();
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: axum::http::HeaderMap| {
            let this = this.clone();
            async move {
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
                let bearer = header("authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_string));
                let token = bearer.or_else(|| header("x-api-token")).unwrap_or_default();
                let whole = uri.path_and_query().map_or(uri.path().to_string(), |p| p.to_string());
                this.asked.lock().unwrap().push((whole, token));
                let (status, body) = this.answers.lock().unwrap().get(uri.path()).cloned().unwrap_or((
                    404,
                    r#"{"status":"error","message":"Object not found","category":"OBJECT_NOT_FOUND"}"#.into(),
                ));
                (axum::http::StatusCode::from_u16(status).unwrap(), [("content-type", "application/json")], body)
            }
        });
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        runtime.spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        url
    }
}

/// Runs `test` on a hub with each storage.
pub fn on_each_storage(test: impl Fn(Running)) {
    on_each_storage_with(PATIENCE, test)
}

/// Runs `test` on a hub with each storage, its pushes waiting at most `patience` for the batch
/// before theirs.
pub fn on_each_storage_with(patience: Duration, test: impl Fn(Running)) {
    on_each_storage_timed(Timings { patience, ..Timings::default() }, test)
}

/// Runs `test` on a hub with each storage, waiting as `timings` say.
pub fn on_each_storage_timed(timings: Timings, test: impl Fn(Running)) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    let storage = Sqlite::open(&file).unwrap();
    let kept = Box::new(move || {
        let mut bytes = std::fs::read(&file).unwrap();
        if let Ok(wal) = std::fs::read(file.with_extension("db-wal")) {
            bytes.extend(wal);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    });
    test(serve_with(storage, kept, dir, timings));

    let Some(url) = postgres_database() else { return };
    let storage = Postgres::connect(&url).unwrap();
    let dump_url = url.clone();
    let kept = Box::new(move || {
        let mut c = postgres::Client::connect(&dump_url, postgres::NoTls).unwrap();
        let mut text = String::new();
        for table in ["agencies", "tokens", "devices", "events", "webhooks", "deliveries"] {
            for row in c.query(&format!("SELECT t::text FROM {table} t"), &[]).unwrap() {
                text.push_str(&row.get::<_, String>(0));
                text.push('\n');
            }
        }
        text
    });
    test(serve_with(storage, kept, tempfile::tempdir().unwrap(), timings));
}

static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// What the test command names in `var` (it starts PostgreSQL for the hub's tests). Outside it,
/// `what` does not run, and says so; under CI it must.
pub fn from_test_command(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) => Some(value),
        Err(_) => {
            assert!(std::env::var("CI").is_err(), "the test command sets {var}");
            eprintln!("{var} is not set: {what} did not run (./scripts/test.sh runs it)");
            None
        }
    }
}

/// A new, empty database on the test command's throwaway PostgreSQL cluster (none outside it).
pub fn postgres_database() -> Option<String> {
    let server = from_test_command("HANDOFF_TEST_POSTGRES", "the PostgreSQL half of this test")?;
    let name = format!("hub_{}_{}", std::process::id(), COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(format!("{}/{name}", server.rsplit_once('/').unwrap().0))
}
