//! # handoff-crm
//!
//! Reading what the agency's CRM sends Handoff. It owns:
//! - [`export`]: an export file's header and rows (UTF-8 or Windows-1252, a report's footer left out);
//! - [`formats`]: the HubSpot, Pipedrive and Salesforce exports (and Handoff's own columns) known by
//!   their headers, and where a mapping's columns sit in a header;
//! - [`values`]: dates and amounts in the export's own locale, the ambiguous ones refused unless
//!   stated;
//! - [`rows`]: each row read through a mapping — won, open or lost, and the deal it describes;
//! - [`hubspot_api`], [`pipedrive_api`]: what the CRM's API answers about a won deal its webhook
//!   names only by ids;
//! - [`webhooks`]: a CRM's webhook delivery checked (HubSpot's v3 signature, Pipedrive's basic
//!   auth, Handoff's own Standard-Webhooks signature) and read into the deals it reports won.
//!
//! It decides nothing about the agency: matching owners to people and the rules of a won deal are
//! the use cases' and the domain's.

pub mod export;
pub mod formats;
pub mod hubspot_api;
pub mod pipedrive_api;
pub mod rows;
pub mod values;
pub mod webhooks;
