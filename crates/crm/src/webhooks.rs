//! What a CRM's webhook delivery says, once it is sure the CRM sent it: the deals it reports won.
//! Each check follows the vendor's documentation (see `docs/crm-formats.md` §5–7):
//!
//! - **HubSpot** signs each request with `X-HubSpot-Signature-v3`: base64 of HMAC-SHA256, keyed by
//!   the app's client secret, over method + URI + body + `X-HubSpot-Request-Timestamp`
//!   (milliseconds); a request older than five minutes is refused. The body is an array of
//!   events; a deal whose `dealstage` changes to a won stage (`closedwon` in the default pipeline)
//!   is won at the event's `occurredAt`. HubSpot names only the deal's id.
//! - **Pipedrive** webhooks v2 carry no signature: HTTP basic auth on every delivery. A `change`
//!   of a `deal` whose `status` becomes `won` (`previous.status` was something else) is won at
//!   its `won_time`; the delivery's `meta.id` names it.
//! - **Handoff's own** JSON webhook, for Zapier, Make or n8n, signs as Standard Webhooks do:
//!   `webhook-id`, `webhook-timestamp` (seconds), `webhook-signature` (`v1,` + base64 of
//!   HMAC-SHA256 over `id.timestamp.body`, keyed by the secret after `whsec_`, base64-decoded).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// How old (or how far ahead) a signed request may be: five minutes.
pub const TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// The CRMs whose webhooks the hub takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    HubSpot,
    Pipedrive,
    /// Handoff's own signed JSON, from any automation tool.
    Generic,
}

impl Source {
    /// Its name in a webhook's address and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Source::HubSpot => "hubspot",
            Source::Pipedrive => "pipedrive",
            Source::Generic => "generic",
        }
    }

    pub fn from_key(key: &str) -> Option<Source> {
        [Source::HubSpot, Source::Pipedrive, Source::Generic].into_iter().find(|s| s.key() == key)
    }

    /// Its name as a deal's source shows it.
    pub fn name(self) -> &'static str {
        match self {
            Source::HubSpot => "HubSpot",
            Source::Pipedrive => "Pipedrive",
            Source::Generic => "webhook",
        }
    }
}

/// Why a delivery is refused: the answer's status says which.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not signed (or authenticated) by the agency's secret: 401.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed, but too old or too far ahead: 401 as well (a replay or a wrong clock).
    #[error("{0}")]
    Stale(String),
    /// Signed, but not a delivery Handoff reads: 400.
    #[error("{0}")]
    Unreadable(String),
}

/// A deal a delivery reports won.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WonRecord {
    /// The CRM's record id.
    pub record_id: String,
    pub title: Option<String>,
    pub customer: Option<String>,
    /// The amount in plain digits with a dot before the decimals.
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// The owner as the CRM names them: an e-mail address, a name, or the CRM's user id.
    pub owner: Option<String>,
    /// When the CRM recorded the win.
    pub closed_at: DateTime<Utc>,
    /// What the delivery names only by the CRM's ids, to ask its API about.
    pub ids: RecordIds,
}

/// The CRM's ids of what a won record names without describing: its owner, its organization and
/// its contact person (Pipedrive's webhook carries these ids, not their names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordIds {
    pub owner: Option<String>,
    pub organization: Option<String>,
    pub person: Option<String>,
}

/// What a delivery says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// What names this delivery, to know it again: a replay of it is refused.
    pub key: String,
    pub won: Vec<WonRecord>,
    /// Events in it that report no win (another property changed, a deal created or lost).
    pub other: usize,
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}

fn within(ts_ms: i64, now_ms: i64, what: &str) -> Result<(), Refusal> {
    if (now_ms - ts_ms).abs() > TOLERANCE_MS {
        return Err(Refusal::Stale(format!(
            "{what} is more than five minutes from the hub's clock: a replayed request, or a clock that is wrong"
        )));
    }
    Ok(())
}

// ---- HubSpot ---------------------------------------------------------------------------------

/// The characters HubSpot decodes in the URI before signing it.
const HUBSPOT_DECODED: [(&str, &str); 12] = [
    ("%3A", ":"),
    ("%2F", "/"),
    ("%3F", "?"),
    ("%40", "@"),
    ("%21", "!"),
    ("%24", "$"),
    ("%27", "'"),
    ("%28", "("),
    ("%29", ")"),
    ("%2A", "*"),
    ("%2C", ","),
    ("%3B", ";"),
];

