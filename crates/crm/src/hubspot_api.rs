//! What HubSpot's CRM API answers about a won deal the webhook named only by its id (HubSpot's
//! webhooks carry no deal name, amount or owner). The hub asks, with the agency's private-app
//! access token, for:
//!
//! 1. the deal — `GET /crm/v3/objects/deals/{id}?properties=…&associations=companies,contacts`
//!    (HubSpot's deals guide, "Retrieve deals"): its `properties` are strings or null, its
//!    `associations.companies.results[].id` the companies it is with;
//! 2. its owner — `GET /crm/v3/owners/{ownerId}` (the owners API): `email`, `firstName`, `lastName`;
//! 3. its customer — the first associated company's `name`
//!    (`GET /crm/v3/objects/companies/{id}?properties=name`), else the first contact's
//!    `firstname lastname` (`GET /crm/v3/objects/contacts/{id}?properties=firstname,lastname`);
//! 4. when the deal names no currency, the account's — `GET /account-info/v3/details`,
//!    `companyCurrency`.
//!
//! This module builds those paths and reads the answers; the requests are the hub's.

use serde_json::Value;

use crate::webhooks::WonRecord;

/// The deal properties Handoff reads.
pub const DEAL_PROPERTIES: &str = "dealname,amount,deal_currency_code,hubspot_owner_id,dealstage,closedate";

/// The path of a deal with what Handoff reads of it.
pub fn deal_path(record_id: &str) -> String {
    format!(
        "/crm/v3/objects/deals/{}?properties={DEAL_PROPERTIES}&associations=companies,contacts",
        path_part(record_id)
    )
}

/// The path of an owner.
pub fn owner_path(owner_id: &str) -> String {
    format!("/crm/v3/owners/{}", path_part(owner_id))
}

/// The path of a company with its name.
pub fn company_path(id: &str) -> String {
    format!("/crm/v3/objects/companies/{}?properties=name", path_part(id))
}

/// The path of a contact with their name.
pub fn contact_path(id: &str) -> String {
    format!("/crm/v3/objects/contacts/{}?properties=firstname,lastname,email", path_part(id))
}

/// The path of the account's details (its currency).
pub const ACCOUNT_PATH: &str = "/account-info/v3/details";

/// A CRM's id as part of a path. HubSpot's and Pipedrive's ids are digits: anything but digits and
/// letters is left out, so no delivery or answer can lead a request elsewhere.
pub(crate) fn path_part(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// A deal as HubSpot's API describes it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ApiDeal {
    pub title: Option<String>,
    /// Plain digits with a dot before the decimals, as HubSpot keeps `amount`.
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub owner_id: Option<String>,
    pub company_ids: Vec<String>,
    pub contact_ids: Vec<String>,
}

fn text(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let s = v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string()))?;
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn ids(v: &Value, kind: &str) -> Vec<String> {
    v.pointer(&format!("/associations/{kind}/results"))
        .and_then(Value::as_array)
        .map(|rs| rs.iter().filter_map(|r| text(r.get("id"))).collect())
        .unwrap_or_default()
}

/// Reads the deal's answer.
pub fn read_deal(body: &[u8]) -> Result<ApiDeal, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("HubSpot's answer for the deal is not JSON: {e}"))?;
    let props = v.get("properties").ok_or("HubSpot's answer for the deal has no properties")?;
    let mut company_ids = ids(&v, "companies");
    company_ids.dedup();
    let mut contact_ids = ids(&v, "contacts");
    contact_ids.dedup();
    Ok(ApiDeal {
        title: text(props.get("dealname")),
        amount: text(props.get("amount")),
        currency: text(props.get("deal_currency_code")),
        owner_id: text(props.get("hubspot_owner_id")),
        company_ids,
        contact_ids,
    })
}

/// An owner as a person is matched: their e-mail address, else their name.
pub fn read_owner(body: &[u8]) -> Result<Option<String>, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("HubSpot's answer for the owner is not JSON: {e}"))?;
    if let Some(email) = text(v.get("email")) {
        return Ok(Some(email));
    }
    Ok(full_name(text(v.get("firstName")), text(v.get("lastName"))))
}

fn full_name(first: Option<String>, last: Option<String>) -> Option<String> {
    match (first, last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (f, l) => f.or(l),
    }
}

/// A company's name.
pub fn read_company(body: &[u8]) -> Result<Option<String>, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("HubSpot's answer for the company is not JSON: {e}"))?;
    Ok(text(v.pointer("/properties/name")))
}

/// A contact's name (their e-mail address when they have none).
pub fn read_contact(body: &[u8]) -> Result<Option<String>, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("HubSpot's answer for the contact is not JSON: {e}"))?;
    let name = full_name(text(v.pointer("/properties/firstname")), text(v.pointer("/properties/lastname")));
    Ok(name.or_else(|| text(v.pointer("/properties/email"))))
}

/// The account's own currency.
pub fn read_account_currency(body: &[u8]) -> Result<Option<String>, String> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| format!("HubSpot's answer for the account's details is not JSON: {e}"))?;
    Ok(text(v.get("companyCurrency")))
}

