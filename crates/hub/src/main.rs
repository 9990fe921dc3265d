//! `handoff-hub`: the command line of the sync hub (see the `handoff_hub` library).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rand::RngCore;
use serde_json::json;

use handoff_crm::webhooks::Source;
use handoff_hub::postgres::Postgres;
use handoff_hub::secrets::SecretsKey;
use handoff_hub::server;
use handoff_hub::storage::{token_hash, Sqlite, Storage, StorageError, WebhookSetup};
use handoff_sync::join_code::JoinCode;

#[derive(Parser)]
#[command(name = "handoff-hub", version, about = "The sync hub an agency's laptops share")]
struct Cli {
    /// The hub's database file (created when missing).
    #[arg(long, global = true, env = "HANDOFF_HUB_DATA", default_value = "handoff-hub.db")]
    data: PathBuf,
    /// Keep everything in PostgreSQL instead of the file: postgres://USER@HOST:PORT/DATABASE
    /// (add ?sslmode=require for TLS to a PostgreSQL on another machine, and &sslrootcert=FILE
    /// when its certificate comes from the agency's own authority)
    #[arg(long, global = true, env = "HANDOFF_HUB_DATABASE")]
    database: Option<String>,
    /// The key the webhook secrets are sealed with (made by the first `webhooks set` that needs
    /// it, readable by its owner only) [default: beside --data, hub.db → hub.key]. Back it up
    /// apart from the database.
    #[arg(long, global = true, env = "HANDOFF_HUB_SECRETS_KEY")]
    secrets_key: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the agencies' laptops.
    Serve {
        /// Where to listen, as HOST:PORT (for example 127.0.0.1:8750, or 0.0.0.0:8750 behind a firewall).
        #[arg(long)]
        listen: String,
        /// Serve HTTPS with this certificate chain (PEM); give --tls-key with it.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// The address the CRMs call this hub at (https://hub.example.com), when a reverse proxy
        /// stands in front of it: HubSpot signs the address it called.
        #[arg(long)]
        public_url: Option<String>,
        /// Where HubSpot's API is, asked about a won deal its webhook names only by id (a
        /// stand-in's address, to try the set-up without HubSpot)
        #[arg(long, default_value = handoff_hub::crm_api::HUBSPOT)]
        hubspot_api: String,
        /// Where Pipedrive's API is, asked for the names of a won deal's owner and customer
        #[arg(long, default_value = handoff_hub::crm_api::PIPEDRIVE)]
        pipedrive_api: String,
    },
    /// The agencies this hub carries.
    Agency {
        #[command(subcommand)]
        command: AgencyCommand,
    },
    /// Enrolment tokens: one per person, shown once.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The CRMs' webhooks: won deals straight from HubSpot, Pipedrive, or any tool through
    /// Handoff's own signed JSON.
    Webhooks {
        #[command(subcommand)]
        command: WebhooksCommand,
    },
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// Set up (or replace) an agency's webhook from a CRM. HubSpot: give your app's client
    /// secret; Pipedrive and generic: the hub makes the credentials and shows them once.
    Set {
        #[arg(long)]
        agency: String,
        /// hubspot, pipedrive or generic
        #[arg(long)]
        crm: String,
        /// HubSpot: a file holding the app's client secret (- for standard input)
        #[arg(long)]
        client_secret_file: Option<PathBuf>,
        /// A file holding the CRM's API token (- for standard input), so the hub can ask about a
        /// won deal no laptop brought in. HubSpot: the private app's access token (scopes
        /// crm.objects.deals.read, crm.objects.companies.read, crm.objects.contacts.read,
        /// crm.objects.owners.read). Pipedrive: a user's API token, for the names of the deal's
        /// owner and customer. Without it, a token given before is kept.
        #[arg(long)]
        api_token_file: Option<PathBuf>,
        /// HubSpot: an internal deal-stage id that means won, for each pipeline (closedwon when none)
        #[arg(long = "won-stage")]
        won_stages: Vec<String>,
        /// The address laptops and CRMs reach this hub at, to print the webhook's full address
        #[arg(long)]
        url: Option<String>,
    },
    /// Give (or take back) the CRM's API token of a webhook set up before, leaving its secret
    /// or password as it is: the CRM goes on calling with what it has.
    Token {
        #[arg(long)]
        agency: String,
        /// hubspot or pipedrive
        #[arg(long)]
        crm: String,
        /// A file holding the new token (- for standard input)
        #[arg(long, required_unless_present = "remove", conflicts_with = "remove")]
        api_token_file: Option<PathBuf>,
        /// Take the token back: the hub asks the CRM's API no more
        #[arg(long)]
        remove: bool,
    },
    /// The webhook log: every delivery received, accepted or refused, and why; newest first.
    Log {
        #[arg(long)]
        agency: Option<String>,
        /// How many lines
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Subcommand)]
enum AgencyCommand {
    /// Make room for an agency; its first laptop to join sends its whole log.
    Create { name: String },
    /// The agencies on this hub.
    List,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Make a token for one person of one agency; it is shown once and kept only as a hash.
    Create {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        person: String,
        /// The address laptops reach this hub at (https://…): also prints a join code, the
        /// address and the token in one line to paste into the app.
        #[arg(long)]
        url: Option<String>,
    },
    /// The tokens made (never the tokens themselves).
    List {
        #[arg(long)]
        agency: Option<String>,
    },
    /// Revoke a token: the next request with it is refused.
    Revoke { id: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let storage = || -> Result<Box<dyn Storage>, String> {
        match &cli.database {
            Some(url) => Ok(Box::new(Postgres::connect(url).map_err(|e| e.to_string())?)),
            None => Ok(Box::new(Sqlite::open(&cli.data).map_err(|e| format!("{}: {e}", cli.data.display()))?)),
        }
    };
    let say = |text: String, value: serde_json::Value| {
        if cli.json {
            println!("{value}");
        } else {
            println!("{text}");
        }
    };
    let failed = |e: StorageError| e.to_string();
    let key_path = cli.secrets_key.clone().unwrap_or_else(|| handoff_hub::secrets::key_path_for(&cli.data));
    match &cli.command {
        Command::Serve { listen, tls_cert, tls_key, public_url, hubspot_api, pipedrive_api } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(tls::config(cert, key)?),
                _ => None,
            };
            // Read now to say at once when it is damaged; read again by each delivery, so a key
            // `webhooks set` makes while the hub runs is taken up.
            SecretsKey::read(&key_path)?;
            let address = Address {
                public_url: public_url.clone(),
                secrets: key_path.clone(),
                hubspot_api: hubspot_api.clone(),
                pipedrive_api: pipedrive_api.clone(),
            };
            match &cli.database {
                Some(url) => serve(Postgres::connect(url).map_err(|e| e.to_string())?, listen, tls, address),
                None => serve(
                    Sqlite::open(&cli.data).map_err(|e| format!("{}: {e}", cli.data.display()))?,
                    listen,
                    tls,
                    address,
                ),
            }
        }
        Command::Webhooks {
            command: WebhooksCommand::Set { agency, crm, client_secret_file, api_token_file, won_stages, url },
        } => {
            let source = Source::from_key(crm).ok_or_else(|| {
                format!("\"{crm}\" is not a CRM the hub takes webhooks from: give hubspot, pipedrive or generic")
            })?;
            let store = storage()?;
            let agency_id = store.agency(agency).map_err(failed)?.id;
            let address = format!(
                "{}/v1/crm/{}/{}",
                url.as_deref().unwrap_or("https://YOUR-HUB").trim_end_matches('/'),
                path_segment(agency),
                source.key()
            );
            if source == Source::Generic && api_token_file.is_some() {
                return Err("--api-token-file is for HubSpot and Pipedrive, whose webhooks name a deal's parts by id; Handoff's own webhook carries them whole".into());
            }
            // A token given before stays, unless another is given.
            let before = store.webhook(agency_id, source.key()).map_err(failed)?;
            let mut token = before.and_then(|b| b.api_token).filter(|_| source != Source::Generic);
            let kept_token = token.is_some() && api_token_file.is_none();
            let (kept, shown, text) = match source {
                Source::HubSpot => {
                    let file = client_secret_file.as_ref().ok_or(
                        "HubSpot signs its webhooks with your app's client secret: give it with --client-secret-file FILE (- for standard input)",
                    )?;
                    if api_token_file.as_ref().is_some_and(|t| t.as_os_str() == "-") && file.as_os_str() == "-" {
                        return Err("the client secret and the API token cannot both come from standard input: put one of them in a file".into());
                    }
                    let key = SecretsKey::read_or_make(&key_path)?;
                    let secret = key.seal(&read_secret(file)?);
                    if let Some(file) = api_token_file {
                        token = Some(key.seal(&read_secret(file)?));
                    }
                    let asks = if token.is_some() {
                        "It asks HubSpot's API for the name, amount, owner and company of a won deal no laptop brought in."
                    } else {
                        "Without the private app's access token (--api-token-file), a won deal is taken in only when a laptop brought it in first (an export with open deals): HubSpot's webhook names nothing but the deal's id."
                    };
                    let text = format!(
                        "HubSpot webhooks for {agency} are set up. In your HubSpot app, subscribe to the deal property change of \"dealstage\" and set the target URL to\n  {address}\n{asks}"
                    );
                    (secret, json!({ "asks_hubspot": token.is_some() }), text)
                }
                Source::Pipedrive => {
                    let mut secret = [0u8; 32];
                    rand::rng().fill_bytes(&mut secret);
                    let password = hex::encode(secret);
                    if let Some(file) = api_token_file {
                        token = Some(SecretsKey::read_or_make(&key_path)?.seal(&read_secret(file)?));
                    }
                    let asks = if token.is_some() {
                        "It asks Pipedrive's API for the names of a won deal's owner and organization."
                    } else {
                        "Without an API token (--api-token-file), a won deal's owner goes to the Sales lead with a note and its customer is to be corrected: Pipedrive's webhook names them only by id."
                    };
                    let text = format!(
                        "Pipedrive webhooks for {agency} are set up. In Pipedrive (Tools → Webhooks, version 2.0), make a webhook for \"change\" of \"deal\" with\n  Endpoint URL   {address}\n  HTTP Auth      user handoff, password {password}\nThe password is shown only this once.\n{asks}"
                    );
                    (
                        handoff_crm::webhooks::basic_hash("handoff", &password),
                        json!({ "user": "handoff", "password": password, "asks_pipedrive": token.is_some() }),
                        text,
                    )
                }
                Source::Generic => {
                    let mut random = [0u8; 32];
                    rand::rng().fill_bytes(&mut random);
                    let secret = handoff_crm::webhooks::new_generic_secret(random);
                    let text = format!(
                        "Handoff's own webhook for {agency} is set up: POST each won deal to\n  {address}\nsigned as Standard Webhooks sign (webhook-id, webhook-timestamp, webhook-signature) with the secret\n  {secret}\nIt is shown only this once."
                    );
                    (SecretsKey::read_or_make(&key_path)?.seal(&secret), json!({ "secret": secret }), text)
                }
            };
            let text = if kept_token {
                format!("{text}\nThe API token given before is kept (`webhooks token` replaces or removes it).")
            } else {
                text
            };
            let setup = WebhookSetup { secret: kept, won_stages: won_stages.clone(), api_token: token };
            store.set_webhook(agency, source.key(), &setup).map_err(failed)?;
            let mut value = json!({ "agency": agency, "crm": source.key(), "url": address, "won_stages": won_stages });
            if let (Some(all), Some(more)) = (value.as_object_mut(), shown.as_object()) {
                all.extend(more.clone());
            }
            say(text, value);
            Ok(())
        }
        Command::Webhooks { command: WebhooksCommand::Token { agency, crm, api_token_file, remove } } => {
            let source = Source::from_key(crm)
                .filter(|s| *s != Source::Generic)
                .ok_or_else(|| format!("\"{crm}\" has no API the hub asks: give hubspot or pipedrive"))?;
            let store = storage()?;
            let id = store.agency(agency).map_err(failed)?.id;
            let mut setup = store.webhook(id, source.key()).map_err(failed)?.ok_or_else(|| {
                format!("{agency} has no {} webhook set up on this hub: set it up first with `webhooks set --agency \"{agency}\" --crm {}`", source.name(), source.key())
            })?;
            setup.api_token = match (api_token_file, remove) {
                (Some(file), false) => Some(SecretsKey::read_or_make(&key_path)?.seal(&read_secret(file)?)),
                _ => None,
            };
            let asks = setup.api_token.is_some();
            store.set_webhook(agency, source.key(), &setup).map_err(failed)?;
            let text = if asks {
                format!("{}'s API token for {agency} is set: the hub asks {} about a won deal no laptop brought in. The webhook's secret is unchanged.", source.name(), source.name())
            } else {
                format!(
                    "{}'s API token for {agency} is removed: the hub asks {} no more.",
                    source.name(),
                    source.name()
                )
            };
            say(text, json!({ "agency": agency, "crm": source.key(), "asks_api": asks }));
            Ok(())
        }
        Command::Webhooks { command: WebhooksCommand::Log { agency, limit } } => {
            let lines = storage()?.deliveries(agency.as_deref(), *limit).map_err(failed)?;
            let text = if lines.is_empty() {
                "No webhook deliveries yet.".to_string()
            } else {
                lines
                    .iter()
                    .map(|d| {
                        format!(
                            "{}  {:<24} {:<9} {} {:<8} {}",
                            d.received_at, d.agency, d.crm, d.status, d.outcome, d.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            say(text, json!(lines));
            Ok(())
        }
        Command::Agency { command: AgencyCommand::Create { name } } => {
            let name = name.trim();
            if name.is_empty() {
                return Err("an agency needs a name".into());
            }
            let agency = storage()?.create_agency(name).map_err(failed)?;
            say(
                format!("Agency \"{}\" created. Make each person a token with `handoff-hub token create --agency \"{}\" --person NAME`.", agency.name, agency.name),
                json!({ "agency": agency.name }),
            );
            Ok(())
        }
        Command::Agency { command: AgencyCommand::List } => {
            let agencies = storage()?.agencies().map_err(failed)?;
            let text = if agencies.is_empty() {
                "No agencies yet.".to_string()
            } else {
                agencies
                    .iter()
                    .map(|a| {
                        format!(
                            "{}{}",
                            a.name,
                            if a.origin.is_some() { "" } else { " (no laptop has sent its log yet)" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            say(text, json!(agencies));
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { agency, person, url } } => {
            let person = person.trim();
            if person.is_empty() {
                return Err("a token is for one person: give --person NAME".into());
            }
            let mut secret = [0u8; 32];
            rand::rng().fill_bytes(&mut secret);
            let token = format!("hndf_{}", hex::encode(secret));
            // The address is checked before the token is made, so a mistyped one makes nothing.
            let code = match url {
                Some(url) => Some(JoinCode::new(url, &token)?.text()),
                None => None,
            };
            let made = storage()?.create_token(agency, person, &token_hash(&token)).map_err(failed)?;
            let text = match &code {
                Some(code) => format!(
                    "{code}\n\nThe join code for {} of {} (token id {}). It is shown only this once: send it to them to paste into Handoff (Sync, \"Join your agency\") or `handoff sync join CODE`.",
                    made.person, made.agency, made.id
                ),
                None => format!(
                    "{token}\n\nThe token for {} of {} (id {}). It is shown only this once: give it to them to join with `handoff sync join URL --token TOKEN`.",
                    made.person, made.agency, made.id
                ),
            };
            say(
                text,
                json!({ "token": token, "join_code": code, "id": made.id, "agency": made.agency, "person": made.person }),
            );
            Ok(())
        }
        Command::Token { command: TokenCommand::List { agency } } => {
            let tokens = storage()?.tokens(agency.as_deref()).map_err(failed)?;
            let text = if tokens.is_empty() {
                "No tokens.".to_string()
            } else {
                tokens
                    .iter()
                    .map(|t| {
                        format!(
                            "{}  {:<24} {:<24} made {}{}",
                            t.id,
                            t.agency,
                            t.person,
                            t.created_at,
                            t.revoked_at.as_ref().map(|r| format!(", revoked {r}")).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            say(text, json!(tokens));
            Ok(())
        }
        Command::Token { command: TokenCommand::Revoke { id } } => {
            let t = storage()?.revoke_token(id).map_err(failed)?;
            say(
                format!("Token {} of {} ({}) is revoked: their next sync is refused.", t.id, t.person, t.agency),
                json!(t),
            );
            Ok(())
        }
    }
}

/// A name as one segment of an address: every byte but letters, digits and `-._~` percent-encoded.
fn path_segment(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A secret from a file, or from standard input for `-`: its first line, trimmed.
fn read_secret(file: &std::path::Path) -> Result<String, String> {
    let text = if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?
    };
    let secret = text.lines().next().unwrap_or("").trim().to_string();
    if secret.is_empty() {
        return Err(format!("{} holds no secret", file.display()));
    }
    Ok(secret)
}

/// Where the CRMs reach the hub, and the key its webhook secrets are sealed with.
struct Address {
    public_url: Option<String>,
    secrets: PathBuf,
    /// Where HubSpot's and Pipedrive's APIs are.
    hubspot_api: String,
    pipedrive_api: String,
}

fn serve<S: Storage>(storage: S, listen: &str, tls: Option<tls::ServerConfig>, address: Address) -> Result<(), String> {
    let addr: SocketAddr = listen.parse().map_err(|_| {
        format!("\"{listen}\" is not an address to listen on: give HOST:PORT, for example 127.0.0.1:8750")
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("the hub could not start: {e}"))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let bound = listener.local_addr().map_err(|e| e.to_string())?;
        let hub = server::Hub::with_address(storage, address.public_url, tls.is_some());
        let hub = server::Hub::with_crm_apis(hub, &address.hubspot_api, &address.pipedrive_api)?;
        let hub = server::Hub::with_secrets_file(hub, address.secrets);
        server::Hub::warm_webhook_indexes(&hub);
        let app = server::router(hub);
        match tls {
            None => {
                eprintln!("Handoff hub listening on http://{bound}");
                axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                    .with_graceful_shutdown(stopped())
                    .await
                    .map_err(|e| format!("the hub stopped: {e}"))
            }
            Some(config) => {
                eprintln!("Handoff hub listening on https://{bound}");
                tls::serve(listener, app, config, stopped()).await
            }
        }
    })
}

/// Resolves when the hub is asked to stop (Ctrl-C, or SIGTERM from systemd).
async fn stopped() {
    let mut term =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// HTTPS without a proxy in front: rustls (ring) over each accepted connection.
mod tls {
    use std::net::SocketAddr;
    use std::path::Path;
    use std::sync::Arc;

    use axum::extract::ConnectInfo;
    use axum::Router;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use hyper_util::service::TowerToHyperService;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    pub use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::TlsAcceptor;

    /// The TLS set-up from a PEM certificate chain and its key, each refused with what is wrong.
    pub fn config(cert: &Path, key: &Path) -> Result<ServerConfig, String> {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .and_then(|it| it.collect::<Result<_, _>>())
            .map_err(|e| format!("{} is not a PEM certificate chain: {e}", cert.display()))?;
        if certs.is_empty() {
            return Err(format!("{} holds no certificate", cert.display()));
        }
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| format!("{} is not a PEM private key: {e}", key.display()))?;
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| format!("the certificate and the key do not go together: {e}"))
    }

    /// Serves `app` over TLS until `stop` resolves.
    pub async fn serve(
        listener: tokio::net::TcpListener,
        app: Router,
        config: ServerConfig,
        stop: impl std::future::Future<Output = ()>,
    ) -> Result<(), String> {
        let acceptor = TlsAcceptor::from(Arc::new(config));
        tokio::pin!(stop);
        loop {
            let (tcp, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(_) => continue,
                },
                _ = &mut stop => return Ok(()),
            };
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                // A client that fails the handshake is simply dropped.
                let Ok(stream) = acceptor.accept(tcp).await else { return };
                let app = app.layer(axum::Extension(ConnectInfo::<SocketAddr>(peer)));
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app))
                    .await;
            });
        }
    }
}