/// Checks HubSpot's v3 signature of a request: `uri` is the whole address HubSpot called
/// (scheme, host, path and query), `timestamp` and `signature` the headers as sent.
pub fn hubspot_verify(
    client_secret: &str,
    method: &str,
    uri: &str,
    body: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    now_ms: i64,
) -> Result<(), Refusal> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(Refusal::Unauthorized(
            "the request has no X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp: HubSpot signs every webhook it sends".into(),
        ));
    };
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| Refusal::Unauthorized(format!("X-HubSpot-Request-Timestamp \"{timestamp}\" is not a time")))?;
    let mut decoded = uri.to_string();
    for (code, c) in HUBSPOT_DECODED {
        decoded = decoded.replace(code, c).replace(&code.to_lowercase(), c);
    }
    let sent = BASE64
        .decode(signature.trim())
        .map_err(|_| Refusal::Unauthorized("X-HubSpot-Signature-v3 is not base64: not HubSpot's signature".into()))?;
    hmac(
        client_secret.as_bytes(),
        &[method.to_uppercase().as_bytes(), decoded.as_bytes(), body, timestamp.trim().as_bytes()],
    )
    .verify_slice(&sent)
    .map_err(|_| {
        Refusal::Unauthorized(
            "the X-HubSpot-Signature-v3 does not match: not signed with this agency's HubSpot client secret".into(),
        )
    })?;
    within(ts, now_ms, "the request's X-HubSpot-Request-Timestamp")
}

/// Reads a HubSpot delivery: its deal-stage changes to one of `won_stages` (internal stage ids,
/// `closedwon` in the default pipeline). Its key is its signature.
pub fn hubspot_read(body: &[u8], signature: &str, won_stages: &[String]) -> Result<Delivery, Refusal> {
    let events: Vec<Value> = serde_json::from_slice(body)
        .map_err(|e| Refusal::Unreadable(format!("the body is not HubSpot's array of webhook events: {e}")))?;
    let mut won = Vec::new();
    let mut other = 0;
    for event in &events {
        let text = |k: &str| {
            event.get(k).and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
        };
        let kind = text("subscriptionType").unwrap_or_default();
        let is_deal = kind == "deal.propertyChange"
            || kind == "object.propertyChange"
                && (text("objectTypeId").as_deref() == Some("0-3") || text("objectName").as_deref() == Some("deal"));
        let property = text("propertyName").unwrap_or_default();
        let value = text("propertyValue").unwrap_or_default();
        let is_win = match property.as_str() {
            "dealstage" => won_stages.iter().any(|s| s.eq_ignore_ascii_case(&value)),
            "hs_is_closed_won" => value == "true",
            _ => false,
        };
        let (Some(record_id), Some(at)) = (text("objectId"), event.get("occurredAt").and_then(Value::as_i64)) else {
            other += 1;
            continue;
        };
        if !(is_deal && is_win) {
            other += 1;
            continue;
        }
        let closed_at = Utc
            .timestamp_millis_opt(at)
            .single()
            .ok_or_else(|| Refusal::Unreadable(format!("occurredAt {at} is not a time")))?;
        won.push(WonRecord {
            record_id,
            title: None,
            customer: None,
            amount: None,
            currency: None,
            owner: None,
            closed_at,
            ids: RecordIds::default(),
        });
    }
    Ok(Delivery { key: format!("hubspot:{}", signature.trim()), won, other })
}

// ---- Pipedrive -------------------------------------------------------------------------------

/// What the hub keeps of a Pipedrive webhook's basic-auth credentials: SHA-256 of `user:password`,
/// hex (the password is 256 random bits, so no slow hash is needed).
pub fn basic_hash(user: &str, password: &str) -> String {
    hex::encode(Sha256::digest(format!("{user}:{password}").as_bytes()))
}

