//! The exports Handoff recognises by their headers, and how each one's columns map to a deal's
//! fields. Each alias list follows the vendor's documentation and real exports (see
//! `docs/crm-formats.md` for each with its source): headers are compared trimmed, without regard
//! to case or spacing, and without a trailing `*` (Pipedrive's mark of a required column).
//!
//! - **HubSpot** deals export (Deals → Export; property labels as headers, or internal names):
//!   `Record ID`, `Deal Name`, `Deal Stage`, `Close Date`, `Amount`, `Currency`, `Deal owner`,
//!   `Associated Company`…
//! - **Pipedrive** deals export (Deals → … → Export filter results): `Deal - ID`, `Deal - Title`,
//!   `Deal - Status` (Open/Won/Lost), `Deal - Won time`, `Deal - Value`, `Deal - Currency of Value`,
//!   `Deal - Owner`, `Deal - Organization`…
//! - **Salesforce** opportunities report (Export → Details Only → CSV): `Opportunity ID` (added to
//!   the report), `Opportunity Name`, `Account Name`, `Stage`, `Close Date`, `Amount`,
//!   `Amount Currency` (multi-currency orgs), `Opportunity Owner`.
//! - **Handoff**'s own eight columns: `external_id,title,customer,value,currency,owner,closed_at,handoff_at`.

use std::collections::BTreeMap;

use handoff_domain::crm::{ColumnMapping, DateOrder, DecimalMark, MappedField};

/// An export format Handoff knows by its headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Handoff,
    HubSpot,
    Pipedrive,
    Salesforce,
}

/// Handoff's own columns, in this order.
pub const HANDOFF_COLUMNS: [&str; 8] =
    ["external_id", "title", "customer", "value", "currency", "owner", "closed_at", "handoff_at"];

