//! The CRMs' APIs, asked about a won deal their webhook names only by ids: HubSpot's names nothing
//! but the deal (its name, amount, currency, owner and customer are asked), Pipedrive's names its
//! owner and customer by id (their names are asked). The hub asks only when a delivery wins a deal
//! no laptop brought in, and only when the agency gave it a token, over HTTPS with the system's
//! certificate store. The paths and answers are `handoff_crm::hubspot_api` and `pipedrive_api`.

use std::time::Duration;

use handoff_crm::webhooks::{Source, WonRecord};
use handoff_crm::{hubspot_api, pipedrive_api};

use crate::webhooks::CrmApi;

/// Where HubSpot's API is.
pub const HUBSPOT: &str = "https://api.hubapi.com";
/// Where Pipedrive's API is.
pub const PIPEDRIVE: &str = "https://api.pipedrive.com";

/// How long one request may take: a delivery is answered within the CRM's own wait.
const TIMEOUT: Duration = Duration::from_secs(10);

/// One CRM's API as the hub reaches it.
struct Api {
    crm: Source,
    base: String,
    http: reqwest::Client,
}

impl Api {
    fn new(crm: Source, base: &str) -> Result<Api, String> {
        let base = base.trim().trim_end_matches('/').to_string();
        let bad = || format!("\"{base}\" is not an address of {}'s API: give it as https://HOST", crm.name());
        let parsed = reqwest::Url::parse(&base).map_err(|_| bad())?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(bad());
        }
        // rustls with ring; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("handoff-hub/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("the hub cannot make its HTTPS client: {e}"))?;
        Ok(Api { crm, base, http })
    }

    /// One answer: its body, or `None` when the CRM has no such record.
    async fn get(&self, token: &str, path: &str) -> Result<Option<Vec<u8>>, String> {
        let crm = self.crm.name();
        let request = self.http.get(format!("{}{path}", self.base)).header("accept", "application/json");
        let request = match self.crm {
            Source::Pipedrive => request.header("x-api-token", token),
            _ => request.bearer_auth(token),
        };
        let answer = request.send().await.map_err(|e| {
            format!("{crm}'s API at {} could not be reached ({e}); {crm} sends the webhook again", self.base)
        })?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await.map_err(|e| format!("{crm}'s API answer was cut off ({e})"))?;
        let what = path.split('?').next().unwrap_or(path);
        match status {
            200..=299 => Ok(Some(body.to_vec())),
            404 | 410 => Ok(None),
            401 => Err(format!(
                "{crm} refused the hub's API token (401): make a new one and give it to the hub's `webhooks set --api-token-file`"
            )),
            403 => Err(match self.crm {
                Source::HubSpot => format!("HubSpot's access token may not read {what} (403): give the private app the scopes crm.objects.deals.read, crm.objects.companies.read, crm.objects.contacts.read and crm.objects.owners.read"),
                _ => format!("{crm}'s API token may not read {what} (403): give the hub the token of a user who sees every deal"),
            }),
            429 => Err(format!("{crm}'s API is limiting the hub's requests (429); {crm} sends the webhook again")),
            s => Err(format!(
                "{crm}'s API answered {s} for {what}: {}",
                String::from_utf8_lossy(&body).chars().take(200).collect::<String>()
            )),
        }
    }

    /// The first of `paths` whose answer `read` finds a name in.
    async fn first_named(
        &self,
        token: &str,
        paths: impl IntoIterator<Item = String>,
        read: fn(&[u8]) -> Result<Option<String>, String>,
    ) -> Result<Option<String>, String> {
        for path in paths {
            if let Some(body) = self.get(token, &path).await? {
                if let Some(name) = read(&body)? {
                    return Ok(Some(name));
                }
            }
        }
        Ok(None)
    }

    /// HubSpot: the deal, its owner, its customer, and the account's currency when it names none.
    async fn hubspot(&self, token: &str, record: &WonRecord) -> Result<WonRecord, String> {
        let deal = match self.get(token, &hubspot_api::deal_path(&record.record_id)).await? {
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
        let mut customer = self
            .first_named(
                token,
                deal.company_ids.iter().map(|id| hubspot_api::company_path(id)),
                hubspot_api::read_company,
            )
            .await?;
        if customer.is_none() {
            customer = self
                .first_named(
                    token,
                    deal.contact_ids.iter().map(|id| hubspot_api::contact_path(id)),
                    hubspot_api::read_contact,
                )
                .await?;
        }
        let mut filled = hubspot_api::filled(record, &deal, owner, customer);
        if filled.currency.is_none() && filled.amount.is_some() {
            if let Some(body) = self.get(token, hubspot_api::ACCOUNT_PATH).await? {
                filled.currency = hubspot_api::read_account_currency(&body)?;
            }
        }
        Ok(filled)
    }

    /// Pipedrive: the owner's e-mail and the customer's name.
    async fn pipedrive(&self, token: &str, record: &WonRecord) -> Result<WonRecord, String> {
        let ids = &record.ids;
        let owner = self
            .first_named(token, ids.owner.iter().map(|id| pipedrive_api::user_path(id)), pipedrive_api::read_user)
            .await?;
        let paths = ids
            .organization
            .iter()
            .map(|id| pipedrive_api::organization_path(id))
            .chain(ids.person.iter().map(|id| pipedrive_api::person_path(id)));
        let customer = self.first_named(token, paths, pipedrive_api::read_name).await?;
        Ok(pipedrive_api::filled(record, owner, customer))
    }
}

/// The CRMs' APIs the hub asks.
pub struct CrmApis {
    hubspot: Api,
    pipedrive: Api,
}

impl CrmApis {
    /// HubSpot's API at `hubspot` and Pipedrive's at `pipedrive` (their own, or stand-ins').
    pub fn new(hubspot: &str, pipedrive: &str) -> Result<CrmApis, String> {
        Ok(CrmApis { hubspot: Api::new(Source::HubSpot, hubspot)?, pipedrive: Api::new(Source::Pipedrive, pipedrive)? })
    }
}

impl CrmApi for CrmApis {
    fn won_record(&self, source: Source, token: &str, record: &WonRecord) -> Result<WonRecord, String> {
        // Called on one of tokio's blocking threads: wait there for the answers.
        let runtime = tokio::runtime::Handle::current();
        match source {
            Source::HubSpot => runtime.block_on(self.hubspot.hubspot(token, record)),
            Source::Pipedrive => runtime.block_on(self.pipedrive.pipedrive(token, record)),
            Source::Generic => Ok(record.clone()),
        }
    }
}
