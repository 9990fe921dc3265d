//! Handoff 1, Sales → Fulfilment: the deal is won and a Fulfilment owner named at that moment
//! (never a queue); the same day, a 15-minute live meeting in which Sales writes the one-page
//! brief and both leads sign it; the meeting ends with both signatures valid, which is the
//! handoff, and creates "Confirm dates with customer" due within 24 hours.
//!
//! | from       | event                        | to         | test                                              |
//! |------------|------------------------------|------------|---------------------------------------------------|
//! | —          | deal_added                   | open       | `a_deal_goes_from_open_to_handed_off`             |
//! | —          | deal_added by a non-Sales owner | refused | `the_owner_must_be_in_sales`                      |
//! | —          | deal_added or deal_imported beyond 2^53 − 1 minor units | refused | `the_fold_refuses_an_amount_no_front_end_can_hold` |
//! | open       | deal_won                     | won        | `a_deal_goes_from_open_to_handed_off`             |
//! | won        | deal_won                     | refused    | `a_deal_won_twice_is_refused`                     |
//! | open       | deal_won naming someone not in fulfilment, or who left | refused | `a_win_names_someone_still_in_fulfilment_or_the_founder` |
//! | open       | deal_won before the deal was added | refused | `times_must_follow_each_other`              |
//! | open       | deal_lost                    | lost       | `a_lost_deal_cannot_be_won`                       |
//! | won        | meeting_started              | won        | `a_deal_goes_from_open_to_handed_off`             |
//! | won        | meeting_started before the close | refused | `times_must_follow_each_other`                   |
//! | won        | brief_section_written        | won        | `an_edit_makes_signatures_stale`                  |
//! | handed-off | brief_section_written        | refused    | `the_brief_is_final_after_the_handoff`            |
//! | won        | brief_section_written before the meeting, or by Fulfilment or Service (decision only) | refused | `sales_writes_the_brief_live_in_the_meeting` |
//! | won        | brief_signed                 | won        | `only_the_two_leads_sign`                         |
//! | won        | brief_signed outside the meeting | refused | `signing_happens_live_in_the_meeting`            |
//! | won        | brief_signed with a section unwritten | refused | `the_brief_is_signed_only_when_every_section_is_written` |
//! | won        | brief_signed twice, same brief | refused  | `a_valid_signature_is_not_given_twice`            |
//! | won        | brief_signed without the signer's own valid key | refused | `a_signature_needs_the_signers_own_valid_key` |
//! | won        | brief_signed not verifying, or over another brief | refused | `the_fold_counts_a_sign_off_only_when_it_verifies_against_the_signers_key` |
//! | won        | meeting_ended (both valid)   | handed-off | `a_deal_goes_from_open_to_handed_off`             |
//! | won        | meeting_ended (one missing or stale) | refused | `meeting_end_is_refused_without_both_signatures` |
//! | won        | meeting_ended before the last signature | refused | `times_must_follow_each_other`            |
//! | won        | meeting_ended with the brief over one page (decision only) | refused | `a_meeting_ends_only_with_a_brief_that_fits_its_page` |
//! | won, h-off | fulfilment_owner_reassigned  | same       | `reassigning_needs_the_new_owner_to_sign`         |
//! | won, h-off | fulfilment_owner_reassigned to a non-Fulfilment person | refused | `reassignment_goes_to_fulfilment_or_the_founder` |
//! | —          | deal_imported                | won, h-off | `imported_deals_fold_to_their_status`             |
//! | —          | deal_imported, handed off before the close | refused | `an_import_handed_off_before_its_close_is_refused` |
//! | —          | won in the CRM (a webhook): deal_added + deal_won at the CRM's close | won | `a_deal_won_in_the_crm_is_added_and_won_at_its_close` |
//! | open       | won in the CRM: deal_won at the CRM's close (not before it was added) | won | `a_deal_won_in_the_crm_is_added_and_won_at_its_close` |
//! | won, h-off, lost | won in the CRM (decision only) | same, no events | `a_deal_won_in_the_crm_is_added_and_won_at_its_close` |
//! | —          | won in the CRM naming nobody in Sales (decision only) | won, the Sales lead owns it, with a note | `a_crm_owner_who_matches_nobody_goes_to_the_sales_lead_with_a_note` |
//! | —          | won in the CRM without its title or amount (decision only) | refused | `a_crm_owner_who_matches_nobody_goes_to_the_sales_lead_with_a_note` |
//! | any else   | any                          | refused    | `the_fold_refuses_illegal_transitions`            |

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{check_owner, escalation, illegal, illegal_arm, local, Deal, DealStatus, FoldContext};
use crate::assignment::{assign, AssignedBecause};
use crate::brief::{Brief, Section, Signature, SignerRole};
use crate::calendar::Calendar;
use crate::crm::{CrmWin, DealSource};
use crate::directory::{check_name, composed, Department, Directory};
use crate::event::{EventBody, TripPlan};
use crate::ids::{DealId, EscalationId, PersonId, TaskId};
use crate::money::Money;
use crate::RuleError;