/// The won record the webhook named, filled in with what the API said of it. The close stays the
/// webhook's: when the deal moved to won.
pub fn filled(record: &WonRecord, deal: &ApiDeal, owner: Option<String>, customer: Option<String>) -> WonRecord {
    WonRecord {
        record_id: record.record_id.clone(),
        title: deal.title.clone().or_else(|| record.title.clone()),
        customer: customer.or_else(|| record.customer.clone()),
        amount: deal.amount.clone().or_else(|| record.amount.clone()),
        currency: deal.currency.clone().or_else(|| record.currency.clone()),
        owner: owner.or_else(|| record.owner.clone()),
        closed_at: record.closed_at,
        ids: record.ids.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    // Shaped as HubSpot's deals guide shows a deal read with `associations` (ids are strings).
    const DEAL: &str = r#"{
      "id": "332507367156",
      "properties": {
        "amount": "18400.50",
        "closedate": "2026-11-24T10:00:00Z",
        "createdate": "2026-10-02T08:11:21.457Z",
        "deal_currency_code": "EUR",
        "dealname": "Lisbon incentive trip",
        "dealstage": "closedwon",
        "hs_lastmodifieddate": "2026-11-24T10:00:03.120Z",
        "hs_object_id": "332507367156",
        "hubspot_owner_id": "910901"
      },
      "createdAt": "2026-10-02T08:11:21.457Z",
      "updatedAt": "2026-11-24T10:00:03.120Z",
      "archived": false,
      "associations": {
        "companies": { "results": [ { "id": "184896670", "type": "deal_to_company" },
                                    { "id": "184896670", "type": "deal_to_company_unlabeled" } ] },
        "contacts": { "results": [ { "id": "51", "type": "deal_to_contact" } ] }
      }
    }"#;

    #[test]
    fn a_deal_read_gives_its_name_amount_currency_owner_and_associations() {
        let d = read_deal(DEAL.as_bytes()).unwrap();
        assert_eq!(d.title.as_deref(), Some("Lisbon incentive trip"));
        assert_eq!(d.amount.as_deref(), Some("18400.50"));
        assert_eq!(d.currency.as_deref(), Some("EUR"));
        assert_eq!(d.owner_id.as_deref(), Some("910901"));
        assert_eq!(d.company_ids, vec!["184896670"]);
        assert_eq!(d.contact_ids, vec!["51"]);
        let bare =
            read_deal(br#"{"id":"1","properties":{"dealname":"X","amount":null,"hubspot_owner_id":""}}"#).unwrap();
        assert_eq!((bare.amount, bare.owner_id, bare.company_ids.len()), (None, None, 0));
        assert!(read_deal(b"<html>").unwrap_err().contains("not JSON"));
        assert!(read_deal(b"{}").unwrap_err().contains("no properties"));
    }

    #[test]
    fn an_owner_is_their_email_else_their_name_and_a_customer_the_company_else_the_contact() {
        let owner = br#"{"id":"910901","email":"sam@wayfarer.example","firstName":"Sam","lastName":"Reyes","userId":1,"archived":false}"#;
        assert_eq!(read_owner(owner).unwrap().as_deref(), Some("sam@wayfarer.example"));
        assert_eq!(
            read_owner(br#"{"id":"1","firstName":"Sam","lastName":"Reyes"}"#).unwrap().as_deref(),
            Some("Sam Reyes")
        );
        assert_eq!(read_owner(br#"{"id":"1"}"#).unwrap(), None);
        assert_eq!(
            read_company(br#"{"id":"184896670","properties":{"name":"Atlas Pharma"}}"#).unwrap().as_deref(),
            Some("Atlas Pharma")
        );
        assert_eq!(
            read_contact(br#"{"id":"51","properties":{"firstname":"Ana","lastname":"Costa"}}"#).unwrap().as_deref(),
            Some("Ana Costa")
        );
        assert_eq!(
            read_contact(br#"{"id":"51","properties":{"email":"ana@example.com"}}"#).unwrap().as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(
            read_account_currency(br#"{"portalId":62515,"companyCurrency":"GBP","additionalCurrencies":[]}"#)
                .unwrap()
                .as_deref(),
            Some("GBP")
        );
    }

    #[test]
    fn paths_name_only_the_ids_digits() {
        assert_eq!(
            deal_path("332507367156"),
            "/crm/v3/objects/deals/332507367156?properties=dealname,amount,deal_currency_code,hubspot_owner_id,dealstage,closedate&associations=companies,contacts"
        );
        assert_eq!(owner_path("91/../x"), "/crm/v3/owners/91x");
        assert_eq!(company_path("7"), "/crm/v3/objects/companies/7?properties=name");
    }

    #[test]
    fn a_filled_record_keeps_the_webhooks_close() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        let thin = WonRecord {
            record_id: "332507367156".into(),
            title: None,
            customer: None,
            amount: None,
            currency: None,
            owner: None,
            closed_at: at,
            ids: Default::default(),
        };
        let d = read_deal(DEAL.as_bytes()).unwrap();
        let f = filled(&thin, &d, Some("sam@wayfarer.example".into()), Some("Atlas Pharma".into()));
        assert_eq!(f.title.as_deref(), Some("Lisbon incentive trip"));
        assert_eq!(f.customer.as_deref(), Some("Atlas Pharma"));
        assert_eq!(f.amount.as_deref(), Some("18400.50"));
        assert_eq!(f.owner.as_deref(), Some("sam@wayfarer.example"));
        assert_eq!(f.closed_at, at);
    }
}
