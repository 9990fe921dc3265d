//! The laptop's side of the protocol: one call per request, on tokio, over HTTP or HTTPS (rustls,
//! with the system's certificate store). What to pull and push, and what to do with it, is the
//! use case's (`handoff_api::sync`); this module only talks to the hub.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::protocol::*;

/// Why a call to the hub failed, in words for the person at the laptop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("the hub at {url} cannot be reached ({why}); this laptop keeps working offline and sends its changes once it can")]
    Unreachable { url: String, why: String },
    #[error("the hub at {url} could not prove it is that hub: its certificate is not trusted here ({why}); nothing was sent")]
    Untrusted { url: String, why: String },
    #[error("the hub refused this laptop's token: {0}")]
    Unauthorized(String),
    #[error("the hub refused: {0}")]
    Refused(String),
    #[error(
        "the hub is refusing this laptop for a while after repeated failed attempts; wait a minute, then try again"
    )]
    TooManyAttempts,
    #[error("the hub answered something this laptop cannot read: {0}")]
    Garbled(String),
    #[error("\"{0}\" is not a hub address: give it as http://HOST:PORT or https://HOST")]
    BadAddress(String),
}

impl From<BodyError> for SyncError {
    fn from(e: BodyError) -> Self {
        SyncError::Garbled(e.to_string())
    }
}

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A hub, as this laptop reaches it.
#[derive(Clone)]
pub struct Hub {
    http: reqwest::Client,
    url: String,
    token: String,
    device: String,
}

/// A hub's address as a person should see it before sending anything there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubAddress {
    /// The host, with its port when it has one.
    pub host: String,
    /// Reached over plain http on another machine: what goes there can be read on the way.
    pub exposed: bool,
}

impl HubAddress {
    /// Reads `url`: http or https, naming a host.
    pub fn parse(url: &str) -> Result<HubAddress, SyncError> {
        let url = url.trim().trim_end_matches('/');
        let parsed = reqwest::Url::parse(url).map_err(|_| SyncError::BadAddress(url.to_string()))?;
        let Some(host) = parsed.host_str().filter(|_| matches!(parsed.scheme(), "http" | "https")) else {
            return Err(SyncError::BadAddress(url.to_string()));
        };
        let on_this_machine = matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.starts_with("127.");
        Ok(HubAddress {
            host: match parsed.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_string(),
            },
            exposed: parsed.scheme() == "http" && !on_this_machine,
        })
    }
}

impl Hub {
    /// The hub at `url` (http or https), reached with `token` as laptop `device`.
    pub fn new(url: &str, token: &str, device: &str) -> Result<Hub, SyncError> {
        HubAddress::parse(url)?;
        let url = url.trim().trim_end_matches('/').to_string();
        // rustls with ring; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("handoff/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Unreachable { url: url.clone(), why: e.to_string() })?;
        Ok(Hub { http, url, token: token.to_string(), device: device.to_string() })
    }

    /// The address, as given.
    pub fn url(&self) -> &str {
        &self.url
    }

    async fn post(&self, path: &str, body: Vec<u8>) -> Result<Vec<u8>, SyncError> {
        let unreachable = |e: reqwest::Error| {
            let why = plain(e);
            if why.contains("certificate") {
                SyncError::Untrusted { url: self.url.clone(), why }
            } else {
                SyncError::Unreachable { url: self.url.clone(), why }
            }
        };
        let response = self
            .http
            .post(format!("{}{V1}/{path}", self.url))
            .bearer_auth(&self.token)
            .header(DEVICE_HEADER, &self.device)
            .header(reqwest::header::CONTENT_ENCODING, "gzip")
            .header(reqwest::header::CONTENT_TYPE, "application/jsonl")
            .body(body)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(unreachable)?.to_vec();
        if status.is_success() {
            return Ok(bytes);
        }
        let said =
            serde_json::from_slice::<Refusal>(&bytes).map(|r| r.error).unwrap_or_else(|_| format!("HTTP {status}"));
        Err(match status.as_u16() {
            401 => SyncError::Unauthorized(said),
            429 => SyncError::TooManyAttempts,
            _ => SyncError::Refused(said),
        })
    }

    async fn call<Q: Serialize, A: for<'de> Deserialize<'de>>(&self, path: &str, request: &Q) -> Result<A, SyncError> {
        let body = encode::<Q, ()>(request, &[]);
        let answer = self.post(path, body).await?;
        let (head, _): (A, Vec<serde_json::Value>) = decode(&answer).map_err(|e| SyncError::Garbled(e.to_string()))?;
        Ok(head)
    }

    /// Joins the hub with this laptop's device key.
    pub async fn enrol(&self, public_key: &str) -> Result<EnrolResponse, SyncError> {
        let request =
            EnrolRequest { token: self.token.clone(), device: self.device.clone(), public_key: public_key.to_string() };
        self.call("enrol", &request).await
    }

    /// Waits until the hub holds something beyond `cursors` (true) or a while passed (false).
    pub async fn wait(&self, cursors: &std::collections::BTreeMap<String, u64>) -> Result<bool, SyncError> {
        let answer: WaitResponse = self.call("wait", &WaitRequest { cursors: cursors.clone() }).await?;
        Ok(answer.news)
    }

    /// One page of what the hub holds beyond the request's cursors, inflated and read only as
    /// far as where it leaves them ([`PulledPage::cursors`]): the next page can be asked for
    /// while this one's events are read ([`PulledPage::events`]).
    pub async fn pull_page(&self, request: &PullRequest) -> Result<PulledPage, SyncError> {
        let answer = self.post("pull", encode::<_, ()>(request, &[])).await?;
        Ok(PulledPage::read(&answer, request.cursors.clone())?)
    }

    /// The agency's webhook log, newest first.
    pub async fn webhook_log(&self, limit: usize) -> Result<Vec<WebhookLogLine>, SyncError> {
        let answer = self.post("webhook-log", encode::<_, ()>(&WebhookLogRequest { limit }, &[])).await?;
        let (_, lines): (WebhookLogHead, Vec<WebhookLogLine>) =
            decode(&answer).map_err(|e| SyncError::Garbled(e.to_string()))?;
        Ok(lines)
    }

    /// Sends one batch of this laptop's events, sealed (see [`crate::protocol::seal_batch`]).
    pub async fn push(&self, batch: Vec<u8>) -> Result<PushResponse, SyncError> {
        let answer = self.post("push", batch).await?;
        let (response, _): (PushResponse, Vec<serde_json::Value>) =
            decode(&answer).map_err(|e| SyncError::Garbled(e.to_string()))?;
        Ok(response)
    }
}

/// A transport error in one line, without the URL twice.
fn plain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}
