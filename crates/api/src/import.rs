//! Importing historical deals from a CRM export (CSV). All or nothing: every row is checked
//! before anything is written, and a file with any bad row imports no row. Re-importing rows
//! already imported (same `external_id`, same values) adds nothing.
//!
//! The CSV can come from any reader; the use cases that take a file's path open it and pass it on.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use handoff_domain::deal::{Deal, ImportedDeal};
use handoff_domain::event::EventBody;
use handoff_domain::ids::{DealId, EscalationId};
use handoff_domain::money::Money;
use handoff_store::query;
use uuid::Uuid;

use crate::dto::{Acting, ImportAction, ImportPreview, ImportResponse, ImportRowDto};
use crate::input::{self, FUTURE_TOLERANCE_MINUTES};
use crate::{act, ApiError, Ctx, Decision, ErrorCode};

/// The columns of a deals CSV, in this order.
pub const COLUMNS: [&str; 8] =
    ["external_id", "title", "customer", "value", "currency", "owner", "closed_at", "handoff_at"];

/// How many row problems an error message lists before summarising the rest.
const PROBLEMS_SHOWN: usize = 10;

struct Row {
    line: u64,
    deal: ImportedDeal,
}

/// Opens a CSV file to import.
fn open(path: &Path) -> Result<File, ApiError> {
    File::open(path).map_err(|e| ApiError::invalid(format!("cannot read {}: {e}", path.display())))
}

/// The most a deals CSV may hold: far above any agency's CRM export, far below a machine's memory.
pub const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;

/// Reads at most [`MAX_CSV_BYTES`], then fails with an error that says so (a device such as
/// `/dev/zero` never ends).
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "the file is larger than {} MB, more than any deals export Handoff takes: split it",
                    MAX_CSV_BYTES / 1024 / 1024
                ))),
            };
        }
        let upto = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..upto])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The header's names as a message shows them: the first dozen, then how many more.
fn shown_columns(names: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut shown: Vec<String> =
        names.iter().take(SHOWN).map(|n| n.chars().take(40).collect::<String>()).collect::<Vec<_>>();
    if names.len() > SHOWN {
        shown.push(format!("… and {} more", names.len() - SHOWN));
    }
    shown.join(",")
}

/// The rows of a deals CSV with their line numbers; `source` names the CSV in messages.
fn read_rows(source: &str, csv: impl Read) -> Result<Vec<(u64, csv::StringRecord)>, ApiError> {
    let csv = Capped { inner: csv, left: MAX_CSV_BYTES };
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(csv);
    let header =
        reader.headers().map_err(|e| ApiError::invalid(format!("{source} is not a readable CSV file: {e}")))?.clone();
    let names: Vec<String> = header.iter().map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase()).collect();
    if names != COLUMNS {
        return Err(ApiError::invalid(format!(
            "{source} has the columns \"{}\"; a deals CSV has exactly \"{}\" (handoff_at may be empty)",
            shown_columns(&names),
            COLUMNS.join(",")
        )));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            ApiError::invalid(format!("{source} line {line} is not a valid CSV row ({e}); nothing was imported"))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        rows.push((line, record));
    }
    Ok(rows)
}

fn same(existing: &Deal, row: &ImportedDeal) -> bool {
    existing.title == row.title
        && existing.customer == row.customer
        && existing.value == row.value
        && existing.sales_owner == row.sales_owner
        && existing.closed_at == Some(row.closed_at)
        && existing.handoff_at == row.handoff_at
}

/// The rows of a CSV as checked against the agency and what was imported before.
struct Checked {
    reports: Vec<ImportRowDto>,
    problems: Vec<(u64, String)>,
    decided: Vec<(DateTime<Utc>, Vec<EventBody>)>,
    unchanged: usize,
    escalated: usize,
}