/// Checks the `Authorization: Basic …` header against the kept hash.
pub fn pipedrive_verify(authorization: Option<&str>, kept_hash: &str) -> Result<(), Refusal> {
    let refused = || {
        Refusal::Unauthorized(
            "the request's basic-auth user and password are not this agency's Pipedrive webhook credentials".into(),
        )
    };
    let header = authorization.ok_or_else(|| {
        Refusal::Unauthorized(
            "the request has no Authorization header: set the webhook's HTTP auth user and password in Pipedrive"
                .into(),
        )
    })?;
    let encoded = header.trim().strip_prefix("Basic ").ok_or_else(refused)?;
    let decoded = BASE64.decode(encoded.trim()).map_err(|_| refused())?;
    let text = String::from_utf8(decoded).map_err(|_| refused())?;
    let (user, password) = text.split_once(':').ok_or_else(refused)?;
    // Compared as HMACs of the two hashes: the comparison takes the same time wherever they differ.
    let given = basic_hash(user, password);
    hmac(b"handoff basic auth", &[given.as_bytes()])
        .verify_slice(&hmac(b"handoff basic auth", &[kept_hash.as_bytes()]).finalize().into_bytes())
        .map_err(|_| refused())
}

/// A Pipedrive time: ISO 8601 (`2026-11-24T14:05:00Z`) or its API's `2026-11-24 14:05:00` (UTC).
fn pipedrive_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok().map(|t| Utc.from_utc_datetime(&t)))
}

/// Reads a Pipedrive webhooks-v2 delivery: a deal changed to won.
pub fn pipedrive_read(body: &[u8]) -> Result<Delivery, Refusal> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| Refusal::Unreadable(format!("the body is not a Pipedrive webhook: {e}")))?;
    if v.get("current").is_some() || v.get("v").and_then(Value::as_i64) == Some(1) {
        return Err(Refusal::Unreadable(
            "this is a Pipedrive webhook of version 1.0: make the webhook again with version 2.0".into(),
        ));
    }
    let meta = v
        .get("meta")
        .ok_or_else(|| Refusal::Unreadable("the body has no \"meta\": not a Pipedrive webhook v2".into()))?;
    let text = |v: Option<&Value>| {
        v.and_then(|v| {
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.as_i64().map(|n| n.to_string()))
                .or_else(|| v.as_f64().map(|n| n.to_string()))
        })
    };
    let key = text(meta.get("id")).ok_or_else(|| Refusal::Unreadable("the webhook's meta has no id".into()))?;
    let data = v.get("data").filter(|d| d.is_object());
    let previous = v.get("previous").filter(|p| p.is_object());
    let is_win = text(meta.get("entity")).as_deref() == Some("deal")
        && text(meta.get("action")).as_deref() == Some("change")
        && data.and_then(|d| text(d.get("status"))).as_deref() == Some("won")
        && previous.and_then(|p| text(p.get("status"))).is_some_and(|s| s != "won");
    let Some(data) = data.filter(|_| is_win) else {
        return Ok(Delivery { key: format!("pipedrive:{key}"), won: Vec::new(), other: 1 });
    };
    let record_id = text(data.get("id")).ok_or_else(|| Refusal::Unreadable("the won deal has no id".into()))?;
    let closed = text(data.get("won_time")).or_else(|| text(data.get("close_time")));
    let closed_at = closed
        .as_deref()
        .and_then(pipedrive_time)
        .ok_or_else(|| Refusal::Unreadable(format!("the won deal {record_id} has no won_time Handoff reads")))?;
    let customer = text(data.get("org_name")).or_else(|| text(data.get("person_name")));
    Ok(Delivery {
        key: format!("pipedrive:{key}"),
        won: vec![WonRecord {
            record_id,
            title: text(data.get("title")),
            customer,
            amount: text(data.get("value")),
            currency: text(data.get("currency")),
            owner: text(data.get("owner_email"))
                .or_else(|| text(data.get("owner_name")))
                .or_else(|| text(data.get("owner_id"))),
            closed_at,
            ids: RecordIds {
                owner: text(data.get("owner_id")),
                organization: text(data.get("org_id")),
                person: text(data.get("person_id")),
            },
        }],
        other: 0,
    })
}

// ---- Handoff's own signed JSON ----------------------------------------------------------------

/// A new secret for Handoff's own webhook: `whsec_` and 32 random bytes in base64.
pub fn new_generic_secret(random: [u8; 32]) -> String {
    format!("whsec_{}", BASE64.encode(random))
}

