//! Importing deals from a CRM export as it comes out of the CRM: a HubSpot deals export, a
//! Pipedrive deals export, a Salesforce opportunities report, Handoff's own eight columns, or any
//! other CSV through a column mapping (saved per agency under a name and offered again).
//!
//! Won rows come in won, at the close the CRM recorded, their Fulfilment owner named by the
//! never-to-a-queue rule; open rows come in open when asked (and are won by a later import once
//! the CRM says so); lost rows stay out. All or nothing: every row is checked before anything is
//! written, and a file with any bad row imports no row. Re-importing rows already imported (same
//! CRM record id, same values) adds nothing; a record imported before with other values is
//! refused.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use handoff_crm::export::{self, shown_columns, Export};
use handoff_crm::formats::{Format, Layout};
use handoff_crm::rows::{self, Outcome, ReadRow, Reading, RowDeal};
use handoff_domain::crm::{ColumnMapping, DateOrder, DealSource, DecimalMark, MappedField, SourceChannel};
use handoff_domain::deal::{Deal, DealEdit, DealStatus, ImportedDeal, NewDeal};
use handoff_domain::directory::{Department, Directory, Person};
use handoff_domain::event::{EventBody, TripPlan};
use handoff_domain::ids::{DealId, EscalationId, PersonId};
use handoff_store::query;
use uuid::Uuid;

use crate::dto::{
    Acting, CrmOutcome, ImportAction, ImportOptions, ImportPreview, ImportResponse, ImportRowDto, MappingChange,
    MappingFieldDto, SavedMappingDto,
};
use crate::input::FUTURE_TOLERANCE_MINUTES;
use crate::{act, ApiError, Ctx, Decision, ErrorCode};

/// Handoff's own columns, in this order.
pub const COLUMNS: [&str; 8] = handoff_crm::formats::HANDOFF_COLUMNS;

/// How many row problems an error message lists before summarising the rest.
const PROBLEMS_SHOWN: usize = 10;

/// Opens an export to import.
fn open(path: &Path) -> Result<File, ApiError> {
    File::open(path).map_err(|e| ApiError::invalid(format!("cannot read {}: {e}", path.display())))
}

/// The file's name, as a deal's source shows it.
fn file_name(source: &str) -> String {
    Path::new(source).file_name().map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned())
}

// ---- the mapping a file is read with ---------------------------------------------------------

/// Reads `--map` text: `title="Deal Name",closed_at="Close Date",won="Closed Won|Won",dates=dmy`.
/// Values may be quoted (a comma inside quotes stays in the value); won and lost values are
/// separated by `|`; `currency` names a column, or the currency of every amount (`currency=EUR`).
pub fn mapping_change(text: &str) -> Result<MappingChange, ApiError> {
    let mut change = MappingChange::default();
    for entry in split_entries(text)? {
        let (key, value) = entry.split_once('=').ok_or_else(|| {
            ApiError::invalid(format!(
                "\"{entry}\" in the column mapping has no \"=\": write each entry as field=Column, such as title=\"Deal Name\""
            ))
        })?;
        let key = key.trim().to_lowercase();
        let value = unquote(value.trim());
        let list = || value.split('|').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect::<Vec<_>>();
        match key.as_str() {
            "won" => change.won = Some(list()),
            "lost" => change.lost = Some(list()),
            "crm" => change.crm = Some(value.clone()),
            "dates" => {
                change.dates = Some(DateOrder::from_key(&value).ok_or_else(|| {
                    ApiError::invalid(format!(
                        "dates={value} is not a date order: write dates=dmy (24/11/2026), dates=mdy (11/24/2026) or dates=ymd (2026-11-24)"
                    ))
                })?)
            }
            "decimal" => {
                change.decimal = Some(DecimalMark::from_key(&value).ok_or_else(|| {
                    ApiError::invalid(format!(
                        "decimal={value} is not a decimal mark: write decimal=dot (1,500.00) or decimal=comma (1.500,00)"
                    ))
                })?)
            }
            "currency" if value.len() == 3 && value.chars().all(|c| c.is_ascii_alphabetic()) => {
                change.currency = Some(value.to_uppercase());
            }
            _ => {
                let field = MappedField::from_key(&key).ok_or_else(|| {
                    let fields: Vec<&str> = MappedField::ALL.iter().map(|f| f.key()).collect();
                    ApiError::invalid(format!(
                        "\"{key}\" is not something a column mapping names: give a field ({}), or won, lost, dates, decimal, currency or crm",
                        fields.join(", ")
                    ))
                })?;
                change.columns.insert(field, value);
            }
        }
    }
    Ok(change)
}