/// The live handoff meeting is meant to take this long.
pub const MEETING_MINUTES: i64 = 15;
/// The first itinerary task, created when the handoff completes.
pub const FIRST_TASK_TITLE: &str = "Confirm dates with customer";
/// The first task is due this long after the handoff.
pub const FIRST_TASK_DUE_HOURS: i64 = 24;

/// A hand reassignment of the fulfilment owner.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reassignment {
    pub from: PersonId,
    pub to: PersonId,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Who owns the deal in fulfilment: the person named at close, and whoever acts now.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentOwner {
    pub original: PersonId,
    pub because: AssignedBecause,
    pub acting: PersonId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reassignments: Vec<Reassignment>,
}

impl FulfilmentOwner {
    fn named(person: PersonId, because: AssignedBecause) -> Self {
        FulfilmentOwner { original: person, because, acting: person, reassignments: Vec::new() }
    }
}

/// The state of one signer's sign-off on the current brief.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum SignOff {
    /// Never signed by the person now in the role.
    Missing,
    /// Signed, and the brief still hashes to what was signed.
    Valid { at: DateTime<Utc> },
    /// Signed, but the brief was edited afterwards: must be signed again.
    Stale { at: DateTime<Utc> },
}

impl SignOff {
    /// Whether the sign-off counts.
    pub fn is_valid(&self) -> bool {
        matches!(self, SignOff::Valid { .. })
    }
}

/// Something about the live meeting that breaks the playbook: flagged, never refused.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum MeetingFlag {
    /// Longer than the 15 minutes the playbook allows.
    Overran { minutes: i64 },
    /// Not held on the day the deal closed (agency-local dates).
    NotOnCloseDay { close_day: NaiveDate, meeting_day: NaiveDate },
}

impl fmt::Display for MeetingFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeetingFlag::Overran { minutes } => {
                write!(f, "the meeting took {minutes} minutes (the playbook says {MEETING_MINUTES})")
            }
            MeetingFlag::NotOnCloseDay { close_day, meeting_day } => write!(
                f,
                "the meeting was on {meeting_day}, not on the close day {close_day} (the playbook says same day)"
            ),
        }
    }
}

/// The fields of a new deal.
#[derive(Clone, Debug)]
pub struct NewDeal {
    pub title: String,
    pub customer: String,
    pub value: Money,
    pub sales_owner: PersonId,
    pub trip: TripPlan,
}

/// One historical deal from a CRM export.
#[derive(Clone, Debug)]
pub struct ImportedDeal {
    pub external_id: String,
    pub title: String,
    pub customer: String,
    pub value: Money,
    pub sales_owner: PersonId,
    pub closed_at: DateTime<Utc>,
    pub handoff_at: Option<DateTime<Utc>>,
    /// Where it came from, when a CRM's export or webhook sent it.
    pub source: Option<DealSource>,
}

/// A deal's owner is the Sales person who sold it.
fn check_sales_person(dir: &Directory, id: PersonId) -> Result<(), RuleError> {
    let p = dir.person(id).ok_or_else(|| RuleError::UnknownPerson(id.to_string()))?;
    if p.dept != Department::Sales {
        return Err(RuleError::WrongDepartment {
            person: p.name.clone(),
            actual: p.dept.to_string(),
            expected: "sales".into(),
            hint: "a deal's owner is the Sales person who sold it",
        });
    }
    Ok(())
}

impl Deal {
    // ---- decisions -------------------------------------------------------------------------