/// Checks a Standard Webhooks signature: `id`, `timestamp` (seconds) and `signature` are the
/// `webhook-id`, `webhook-timestamp` and `webhook-signature` headers; any one of the signature's
/// space-separated `v1,…` entries may match (a secret being rotated).
pub fn generic_verify(
    secret: &str,
    id: Option<&str>,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_ms: i64,
) -> Result<(), Refusal> {
    let (Some(id), Some(timestamp), Some(signature)) = (id, timestamp, signature) else {
        return Err(Refusal::Unauthorized(
            "the request needs the headers webhook-id, webhook-timestamp and webhook-signature (see docs/crm.md)"
                .into(),
        ));
    };
    let key = BASE64
        .decode(secret.trim().strip_prefix("whsec_").unwrap_or(secret.trim()))
        .map_err(|_| Refusal::Unauthorized("the agency's webhook secret is not one the hub made".into()))?;
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| Refusal::Unauthorized(format!("webhook-timestamp \"{timestamp}\" is not a time in seconds")))?;
    let signed = hmac(&key, &[id.trim().as_bytes(), b".", timestamp.trim().as_bytes(), b".", body]);
    let matches = signature
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .any(|sig| BASE64.decode(sig).is_ok_and(|sent| signed.clone().verify_slice(&sent).is_ok()));
    if !matches {
        return Err(Refusal::Unauthorized(
            "the webhook-signature does not match: not signed with this agency's webhook secret".into(),
        ));
    }
    within(ts.saturating_mul(1000), now_ms, "the request's webhook-timestamp")
}