/// Splits mapping text at the commas outside double quotes.
fn split_entries(text: &str) -> Result<Vec<String>, ApiError> {
    let mut entries = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => entries.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    if quoted {
        return Err(ApiError::invalid(format!(
            "the column mapping \"{text}\" opens a quote it does not close: close each quoted column name"
        )));
    }
    entries.push(current);
    Ok(entries.into_iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect())
}

fn unquote(value: &str) -> String {
    value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value).to_string()
}

/// Applies changes to a mapping.
fn changed(mut mapping: ColumnMapping, change: &MappingChange) -> ColumnMapping {
    if change.whole {
        mapping = ColumnMapping { crm: mapping.crm, ..ColumnMapping::default() };
    }
    for (field, column) in &change.columns {
        if column.trim().is_empty() {
            mapping.columns.remove(field);
        } else {
            mapping.columns.insert(*field, column.trim().to_string());
        }
    }
    if let Some(won) = &change.won {
        mapping.won = won.clone();
    }
    if let Some(lost) = &change.lost {
        mapping.lost = lost.clone();
    }
    if change.dates.is_some() {
        mapping.dates = change.dates;
    }
    if change.decimal.is_some() {
        mapping.decimal = change.decimal;
    }
    if let Some(c) = &change.currency {
        mapping.currency = Some(c.clone());
    }
    if let Some(crm) = &change.crm {
        mapping.crm = crm.clone();
    }
    mapping
}

/// The mapping a file is read with, and where it came from.
struct Chosen {
    format: Option<Format>,
    mapping: ColumnMapping,
    /// The saved mapping it started from.
    saved: Option<String>,
}

impl Chosen {
    /// What the file is, in words.
    fn what(&self) -> String {
        match (self.format, &self.saved) {
            (Some(f), _) => f.export_name().to_string(),
            (None, Some(name)) => format!("a CSV export read with the saved mapping \"{name}\""),
            (None, None) => "a CSV export".to_string(),
        }
    }
}

/// Chooses the mapping: the saved one named, else the format the header shows, else a saved
/// mapping whose columns the file has, else none; then the changes given.
fn choose(dir: &Directory, header: &[String], options: &ImportOptions) -> Result<Chosen, ApiError> {
    let format = Format::recognise(header);
    let fits = |m: &ColumnMapping| Layout::locate(m, header).is_ok();
    let (mapping, saved) = match options.mapping.as_deref().map(handoff_domain::directory::composed) {
        Some(name) => match dir.mappings.get(&name) {
            Some(m) => (m.clone(), Some(name)),
            None if options.map.is_empty() && format.is_none() => {
                let names: Vec<&str> = dir.mappings.keys().map(String::as_str).collect();
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    if names.is_empty() {
                        format!("there is no saved column mapping named \"{name}\": the agency has none yet — give the columns to save one under that name")
                    } else {
                        format!(
                            "there is no saved column mapping named \"{name}\": the agency's are {} — or give the columns to save a new one",
                            names.join(", ")
                        )
                    },
                ));
            }
            None => (format.map(|f| f.mapping(header)).unwrap_or_default(), None),
        },
        // A saved mapping that fits the file comes first (for a known CRM, one saved for it:
        // its renamed won stage, say), then the CRM's own.
        None => match dir.mappings.iter().find(|(_, m)| fits(m) && format.is_none_or(|f| m.crm == f.name())) {
            Some((name, m)) => (m.clone(), Some(name.clone())),
            None => (format.map(|f| f.mapping(header)).unwrap_or_default(), None),
        },
    };
    let mut mapping = changed(mapping, &options.map);
    if mapping.crm.is_empty() {
        if let Some(f) = format.filter(|f| *f != Format::Handoff) {
            mapping.crm = f.name().to_string();
        }
    }
    Ok(Chosen { format, mapping, saved })
}