    /// Adds a deal owned by a Sales person.
    pub fn add(dir: &Directory, id: DealId, new: NewDeal) -> Result<Vec<EventBody>, RuleError> {
        dir.agency()?;
        let new = NewDeal { title: composed(&new.title), customer: composed(&new.customer), ..new };
        check_name("the deal title", &new.title)?;
        check_name("the customer", &new.customer)?;
        check_sales_person(dir, new.sales_owner)?;
        if let Some(owner) = dir.person(new.sales_owner) {
            owner.check_present("a new deal is owned by someone still in Sales")?;
        }
        super::fulfilment_to_service::check_trip(&new.trip)?;
        Ok(vec![EventBody::DealAdded {
            deal: id,
            title: new.title,
            customer: new.customer,
            value: new.value,
            sales_owner: new.sales_owner,
            trip: new.trip,
            external_id: None,
            source: None,
        }])
    }

    /// Adds a deal still open in the CRM it came from, under the CRM's record id: it is won
    /// later, when the CRM says so.
    pub fn add_from_crm(
        dir: &Directory,
        id: DealId,
        new: NewDeal,
        external_id: String,
        source: DealSource,
    ) -> Result<Vec<EventBody>, RuleError> {
        check_name("the external id", &external_id)?;
        let mut events = Deal::add(dir, id, new)?;
        if let Some(EventBody::DealAdded { external_id: e, source: s, .. }) = events.first_mut() {
            *e = Some(external_id);
            *s = Some(source);
        }
        Ok(events)
    }