fn check_rows(
    conn: &handoff_store::Connection,
    dir: &handoff_domain::directory::Directory,
    records: &[(u64, csv::StringRecord)],
    limit: DateTime<Utc>,
) -> Result<Checked, ApiError> {
    let cal = dir.calendar()?;
    let mut problems: Vec<(u64, String)> = Vec::new();
    let mut rows: Vec<Row> = Vec::with_capacity(records.len());
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut owners: HashMap<String, Result<handoff_domain::ids::PersonId, String>> = HashMap::new();
    for (line, r) in records {
        let line = *line;
        let field = |i: usize| r.get(i).unwrap_or("").to_string();
        let mut bad = |msg: String| problems.push((line, format!("line {line}: {msg}")));
        let external_id = field(0);
        if external_id.is_empty() {
            bad("external_id is empty".into());
            continue;
        }
        if let Some(first) = seen.insert(external_id.clone(), line) {
            bad(format!("external_id \"{external_id}\" appears again (first on line {first})"));
            continue;
        }
        let value = match Money::parse(&field(3), &field(4)) {
            Ok(v) => v,
            Err(e) => {
                bad(e.to_string());
                continue;
            }
        };
        let owner_text = field(5);
        let owner = owners
            .entry(owner_text.clone())
            .or_insert_with(|| input::person(dir, &owner_text).map(|p| p.id).map_err(|e| e.message))
            .clone();
        let owner = match owner {
            Ok(o) => o,
            Err(e) => {
                bad(format!("owner: {e}"));
                continue;
            }
        };
        let time = |i: usize, name: &str| -> Result<Option<DateTime<Utc>>, String> {
            let text = field(i);
            if text.is_empty() {
                return Ok(None);
            }
            let t = input::parse_time(&text, cal).map_err(|e| format!("{name}: {}", e.message))?;
            if t > limit {
                return Err(format!("{name} {text} is in the future"));
            }
            Ok(Some(t))
        };
        let closed_at = match time(6, "closed_at") {
            Ok(Some(t)) => t,
            Ok(None) => {
                bad("closed_at is empty: an imported deal is a won deal with its close time".into());
                continue;
            }
            Err(e) => {
                bad(e);
                continue;
            }
        };
        let handoff_at = match time(7, "handoff_at") {
            Ok(t) => t,
            Err(e) => {
                bad(e);
                continue;
            }
        };
        rows.push(Row {
            line,
            deal: ImportedDeal {
                external_id,
                title: field(1),
                customer: field(2),
                value,
                sales_owner: owner,
                closed_at,
                handoff_at,
                source: None,
            },
        });
    }
    let mut decided: Vec<(DateTime<Utc>, Vec<EventBody>)> = Vec::new();
    let mut unchanged = 0;
    let mut unchanged_lines: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let mut escalated = 0;
    for row in rows {
        if let Some(existing) = query::deal_by_external_id(conn, &row.deal.external_id)? {
            let deal = query::deal(conn, existing)?.expect("indexed deals exist");
            if same(&deal, &row.deal) {
                unchanged += 1;
                unchanged_lines.insert(row.line);
            } else {
                problems.push((
                    row.line,
                    format!(
                        "line {}: external_id \"{}\" was imported before with other values; give changed deals a new external_id",
                        row.line, row.deal.external_id
                    ),
                ));
            }
            continue;
        }
        let closed = row.deal.closed_at;
        match Deal::import(dir, DealId::from_uuid(Uuid::now_v7()), row.deal, EscalationId::from_uuid(Uuid::now_v7())) {
            Ok(events) => {
                escalated += usize::from(events.len() > 1);
                decided.push((closed, events));
            }
            Err(e) => problems.push((row.line, format!("line {}: {e}", row.line))),
        }
    }
    let problem_of: HashMap<u64, &String> = problems.iter().map(|(l, p)| (*l, p)).collect();
    let mut reports: Vec<ImportRowDto> = records
        .iter()
        .map(|(line, r)| {
            let field = |i: usize| r.get(i).unwrap_or("").to_string();
            let problem = problem_of.get(line).map(|p| (*p).clone());
            let action = if problem.is_some() {
                ImportAction::Refused
            } else if unchanged_lines.contains(line) {
                ImportAction::Unchanged
            } else {
                ImportAction::New
            };
            ImportRowDto {
                line: *line,
                external_id: field(0),
                title: field(1),
                customer: field(2),
                value: field(3),
                currency: field(4),
                owner: field(5),
                closed_at: field(6),
                handoff_at: field(7),
                action,
                problem,
            }
        })
        .collect();
    reports.sort_by_key(|r| r.line);
    Ok(Checked { reports, problems, decided, unchanged, escalated })
}