/// Why the rows cannot be read through the mapping, if they cannot.
fn mapping_problem(source: &str, export: &Export, chosen: &Chosen) -> Option<String> {
    let m = &chosen.mapping;
    if chosen.format.is_none() && chosen.saved.is_none() && m.columns.is_empty() {
        return Some(format!(
            "{source} is not an export Handoff knows by its columns (a HubSpot deals export, a Pipedrive deals \
             export, a Salesforce opportunities report, or Handoff's own columns {}): say which column holds each \
             field in a column mapping; its columns are \"{}\"",
            COLUMNS.join(","),
            shown_columns(&export.header)
        ));
    }
    if let Err(e) = m.check() {
        let hints: Vec<&str> = MappedField::REQUIRED
            .into_iter()
            .filter(|f| m.column(*f).is_none())
            .filter_map(|f| chosen.format.and_then(|format| format.hint(f)))
            .collect();
        let mut message = format!("{source} is {}, but {e}", chosen.what());
        if !hints.is_empty() {
            message.push_str(&format!(" ({})", hints.join("; ")));
        }
        message.push_str(&format!("; its columns are \"{}\"", shown_columns(&export.header)));
        return Some(message);
    }
    if let Err(missing) = Layout::locate(m, &export.header) {
        let named: Vec<String> = missing.iter().map(|(f, c)| format!("\"{c}\" (for the {})", f.label())).collect();
        return Some(format!(
            "{source} has no column {}: its columns are \"{}\"",
            named.join(", "),
            shown_columns(&export.header)
        ));
    }
    None
}

// ---- checking the rows -----------------------------------------------------------------------

/// The Sales owner a CRM names: by e-mail, or by name (both without regard to case), or by
/// Handoff's id — never by a part of a name, which could credit the wrong person.
fn owner<'a>(dir: &'a Directory, text: &str) -> Result<&'a Person, String> {
    let t = text.trim();
    if let Ok(id) = t.parse::<PersonId>() {
        if let Some(p) = dir.person(id) {
            return Ok(p);
        }
    }
    let by_email: Vec<&Person> = dir
        .people
        .iter()
        .filter(|p| t.contains('@') && p.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(t)))
        .collect();
    let wanted = handoff_domain::directory::composed(t).to_lowercase();
    let by_name: Vec<&Person> = dir.people.iter().filter(|p| p.name.to_lowercase() == wanted).collect();
    match (by_email.as_slice(), by_name.as_slice()) {
        ([p], _) | ([], [p]) => Ok(p),
        ([], []) => Err(format!(
            "the owner \"{t}\" matches nobody in the agency by e-mail or name: add them as a person of Sales (with that e-mail), or correct the owner in the CRM"
        )),
        _ => Err(format!("the owner \"{t}\" names more than one person: give each a distinct name or their e-mail")),
    }
}

/// Whether a won deal held already is the row's: the fields the CRM owns. The close is compared
/// by its day when the export gives only a day; the handoff only when the row gives one (the
/// meeting in Handoff sets it).
fn same(existing: &Deal, row: &ImportedDeal, cal: &handoff_domain::calendar::Calendar, close_has_time: bool) -> bool {
    let close_same = match existing.closed_at {
        Some(c) if close_has_time => c == row.closed_at,
        Some(c) => cal.local_date(c) == cal.local_date(row.closed_at),
        None => false,
    };
    existing.title == row.title
        && existing.customer == row.customer
        && existing.value == row.value
        && existing.sales_owner == row.sales_owner
        && close_same
        && (row.handoff_at.is_none() || existing.handoff_at == row.handoff_at)
}

/// What of an open deal held already the CRM has changed since (its title, customer, amount).
fn changed_while_open(existing: &Deal, row: &RowDeal) -> Option<DealEdit> {
    let edit = DealEdit {
        title: Some(row.title.clone()).filter(|t| *t != existing.title),
        customer: Some(row.customer.clone()).filter(|c| *c != existing.customer),
        value: Some(row.value.clone()).filter(|v| *v != existing.value),
    };
    (edit.title.is_some() || edit.customer.is_some() || edit.value.is_some()).then_some(edit)
}

/// What changed, in words: "amount, title".
fn changes(edit: &DealEdit) -> String {
    let mut what = Vec::new();
    if edit.title.is_some() {
        what.push("title");
    }
    if edit.customer.is_some() {
        what.push("customer");
    }
    if edit.value.is_some() {
        what.push("amount");
    }
    what.join(", ")
}