/// A header as compared: trimmed, lower case, single spaces, no trailing `*`.
pub fn normal(header: &str) -> String {
    let t = header.trim().trim_start_matches('\u{feff}').trim_end_matches('*');
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

type Aliases = &'static [(MappedField, &'static [&'static str])];

const HUBSPOT: Aliases = &[
    (MappedField::ExternalId, &["record id", "hs_object_id", "deal id", "id de registro"]),
    (MappedField::Title, &["deal name", "dealname"]),
    (
        MappedField::Customer,
        &[
            "associated company",
            "associated company (primary)",
            "associated company names (primary)",
            "associated company name (primary)",
            "company name",
        ],
    ),
    (MappedField::Value, &["amount"]),
    (MappedField::Currency, &["currency", "deal_currency_code"]),
    (MappedField::Owner, &["deal owner", "hubspot_owner_id", "owner"]),
    (MappedField::Stage, &["deal stage", "dealstage"]),
    (MappedField::ClosedAt, &["close date", "closedate"]),
    (MappedField::CreatedAt, &["create date", "createdate"]),
];

const PIPEDRIVE: Aliases = &[
    (MappedField::ExternalId, &["deal - id", "deal - system id", "deal - pipedrive system id", "id"]),
    (MappedField::Title, &["deal - title", "title"]),
    (MappedField::Customer, &["deal - organization", "organization - name", "organization"]),
    (MappedField::Value, &["deal - value", "deal - deal value", "value"]),
    (MappedField::Currency, &["deal - currency of value", "deal - currency", "currency of value", "currency"]),
    (MappedField::Owner, &["deal - owner", "owner"]),
    (MappedField::Stage, &["deal - status", "status"]),
    (MappedField::ClosedAt, &["deal - won time", "won time", "deal - deal closed on", "deal - closed on"]),
    (
        MappedField::CreatedAt,
        &["deal - deal created", "deal - creation date", "deal - deal created on", "deal - add time", "deal created"],
    ),
];

const SALESFORCE: Aliases = &[
    (MappedField::ExternalId, &["opportunity id", "opportunity id (18 char)", "id"]),
    (MappedField::Title, &["opportunity name"]),
    (MappedField::Customer, &["account name", "account: account name"]),
    (MappedField::Value, &["amount"]),
    (MappedField::Currency, &["amount currency", "opportunity currency"]),
    (MappedField::Owner, &["opportunity owner", "owner: full name"]),
    (MappedField::Stage, &["stage"]),
    (MappedField::ClosedAt, &["close date"]),
    (MappedField::CreatedAt, &["created date"]),
];

impl Format {
    /// Its name, as people know it and as a deal's source shows it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Handoff => "a Handoff CSV",
            Format::HubSpot => "HubSpot",
            Format::Pipedrive => "Pipedrive",
            Format::Salesforce => "Salesforce",
        }
    }

    /// What the export is called: "a HubSpot deals export".
    pub fn export_name(self) -> &'static str {
        match self {
            Format::Handoff => "a deals CSV in Handoff's own columns",
            Format::HubSpot => "a HubSpot deals export",
            Format::Pipedrive => "a Pipedrive deals export",
            Format::Salesforce => "a Salesforce opportunities report",
        }
    }

    /// The format a header belongs to, if Handoff knows it.
    pub fn recognise(header: &[String]) -> Option<Format> {
        let names: Vec<String> = header.iter().map(|h| normal(h)).collect();
        let has = |n: &str| names.iter().any(|h| h == n);
        if names == HANDOFF_COLUMNS {
            return Some(Format::Handoff);
        }
        if (has("record id") || has("hs_object_id") || has("id de registro")) && (has("deal name") || has("dealname"))
            || has("dealname") && has("dealstage")
        {
            return Some(Format::HubSpot);
        }
        if names.iter().any(|h| h.starts_with("deal - ")) {
            return Some(Format::Pipedrive);
        }
        if has("opportunity name") {
            return Some(Format::Salesforce);
        }
        None
    }

    fn aliases(self) -> Aliases {
        match self {
            Format::Handoff => &[],
            Format::HubSpot => HUBSPOT,
            Format::Pipedrive => PIPEDRIVE,
            Format::Salesforce => SALESFORCE,
        }
    }

    /// The stage or status values that mean won and lost in this CRM's export, as it ships.
    fn outcomes(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Format::Handoff => (&[], &[]),
            Format::HubSpot => (&["Closed Won", "closedwon"], &["Closed Lost", "closedlost"]),
            Format::Pipedrive => (&["Won"], &["Lost"]),
            Format::Salesforce => (&["Closed Won"], &["Closed Lost"]),
        }
    }

    /// This format's mapping for a header: each field's column found among its aliases (the
    /// first alias present wins), its won and lost values, and what it writes for sure.
    pub fn mapping(self, header: &[String]) -> ColumnMapping {
        let mut columns = BTreeMap::new();
        if self == Format::Handoff {
            // Handoff's own columns are named as its fields are.
            for column in HANDOFF_COLUMNS {
                let field = MappedField::from_key(column).expect("each of Handoff's columns names a field");
                columns.insert(field, column.to_string());
            }
            return ColumnMapping {
                crm: String::new(),
                columns,
                dates: Some(DateOrder::YearMonthDay),
                decimal: Some(DecimalMark::Dot),
                ..Default::default()
            };
        }
        for (field, aliases) in self.aliases() {
            let found = aliases.iter().find_map(|alias| header.iter().find(|h| normal(h) == *alias));
            if let Some(column) = found {
                columns.insert(*field, column.clone());
            }
        }
        let (won, lost) = self.outcomes();
        ColumnMapping {
            crm: self.name().to_string(),
            columns,
            won: won.iter().map(|s| s.to_string()).collect(),
            lost: lost.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    /// Where in the CRM to find the column a field needs, for a message.
    pub fn hint(self, field: MappedField) -> Option<&'static str> {
        Some(match (self, field) {
            (Format::Salesforce, MappedField::ExternalId) => {
                "add the Opportunity ID column to the report (Customize → Columns) and export again"
            }
            (Format::HubSpot, MappedField::Customer) => {
                "export with the associated company (Export → include associations), or name another column"
            }
            (Format::HubSpot, MappedField::Currency) | (Format::Salesforce, MappedField::Currency) => {
                "add the currency column to the export, or give the currency of every amount in the column mapping"
            }
            _ => return None,
        })
    }
}