/// What importing a CSV file would do, row by row, without writing anything: the preview the app
/// shows before the user confirms.
pub fn import_preview(ctx: &Ctx, path: &Path) -> Result<ImportPreview, ApiError> {
    import_preview_from(ctx, &path.display().to_string(), open(path)?)
}

/// [`import_preview`] of CSV text from any reader; `source` names it in messages and the preview.
pub fn import_preview_from(ctx: &Ctx, source: &str, csv: impl Read) -> Result<ImportPreview, ApiError> {
    let records = read_rows(source, csv)?;
    let limit = ctx.now() + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES);
    let checked = ctx.store().read(|c| {
        let dir = query::directory(c)?;
        check_rows(c, &dir, &records, limit)
    })?;
    let count = |a: ImportAction| checked.reports.iter().filter(|r| r.action == a).count();
    Ok(ImportPreview {
        file: source.to_string(),
        new: count(ImportAction::New),
        unchanged: count(ImportAction::Unchanged),
        refused: count(ImportAction::Refused),
        rows: checked.reports,
    })
}

/// Imports deals from a CSV file with the columns
/// `external_id,title,customer,value,currency,owner,closed_at,handoff_at`.
pub fn import_deals(ctx: &Ctx, path: &Path, acting: Acting) -> Result<ImportResponse, ApiError> {
    import_deals_from(ctx, &path.display().to_string(), open(path)?, acting)
}

/// [`import_deals`] of CSV text from any reader; `source` names it in messages.
pub fn import_deals_from(ctx: &Ctx, source: &str, csv: impl Read, acting: Acting) -> Result<ImportResponse, ApiError> {
    let records = read_rows(source, csv)?;
    let now = ctx.now();
    let limit = now + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES);
    act(ctx, &acting, |w, dir, actor, _| {
        let Checked { mut problems, decided, unchanged, escalated, .. } =
            check_rows(w.connection(), dir, &records, limit)?;
        if !problems.is_empty() {
            problems.sort();
            let problems: Vec<String> = problems.into_iter().map(|(_, p)| p).collect();
            let more = problems.len().saturating_sub(PROBLEMS_SHOWN);
            let mut message = format!(
                "{source} has {} bad row{}; nothing was imported — fix them and import again: {}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems[..problems.len().min(PROBLEMS_SHOWN)].join("; ")
            );
            if more > 0 {
                message.push_str(&format!("; and {more} more"));
            }
            return Err(ApiError::new(ErrorCode::InvalidInput, message));
        }
        let imported = decided.len();
        // Each row is its own backfilled action, dated at its close; all in this one transaction.
        for (closed, bodies) in decided {
            w.append(actor, closed, now, bodies)?;
        }
        Ok(Decision {
            events: Vec::new(),
            answer: ImportResponse { rows: records.len(), imported, unchanged, escalated },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_from_a_reader_is_named_by_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Ctx::open(&dir.path().join("import.db"), true).unwrap();
        let csv = "id,title\n1,Lisbon\n";
        let err = import_deals_from(&ctx, "the pasted rows", csv.as_bytes(), Acting::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.starts_with("the pasted rows has the columns \"id,title\""), "{}", err.message);
    }

    #[test]
    fn an_endless_file_is_refused_at_the_cap_and_a_huge_header_is_summarised() {
        let endless = std::io::repeat(b'a');
        let err = read_rows("an endless file", endless).unwrap_err();
        assert!(err.message.contains("larger than 256 MB"), "{}", err.message);

        let header: Vec<String> = (0..100_000).map(|n| format!("c{n}")).collect();
        let csv = format!("{}\n", header.join(","));
        let err = read_rows("wide.csv", csv.as_bytes()).unwrap_err();
        assert!(err.message.contains("… and 99988 more"), "{}", err.message);
        assert!(err.message.len() < 1_000, "{} characters", err.message.len());
    }
}