/// What one row decided.
struct Verdict {
    action: ImportAction,
    owner_matched: Option<String>,
    note: Option<String>,
    problem: Option<String>,
    /// The events, with when they happened.
    events: Option<(DateTime<Utc>, Vec<EventBody>)>,
}

impl Verdict {
    fn refused(problem: String, owner_matched: Option<String>) -> Verdict {
        Verdict { action: ImportAction::Refused, owner_matched, note: None, problem: Some(problem), events: None }
    }
    fn plain(action: ImportAction, owner_matched: Option<String>, note: Option<String>) -> Verdict {
        Verdict { action, owner_matched, note, problem: None, events: None }
    }
    fn with(self, at: DateTime<Utc>, events: Vec<EventBody>) -> Verdict {
        Verdict { events: Some((at, events)), ..self }
    }
}

/// The rows of an export as checked against the agency and what was imported before.
struct Checked {
    rows: Vec<(ReadRow, Verdict)>,
    dates: Option<DateOrder>,
    decimal: DecimalMark,
}

struct RowContext<'a> {
    conn: &'a handoff_store::Connection,
    dir: &'a Directory,
    source: DealSource,
    with_open: bool,
    now: DateTime<Utc>,
}

impl RowContext<'_> {
    /// The deal that holds a CRM record already, if any.
    fn held(&self, record: &str) -> Result<Option<Deal>, ApiError> {
        if record.is_empty() {
            return Ok(None);
        }
        Ok(match query::deal_by_external_id(self.conn, record)? {
            Some(id) => query::deal(self.conn, id)?,
            None => None,
        })
    }

    /// Why a correction made by an import is made.
    fn reason(&self) -> String {
        match &self.source.channel {
            SourceChannel::Export { file } => format!("changed in {} (the export {file})", self.source.crm),
            SourceChannel::Webhook => format!("changed in {}", self.source.crm),
        }
    }
}

/// A won row's deal, owned by `owner`, as the domain imports it.
fn imported(deal: &RowDeal, owner: PersonId, source: Option<DealSource>) -> ImportedDeal {
    ImportedDeal {
        external_id: deal.external_id.clone(),
        title: deal.title.clone(),
        customer: deal.customer.clone(),
        value: deal.value.clone(),
        sales_owner: owner,
        closed_at: deal.closed_at.expect("a won row's close is read"),
        handoff_at: deal.handoff_at,
        source,
    }
}

