//! HubSpot's API, asked about a won deal its webhook names only by id: the deal's name, amount,
//! currency, owner and customer (see `handoff_crm::hubspot_api` for the requests and answers).
//! The hub asks only when a delivery wins a deal no laptop brought in, with the agency's
//! private-app access token, over HTTPS with the system's certificate store.

use std::time::Duration;

use handoff_crm::hubspot_api::{self, ApiDeal};
use handoff_crm::webhooks::{Source, WonRecord};

use crate::webhooks::CrmApi;

/// Where HubSpot's API is.
pub const API: &str = "https://api.hubapi.com";

/// How long one request to HubSpot may take: a delivery is answered within HubSpot's own wait.
const TIMEOUT: Duration = Duration::from_secs(10);

/// HubSpot's API as the hub reaches it.
pub struct HubSpotApi {
    base: String,
    http: reqwest::Client,
}

impl HubSpotApi {
    /// The API at `base` (`https://api.hubapi.com`, or a stand-in's address).
    pub fn new(base: &str) -> Result<HubSpotApi, String> {
        let base = base.trim().trim_end_matches('/').to_string();
        let parsed =
            reqwest::Url::parse(&base).map_err(|_| format!("\"{base}\" is not an address of HubSpot's API"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("\"{base}\" is not an address of HubSpot's API: give it as https://HOST"));
        }
        // rustls with ring; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("handoff-hub/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the hub cannot make its HTTPS client: {e}"))?;
        Ok(HubSpotApi { base, http })
    }

    /// One answer: its body, or `None` when HubSpot has no such record.
    async fn get(&self, token: &str, path: &str) -> Result<Option<Vec<u8>>, String> {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| {
                format!("HubSpot's API at {} could not be reached ({e}); HubSpot sends the webhook again", self.base)
            })?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await.map_err(|e| format!("HubSpot's API answer was cut off ({e})"))?;
        match status {
            200..=299 => Ok(Some(body.to_vec())),
            404 => Ok(None),
            401 => Err("HubSpot refused the hub's access token (401): make a new one in the private app and give it to the hub's `webhooks set --access-token-file`".into()),
            403 => Err(format!(
                "HubSpot's access token may not read {} (403): give the private app the scopes crm.objects.deals.read, crm.objects.companies.read, crm.objects.contacts.read and crm.objects.owners.read",
                path.split('?').next().unwrap_or(path)
            )),
            429 => Err("HubSpot's API is limiting the hub's requests (429); HubSpot sends the webhook again".into()),
            s => Err(format!("HubSpot's API answered {s}: {}", String::from_utf8_lossy(&body).chars().take(200).collect::<String>())),
        }
    }

    /// The won record, with what HubSpot's API says of its deal.
    pub async fn ask(&self, token: &str, record: &WonRecord) -> Result<WonRecord, String> {
        let deal: ApiDeal = match self.get(token, &hubspot_api::deal_path(&record.record_id)).await? {
            Some(body) => hubspot_api::read_deal(&body)?,
            None => return Err(format!("HubSpot has no deal {} (deleted since it was won?)", record.record_id)),
        };
        let owner = match &deal.owner_id {
            Some(id) => match self.get(token, &hubspot_api::owner_path(id)).await? {
                Some(body) => hubspot_api::read_owner(&body)?,
                // An owner since removed: the domain gives the deal to the Sales lead, with a note.
                None => Some(format!("HubSpot owner {id}")),
            },
            None => None,
        };
        let mut customer = None;
        for id in &deal.company_ids {
            if let Some(body) = self.get(token, &hubspot_api::company_path(id)).await? {
                customer = hubspot_api::read_company(&body)?;
            }
            if customer.is_some() {
                break;
            }
        }
        if customer.is_none() {
            for id in &deal.contact_ids {
                if let Some(body) = self.get(token, &hubspot_api::contact_path(id)).await? {
                    customer = hubspot_api::read_contact(&body)?;
                }
                if customer.is_some() {
                    break;
                }
            }
        }
        let mut filled = hubspot_api::filled(record, &deal, owner, customer);
        if filled.currency.is_none() && filled.amount.is_some() {
            if let Some(body) = self.get(token, hubspot_api::ACCOUNT_PATH).await? {
                filled.currency = hubspot_api::read_account_currency(&body)?;
            }
        }
        Ok(filled)
    }
}

impl CrmApi for HubSpotApi {
    fn won_record(&self, source: Source, token: &str, record: &WonRecord) -> Result<WonRecord, String> {
        if source != Source::HubSpot {
            return Ok(record.clone());
        }
        // Called on one of tokio's blocking threads: wait there for the answers.
        tokio::runtime::Handle::current().block_on(self.ask(token, record))
    }
}