/// Where each mapped field's column sits in a header.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    index: BTreeMap<MappedField, usize>,
}

impl Layout {
    /// Finds each of the mapping's columns in the header, or says which are not there.
    pub fn locate(mapping: &ColumnMapping, header: &[String]) -> Result<Layout, Vec<(MappedField, String)>> {
        let mut index = BTreeMap::new();
        let mut missing = Vec::new();
        for (field, column) in &mapping.columns {
            match header.iter().position(|h| normal(h) == normal(column)) {
                Some(i) => {
                    index.insert(*field, i);
                }
                None => missing.push((*field, column.clone())),
            }
        }
        if missing.is_empty() {
            Ok(Layout { index })
        } else {
            Err(missing)
        }
    }

    /// A row's cell for a field ("" when the field has no column).
    pub fn cell<'a>(&self, row: &'a [String], field: MappedField) -> &'a str {
        self.index.get(&field).and_then(|i| row.get(*i)).map_or("", String::as_str)
    }

    /// Whether the field has a column.
    pub fn has(&self, field: MappedField) -> bool {
        self.index.contains_key(&field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn each_crm_is_known_by_its_headers() {
        let hubspot = header(&["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount"]);
        assert_eq!(Format::recognise(&hubspot), Some(Format::HubSpot));
        let internal = header(&["hs_object_id", "dealname", "dealstage", "closedate"]);
        assert_eq!(Format::recognise(&internal), Some(Format::HubSpot));
        let pipedrive = header(&["Deal - ID", "Deal - Title*", "Deal - Status"]);
        assert_eq!(Format::recognise(&pipedrive), Some(Format::Pipedrive));
        let salesforce = header(&["Opportunity Name", "Account Name", "Stage", "Close Date"]);
        assert_eq!(Format::recognise(&salesforce), Some(Format::Salesforce));
        let own = header(&HANDOFF_COLUMNS);
        assert_eq!(Format::recognise(&own), Some(Format::Handoff));
        assert_eq!(Format::recognise(&header(&["Name", "Price"])), None);
    }

    #[test]
    fn aliases_find_the_columns_whatever_their_case_and_spacing() {
        let pipedrive =
            header(&["Deal - ID", "Deal - Title", "Deal - Currency of value", "Deal -  Won time", "Deal - Status"]);
        let m = Format::Pipedrive.mapping(&pipedrive);
        assert_eq!(m.column(MappedField::Currency), Some("Deal - Currency of value"));
        assert_eq!(m.column(MappedField::ClosedAt), Some("Deal -  Won time"));
        assert_eq!(m.column(MappedField::Stage), Some("Deal - Status"));
        assert!(m.is_won("WON"));
        assert!(m.is_lost("lost"));
        let layout = Layout::locate(&m, &pipedrive).unwrap();
        let row = header(&["746", "Smith", "EUR", "2026-11-24 14:05:00", "Won"]);
        assert_eq!(layout.cell(&row, MappedField::ExternalId), "746");
        assert_eq!(layout.cell(&row, MappedField::Owner), "");
    }

    #[test]
    fn a_mapped_column_missing_from_the_header_is_named() {
        let mut m = Format::HubSpot.mapping(&header(&["Record ID", "Deal Name"]));
        m.columns.insert(MappedField::Customer, "Company".into());
        let missing = Layout::locate(&m, &header(&["Record ID", "Deal Name"])).unwrap_err();
        assert_eq!(missing, vec![(MappedField::Customer, "Company".to_string())]);
    }
}