fn check_row(ctx: &RowContext<'_>, row: &ReadRow) -> Result<Verdict, ApiError> {
    let record = row.cells.get(&MappedField::ExternalId).map(String::as_str).unwrap_or("");
    // The deal holding the row's record, read once (the cell is the record id the row's deal has).
    let existing = ctx.held(record)?;
    // A row that stays out needs nothing but its record and its outcome: its other cells may be
    // as incomplete as a lost deal's or a lead's often are.
    match row.outcome {
        Outcome::Lost => {
            return Ok(match existing {
                Some(d) if d.status == DealStatus::Open => {
                    let events = d.lose(ctx.dir)?;
                    Verdict::plain(ImportAction::Lost, None, None).with(ctx.now, events)
                }
                _ => Verdict::plain(ImportAction::Skipped, None, Some("lost in the CRM".into())),
            });
        }
        Outcome::Open if !ctx.with_open && existing.as_ref().is_none_or(|d| d.status != DealStatus::Open) => {
            return Ok(Verdict::plain(
                ImportAction::Skipped,
                None,
                Some("open in the CRM: open deals stay out unless you bring them in".into()),
            ));
        }
        Outcome::Open | Outcome::Won => {}
    }
    let deal = match &row.deal {
        Ok(d) => d,
        Err(problem) => return Ok(Verdict::refused(problem.clone(), None)),
    };
    let limit = ctx.now + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES);
    let cal = ctx.dir.calendar()?;
    // An open deal's close date in a CRM is when it is expected to close: it may be ahead.
    let closed = deal.closed_at.filter(|_| row.outcome == Outcome::Won);
    for (what, at) in [("the close", closed), ("the handoff", deal.handoff_at)] {
        if let Some(t) = at.filter(|t| *t > limit) {
            let local = cal.local_datetime(t).format("%Y-%m-%d %H:%M");
            return Ok(Verdict::refused(format!("{what} ({local}) is in the future"), None));
        }
    }
    let person = match owner(ctx.dir, &deal.owner) {
        Ok(p) => p,
        Err(problem) => return Ok(Verdict::refused(problem, None)),
    };
    let matched = Some(person.name.clone());
    let owner_differs = |d: &Deal| {
        (d.sales_owner != person.id).then(|| {
            let held = ctx.dir.person(d.sales_owner).map_or_else(|| d.sales_owner.to_string(), |p| p.name.clone());
            format!("the CRM's owner is {}, Handoff's {held}: left as it is", person.name)
        })
    };
    match (row.outcome, existing) {
        (Outcome::Won, None) | (Outcome::Open, None) if person.dept != Department::Sales => Ok(Verdict::refused(
            format!(
                "the owner {} is in {}, not Sales: a deal's owner is the Sales person who sold it",
                person.name, person.dept
            ),
            matched,
        )),
        (Outcome::Won, None) => {
            let closed_at = deal.closed_at.expect("a won row's close is read");
            let imported = imported(deal, person.id, Some(ctx.source.clone()));
            Ok(match Deal::import(ctx.dir, DealId::from_uuid(Uuid::now_v7()), imported, new_escalation()) {
                Ok(events) => Verdict::plain(ImportAction::New, matched, None).with(closed_at, events),
                Err(e) => Verdict::refused(e.to_string(), matched),
            })
        }
        (Outcome::Won, Some(d)) if d.status == DealStatus::Open => {
            // Won at the CRM's close, or when the deal came in if the CRM dates its close before.
            let closed_at = deal.closed_at.expect("a won row's close is read").max(d.added_at);
            let mut events = Vec::new();
            let mut notes = Vec::new();
            if let Some(edit) = changed_while_open(&d, deal) {
                notes.push(format!("{} changed in the CRM: corrected", changes(&edit)));
                events.extend(d.edit(ctx.dir, edit, ctx.reason())?);
            }
            notes.extend(owner_differs(&d));
            Ok(match d.win(ctx.dir, closed_at, new_escalation()) {
                Ok(win) => {
                    events.extend(win);
                    let note = (!notes.is_empty()).then(|| notes.join("; "));
                    Verdict::plain(ImportAction::Won, matched, note).with(closed_at, events)
                }
                Err(e) => Verdict::refused(e.to_string(), matched),
            })
        }
        (Outcome::Won, Some(d)) => {
            let imported = imported(deal, person.id, None);
            if same(&d, &imported, cal, deal.close_has_time) {
                Ok(Verdict::plain(ImportAction::Unchanged, matched, None))
            } else {
                Ok(Verdict::refused(
                    format!(
                        "CRM record \"{}\" was imported before with other values (as \"{}\"): correct the deal in Handoff first, or give a changed deal a new record id",
                        deal.external_id, d.title
                    ),
                    matched,
                ))
            }
        }
        (Outcome::Open, Some(d)) if d.status == DealStatus::Open => {
            let note = owner_differs(&d);
            match changed_while_open(&d, deal) {
                Some(edit) => {
                    let what = changes(&edit);
                    let events = d.edit(ctx.dir, edit, ctx.reason())?;
                    let note = Some(format!("{what} changed in the CRM"))
                        .into_iter()
                        .chain(note)
                        .collect::<Vec<_>>()
                        .join("; ");
                    Ok(Verdict::plain(ImportAction::Updated, matched, Some(note)).with(ctx.now, events))
                }
                None => Ok(Verdict::plain(ImportAction::Unchanged, matched, note)),
            }
        }
        (Outcome::Open, Some(d)) => Ok(Verdict::plain(
            ImportAction::Skipped,
            matched,
            Some(format!("open in the CRM, but {} in Handoff: left as it is", d.status)),
        )),
        (Outcome::Open, None) => {
            let added_at = deal.created_at.filter(|t| *t <= ctx.now).unwrap_or(ctx.now);
            let new = NewDeal {
                title: deal.title.clone(),
                customer: deal.customer.clone(),
                value: deal.value.clone(),
                sales_owner: person.id,
                trip: TripPlan::default(),
            };
            let id = DealId::from_uuid(Uuid::now_v7());
            Ok(match Deal::add_from_crm(ctx.dir, id, new, deal.external_id.clone(), ctx.source.clone()) {
                Ok(events) => Verdict::plain(ImportAction::Open, matched, None).with(added_at, events),
                Err(e) => Verdict::refused(e.to_string(), matched),
            })
        }
        (Outcome::Lost, _) => unreachable!("a lost row is decided above"),
    }
}

