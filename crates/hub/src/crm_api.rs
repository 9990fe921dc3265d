//! The CRMs' APIs, asked about a won deal their webhook names only by ids: HubSpot's names nothing
//! but the deal (its name, amount, currency, owner and customer are asked), Pipedrive's names its
//! owner and customer by id (their names are asked). The hub asks only when a delivery wins a deal
//! no laptop brought in, and only when the agency gave it a token, over HTTPS with the system's
//! certificate store, within [`crate::webhooks::API_BUDGET`] for the whole delivery: a CRM gives
//! up on a webhook after a few seconds. What may pass (unreachable, slow, busy) leaves the whole
//! delivery for the CRM to send again; what lasts (a token refused, a deal unknown) is said. The
//! paths and answers are `handoff_crm::hubspot_api` and `pipedrive_api`.

use std::time::Duration;

use handoff_crm::webhooks::{Source, WonRecord};
use handoff_crm::{hubspot_api, pipedrive_api};

use crate::webhooks::{ApiFailure, CrmApi};

/// Where HubSpot's API is.
pub const HUBSPOT: &str = "https://api.hubapi.com";
/// Where Pipedrive's API is.
pub const PIPEDRIVE: &str = "https://api.pipedrive.com";

/// How long one request may take (a delivery's asking as a whole has a deadline of its own).
const TIMEOUT: Duration = Duration::from_secs(10);

fn lasting(why: String) -> ApiFailure {
    ApiFailure { why, passing: false }
}

fn passing(why: String) -> ApiFailure {
    ApiFailure { why, passing: true }
}

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
    async fn get(&self, token: &str, path: &str) -> Result<Option<Vec<u8>>, ApiFailure> {
        let crm = self.crm.name();
        let request = self.http.get(format!("{}{path}", self.base)).header("accept", "application/json");
        let request = match self.crm {
            Source::Pipedrive => request.header("x-api-token", token),
            _ => request.bearer_auth(token),
        };
        let answer = request.send().await.map_err(|e| {
            passing(format!("{crm}'s API at {} could not be reached ({e}); {crm} sends the webhook again", self.base))
        })?;
        let status = answer.status().as_u16();
        let body = answer
            .bytes()
            .await
            .map_err(|e| passing(format!("{crm}'s API answer was cut off ({e}); {crm} sends the webhook again")))?;
        let what = path.split('?').next().unwrap_or(path);
        let said = || String::from_utf8_lossy(&body).chars().take(200).collect::<String>();
        match status {
            200..=299 => Ok(Some(body.to_vec())),
            404 | 410 => Ok(None),
            401 => Err(lasting(format!(
                "{crm} refused the hub's API token (401): make a new one and give it to the hub (`handoff-hub webhooks token --api-token-file FILE`)"
            ))),
            403 => Err(lasting(match self.crm {
                Source::HubSpot => format!(
                    "HubSpot's access token may not read {what} (403): give the private app the scopes crm.objects.deals.read, crm.objects.companies.read, crm.objects.contacts.read and crm.objects.owners.read"
                ),
                _ => format!(
                    "{crm}'s API token may not read {what} (403): give the hub the token of a user who sees every deal"
                ),
            })),
            429 => {
                Err(passing(format!("{crm}'s API is limiting the hub's requests (429); {crm} sends the webhook again")))
            }
            500.. => Err(passing(format!(
                "{crm}'s API answered {status} for {what}; {crm} sends the webhook again: {}",
                said()
            ))),
            s => Err(lasting(format!("{crm}'s API answered {s} for {what}: {}", said()))),
        }
    }

    /// The first of `paths` whose answer `read` finds a name in.
    async fn first_named(
        &self,
        token: &str,
        paths: impl IntoIterator<Item = String>,
        read: fn(&[u8]) -> Result<Option<String>, String>,
    ) -> Result<Option<String>, ApiFailure> {
        for path in paths {
            if let Some(body) = self.get(token, &path).await? {
                if let Some(name) = read(&body).map_err(lasting)? {
                    return Ok(Some(name));
                }
            }
        }
        Ok(None)
    }

    /// HubSpot: the deal, then at once its owner, its customer (company, else contact) and the
    /// account's currency when the deal names none.
    async fn hubspot(&self, token: &str, record: &WonRecord) -> Result<WonRecord, ApiFailure> {
        let deal = match self.get(token, &hubspot_api::deal_path(&record.record_id)).await? {
            Some(body) => hubspot_api::read_deal(&body).map_err(lasting)?,
            None => {
                return Err(lasting(format!("HubSpot has no deal {} (deleted since it was won?)", record.record_id)))
            }
        };
        let owner = async {
            match &deal.owner_id {
                Some(id) => match self.get(token, &hubspot_api::owner_path(id)).await? {
                    Some(body) => hubspot_api::read_owner(&body).map_err(lasting),
                    // An owner since removed: the domain gives the deal to the Sales lead, with a note.
                    None => Ok(Some(format!("HubSpot owner {id}"))),
                },
                None => Ok(None),
            }
        };
        let companies = deal.company_ids.iter().map(|id| hubspot_api::company_path(id));
        let company = self.first_named(token, companies, hubspot_api::read_company);
        let contacts = deal.contact_ids.iter().map(|id| hubspot_api::contact_path(id));
        let contact = self.first_named(token, contacts, hubspot_api::read_contact);
        let currency = async {
            if deal.currency.is_some() || deal.amount.is_none() {
                return Ok(None);
            }
            match self.get(token, hubspot_api::ACCOUNT_PATH).await? {
                Some(body) => hubspot_api::read_account_currency(&body).map_err(lasting),
                None => Ok(None),
            }
        };
        let (owner, company, contact, currency) = tokio::join!(owner, company, contact, currency);
        let mut filled = hubspot_api::filled(record, &deal, owner?, company?.or(contact?));
        filled.currency = filled.currency.or(currency?);
        Ok(filled)
    }

    /// Pipedrive: at once, the owner's e-mail and the customer's name.
    async fn pipedrive(&self, token: &str, record: &WonRecord) -> Result<WonRecord, ApiFailure> {
        let ids = &record.ids;
        let users = ids.owner.iter().map(|id| pipedrive_api::user_path(id));
        let owner = self.first_named(token, users, pipedrive_api::read_user);
        let customers = ids
            .organization
            .iter()
            .map(|id| pipedrive_api::organization_path(id))
            .chain(ids.person.iter().map(|id| pipedrive_api::person_path(id)));
        let customer = self.first_named(token, customers, pipedrive_api::read_name);
        let (owner, customer) = tokio::join!(owner, customer);
        Ok(pipedrive_api::filled(record, owner?, customer?))
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
    fn won_record(
        &self,
        source: Source,
        token: &str,
        record: &WonRecord,
        deadline: std::time::Instant,
    ) -> Result<WonRecord, ApiFailure> {
        let crm = source.name();
        let late = || passing(format!("{crm}'s API did not answer in time; {crm} sends the webhook again"));
        let deadline = tokio::time::Instant::from_std(deadline);
        // Called on one of tokio's blocking threads: wait there for the answers.
        let runtime = tokio::runtime::Handle::current();
        match source {
            Source::HubSpot => runtime
                .block_on(async { tokio::time::timeout_at(deadline, self.hubspot.hubspot(token, record)).await })
                .unwrap_or_else(|_| Err(late())),
            Source::Pipedrive => runtime
                .block_on(async { tokio::time::timeout_at(deadline, self.pipedrive.pipedrive(token, record)).await })
                .unwrap_or_else(|_| Err(late())),
            Source::Generic => Ok(record.clone()),
        }
    }
}
