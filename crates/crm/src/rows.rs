//! An export's rows read through a mapping: each row's outcome in the CRM (won, open, lost) and,
//! where it can be read, the deal it describes — or what is wrong with it, in words.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use handoff_domain::calendar::Calendar;
use handoff_domain::crm::{ColumnMapping, DateOrder, DecimalMark, MappedField};
use handoff_domain::money::Money;

use crate::export::Export;
use crate::formats::Layout;
use crate::values::{self, Written};

/// Where a row's deal stands in the CRM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Won,
    Open,
    Lost,
}

/// A deal as one row describes it, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowDeal {
    pub external_id: String,
    pub title: String,
    pub customer: String,
    pub value: Money,
    /// The owner as the CRM names them: an e-mail address or a name.
    pub owner: String,
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether the export gave the close's time of day, not only its day.
    pub close_has_time: bool,
    pub created_at: Option<DateTime<Utc>>,
    pub handoff_at: Option<DateTime<Utc>>,
}

/// One row of an export, read through a mapping.
#[derive(Clone, Debug)]
pub struct ReadRow {
    pub line: u64,
    /// Each mapped field's cell, as the file has it.
    pub cells: BTreeMap<MappedField, String>,
    pub outcome: Outcome,
    /// The deal, or the first thing wrong with the row.
    pub deal: Result<RowDeal, String>,
}

/// An export's rows read, with what was decided for the whole file.
#[derive(Clone, Debug)]
pub struct Reading {
    pub rows: Vec<ReadRow>,
    /// The order its day-month dates were read in, where it had any.
    pub dates: Option<DateOrder>,
    pub decimal: DecimalMark,
}

const DATE_FIELDS: [MappedField; 3] = [MappedField::ClosedAt, MappedField::CreatedAt, MappedField::HandoffAt];

/// A written date as an instant: a local date in the agency's zone, at the start of its working
/// day when the export gives no time (the close recorded by a date-only CRM field) — or now, when
/// that day is today and its working day has not begun.
fn instant(written: Written, cal: &Calendar, now: DateTime<Utc>) -> DateTime<Utc> {
    match written {
        Written::Instant(t) => t,
        Written::Local { date, time: Some(time) } => cal.to_utc(date.and_time(time)),
        Written::Local { date, time: None } => {
            let opening = cal.to_utc(date.and_time(cal.hours.start));
            if opening > now && cal.local_date(now) == date {
                now
            } else {
                opening
            }
        }
    }
}