fn new_escalation() -> EscalationId {
    EscalationId::from_uuid(Uuid::now_v7())
}

fn check_rows(ctx: &RowContext<'_>, reading: Reading) -> Result<Checked, ApiError> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::with_capacity(reading.rows.len());
    for row in reading.rows {
        let again =
            row.deal.as_ref().ok().and_then(|d| seen.insert(d.external_id.clone(), row.line).map(|first| (d, first)));
        let verdict = match again {
            Some((d, first)) => Verdict::refused(
                format!("CRM record \"{}\" appears again (first on line {first})", d.external_id),
                None,
            ),
            None => check_row(ctx, &row)?,
        };
        rows.push((row, verdict));
    }
    Ok(Checked { rows, dates: reading.dates, decimal: reading.decimal })
}

fn outcome(o: Outcome) -> CrmOutcome {
    match o {
        Outcome::Won => CrmOutcome::Won,
        Outcome::Open => CrmOutcome::Open,
        Outcome::Lost => CrmOutcome::Lost,
    }
}

fn report(dir: &Directory, row: &ReadRow, verdict: &Verdict) -> ImportRowDto {
    let cell = |f: MappedField| row.cells.get(&f).cloned().unwrap_or_default();
    let cal = dir.calendar().ok();
    let read = row.deal.as_ref().ok();
    ImportRowDto {
        line: row.line,
        external_id: cell(MappedField::ExternalId),
        title: cell(MappedField::Title),
        customer: cell(MappedField::Customer),
        value: cell(MappedField::Value),
        currency: cell(MappedField::Currency),
        owner: cell(MappedField::Owner),
        stage: cell(MappedField::Stage),
        closed_at: cell(MappedField::ClosedAt),
        handoff_at: cell(MappedField::HandoffAt),
        outcome: outcome(row.outcome),
        owner_matched: verdict.owner_matched.clone(),
        value_read: read.map(|d| d.value.to_string()),
        closed_read: read
            .and_then(|d| d.closed_at)
            .zip(cal)
            .map(|(t, cal)| cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string()),
        action: verdict.action,
        note: verdict.note.clone(),
        problem: verdict.problem.as_ref().map(|p| format!("line {}: {p}", row.line)),
    }
}

/// Everything read and checked, ready to show or to write.
struct Prepared {
    export: Export,
    chosen: Chosen,
    problem: Option<String>,
    checked: Option<Checked>,
}

fn prepare(
    conn: &handoff_store::Connection,
    dir: &Directory,
    source: &str,
    export: Export,
    options: &ImportOptions,
    now: DateTime<Utc>,
) -> Result<Prepared, ApiError> {
    let chosen = choose(dir, &export.header, options)?;
    if let Some(problem) = mapping_problem(source, &export, &chosen) {
        return Ok(Prepared { export, chosen, problem: Some(problem), checked: None });
    }
    let layout = Layout::locate(&chosen.mapping, &export.header).expect("checked above");
    let cal = dir.calendar()?;
    let reading = match rows::read_rows(&export, &chosen.mapping, &layout, cal, now) {
        Ok(r) => r,
        Err(problem) => {
            return Ok(Prepared { export, chosen, problem: Some(format!("{source}: {problem}")), checked: None })
        }
    };
    let ctx = RowContext {
        conn,
        dir,
        source: DealSource {
            crm: match (chosen.mapping.crm.as_str(), &options.mapping) {
                ("", Some(name)) => name.clone(),
                ("", None) => "the CRM".to_string(),
                (crm, _) => crm.to_string(),
            },
            channel: SourceChannel::Export { file: file_name(source) },
            received_at: now,
            note: None,
        },
        with_open: options.with_open,
        now,
    };
    let checked = check_rows(&ctx, reading)?;
    Ok(Prepared { export, chosen, problem: None, checked: Some(checked) })
}

fn read_export(source: &str, from: impl Read) -> Result<Export, ApiError> {
    export::read(source, from).map_err(ApiError::invalid)
}

fn count(rows: &[ImportRowDto], action: ImportAction) -> usize {
    rows.iter().filter(|r| r.action == action).count()
}

// ---- the use cases ---------------------------------------------------------------------------