/// Reads Handoff's own webhook body: one deal, or an array of them, each
/// `{record_id, title, customer, amount, currency, owner, status, closed_at}`; only `status`
/// "won" reports a win.
pub fn generic_read(body: &[u8], id: &str) -> Result<Delivery, Refusal> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| Refusal::Unreadable(format!("the body is not JSON: {e}")))?;
    let deals = match v {
        Value::Array(items) => items,
        one @ Value::Object(_) => vec![one],
        _ => return Err(Refusal::Unreadable("the body is neither a deal nor an array of deals".into())),
    };
    let mut won = Vec::new();
    let mut other = 0;
    for (n, deal) in deals.iter().enumerate() {
        let text = |k: &str| {
            deal.get(k)
                .and_then(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .or_else(|| v.as_i64().map(|n| n.to_string()))
                        .or_else(|| v.as_f64().map(|n| n.to_string()))
                })
                .filter(|t| !t.trim().is_empty())
        };
        let need = |k: &str| {
            text(k).ok_or_else(|| Refusal::Unreadable(format!("deal {} of the delivery has no \"{k}\"", n + 1)))
        };
        let status = need("status")?;
        if !status.eq_ignore_ascii_case("won") {
            other += 1;
            continue;
        }
        let closed = need("closed_at")?;
        let closed_at = DateTime::parse_from_rfc3339(&closed).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            Refusal::Unreadable(format!("closed_at \"{closed}\" is not an RFC 3339 time such as 2026-11-24T14:05:00Z"))
        })?;
        won.push(WonRecord {
            record_id: need("record_id")?,
            title: Some(need("title")?),
            customer: Some(need("customer")?),
            amount: Some(need("amount")?),
            currency: Some(need("currency")?),
            owner: Some(need("owner")?),
            closed_at,
            ids: RecordIds::default(),
        });
    }
    Ok(Delivery { key: format!("generic:{}", id.trim()), won, other })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    const BODY: &str = r#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"appId":54321,"occurredAt":1764000000000,"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":123,"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI","sourceId":"userId:1234"}]"#;

    #[test]
    fn hubspots_v3_signature_checks_as_its_documentation_computes_it() {
        // The vector of docs/crm-formats.md §5.4, computed from HubSpot's documented steps.
        let sig = "m1PL65A62JfEP3I8ijeme63cIBsG67U5RJsPodDh5uQ=";
        let uri = "https://www.example.com/webhook_uri";
        let ok =
            hubspot_verify(SECRET, "POST", uri, BODY.as_bytes(), Some("1764000001000"), Some(sig), 1_764_000_002_000);
        assert_eq!(ok, Ok(()));
        let tampered = BODY.replace("closedwon", "closedlost");
        let err = hubspot_verify(
            SECRET,
            "POST",
            uri,
            tampered.as_bytes(),
            Some("1764000001000"),
            Some(sig),
            1_764_000_002_000,
        );
        assert!(matches!(err, Err(Refusal::Unauthorized(_))), "{err:?}");
        let late =
            hubspot_verify(SECRET, "POST", uri, BODY.as_bytes(), Some("1764000001000"), Some(sig), 1_764_000_302_000);
        assert!(matches!(late, Err(Refusal::Stale(_))), "{late:?}");
        let none = hubspot_verify(SECRET, "POST", uri, BODY.as_bytes(), None, None, 1_764_000_002_000);
        assert!(matches!(none, Err(Refusal::Unauthorized(m)) if m.contains("X-HubSpot-Signature-v3")));
    }

    #[test]
    fn a_hubspot_deal_moved_to_a_won_stage_is_won_at_its_occurred_at() {
        let d = hubspot_read(BODY.as_bytes(), "sig", &["closedwon".into()]).unwrap();
        assert_eq!(d.won.len(), 1);
        assert_eq!(d.won[0].record_id, "123");
        assert_eq!(d.won[0].closed_at.to_rfc3339(), "2025-11-24T16:00:00+00:00");
        let custom = hubspot_read(BODY.as_bytes(), "sig", &["1f4f1ec1".into()]).unwrap();
        assert_eq!((custom.won.len(), custom.other), (0, 1));
        assert!(matches!(hubspot_read(b"{}", "s", &[]), Err(Refusal::Unreadable(_))));
    }

    #[test]
    fn pipedrive_basic_auth_and_its_won_change() {
        let kept = basic_hash("handoff", "s3cret");
        assert_eq!(pipedrive_verify(Some("Basic aGFuZG9mZjpzM2NyZXQ="), &kept), Ok(()));
        assert!(pipedrive_verify(Some("Basic aGFuZG9mZjp3cm9uZw=="), &kept).is_err());
        assert!(pipedrive_verify(None, &kept).is_err());
        let body = br#"{"meta":{"action":"change","entity":"deal","entity_id":"746","id":"8d6f6d3e-1111","version":"2.0","timestamp":"2026-11-24T14:05:00.000Z"},
            "data":{"id":746,"title":"Smith family","status":"won","value":4200,"currency":"EUR","owner_id":18487521,"org_id":2,"won_time":"2026-11-24T14:05:00Z"},
            "previous":{"status":"open"}}"#;
        let d = pipedrive_read(body).unwrap();
        assert_eq!(d.key, "pipedrive:8d6f6d3e-1111");
        let w = &d.won[0];
        assert_eq!(
            (w.record_id.as_str(), w.amount.as_deref(), w.owner.as_deref()),
            ("746", Some("4200"), Some("18487521"))
        );
        assert_eq!(w.closed_at.to_rfc3339(), "2026-11-24T14:05:00+00:00");
        // A later edit of a won deal is no new win.
        let edit =
            String::from_utf8_lossy(body).replace(r#""previous":{"status":"open"}"#, r#""previous":{"title":"Smith"}"#);
        assert!(pipedrive_read(edit.as_bytes()).unwrap().won.is_empty());
        let v1 = br#"{"v":1,"event":"updated.deal","current":{},"meta":{}}"#;
        assert!(matches!(pipedrive_read(v1), Err(Refusal::Unreadable(m)) if m.contains("version 2.0")));
    }

    #[test]
    fn the_generic_webhook_is_signed_as_standard_webhooks_sign() {
        let secret = new_generic_secret([7u8; 32]);
        let body = br#"{"record_id":"Z-1","title":"Ski week","customer":"Lind","amount":"9000.00","currency":"EUR","owner":"lee@wayfarer.example","status":"won","closed_at":"2026-11-27T10:15:00Z"}"#;
        let key = BASE64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
        let sig = BASE64.encode(hmac(&key, &[b"msg_1", b".", b"1764238500", b".", body]).finalize().into_bytes());
        let header = format!("v1,bm90IGl0 v1,{sig}");
        assert_eq!(
            generic_verify(&secret, Some("msg_1"), Some("1764238500"), Some(&header), body, 1_764_238_560_000),
            Ok(())
        );
        let wrong = generic_verify(&secret, Some("msg_2"), Some("1764238500"), Some(&header), body, 1_764_238_560_000);
        assert!(matches!(wrong, Err(Refusal::Unauthorized(_))));
        let stale = generic_verify(&secret, Some("msg_1"), Some("1764238500"), Some(&header), body, 1_764_238_900_001);
        assert!(matches!(stale, Err(Refusal::Stale(_))));
        let d = generic_read(body, "msg_1").unwrap();
        assert_eq!(d.won[0].owner.as_deref(), Some("lee@wayfarer.example"));
        let missing = generic_read(br#"{"status":"won","record_id":"Z-1"}"#, "m").unwrap_err();
        assert!(matches!(missing, Refusal::Unreadable(m) if m.contains("has no \"closed_at\"")));
    }
}