/// Reads every row. A file-wide question (the date order, the decimal mark) that the mapping
/// does not state and the file does not settle is an error; a row's own problem stays on the row.
pub fn read_rows(
    export: &Export,
    mapping: &ColumnMapping,
    layout: &Layout,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> Result<Reading, String> {
    let cell = |row: &[String], field| layout.cell(row, field).to_string();
    // A full row after a blank line with neither a record nor a name is a report's totals.
    let footer = |line: &u64, row: &[String]| {
        export.after_blank.contains(line)
            && layout.cell(row, MappedField::ExternalId).is_empty()
            && layout.cell(row, MappedField::Title).is_empty()
    };
    let date_cells = export
        .rows
        .iter()
        .filter(|(line, row)| !footer(line, row))
        .flat_map(|(line, row)| DATE_FIELDS.iter().map(move |f| (*line, layout.cell(row, *f))))
        .filter(|(_, text)| !text.is_empty());
    let dates = values::date_order(date_cells, mapping.dates)?;
    let amount_cells = export
        .rows
        .iter()
        .filter(|(line, row)| !footer(line, row))
        .map(|(line, row)| (*line, layout.cell(row, MappedField::Value)));
    let decimal = values::decimal_mark(amount_cells, mapping.decimal)?;
    let rows = export
        .rows
        .iter()
        .filter(|(line, row)| !footer(line, row))
        .map(|(line, row)| {
            let cells: BTreeMap<MappedField, String> =
                MappedField::ALL.into_iter().filter(|f| layout.has(*f)).map(|f| (f, cell(row, f))).collect();
            let outcome = if layout.has(MappedField::Stage) {
                let stage = layout.cell(row, MappedField::Stage);
                if mapping.is_won(stage) {
                    Outcome::Won
                } else if mapping.is_lost(stage) {
                    Outcome::Lost
                } else {
                    Outcome::Open
                }
            } else {
                Outcome::Won
            };
            let deal = read_deal(row, layout, mapping, outcome, (dates, decimal), cal, now);
            ReadRow { line: *line, cells, outcome, deal }
        })
        .collect();
    Ok(Reading { rows, dates, decimal })
}

fn read_deal(
    row: &[String],
    layout: &Layout,
    mapping: &ColumnMapping,
    outcome: Outcome,
    (dates, decimal): (Option<DateOrder>, DecimalMark),
    cal: &Calendar,
    now: DateTime<Utc>,
) -> Result<RowDeal, String> {
    let text = |field| layout.cell(row, field).to_string();
    let required = |field: MappedField| {
        let t = text(field);
        if t.is_empty() {
            Err(format!("the {} ({}) is empty", field.label(), mapping.column(field).unwrap_or(field.key())))
        } else {
            Ok(t)
        }
    };
    let external_id = required(MappedField::ExternalId)?;
    let title = required(MappedField::Title)?;
    let customer = required(MappedField::Customer)?;
    let owner = required(MappedField::Owner)?;
    let amount = values::read_amount(&text(MappedField::Value), decimal)?;
    let currency = Some(text(MappedField::Currency))
        .filter(|c| !c.is_empty())
        .or(amount.code.clone())
        .or(mapping.currency.clone())
        .ok_or_else(|| {
            "the amount has no currency: add the currency column, or give the currency of every amount in the column mapping"
                .to_string()
        })?;
    let value = Money::parse(&amount.number, &currency).map_err(|e| e.to_string())?;
    let written = |field: MappedField| -> Result<Option<Written>, String> {
        let t = text(field);
        if t.is_empty() {
            return Ok(None);
        }
        values::read_date(&t, dates).map(Some).map_err(|e| format!("{}: {e}", field.label()))
    };
    let date = |field: MappedField| -> Result<Option<DateTime<Utc>>, String> {
        Ok(written(field)?.map(|w| instant(w, cal, now)))
    };
    let close_has_time = !matches!(written(MappedField::ClosedAt)?, Some(Written::Local { time: None, .. }));
    let closed_at = date(MappedField::ClosedAt)?;
    if outcome == Outcome::Won && closed_at.is_none() {
        return Err(format!(
            "the close date ({}) is empty: a won deal comes in with the close the CRM recorded",
            mapping.column(MappedField::ClosedAt).unwrap_or("closed_at")
        ));
    }
    Ok(RowDeal {
        external_id,
        title,
        customer,
        value,
        owner,
        closed_at,
        close_has_time,
        created_at: date(MappedField::CreatedAt)?,
        handoff_at: date(MappedField::HandoffAt)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export;
    use crate::formats::Format;

    fn london() -> Calendar {
        Calendar::new(handoff_domain::zone::Zone::known("Europe/London"))
    }

    #[test]
    fn a_salesforce_report_reads_won_open_and_lost_with_its_locale() {
        let csv = "\"Opportunity ID\",\"Opportunity Name\",\"Account Name\",\"Stage\",\"Close Date\",\"Amount Currency\",\"Amount\",\"Opportunity Owner\"\n\
                   \"0065g00000AbCdE\",\"Lisbon\",\"Smith\",\"Closed Won\",\"24/11/2026\",\"EUR\",\"4.200,00\",\"Sam Reyes\"\n\
                   \"0065g00000AbCdF\",\"Rome\",\"Jones\",\"Negotiation\",\"03/12/2026\",\"EUR\",\"1.500,50\",\"Sam Reyes\"\n\
                   \"0065g00000AbCdG\",\"Oslo\",\"Berg\",\"Closed Lost\",\"01/11/2026\",\"EUR\",\"900,00\",\"Sam Reyes\"\n";
        let export = export::read("report.csv", csv.as_bytes()).unwrap();
        let mapping = Format::Salesforce.mapping(&export.header);
        let layout = Layout::locate(&mapping, &export.header).unwrap();
        let reading = read_rows(&export, &mapping, &layout, &london(), Utc::now()).unwrap();
        assert_eq!(reading.dates, Some(DateOrder::DayMonthYear));
        assert_eq!(reading.decimal, DecimalMark::Comma);
        let outcomes: Vec<Outcome> = reading.rows.iter().map(|r| r.outcome).collect();
        assert_eq!(outcomes, [Outcome::Won, Outcome::Open, Outcome::Lost]);
        let won = reading.rows[0].deal.as_ref().unwrap();
        assert_eq!(won.value, Money::parse("4200.00", "EUR").unwrap());
        // A date-only close is at the start of that working day, in the agency's zone.
        assert_eq!(won.closed_at.unwrap().to_rfc3339(), "2026-11-24T09:00:00+00:00");
    }

    #[test]
    fn a_won_row_without_its_close_is_a_row_problem() {
        let csv = "Record ID,Deal Name,Associated Company,Amount,Currency,Deal owner,Deal Stage,Close Date\n\
                   1,Lisbon,Smith,4200,EUR,sam@agency.example,Closed Won,\n";
        let export = export::read("hubspot.csv", csv.as_bytes()).unwrap();
        let mapping = Format::HubSpot.mapping(&export.header);
        let layout = Layout::locate(&mapping, &export.header).unwrap();
        let reading = read_rows(&export, &mapping, &layout, &london(), Utc::now()).unwrap();
        let err = reading.rows[0].deal.clone().unwrap_err();
        assert!(err.contains("the close date (Close Date) is empty"), "{err}");
    }
}