/// What importing an export would do, row by row, without writing anything: the preview (and
/// the mapping step) the app shows before the person confirms.
pub fn import_preview(ctx: &Ctx, path: &Path, options: &ImportOptions) -> Result<ImportPreview, ApiError> {
    import_preview_from(ctx, &path.display().to_string(), open(path)?, options)
}

/// [`import_preview`] of CSV text from any reader; `source` names it in messages and the preview.
pub fn import_preview_from(
    ctx: &Ctx,
    source: &str,
    csv: impl Read,
    options: &ImportOptions,
) -> Result<ImportPreview, ApiError> {
    let export = read_export(source, csv)?;
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let prepared = prepare(c, &dir, source, export, options, now)?;
        let rows: Vec<ImportRowDto> = match &prepared.checked {
            Some(checked) => checked.rows.iter().map(|(row, verdict)| report(&dir, row, verdict)).collect(),
            None => Vec::new(),
        };
        Ok(ImportPreview {
            file: source.to_string(),
            format: prepared.chosen.what(),
            columns: prepared.export.header.clone(),
            mapping: prepared.chosen.mapping.clone(),
            fields: MappedField::ALL
                .into_iter()
                .map(|field| MappingFieldDto {
                    field,
                    label: field.label().to_string(),
                    required: MappedField::REQUIRED.contains(&field),
                    column: prepared.chosen.mapping.column(field).map(str::to_string),
                })
                .collect(),
            mapping_name: prepared.chosen.saved.clone().or(options.mapping.clone()),
            saved_mappings: dir.mappings.keys().cloned().collect(),
            mapping_problem: prepared.problem.clone(),
            dates: prepared.checked.as_ref().and_then(|c| c.dates),
            decimal: prepared.checked.as_ref().map(|c| c.decimal),
            new: count(&rows, ImportAction::New),
            open: count(&rows, ImportAction::Open),
            won: count(&rows, ImportAction::Won),
            lost: count(&rows, ImportAction::Lost),
            updated: count(&rows, ImportAction::Updated),
            unchanged: count(&rows, ImportAction::Unchanged),
            skipped: count(&rows, ImportAction::Skipped),
            refused: count(&rows, ImportAction::Refused),
            rows,
        })
    })
}

/// Rows of an export beyond which its import is a large write (see
/// [`handoff_store::Writer::mark_large`]).
const LARGE_IMPORT_ROWS: usize = 5_000;

/// Imports deals from an export (see the module's documentation).
pub fn import_deals(
    ctx: &Ctx,
    path: &Path,
    options: &ImportOptions,
    acting: Acting,
) -> Result<ImportResponse, ApiError> {
    import_deals_from(ctx, &path.display().to_string(), open(path)?, options, acting)
}

/// [`import_deals`] of CSV text from any reader; `source` names it in messages.
pub fn import_deals_from(
    ctx: &Ctx,
    source: &str,
    csv: impl Read,
    options: &ImportOptions,
    acting: Acting,
) -> Result<ImportResponse, ApiError> {
    let export = read_export(source, csv)?;
    let now = ctx.now();
    act(ctx, &acting, |w, dir, actor, _| {
        let prepared = prepare(w.connection(), dir, source, export, options, now)?;
        if let Some(problem) = prepared.problem {
            return Err(ApiError::new(ErrorCode::MappingNeeded, format!("{problem}; nothing was imported")));
        }
        let checked = prepared.checked.expect("read when there is no problem");
        let mut problems: Vec<String> = checked
            .rows
            .iter()
            .filter_map(|(row, v)| v.problem.as_ref().map(|p| format!("line {}: {p}", row.line)))
            .collect();
        if !problems.is_empty() {
            let n = problems.len();
            let more = n.saturating_sub(PROBLEMS_SHOWN);
            problems.truncate(PROBLEMS_SHOWN);
            let mut message = format!(
                "{source} has {n} bad row{}; nothing was imported — fix them and import again: {}",
                if n == 1 { "" } else { "s" },
                problems.join("; ")
            );
            if more > 0 {
                message.push_str(&format!("; and {more} more"));
            }
            return Err(ApiError::new(ErrorCode::InvalidInput, message));
        }
        let mapping_saved = match &options.mapping {
            Some(name) => {
                let name = handoff_domain::directory::composed(name);
                match dir.save_mapping(&name, prepared.chosen.mapping.clone())? {
                    Some(event) => {
                        w.append(actor, now, now, vec![event])?;
                        Some(name)
                    }
                    None => None,
                }
            }
            None => None,
        };
        let rows: Vec<ImportAction> = checked.rows.iter().map(|(_, v)| v.action).collect();
        let n = |a: ImportAction| rows.iter().filter(|r| **r == a).count();
        let mut escalated = 0;
        // A large export writes its deals all over the deal indexes (by customer, by title): with
        // the ordinary page cache the transaction wrote pages out and read them back as it went.
        if checked.rows.len() >= LARGE_IMPORT_ROWS {
            w.mark_large();
        }
        // Each row is its own backfilled action, dated when it happened; all in this one transaction.
        for (_, verdict) in checked.rows {
            if let Some((at, events)) = verdict.events {
                escalated += events.iter().filter(|e| matches!(e, EventBody::FounderEscalated { .. })).count();
                w.append(actor, at, now, events)?;
            }
        }
        Ok(Decision {
            events: Vec::new(),
            answer: ImportResponse {
                format: prepared.chosen.what(),
                rows: rows.len(),
                imported: n(ImportAction::New),
                opened: n(ImportAction::Open),
                won: n(ImportAction::Won),
                lost: n(ImportAction::Lost),
                updated: n(ImportAction::Updated),
                unchanged: n(ImportAction::Unchanged),
                skipped: n(ImportAction::Skipped),
                escalated,
                mapping_saved,
            },
        })
    })
}

