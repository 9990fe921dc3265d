//! CRM exports as they come out of the CRM, through the real `handoff import deals`. The files
//! under `tests/fixtures/crm/` are shaped as each vendor documents its export (the sources are in
//! `docs/crm-formats.md` and the fixtures' README):
//! - `hubspot-deals-export.csv`: HubSpot's deal property labels (Deal object definition,
//!   developers.hubspot.com/docs/api-reference/latest/crm/objects/deals/object-definition), the
//!   `YYYY-MM-DD HH:mm` datetimes seen in real exports;
//! - `pipedrive-deals-export.csv`: Pipedrive's `Deal - …` columns in export order, datetimes as
//!   its API documents them (`YYYY-MM-DD HH:MM:SS`);
//! - `salesforce-opportunities-*.csv`: a Salesforce opportunities report exported "Details Only"
//!   (Reports REST API column labels; the `Amount Currency` column of multi-currency orgs, Salesforce
//!   KB 000382314), every value quoted, the footer after a blank line, in the exporting person's
//!   locale (en_US, de_DE, and en_GB dates that cannot settle their order).

use serde_json::Value;

use crate::fixtures::{hand_off, CSV_HEADER};
use crate::util::{p, Agency};

fn fixture(name: &str) -> String {
    format!("{}/fixtures/crm/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Wayfarer, plus Lee Park of Sales known by e-mail (CRMs name owners by name or by e-mail).
fn agency() -> Agency {
    let a = Agency::wayfarer();
    a.ok(&["person", "add", "--name", "Lee Park", "--dept", "sales", "--email", "lee@wayfarer.example"]);
    a
}

/// The deals, by title: (status, closed_at, owner, value, fulfilment owner).
fn deal(a: &Agency, title: &str) -> Value {
    a.json(&["deal", "show", title])
}

fn titles(a: &Agency, status: &str) -> Vec<String> {
    let list = a.json(&["deal", "list", "--status", status]);
    let mut t: Vec<String> =
        list.as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_string()).collect();
    t.sort();
    t
}

#[test]
fn a_hubspot_export_brings_in_its_won_deals_at_the_crms_close() {
    let a = agency();
    let r = a.json(&["import", "deals", &fixture("hubspot-deals-export.csv")]);
    assert_eq!(r["format"], "a HubSpot deals export");
    assert_eq!((r["rows"].as_u64(), r["imported"].as_u64(), r["skipped"].as_u64()), (Some(4), Some(2), Some(2)));
    assert_eq!(titles(&a, "won"), ["Okafor – Serengeti safari", "Smith family – Lisbon Dec 2026"]);
    assert!(titles(&a, "open").is_empty(), "an open deal stays out unless asked for");

    let lisbon = deal(&a, "Smith family – Lisbon Dec 2026");
    // 14:05 in London (GMT in November) is 14:05 UTC: the dwell clock starts at the CRM's close.
    assert_eq!(lisbon["closed_at"], "2026-11-24T14:05:00Z");
    assert_eq!(lisbon["value"], "4,200.00 EUR");
    assert_eq!(lisbon["customer"], "Smith Holdings");
    assert_eq!(lisbon["sales_owner"]["name"], "Sam Reyes");
    assert_eq!(lisbon["fulfilment_owner"]["name"], "Fay Okafor");
    assert_eq!(lisbon["external_id"], "332507367156");
    assert_eq!(lisbon["source"]["crm"], "HubSpot");
    assert_eq!(lisbon["source"]["channel"]["kind"], "export");
    assert_eq!(lisbon["source"]["channel"]["file"], "hubspot-deals-export.csv");
    let safari = deal(&a, "Okafor – Serengeti safari");
    assert_eq!(safari["sales_owner"]["name"], "Lee Park");
    assert_eq!(safari["value"], "18,000.00 GBP");
    assert_eq!(safari["closed_at"], "2026-11-23T16:40:00Z");
    let shown = a.ok(&["deal", "show", "Smith family – Lisbon Dec 2026"]);
    assert!(shown.contains("closed        2026-11-24 14:05"), "{shown}");
    assert!(
        shown.contains("from          HubSpot, record 332507367156, in the export hubspot-deals-export.csv"),
        "{shown}"
    );

    // The same export again adds nothing.
    let before = a.snapshot();
    let again = a.json(&["import", "deals", &fixture("hubspot-deals-export.csv")]);
    assert_eq!((again["imported"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
    assert_eq!(a.snapshot(), before);
}

#[test]
fn a_pipedrive_export_brings_open_deals_in_when_asked_and_a_later_export_wins_them() {
    let a = agency();
    let r = a.json(&["import", "deals", &fixture("pipedrive-deals-export.csv"), "--with-open"]);
    assert_eq!(r["format"], "a Pipedrive deals export");
    assert_eq!((r["imported"].as_u64(), r["opened"].as_u64(), r["skipped"].as_u64()), (Some(1), Some(1), Some(1)));
    let lisbon = deal(&a, "Smith family – Lisbon Dec 2026");
    assert_eq!(lisbon["closed_at"], "2026-11-24T14:05:00Z");
    assert_eq!(lisbon["source"]["crm"], "Pipedrive");
    let rome = deal(&a, "Jones – Rome in spring");
    assert_eq!(rome["status"], "open");
    assert_eq!(rome["external_id"], "747");
    assert_eq!(rome["value"], "12,500.50 EUR");

    // The next week's export: Rome is won in Pipedrive.
    let text = std::fs::read_to_string(fixture("pipedrive-deals-export.csv")).unwrap();
    let won = text
        .replace(
            "Proposal sent,,Open,2026-11-02 10:00:00,2026-11-20 09:00:00,2026-11-20 09:00:00,2026-12-02,2026-11-20 09:00:00,,",
            "Deposit paid,,Won,2026-11-02 10:00:00,2026-11-26 11:20:00,2026-11-26 11:20:00,,2026-11-26 11:20:00,2026-11-26 11:20:00,",
        )
        // The amount moved while the deal was open, as amounts do.
        .replace("12500.5,EUR,6250.25", "13000,EUR,13000");
    assert_ne!(won, text);
    let file = a.write("pipedrive-next-week.csv", &won);
    let preview = a.json(&["import", "deals", p(&file), "--preview"]);
    assert_eq!(preview["won"], 1);
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows[1]["action"], "won");
    assert_eq!(rows[1]["closed_read"], "2026-11-26 11:20");
    assert_eq!(rows[1]["note"], "amount changed in the CRM: corrected");
    let r = a.json(&["import", "deals", p(&file)]);
    assert_eq!((r["won"].as_u64(), r["unchanged"].as_u64()), (Some(1), Some(1)));
    let rome = deal(&a, "Jones – Rome in spring");
    assert_eq!(rome["status"], "won");
    assert_eq!(rome["closed_at"], "2026-11-26T11:20:00Z");
    assert_eq!(rome["fulfilment_owner"]["name"], "Fay Okafor");
    assert_eq!(rome["value"], "13,000.00 EUR");
    let shown = a.ok(&["deal", "show", "Jones – Rome in spring"]);
    assert!(
        shown.contains("changed in Pipedrive (the export pipedrive-next-week.csv)"),
        "the correction's reason: {shown}"
    );
}

#[test]
fn a_deal_handed_off_since_and_rows_that_stay_out_never_refuse_the_next_export() {
    let a = agency();
    a.ok(&["import", "deals", &fixture("hubspot-deals-export.csv")]);
    hand_off(&a, "Smith family – Lisbon Dec 2026", "Fay Okafor", "2026-11-25");
    // Next week's export: the same rows, a lost deal nobody priced, and a lead without a company
    // whose owner has left — rows that stay out need none of that.
    let text = std::fs::read_to_string(fixture("hubspot-deals-export.csv")).unwrap();
    let next = format!(
        "{text}\"332507367160\",\"Lost lead\",\"Closed Lost\",\"2026-11-26 10:00\",\"Jo Gone\",\"\",\"EUR\",\"\",\"2026-11-20 10:00\",\"Sales Pipeline\",\"\"\n\
         \"332507367161\",\"Maybe Malta\",\"Appointment Scheduled\",\"\",\"Jo Gone\",\"\",\"\",\"\",\"2026-11-27 10:00\",\"Sales Pipeline\",\"\"\n"
    );
    let file = a.write("next-week.csv", &next);
    let before = a.snapshot();
    let r = a.json(&["import", "deals", p(&file)]);
    assert_eq!((r["unchanged"].as_u64(), r["skipped"].as_u64(), r["imported"].as_u64()), (Some(2), Some(4), Some(0)));
    assert_eq!(a.snapshot(), before, "nothing to write");
    assert_eq!(deal(&a, "Smith family – Lisbon Dec 2026")["status"], "handed-off");
}

#[test]
fn an_amount_with_the_other_decimal_mark_is_refused_not_read_a_hundred_times_larger() {
    let a = agency();
    let file =
        a.write("own.csv", &format!("{CSV_HEADER}G1,Lisbon,Acme,\"60000,50\",EUR,Sam Reyes,2026-11-24 09:00,\n"));
    let err = a.refused(&["import", "deals", p(&file)]);
    assert!(err.contains("line 2: the amount \"60000,50\" is not written as 1,500.00"), "{err}");
}

#[test]
fn a_salesforce_report_reads_in_its_locale_and_leaves_its_footer_out() {
    let a = agency();
    // en_US: 11/24/2026 settles the month-first order; the footer's totals are not a deal.
    let r = a.json(&["import", "deals", &fixture("salesforce-opportunities-en-us.csv")]);
    assert_eq!(r["format"], "a Salesforce opportunities report");
    assert_eq!((r["rows"].as_u64(), r["imported"].as_u64(), r["skipped"].as_u64()), (Some(3), Some(1), Some(2)));
    let paris = deal(&a, "Initech – Paris conference");
    // A date-only close is the start of that working day in the agency's zone.
    assert_eq!(paris["closed_at"], "2026-11-24T09:00:00Z");
    assert_eq!(paris["value"], "15,000.00 USD");
    assert_eq!(paris["external_id"], "0065g00000AbCdEAAV");

    // de_DE: 24.11.2026 and 4.200,00.
    let r = a.json(&["import", "deals", &fixture("salesforce-opportunities-de-de.csv")]);
    assert_eq!(r["imported"], 2);
    let wien = deal(&a, "Müller – Betriebsausflug Wien");
    assert_eq!(wien["closed_at"], "2026-11-24T09:00:00Z");
    assert_eq!(wien["value"], "4,200.00 EUR");
    assert_eq!(deal(&a, "Schmidt – Incentive Mallorca")["value"], "38,750.50 EUR");
}

#[test]
fn an_ambiguous_date_is_refused_until_the_mapping_states_the_order() {
    let a = agency();
    let file = fixture("salesforce-opportunities-ambiguous.csv");
    let err = a.refused(&["import", "deals", &file, "--map", "currency=GBP"]);
    assert!(err.contains("line 2 has 03/11/2026, which could be day first or month first"), "{err}");
    assert!(err.contains("dates=dmy"), "{err}");
    let r = a.json(&["import", "deals", &file, "--map", "currency=GBP,dates=dmy"]);
    assert_eq!(r["imported"], 2);
    assert_eq!(deal(&a, "Patel – Bath weekend")["closed_at"], "2026-11-03T09:00:00Z");
    assert_eq!(deal(&a, "Tanaka – Kyoto in spring")["value"], "7,000.00 GBP");
}

#[test]
fn a_report_without_a_currency_column_asks_for_one() {
    let a = agency();
    let err = a.refused(&["import", "deals", &fixture("salesforce-opportunities-ambiguous.csv"), "--map", "dates=dmy"]);
    assert!(err.contains("the amount has no currency"), "{err}");
    assert!(err.contains("the currency of every amount in the column mapping"), "{err}");
}

#[test]
fn a_mapping_is_saved_under_its_name_and_offered_again() {
    let a = agency();
    let file = fixture("other-crm-deals.csv");
    // Not an export Handoff knows: the refusal shows the file's columns and how to map them.
    let err = a.refused(&["import", "deals", &file]);
    assert!(err.contains("is not an export Handoff knows by its columns"), "{err}");
    assert!(
        err.contains("Deal Id,Deal Name,Account,Deal Amount,Currency,Owner Email,Stage Name,Closing Time"),
        "{err}"
    );
    assert!(err.contains("--map"), "the command line's hint: {err}");

    let map = "external_id=\"Deal Id\",title=\"Deal Name\",customer=Account,value=\"Deal Amount\",currency=Currency,\
               owner=\"Owner Email\",stage=\"Stage Name\",closed_at=\"Closing Time\",won=\"Closed Won|Won & Paid\",crm=Zoho";
    let r = a.json(&["import", "deals", &file, "--map", map, "--mapping", "zoho-2026"]);
    assert_eq!((r["imported"].as_u64(), r["skipped"].as_u64()), (Some(2), Some(1)));
    assert_eq!(r["mapping_saved"], "zoho-2026");
    let ski = deal(&a, "Lind family – Ski week");
    assert_eq!(ski["sales_owner"]["name"], "Lee Park", "matched by e-mail");
    assert_eq!(ski["closed_at"], "2026-11-27T10:15:00Z");
    assert_eq!(ski["value"], "9,000.00 EUR");
    assert_eq!(ski["source"]["crm"], "Zoho");
    assert_eq!(deal(&a, "Initech – Kyoto offsite")["value"], "700,000 JPY");

    let saved = a.json(&["import", "mappings"]);
    assert_eq!(saved[0]["name"], "zoho-2026");
    assert_eq!(saved[0]["mapping"]["columns"]["owner"], "Owner Email");
    assert_eq!(saved[0]["mapping"]["won"], serde_json::json!(["Closed Won", "Won & Paid"]));

    // Next month's file with the same columns: the saved mapping is offered again, by itself.
    let next = a.write(
        "next-month.csv",
        "Deal Id,Deal Name,Account,Deal Amount,Currency,Owner Email,Stage Name,Closing Time\n\
         Z-1004,Hansen – Fjord cruise,Hansen AS,\"12.000,00\",EUR,lee@wayfarer.example,Closed Won,28/11/2026 15:45\n",
    );
    let preview = a.json(&["import", "deals", p(&next), "--preview"]);
    assert_eq!(preview["mapping_name"], "zoho-2026");
    assert_eq!(preview["format"], "a CSV export read with the saved mapping \"zoho-2026\"");
    let r = a.json(&["import", "deals", p(&next), "--mapping", "zoho-2026"]);
    assert_eq!(r["imported"], 1);
    assert!(r["mapping_saved"].is_null(), "an unchanged mapping is not saved again");
    assert_eq!(deal(&a, "Hansen – Fjord cruise")["closed_at"], "2026-11-28T15:45:00Z");

    let err = a.refused(&["import", "deals", p(&next), "--mapping", "hubspot"]);
    assert!(err.contains("there is no saved column mapping named \"hubspot\": the agency's are zoho-2026"), "{err}");
}

#[test]
fn one_bad_row_refuses_the_whole_export_and_the_preview_names_it() {
    let a = agency();
    let text = std::fs::read_to_string(fixture("hubspot-deals-export.csv")).unwrap();
    let bad = text.replace("\"Lee Park\"", "\"Jo Nobody\"");
    let file = a.write("hubspot-unknown-owner.csv", &bad);
    let err = a.refused(&["import", "deals", p(&file)]);
    assert!(err.contains("has 1 bad row; nothing was imported"), "{err}");
    assert!(err.contains("line 5: the owner \"Jo Nobody\" matches nobody in the agency by e-mail or name"), "{err}");
    let preview = a.json(&["import", "deals", p(&file), "--preview"]);
    assert_eq!((preview["new"].as_u64(), preview["refused"].as_u64()), (Some(1), Some(1)));
    let refused = &preview["rows"][3];
    assert_eq!(refused["action"], "refused");
    assert_eq!(refused["owner"], "Jo Nobody");
    assert!(refused["problem"].as_str().unwrap().contains("matches nobody"));
    assert_eq!(preview["rows"][0]["owner_matched"], "Sam Reyes");
    assert_eq!(preview["rows"][0]["value_read"], "4,200.00 EUR");
    assert_eq!(preview["rows"][0]["closed_read"], "2026-11-24 14:05");
    assert!(titles(&a, "won").is_empty());
}

#[test]
fn a_changed_record_is_refused_and_a_missing_column_is_named() {
    let a = agency();
    a.ok(&["import", "deals", &fixture("hubspot-deals-export.csv")]);
    let text = std::fs::read_to_string(fixture("hubspot-deals-export.csv")).unwrap();
    let file = a.write("changed.csv", &text.replace("\"4200\"", "\"4300\""));
    let err = a.refused(&["import", "deals", p(&file)]);
    assert!(err.contains("line 2: CRM record \"332507367156\" was imported before with other values"), "{err}");

    let no_company = a.write(
        "no-company.csv",
        "\"Record ID\",\"Deal Name\",\"Deal Stage\",\"Close Date\",\"Deal owner\",\"Amount\",\"Currency\"\n\
         \"1\",\"Lisbon\",\"Closed Won\",\"2026-11-24 14:05\",\"Sam Reyes\",\"4200\",\"EUR\"\n",
    );
    let err = a.refused(&["import", "deals", p(&no_company)]);
    assert!(
        err.contains("is a HubSpot deals export, but the column mapping does not say which column holds customer"),
        "{err}"
    );
    assert!(err.contains("include associations"), "{err}");
    // Naming another column for it is enough.
    let r = a.json(&["import", "deals", p(&no_company), "--map", "customer=\"Deal Name\""]);
    assert_eq!(r["imported"], 1);
}
