//! What Pipedrive's API answers about a won deal its webhook names by ids: webhooks v2 carry the
//! deal's title, value and currency, but only the ids of its owner (`owner_id`), organization
//! (`org_id`) and contact person (`person_id`). With the agency's API token (sent in the
//! `x-api-token` header), the hub asks for:
//!
//! 1. the owner — `GET /v1/users/{id}` (Pipedrive's Users API, "Get one user"; users have no v2
//!    endpoint): `data.email`, `data.name`;
//! 2. the customer — the organization's `data.name` (`GET /api/v2/organizations/{id}`), else the
//!    person's `data.name` (`GET /api/v2/persons/{id}`).
//!
//! Every answer is `{"success": true, "data": {…}}`. This module builds the paths and reads the
//! answers; the requests are the hub's.

use serde_json::Value;

use crate::hubspot_api::path_part;
use crate::webhooks::WonRecord;

/// The path of a user (a deal's owner).
pub fn user_path(id: &str) -> String {
    format!("/v1/users/{}", path_part(id))
}

/// The path of an organization.
pub fn organization_path(id: &str) -> String {
    format!("/api/v2/organizations/{}", path_part(id))
}

/// The path of a contact person.
pub fn person_path(id: &str) -> String {
    format!("/api/v2/persons/{}", path_part(id))
}

fn data(body: &[u8], what: &str) -> Result<Value, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("Pipedrive's answer for the {what} is not JSON: {e}"))?;
    Ok(v.get("data").cloned().unwrap_or(Value::Null))
}

fn text(v: Option<&Value>) -> Option<String> {
    let s = v?.as_str()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// A user as a person is matched: their e-mail address, else their name.
pub fn read_user(body: &[u8]) -> Result<Option<String>, String> {
    let d = data(body, "user")?;
    Ok(text(d.get("email")).or_else(|| text(d.get("name"))))
}

/// An organization's or a person's name.
pub fn read_name(body: &[u8]) -> Result<Option<String>, String> {
    Ok(text(data(body, "customer")?.get("name")))
}

/// The won record, its owner and customer named as the API named them.
pub fn filled(record: &WonRecord, owner: Option<String>, customer: Option<String>) -> WonRecord {
    WonRecord {
        owner: owner.or_else(|| record.owner.clone()),
        customer: customer.or_else(|| record.customer.clone()),
        ..record.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_their_email_else_their_name_and_a_customer_the_name_pipedrive_gives() {
        // Shaped as Pipedrive's "Get one user" and v2 "Get details of an organization" answer.
        let user = br#"{"success":true,"data":{"id":18487521,"name":"Sam Reyes","default_currency":"EUR","locale":"en_GB","lang":1,"email":"sam@wayfarer.example","active_flag":true,"is_admin":1,"timezone_name":"Europe/London"}}"#;
        assert_eq!(read_user(user).unwrap().as_deref(), Some("sam@wayfarer.example"));
        assert_eq!(
            read_user(br#"{"success":true,"data":{"id":1,"name":"Sam Reyes","email":""}}"#).unwrap().as_deref(),
            Some("Sam Reyes")
        );
        let org = br#"{"success":true,"data":{"id":2,"name":"Smith & Co","owner_id":18487521,"add_time":"2026-10-01T09:12:00Z","is_deleted":false}}"#;
        assert_eq!(read_name(org).unwrap().as_deref(), Some("Smith & Co"));
        assert_eq!(read_name(br#"{"success":false,"error":"not found"}"#).unwrap(), None);
        assert!(read_name(b"<html>").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn paths_name_only_the_ids_digits() {
        assert_eq!(user_path("18487521"), "/v1/users/18487521");
        assert_eq!(organization_path("2/../../v1/x"), "/api/v2/organizations/2v1x");
        assert_eq!(person_path("3"), "/api/v2/persons/3");
    }
}