/// The agency's saved column mappings, by name.
pub fn import_mappings(ctx: &Ctx) -> Result<Vec<SavedMappingDto>, ApiError> {
    let dir = ctx.store().read(query::directory)?;
    Ok(dir.mappings.into_iter().map(|(name, mapping)| SavedMappingDto { name, mapping }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_from_a_reader_is_named_by_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Ctx::open(&dir.path().join("import.db"), true).unwrap();
        let init = crate::dto::InitRequest {
            agency: "A".into(),
            timezone: "Europe/London".into(),
            workdays: None,
            hours: None,
            acting: Acting::default(),
        };
        crate::agency::init(&ctx, init).unwrap();
        let csv = "id,title\n1,Lisbon\n";
        let err =
            import_deals_from(&ctx, "the pasted rows", csv.as_bytes(), &ImportOptions::default(), Acting::default())
                .unwrap_err();
        assert_eq!(err.code, ErrorCode::MappingNeeded);
        assert!(err.message.starts_with("the pasted rows is not an export Handoff knows"), "{}", err.message);
        assert!(err.message.contains("its columns are \"id,title\""), "{}", err.message);
    }

    #[test]
    fn mapping_text_reads_quotes_lists_and_options() {
        let change = mapping_change(
            "title=\"Deal Name\",customer=\"Company, Inc\",won=\"Closed Won|Won & Paid\",dates=dmy,decimal=comma,currency=eur,crm=Zoho",
        )
        .unwrap();
        assert_eq!(change.columns.get(&MappedField::Title).map(String::as_str), Some("Deal Name"));
        assert_eq!(change.columns.get(&MappedField::Customer).map(String::as_str), Some("Company, Inc"));
        assert_eq!(change.won, Some(vec!["Closed Won".to_string(), "Won & Paid".to_string()]));
        assert_eq!(change.dates, Some(DateOrder::DayMonthYear));
        assert_eq!(change.decimal, Some(DecimalMark::Comma));
        assert_eq!(change.currency.as_deref(), Some("EUR"));
        assert_eq!(change.crm.as_deref(), Some("Zoho"));
        let column = mapping_change("currency=Deal Currency").unwrap();
        assert_eq!(column.columns.get(&MappedField::Currency).map(String::as_str), Some("Deal Currency"));
    }

    #[test]
    fn bad_mapping_text_says_what_to_write() {
        assert!(mapping_change("title").unwrap_err().message.contains("has no \"=\""));
        assert!(mapping_change("colour=Red").unwrap_err().message.contains("\"colour\" is not something"));
        assert!(mapping_change("dates=ydm").unwrap_err().message.contains("dates=dmy"));
        assert!(mapping_change("decimal=point").unwrap_err().message.contains("decimal=dot"));
        assert!(mapping_change("title=\"Deal Name").unwrap_err().message.contains("opens a quote"));
    }
}