    /// The deal is won at `at`: name the fulfilment owner now, never a queue.
    pub fn win(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Open, cal, "only an open deal can be won")?;
        if at < self.added_at {
            return Err(self.out_of_order(cal, "the win", at, "the deal was added", self.added_at));
        }
        let day = cal.local_date(at);
        let a = assign(dir, Department::Fulfilment, day)?;
        let mut events =
            vec![EventBody::DealWon { deal: self.id, fulfilment_owner: a.person, assigned_because: a.because }];
        events.extend(escalation(a.because, escalation_id, self.id, a.person, Department::Fulfilment, day));
        Ok(events)
    }

    /// The deal is lost.
    pub fn lose(&self, dir: &Directory) -> Result<Vec<EventBody>, RuleError> {
        self.require(DealStatus::Open, dir.calendar()?, "only an open deal can be lost")?;
        Ok(vec![EventBody::DealLost { deal: self.id }])
    }

    /// A historical deal from a CRM export: closed at `closed_at`, owner named by the same rule.
    pub fn import(
        dir: &Directory,
        id: DealId,
        row: ImportedDeal,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        check_name("the external id", &row.external_id)?;
        check_name("the deal title", &row.title)?;
        check_name("the customer", &row.customer)?;
        check_sales_person(dir, row.sales_owner)?;
        if let Some(h) = row.handoff_at {
            if h < row.closed_at {
                return Err(RuleError::OutOfOrder {
                    deal: row.title,
                    what: "handoff_at",
                    at: local(cal, h),
                    before: "closed_at",
                    before_at: local(cal, row.closed_at),
                });
            }
        }
        let day = cal.local_date(row.closed_at);
        let a = assign(dir, Department::Fulfilment, day)?;
        let mut events = vec![EventBody::DealImported {
            deal: id,
            external_id: row.external_id,
            title: row.title,
            customer: row.customer,
            value: row.value,
            sales_owner: row.sales_owner,
            closed_at: row.closed_at,
            handoff_at: row.handoff_at,
            fulfilment_owner: a.person,
            assigned_because: a.because,
            source: row.source,
        }];
        events.extend(escalation(a.because, escalation_id, id, a.person, Department::Fulfilment, day));
        Ok(events)
    }

    /// A deal the CRM reports won, through a webhook: a deal Handoff holds open (it came in from
    /// an export) is won at the CRM's close; one Handoff holds lost is reopened ("won in the CRM")
    /// and won; a deal it does not hold is added and won at that close, owned by the Sales person
    /// the CRM names (by e-mail or name) — or, when the CRM names nobody in Sales (or more than
    /// one), by the Sales lead (the one Sales person, else the founder), with a note saying so. A
    /// deal won already or handed off is left as it is (no events).
    pub fn won_in_crm(
        dir: &Directory,
        held: Option<&Deal>,
        win: CrmWin,
        mut source: DealSource,
        id: DealId,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        if let Some(deal) = held {
            return match deal.status {
                DealStatus::Open => deal.win(dir, win.closed_at.max(deal.added_at), escalation_id),
                DealStatus::Lost => {
                    let mut events = deal.reopen(dir, format!("won in {}", source.crm))?;
                    let reopened = Deal { status: DealStatus::Open, lost_at: None, ..deal.clone() };
                    events.extend(reopened.win(dir, win.closed_at.max(deal.added_at), escalation_id)?);
                    Ok(events)
                }
                DealStatus::Won | DealStatus::HandedOff => Ok(Vec::new()),
            };
        }
        let unknown = |what: &str| RuleError::CrmWinUnknown {
            crm: source.crm.clone(),
            record: win.record_id.clone(),
            missing: what.to_string(),
        };
        let title = win.title.clone().ok_or_else(|| unknown("its title"))?;
        let value = win.value.clone().ok_or_else(|| unknown("its amount"))?;
        let mut notes = Vec::new();
        let sales = |p: &&crate::directory::Person| p.dept == Department::Sales && p.retired.is_none();
        let named = win.owner.as_deref().map(str::trim).filter(|o| !o.is_empty());
        let matched = named.map(|owner| {
            let by_email: Vec<_> = dir
                .people
                .iter()
                .filter(sales)
                .filter(|p| p.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(owner)))
                .collect();
            let by_name: Vec<_> =
                dir.people.iter().filter(sales).filter(|p| p.name.to_lowercase() == owner.to_lowercase()).collect();
            match (by_email.as_slice(), by_name.as_slice()) {
                ([p], _) | ([], [p]) => Ok(p.id),
                ([], []) => Err("matches nobody in Sales by e-mail or name"),
                _ => Err("names more than one person in Sales"),
            }
        });
        let owner = match matched {
            Some(Ok(p)) => p,
            unmatched => {
                // Never to a queue: the Sales lead, else the one Sales person (a deal's owner is
                // of Sales, so the founder cannot take it).
                let lead =
                    match dir.leads_of(Department::Sales).as_slice() {
                        [one] => *one,
                        _ => return Err(RuleError::CrmWinUnknown {
                            crm: source.crm.clone(),
                            record: win.record_id.clone(),
                            missing:
                                "a Sales owner Handoff knows, and the agency names no Sales lead to take it (name one)"
                                    .into(),
                        }),
                    };
                let lead_name = dir.person(lead).map_or_else(|| lead.to_string(), |p| p.name.clone());
                notes.push(match (named, unmatched) {
                    (Some(o), Some(Err(why))) => format!(
                        "{}'s owner \"{o}\" {why}: {lead_name}, the Sales lead, owns the deal — correct it if someone else sold it",
                        source.crm
                    ),
                    _ => format!("{} named no owner: {lead_name}, the Sales lead, owns the deal", source.crm),
                });
                lead
            }
        };
        let customer = match win.customer.clone().filter(|c| !c.trim().is_empty()) {
            Some(c) => c,
            None => {
                notes.push(format!("{}'s webhook does not name the customer: correct it on the deal", source.crm));
                format!("{} customer of \"{title}\"", source.crm)
            }
        };
        if !notes.is_empty() {
            source.note = Some(notes.join("; "));
        }
        let new = NewDeal { title, customer, value, sales_owner: owner, trip: TripPlan::default() };
        let mut events = Deal::add_from_crm(dir, id, new, win.record_id.clone(), source)?;
        let cal = dir.calendar()?;
        let day = cal.local_date(win.closed_at);
        let a = assign(dir, Department::Fulfilment, day)?;
        events.push(EventBody::DealWon { deal: id, fulfilment_owner: a.person, assigned_because: a.because });
        events.extend(escalation(a.because, escalation_id, id, a.person, Department::Fulfilment, day));
        Ok(events)
    }

    /// The 15-minute live meeting starts.
    pub fn start_meeting(&self, dir: &Directory, at: DateTime<Utc>) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "the handoff meeting is for a won deal")?;
        if let Some(started) = self.meeting_started_at {
            return Err(RuleError::AlreadyInMeeting { deal: self.title.clone(), started: local(cal, started) });
        }
        let closed = self.closed_at.unwrap_or(at);
        if at < closed {
            return Err(self.out_of_order(cal, "the meeting start", at, "the close", closed));
        }
        Ok(vec![EventBody::MeetingStarted { deal: self.id }])
    }

    /// Sales writes (or rewrites) one section of the brief, live in the meeting: the playbook's
    /// brief is "written by Sales during the meeting". `writer` is who writes, when known: someone
    /// of Sales, or the founder; never Fulfilment, who signs what Sales wrote.
    pub fn write_section(
        &self,
        dir: &Directory,
        writer: Option<PersonId>,
        section: Section,
        text: String,
    ) -> Result<Vec<EventBody>, RuleError> {
        self.can_write_brief(dir, writer)?;
        Brief::check_text(&text)?;
        let seen = self.brief.sections.get(&section).map(String::as_str).unwrap_or("");
        let seen_sha256 = Some(crate::trip::text_sha256(seen));
        Ok(vec![EventBody::BriefSectionWritten { deal: self.id, section, text, seen_sha256 }])
    }

    /// Whether `writer` (when known) may write the brief now: the deal is won and not yet handed
    /// off, its meeting has started, and the writer is of Sales or the founder.
    pub fn can_write_brief(&self, dir: &Directory, writer: Option<PersonId>) -> Result<(), RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "the brief is written for a won deal, before the handoff completes")?;
        if let Some(person) = writer.and_then(|w| dir.person(w)) {
            if !matches!(person.dept, Department::Sales | Department::Founder) {
                return Err(RuleError::NotTheBriefWriter {
                    deal: self.title.clone(),
                    person: person.name.clone(),
                    sales: dir.name_of(self.sales_owner),
                    dept: person.dept.as_str(),
                });
            }
        }
        if self.meeting_started_at.is_none() {
            return Err(RuleError::NotInMeeting { deal: self.title.clone(), doing: "Sales writes the brief live" });
        }
        Ok(())
    }

    /// Whether `signer` may sign the brief as it is now at `at`, and in which role: one of the two
    /// leads, live in the meeting, not already signed as the brief reads now. Everything
    /// [`Deal::sign`] checks but the key, so a front end can say so before asking for a passphrase.
    pub fn can_sign(&self, dir: &Directory, signer: PersonId, at: DateTime<Utc>) -> Result<SignerRole, RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "the brief is signed during the handoff meeting")?;
        let fulfilment = self.acting_fulfilment_owner();
        let role = if signer == self.sales_owner {
            SignerRole::Sales
        } else if Some(signer) == fulfilment {
            SignerRole::Fulfilment
        } else {
            return Err(RuleError::NotASigner {
                deal: self.title.clone(),
                person: dir.name_of(signer),
                sales: dir.name_of(self.sales_owner),
                fulfilment: fulfilment.map(|f| dir.name_of(f)).unwrap_or_default(),
            });
        };
        let Some(started) = self.meeting_started_at else {
            return Err(RuleError::NotInMeeting { deal: self.title.clone(), doing: "sign-off happens live" });
        };
        if at < started {
            return Err(self.out_of_order(cal, "the signature", at, "the meeting start", started));
        }
        let unwritten = self.brief.unwritten();
        if !unwritten.is_empty() {
            let titles: Vec<&str> = unwritten.iter().map(|s| s.title()).collect();
            let missing = match titles.as_slice() {
                [one] => format!("\"{one}\" is"),
                [rest @ .., last] => format!(
                    "{} and \"{last}\" are",
                    rest.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
                ),
                [] => unreachable!("not empty"),
            };
            return Err(RuleError::BriefIncomplete { deal: self.title.clone(), missing });
        }
        if let SignOff::Valid { at: signed } = self.sign_off(role) {
            return Err(RuleError::AlreadySigned {
                deal: self.title.clone(),
                person: dir.name_of(signer),
                at: local(cal, signed),
            });
        }
        Ok(role)
    }

    /// A signer signs the brief as it is now, with their own secret key: one the log has
    /// registered to them and not revoked.
    pub fn sign(
        &self,
        dir: &Directory,
        signer: PersonId,
        at: DateTime<Utc>,
        secret: &[u8; 32],
    ) -> Result<Vec<EventBody>, RuleError> {
        let role = self.can_sign(dir, signer, at)?;
        let key_fingerprint = crate::signing::fingerprint(&crate::signing::public_key(secret));
        if dir.keys.valid_key_of(signer, &key_fingerprint).is_none() {
            let name = dir.name_of(signer);
            return Err(match dir.keys.signing_key(&key_fingerprint) {
                Some(k) if k.person == signer => RuleError::KeyRevoked { person: name, fingerprint: key_fingerprint },
                _ => RuleError::NoSigningKey { person: name },
            });
        }
        let brief_sha256 = self.brief.sha256(self.id);
        let message = crate::signing::signoff_message(self.id, signer, role, at, &brief_sha256);
        Ok(vec![EventBody::BriefSigned {
            deal: self.id,
            signer,
            role,
            key_fingerprint,
            signature: crate::signing::sign(secret, &message),
            brief_sha256,
        }])
    }

    /// The meeting ends and the handoff completes: both signatures must be valid. Creates the
    /// first task and, when the trip's start is known, schedules the service handoff.
    pub fn end_meeting(
        &self,
        dir: &Directory,
        at: DateTime<Utc>,
        task: TaskId,
        escalation_id: EscalationId,
    ) -> Result<Vec<EventBody>, RuleError> {
        self.can_end_meeting(dir, at)?;
        let owner = self.acting_fulfilment_owner().expect("a won deal has a fulfilment owner");
        let mut events = vec![
            EventBody::MeetingEnded { deal: self.id },
            EventBody::TaskCreated {
                task,
                deal: self.id,
                title: FIRST_TASK_TITLE.into(),
                owner,
                due_at: at + Duration::hours(FIRST_TASK_DUE_HOURS),
            },
        ];
        events.extend(self.schedule_service(dir, escalation_id)?);
        Ok(events)
    }

    /// Whether the meeting can end at `at`, and why not: a won deal's meeting under way, both
    /// signatures valid for the brief as it is.
    pub fn can_end_meeting(&self, dir: &Directory, at: DateTime<Utc>) -> Result<(), RuleError> {
        let cal = dir.calendar()?;
        self.require(DealStatus::Won, cal, "only a won deal's meeting can end")?;
        let Some(started) = self.meeting_started_at else {
            return Err(RuleError::NotInMeeting { deal: self.title.clone(), doing: "there is no meeting to end" });
        };
        if at < started {
            return Err(self.out_of_order(cal, "the meeting end", at, "the meeting start", started));
        }
        if let Some(last) = self.last_signature_at().filter(|last| at < *last) {
            return Err(self.out_of_order(cal, "the meeting end", at, "the last signature", last));
        }
        let missing: Vec<String> = [SignerRole::Sales, SignerRole::Fulfilment]
            .into_iter()
            .filter_map(|role| {
                let name = self.signer(role).map(|p| dir.name_of(p)).unwrap_or_default();
                match self.sign_off(role) {
                    SignOff::Valid { .. } => None,
                    SignOff::Missing => Some(format!("{name} ({}) has not signed", role.as_str())),
                    SignOff::Stale { .. } => {
                        Some(format!("{name}'s ({}) signature is stale: the brief changed after it", role.as_str()))
                    }
                }
            })
            .collect();
        if !missing.is_empty() {
            return Err(RuleError::SignaturesMissing { deal: self.title.clone(), missing: missing.join("; ") });
        }
        Ok(())
    }

    /// The brief is one page: the meeting ends only when it fits. The page is measured by the
    /// layout, which the caller passes in (`over_percent`: how far over it runs, when it does
    /// not fit); the log keeps no measure, so this is the decision's rule alone — a layout
    /// change in a later version must never unfold a handoff already made.
    pub fn check_one_page(&self, over_percent: Option<f32>) -> Result<(), RuleError> {
        match over_percent {
            Some(over) => {
                Err(RuleError::BriefOverOnePage { deal: self.title.clone(), over_percent: over.ceil().max(1.0) as u32 })
            }
            None => Ok(()),
        }
    }

    /// Hands the fulfilment side to someone else, with a reason.
    pub fn reassign(&self, dir: &Directory, to: PersonId, reason: String) -> Result<Vec<EventBody>, RuleError> {
        let cal = dir.calendar()?;
        self.require_delivery(cal, "only a won deal has a fulfilment owner to reassign")?;
        check_name("the reason", &reason)?;
        let from = self.acting_fulfilment_owner().expect("a won deal has a fulfilment owner");
        let name = check_owner(dir, to, Department::Fulfilment)?;
        if to == from {
            return Err(RuleError::SameOwner {
                deal: self.title.clone(),
                person: name.to_string(),
                dept: "fulfilment",
            });
        }
        Ok(vec![EventBody::FulfilmentOwnerReassigned { deal: self.id, from, to, reason }])
    }

    // ---- queries ----------------------------------------------------------------------------

    /// Who signs the brief in `role`: the Sales author; the Fulfilment owner — the one who was
    /// acting when the handoff completed, so a later reassignment never unsigns a signed brief.
    pub fn signer(&self, role: SignerRole) -> Option<PersonId> {
        match role {
            SignerRole::Sales => Some(self.sales_owner),
            SignerRole::Fulfilment => self.handoff_fulfilment_signer.or_else(|| self.acting_fulfilment_owner()),
        }
    }

    /// The sign-off of whoever signs in `role`, against the brief as it is now.
    pub fn sign_off(&self, role: SignerRole) -> SignOff {
        let holder = self.signer(role);
        let current = self.brief.sha256(self.id);
        match self.signatures.iter().rev().find(|s| s.role == role && Some(s.signer) == holder) {
            None => SignOff::Missing,
            Some(s) if s.brief_sha256 == current => SignOff::Valid { at: s.at },
            Some(s) => SignOff::Stale { at: s.at },
        }
    }

    /// Whether both sign-offs count against the brief as it is now.
    pub fn both_signed(&self) -> bool {
        self.sign_off(SignerRole::Sales).is_valid() && self.sign_off(SignerRole::Fulfilment).is_valid()
    }

    fn last_signature_at(&self) -> Option<DateTime<Utc>> {
        self.signatures.iter().map(|s| s.at).max()
    }

    /// What about the meeting breaks the playbook (overran, not on the close day).
    pub fn meeting_flags(&self, cal: &Calendar) -> Vec<MeetingFlag> {
        let mut flags = Vec::new();
        let (Some(start), Some(closed)) = (self.meeting_started_at, self.closed_at) else {
            return flags;
        };
        if let Some(end) = self.meeting_ended_at {
            let minutes = (end - start).num_minutes();
            if end - start > Duration::minutes(MEETING_MINUTES) {
                flags.push(MeetingFlag::Overran { minutes });
            }
        }
        let (close_day, meeting_day) = (cal.local_date(closed), cal.local_date(start));
        if close_day != meeting_day {
            flags.push(MeetingFlag::NotOnCloseDay { close_day, meeting_day });
        }
        flags
    }

    // ---- the fold ---------------------------------------------------------------------------

    /// The deal a `deal_added` or `deal_imported` event creates.
    pub(super) fn created(body: &EventBody, at: DateTime<Utc>, ctx: &FoldContext<'_>) -> Result<Deal, RuleError> {
        let refuse = |e: RuleError| illegal(body, &e.to_string());
        if let EventBody::DealAdded { value, .. } | EventBody::DealImported { value, .. } = body {
            if value.minor.unsigned_abs() > crate::money::MAX_MINOR.unsigned_abs() {
                return Err(illegal(body, "the amount is beyond 2^53 − 1 minor units"));
            }
        }
        match body {
            EventBody::DealAdded { deal, title, customer, value, sales_owner, trip, external_id, source } => {
                check_sales_person(ctx.directory, *sales_owner).map_err(refuse)?;
                let mut d = Deal::new(*deal, title, customer, value, *sales_owner, trip.clone(), at);
                d.external_id = external_id.clone();
                d.source = source.clone();
                Ok(d)
            }
            EventBody::DealImported {
                deal,
                external_id,
                title,
                customer,
                value,
                sales_owner,
                closed_at,
                handoff_at,
                fulfilment_owner,
                assigned_because,
                source,
            } => {
                check_sales_person(ctx.directory, *sales_owner).map_err(refuse)?;
                if handoff_at.is_some_and(|h| h < *closed_at) {
                    return Err(illegal(body, "handed off before it closed"));
                }
                let mut d = Deal::new(*deal, title, customer, value, *sales_owner, TripPlan::default(), at);
                d.external_id = Some(external_id.clone());
                d.source = source.clone();
                d.closed_at = Some(*closed_at);
                d.handoff_at = *handoff_at;
                d.status = if handoff_at.is_some() { DealStatus::HandedOff } else { DealStatus::Won };
                d.fulfilment = Some(FulfilmentOwner::named(*fulfilment_owner, *assigned_because));
                Ok(d)
            }
            other => Err(illegal(other, "does not create a deal")),
        }
    }

    /// The fold arms of handoff 1.
    pub(super) fn apply_sales_to_fulfilment(
        &mut self,
        body: &EventBody,
        at: DateTime<Utc>,
        ctx: &FoldContext<'_>,
    ) -> Result<(), RuleError> {
        let illegal = |reason: &str| illegal(body, reason);
        match body {
            EventBody::DealWon { fulfilment_owner, assigned_because, .. } => {
                if self.status != DealStatus::Open {
                    return Err(illegal("only an open deal can be won"));
                }
                if at < self.added_at {
                    return Err(illegal("a deal is won no earlier than it was added"));
                }
                check_owner(ctx.directory, *fulfilment_owner, Department::Fulfilment)
                    .map_err(|e| illegal(&e.to_string()))?;
                self.status = DealStatus::Won;
                self.closed_at = Some(at);
                self.fulfilment = Some(FulfilmentOwner::named(*fulfilment_owner, *assigned_because));
            }
            EventBody::DealLost { .. } => {
                if self.status != DealStatus::Open {
                    return Err(illegal("only an open deal can be lost"));
                }
                self.status = DealStatus::Lost;
                self.lost_at = Some(at);
            }
            EventBody::MeetingStarted { .. } => {
                if self.status != DealStatus::Won || self.meeting_started_at.is_some() {
                    return Err(illegal("a meeting starts once, on a won deal"));
                }
                if self.closed_at.is_some_and(|closed| at < closed) {
                    return Err(illegal("the meeting cannot start before the close"));
                }
                self.meeting_started_at = Some(at);
            }
            EventBody::BriefSectionWritten { section, text, .. } => {
                if self.status != DealStatus::Won {
                    return Err(illegal("the brief is written on a won deal before the handoff"));
                }
                self.brief.sections.insert(*section, text.clone());
            }
            EventBody::BriefSigned { signer, role, brief_sha256, key_fingerprint, signature, .. } => {
                if self.status != DealStatus::Won
                    || self.meeting_started_at.is_none()
                    || self.signer(*role) != Some(*signer)
                {
                    return Err(illegal("only the two leads sign, during the meeting"));
                }
                if self.meeting_started_at.is_some_and(|started| at < started) {
                    return Err(illegal("a signature cannot come before the meeting start"));
                }
                if self.sign_off(*role).is_valid() {
                    return Err(illegal("this version of the brief is signed already in that role"));
                }
                if *brief_sha256 != self.brief.sha256(self.id) {
                    return Err(illegal("a signature binds the brief as it reads at that moment"));
                }
                let key = ctx
                    .directory
                    .keys
                    .valid_key_of(*signer, key_fingerprint)
                    .ok_or_else(|| illegal("the signer has no registered, unrevoked key with that fingerprint"))?;
                let message = crate::signing::signoff_message(self.id, *signer, *role, at, brief_sha256);
                if !crate::signing::verify(&key.public_key, &message, signature) {
                    return Err(illegal("the signature does not verify against the signer's key"));
                }
                self.signatures.push(Signature {
                    signer: *signer,
                    role: *role,
                    at,
                    brief_sha256: brief_sha256.clone(),
                    key_fingerprint: key_fingerprint.clone(),
                    signature: signature.clone(),
                });
            }
            EventBody::MeetingEnded { .. } => {
                if self.status != DealStatus::Won || self.meeting_started_at.is_none() || !self.both_signed() {
                    return Err(illegal("the meeting ends with both signatures valid"));
                }
                let last = self.last_signature_at().into_iter().chain(self.meeting_started_at).max();
                if last.is_some_and(|last| at < last) {
                    return Err(illegal("the meeting cannot end before its start or the last signature"));
                }
                self.status = DealStatus::HandedOff;
                self.meeting_ended_at = Some(at);
                self.handoff_at = Some(at);
                self.handoff_fulfilment_signer = self.acting_fulfilment_owner();
            }
            EventBody::FulfilmentOwnerReassigned { from, to, reason, .. } => {
                if !self.is_delivering() {
                    return Err(illegal("only a won deal has a fulfilment owner"));
                }
                check_owner(ctx.directory, *to, Department::Fulfilment).map_err(|e| illegal(&e.to_string()))?;
                let f = self.fulfilment.as_mut().ok_or_else(|| illegal("the deal has no fulfilment owner"))?;
                if f.acting != *from || from == to {
                    return Err(illegal("reassigned from someone who is not the owner, or to the owner"));
                }
                f.acting = *to;
                f.reassignments.push(Reassignment { from: *from, to: *to, reason: reason.clone(), at });
                for t in self.tasks.iter_mut().filter(|t| t.owner == *from && t.done_at.is_none()) {
                    t.owner = *to;
                }
            }
            other => return Err(illegal_arm(other)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
