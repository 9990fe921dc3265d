//! Merging the logs of several laptops. Every laptop folds the same events in the same order —
//! by clock stamp, then id — so every laptop reaches the same state. What one laptop did without
//! having seen what another did first can break a rule once the two logs meet; then one
//! *action* (its events on one deal, or on the directory) is settled whole:
//!
//! - **applied** — it breaks no rule. When it replaced text its author had not seen (a brief
//!   section or a traveller's preference written on two laptops at once), the last writer by
//!   clock stamp wins and the replaced text is kept in a conflict note;
//! - **already so** — another laptop did the same first (a second meeting end, a task done
//!   twice, a key revoked twice): skipped, and nothing to tell anyone;
//! - **skipped** — the rules refuse it after what came first (a deal won twice: the first win
//!   counts): skipped whole, and recorded as a conflict naming both sides.
//!
//! | rule | kind | test |
//! |---|---|---|
//! | the first win counts; a later win or loss is a conflict naming both proposed owners | `won-twice`, `won-and-lost` | `the_first_win_counts_and_a_later_win_or_loss_names_both` |
//! | a second meeting end is skipped: never two "Confirm dates" tasks | already so | `a_second_meeting_end_is_already_so` |
//! | one brief section written on two laptops: the last by clock stamp wins, the other kept | `section-overwritten` | `the_last_writer_of_a_section_wins_and_the_overwritten_text_is_kept` |
//! | a sign-off counts only over the brief as it finally reads | `sign-off-stale` | `a_sign_off_over_a_replaced_brief_does_not_count` |
//! | meeting end against a concurrent edit: whichever is first stands | `edited-after-handoff`, `ended-after-edit` | `meeting_end_and_a_concurrent_edit_whichever_is_first_stands` |
//! | two reassignments: the first counts; the second is a conflict unless it names the same person | `reassigned-twice` | `two_reassignments_the_first_counts_unless_both_name_the_same_person` |
//! | traveller edits merge per preference topic | `traveller-overwritten` | `traveller_edits_merge_per_topic` |
//! | an itinerary item edited and removed: removal wins | `removed-item-edited` | `an_item_edited_and_removed_stays_removed` |
//! | settings, staffing and calendar: the last writer per field | — | `settings_and_staffing_take_the_last_writer_per_field` |
//! | away periods, keys, asks and tasks are sets | already so | `sets_take_each_member_once` |
//! | the same external id imported twice: the first counts (found by the store) | `imported-twice` | store: `the_same_external_id_imported_on_two_laptops_counts_once` |
//! | an event of a newer Handoff is kept, not folded | `newer-version` | store: `an_event_of_a_newer_version_is_kept_and_asks_for_an_update` |
//!
//! A lead settles a conflict ([`settle`]) in one action: keeps what stands, or takes the
//! [`OtherVersion`] — new events that restore it, then `conflict_settled`.
//!
//! | rule | test |
//! |---|---|
//! | taking a second win or reassignment hands the fulfilment side to the owner it named | `taking_the_other_win_reassigns_to_the_owner_it_named` |
//! | taking replaced text writes it again; what already reads so is left | `taking_the_other_text_writes_the_replaced_section_and_preference_again` |
//! | a lead or the founder settles, once; nothing to take is refused; a newer Handoff's event is not settled | `settling_is_for_a_lead_once_and_takes_only_what_can_be_taken` |
//! | settled on two laptops at once: the first counts, the other is left out whole (found by the store) | store: `a_version_taken_after_another_laptop_kept_what_stood_is_left_out_whole` |

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::brief::Section;
use crate::deal::{Deal, DealStatus, FoldContext};
use crate::directory::Directory;
use crate::event::Settlement;
use crate::event::{Event, EventBody};
use crate::ids::{DealId, EventId, PersonId, TravellerId};
use crate::trip::{text_sha256, PreferenceTopic};
use crate::RuleError;

/// What kind of conflict a merge met.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// The deal was won on two laptops: the first win counts.
    WonTwice,
    /// Won on one laptop, lost on another: the first counts.
    WonAndLost,
    /// A brief section written on two laptops at once: the last writer wins.
    SectionOverwritten,
    /// A sign-off given over a version of the brief another laptop's edit replaced.
    SignOffStale,
    /// A brief edit that came after the meeting ended on another laptop.
    EditedAfterHandoff,
    /// A meeting end that came after another laptop's edit made the signatures stale.
    EndedAfterEdit,
    /// The fulfilment owner reassigned on two laptops to different people: the first counts.
    ReassignedTwice,
    /// One preference (or the name) of a traveller edited on two laptops: the last writer wins.
    TravellerOverwritten,
    /// An itinerary item edited on one laptop and removed on another: the removal stands.
    RemovedItemEdited,
    /// The same CRM record imported on two laptops: the first import counts.
    ImportedTwice,
    /// Recorded by a newer version of Handoff: kept, not folded until this laptop is updated.
    NewerVersion,
    /// Any other action the rules refuse once the logs met.
    Refused,
}

impl ConflictKind {
    /// Every kind.
    pub const ALL: [ConflictKind; 12] = [
        ConflictKind::WonTwice,
        ConflictKind::WonAndLost,
        ConflictKind::SectionOverwritten,
        ConflictKind::SignOffStale,
        ConflictKind::EditedAfterHandoff,
        ConflictKind::EndedAfterEdit,
        ConflictKind::ReassignedTwice,
        ConflictKind::TravellerOverwritten,
        ConflictKind::RemovedItemEdited,
        ConflictKind::ImportedTwice,
        ConflictKind::NewerVersion,
        ConflictKind::Refused,
    ];

    /// The word stored for the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::WonTwice => "won-twice",
            ConflictKind::WonAndLost => "won-and-lost",
            ConflictKind::SectionOverwritten => "section-overwritten",
            ConflictKind::SignOffStale => "sign-off-stale",
            ConflictKind::EditedAfterHandoff => "edited-after-handoff",
            ConflictKind::EndedAfterEdit => "ended-after-edit",
            ConflictKind::ReassignedTwice => "reassigned-twice",
            ConflictKind::TravellerOverwritten => "traveller-overwritten",
            ConflictKind::RemovedItemEdited => "removed-item-edited",
            ConflictKind::ImportedTwice => "imported-twice",
            ConflictKind::NewerVersion => "newer-version",
            ConflictKind::Refused => "refused",
        }
    }
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ConflictKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConflictKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown conflict kind \"{s}\""))
    }
}

/// What a merge met, in words a lead can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub note: String,
    /// What "take the other version" records, where the other version can be taken.
    pub other: Vec<OtherVersion>,
}

impl Conflict {
    fn new(kind: ConflictKind, note: String) -> Conflict {
        Conflict { kind, note, other: Vec::new() }
    }
}

/// One part of the version a conflict set aside, as "take the other version" restores it with
/// new events.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub enum OtherVersion {
    /// The fulfilment side goes to this person: the one a second win or reassignment named.
    FulfilmentOwner { person: PersonId },
    /// The brief section reads this again: the text a later writer replaced unseen.
    Section { section: Section, text: String },
    /// The traveller's name (no topic) or one preference reads this again.
    Traveller { traveller: TravellerId, topic: Option<PreferenceTopic>, text: String },
}

/// What became of one action in a merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Merged<T> {
    /// Folded in; with a conflict when it replaced what its author had not seen.
    Applied(T, Option<Conflict>),
    /// Another laptop did the same first: skipped, nothing to tell.
    AlreadySo,
    /// Refused after what came first: skipped whole.
    Skipped(Conflict),
}

/// A conflict as it stands on this laptop, for a lead to settle.
#[derive(Clone, Debug)]
pub struct ConflictToSettle<'a> {
    /// The conflict's name: the first event of the action it met.
    pub id: EventId,
    pub kind: ConflictKind,
    /// The deal the conflict is about, if one (it may have no state here: a deal whose import
    /// was the one left out).
    pub deal_id: Option<DealId>,
    /// That deal as it stands here, where it exists.
    pub deal: Option<&'a Deal>,
    pub other: &'a [OtherVersion],
    /// Who settled it, when and how, where someone has.
    pub settled: Option<(Option<PersonId>, DateTime<Utc>, Settlement)>,
}

/// Settles a conflict in one action: keeps what stands, or takes the other version — the
/// events that restore it, then the settlement. A department lead or the founder settles, once;
/// a newer Handoff's event settles itself once this laptop is updated.
pub fn settle(
    dir: &Directory,
    by: PersonId,
    conflict: &ConflictToSettle<'_>,
    how: Settlement,
) -> Result<Vec<EventBody>, RuleError> {
    if !dir.is_lead(by) {
        return Err(RuleError::NotALead { person: dir.name_of(by) });
    }
    if let Some((who_settled, at, how)) = conflict.settled {
        return Err(RuleError::ConflictSettledAlready {
            by: who(dir, who_settled),
            at: when(dir, at),
            how: match how {
                Settlement::Kept => "kept what stands",
                Settlement::TookOther => "took the other version",
            },
        });
    }
    if conflict.kind == ConflictKind::NewerVersion {
        return Err(RuleError::CannotTakeOther {
            why:
                "this was recorded by a newer Handoff: update Handoff on this laptop, and it counts (nothing to settle)"
                    .into(),
        });
    }
    let mut events = Vec::new();
    if how == Settlement::TookOther {
        let Some(deal) = conflict.deal.filter(|_| !conflict.other.is_empty()) else {
            return Err(RuleError::CannotTakeOther {
                why: format!(
                    "a {} conflict has no other version to take: keep what stands, then act on the deal as usual",
                    conflict.kind
                ),
            });
        };
        events = take_other(dir, deal, conflict.other).map_err(|e| match e {
            RuleError::CannotTakeOther { .. } => e,
            other => RuleError::CannotTakeOther {
                why: format!("the other version can no longer be taken ({other}): keep what stands"),
            },
        })?;
    }
    events.push(EventBody::ConflictSettled { deal: conflict.deal_id, conflict: conflict.id, how });
    Ok(events)
}

/// Whether the other version of a conflict can still be taken on `deal` as it stands (a section
/// of a brief since signed and handed off cannot be written again): why not, if not.
pub fn can_take_other(dir: &Directory, deal: &Deal, other: &[OtherVersion]) -> Result<(), RuleError> {
    if other.is_empty() {
        return Err(RuleError::CannotTakeOther { why: "there is no other version to take".into() });
    }
    take_other(dir, deal, other).map(|_| ())
}

/// The events that restore `other` on `deal`: what is already so is left as it is.
fn take_other(dir: &Directory, deal: &Deal, other: &[OtherVersion]) -> Result<Vec<EventBody>, RuleError> {
    let reason = "settling a conflict: took the other version".to_string();
    let mut events = Vec::new();
    /// One traveller's parts to restore, edited together.
    struct Restore {
        traveller: TravellerId,
        name: Option<String>,
        changes: Vec<(PreferenceTopic, String)>,
    }
    let mut travellers: Vec<Restore> = Vec::new();
    for part in other {
        match part {
            OtherVersion::FulfilmentOwner { person } => {
                if deal.acting_fulfilment_owner() != Some(*person) {
                    events.extend(deal.reassign(dir, *person, reason.clone())?);
                }
            }
            OtherVersion::Section { section, text } => {
                if deal.brief.sections.get(section).map(String::as_str).unwrap_or("") != text {
                    // The text a Sales writer wrote, restored by the lead who settles: no writer to check.
                    events.extend(deal.write_section(dir, None, *section, text.clone())?);
                }
            }
            OtherVersion::Traveller { traveller, topic, text } => {
                let t = deal.traveller(*traveller).ok_or_else(|| RuleError::CannotTakeOther {
                    why: "the traveller of this conflict is no longer on the trip: keep what stands".into(),
                })?;
                if t.part(*topic) == text {
                    continue;
                }
                let at = match travellers.iter().position(|r| r.traveller == *traveller) {
                    Some(i) => i,
                    None => {
                        travellers.push(Restore { traveller: *traveller, name: None, changes: Vec::new() });
                        travellers.len() - 1
                    }
                };
                match topic {
                    None => travellers[at].name = Some(text.clone()),
                    Some(topic) => travellers[at].changes.push((*topic, text.clone())),
                }
            }
        }
    }
    for r in travellers {
        events.extend(deal.edit_traveller(dir, r.traveller, r.name, r.changes)?);
    }
    Ok(events)
}

/// Who did it, as a lead reads it.
fn who(dir: &Directory, actor: Option<PersonId>) -> String {
    actor.map(|a| dir.name_of(a)).unwrap_or_else(|| "Someone".into())
}

/// A time as the agency reads it.
fn when(dir: &Directory, t: DateTime<Utc>) -> String {
    match dir.calendar() {
        Ok(cal) => cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// Text quoted in a note, cut to a readable length.
fn quoted(text: &str) -> String {
    const MAX: usize = 300;
    if text.trim().is_empty() {
        return "(empty)".into();
    }
    let cut: String = text.chars().take(MAX).collect();
    if cut.len() < text.len() {
        format!("\"{cut}…\"")
    } else {
        format!("\"{cut}\"")
    }
}

/// Folds one action's events on one deal — all of them, or none — onto `state`.
pub fn merge_deal_action(state: Option<&Deal>, action: &[Event], ctx: &FoldContext<'_>) -> Merged<Deal> {
    let dir = ctx.directory;
    let mut deal = state.cloned();
    let mut replaced: Vec<String> = Vec::new();
    let mut other: Vec<OtherVersion> = Vec::new();
    let mut kind = None;
    for event in action {
        let before = deal.as_ref();
        if let Some(found) = before.and_then(|d| overwritten(dir, d, event)) {
            kind.get_or_insert(found.kind);
            replaced.push(found.note);
            other.extend(found.other);
        }
        match Deal::apply(deal.clone(), event, ctx) {
            Ok(next) => deal = Some(next),
            Err(error) => {
                return match deal.as_ref().and_then(|d| already_so(d, &event.body)) {
                    Some(()) => Merged::AlreadySo,
                    None => Merged::Skipped(refused_deal_action(dir, deal.as_ref(), event, &error)),
                };
            }
        }
    }
    let deal = deal.expect("an action has at least one event");
    let conflict = kind.map(|kind| Conflict {
        kind,
        note: format!("{} on another laptop at the same time; the last one stands.", replaced.join("; ")),
        other,
    });
    Merged::Applied(deal, conflict)
}

/// When `event` replaces text its author had not seen: the kind, what it replaced in words,
/// and the replaced text as "take the other version" restores it.
fn overwritten(dir: &Directory, deal: &Deal, event: &Event) -> Option<Conflict> {
    let by = who(dir, event.actor);
    match &event.body {
        EventBody::BriefSectionWritten { section, seen_sha256: Some(seen), .. } => {
            let now = deal.brief.sections.get(section).map(String::as_str).unwrap_or("");
            (text_sha256(now) != *seen).then(|| Conflict {
                kind: ConflictKind::SectionOverwritten,
                note: format!("{by}'s text for {} replaced {}, written", section_title(*section), quoted(now)),
                other: vec![OtherVersion::Section { section: *section, text: now.to_string() }],
            })
        }
        EventBody::TravellerEdited { traveller, changed: Some(changes), .. } => {
            let t = deal.traveller(*traveller)?;
            let replaced: Vec<_> = changes.iter().filter(|c| text_sha256(t.part(c.topic)) != c.seen_sha256).collect();
            (!replaced.is_empty()).then(|| Conflict {
                kind: ConflictKind::TravellerOverwritten,
                note: format!(
                    "{by}'s edit of {} replaced {}, written",
                    t.name,
                    replaced
                        .iter()
                        .map(|c| format!("{} {}", topic_title(c.topic), quoted(t.part(c.topic))))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                other: replaced
                    .iter()
                    .map(|c| OtherVersion::Traveller {
                        traveller: *traveller,
                        topic: c.topic,
                        text: t.part(c.topic).to_string(),
                    })
                    .collect(),
            })
        }
        _ => None,
    }
}

fn section_title(section: Section) -> String {
    format!("\"{}\"", section.title())
}

fn topic_title(topic: Option<PreferenceTopic>) -> String {
    match topic {
        None => "the name".into(),
        Some(topic) => format!("the {} preference", topic.as_str()),
    }
}

/// Whether `body`, refused on `deal`, asks for what is already so.
fn already_so(deal: &Deal, body: &EventBody) -> Option<()> {
    let same = match body {
        EventBody::MeetingEnded { .. } => deal.status == DealStatus::HandedOff,
        EventBody::MeetingStarted { .. } => deal.meeting_started_at.is_some(),
        EventBody::DealLost { .. } => deal.status == DealStatus::Lost,
        EventBody::TaskCompleted { task, .. } => deal.tasks.iter().any(|t| t.id == *task && t.done_at.is_some()),
        EventBody::FulfilmentOwnerReassigned { to, .. } => deal.acting_fulfilment_owner() == Some(*to),
        EventBody::BriefSigned { signer, role, brief_sha256, .. } => {
            deal.sign_off(*role).is_valid()
                && deal.signer(*role) == Some(*signer)
                && deal.brief.sha256(deal.id) == *brief_sha256
        }
        EventBody::ItineraryItemRemoved { item, .. } => !deal.itinerary.iter().any(|i| i.id == *item),
        EventBody::ServiceCallStarted { .. } => deal.service.as_ref().is_some_and(|s| s.started_at.is_some()),
        EventBody::ServiceHandoffCompleted { .. } => deal.service.as_ref().is_some_and(|s| s.completed_at.is_some()),
        EventBody::PreferenceAcknowledged { traveller, topic, text_sha256, .. } => {
            deal.service.as_ref().is_some_and(|s| {
                s.acks.iter().any(|a| a.traveller == *traveller && a.topic == *topic && a.text_sha256 == *text_sha256)
            })
        }
        EventBody::ReviewPicked { review, .. } => deal.follow_up.as_ref().is_some_and(|f| f.review == *review),
        // Asks are a set: one logged under the same id is there already.
        EventBody::AskLogged { ask, .. } => deal.asks.iter().any(|a| a.id == *ask),
        _ => false,
    };
    same.then_some(())
}

/// The conflict of a deal action the rules refuse, in the words of the rule it meets.
fn refused_deal_action(dir: &Directory, deal: Option<&Deal>, event: &Event, error: &RuleError) -> Conflict {
    let by = who(dir, event.actor);
    let at = when(dir, event.occurred_at);
    let owner = |d: &Deal| d.acting_fulfilment_owner().map(|p| dir.name_of(p)).unwrap_or_else(|| "nobody".into());
    let other = match &event.body {
        EventBody::DealWon { fulfilment_owner: person, .. }
        | EventBody::FulfilmentOwnerReassigned { to: person, .. } => {
            vec![OtherVersion::FulfilmentOwner { person: *person }]
        }
        _ => Vec::new(),
    };
    let (kind, note) = match (deal, &event.body) {
        (Some(d), EventBody::DealWon { fulfilment_owner, .. }) if d.is_delivering() => (
            ConflictKind::WonTwice,
            format!(
                "{by} marked the deal won at {at} on another laptop, naming {} as fulfilment owner; it had been won at {} with {} as fulfilment owner, which stands.",
                dir.name_of(*fulfilment_owner),
                d.closed_at.map(|t| when(dir, t)).unwrap_or_default(),
                d.fulfilment.as_ref().map(|f| dir.name_of(f.original)).unwrap_or_else(|| owner(d)),
            ),
        ),
        (Some(d), EventBody::DealWon { fulfilment_owner, .. }) if d.status == DealStatus::Lost => (
            ConflictKind::WonAndLost,
            format!(
                "{by} marked the deal won at {at} on another laptop, naming {} as fulfilment owner; it had been marked lost at {}, which stands. To win it, reopen it with a reason.",
                dir.name_of(*fulfilment_owner),
                d.lost_at.map(|t| when(dir, t)).unwrap_or_default(),
            ),
        ),
        (Some(d), EventBody::DealLost { .. }) if d.is_delivering() => (
            ConflictKind::WonAndLost,
            format!(
                "{by} marked the deal lost at {at} on another laptop; it had been won at {} with {} as fulfilment owner, which stands.",
                d.closed_at.map(|t| when(dir, t)).unwrap_or_default(),
                owner(d),
            ),
        ),
        (Some(d), EventBody::BriefSectionWritten { section, text, .. }) if d.status == DealStatus::HandedOff => (
            ConflictKind::EditedAfterHandoff,
            format!(
                "{by} wrote {} at {at} on another laptop after the meeting had ended there at {}; the signed brief stands. The edit read {}.",
                section_title(*section),
                d.handoff_at.map(|t| when(dir, t)).unwrap_or_default(),
                quoted(text),
            ),
        ),
        (Some(d), EventBody::MeetingEnded { .. }) if d.status == DealStatus::Won && d.meeting_started_at.is_some() => (
            ConflictKind::EndedAfterEdit,
            format!(
                "{by} ended the meeting at {at} on another laptop, but the brief had been edited first, so the sign-offs no longer match it; the meeting goes on: both leads sign the brief as it reads now, then end it."
            ),
        ),
        (Some(d), EventBody::BriefSigned { signer, brief_sha256, .. })
            if d.status == DealStatus::Won && *brief_sha256 != d.brief.sha256(d.id) =>
        {
            (
                ConflictKind::SignOffStale,
                format!(
                    "{}'s sign-off at {at} was given over a version of the brief that an edit on another laptop had replaced; it does not count: sign the brief as it reads now.",
                    dir.name_of(*signer)
                ),
            )
        }
        (Some(d), EventBody::FulfilmentOwnerReassigned { from, to, .. }) if d.is_delivering() => (
            ConflictKind::ReassignedTwice,
            format!(
                "{by} reassigned the fulfilment side from {} to {} at {at} on another laptop; it had already gone to {}, which stands.",
                dir.name_of(*from),
                dir.name_of(*to),
                owner(d),
            ),
        ),
        (Some(d), EventBody::ItineraryItemEdited { item, .. }) if !d.itinerary.iter().any(|i| i.id == item.id) => (
            ConflictKind::RemovedItemEdited,
            format!(
                "{by} edited the itinerary item \"{}\" ({}) at {at} on another laptop, but it had been removed; the removal stands.",
                item.title, item.day
            ),
        ),
        _ => (ConflictKind::Refused, format!("{by}'s {} at {at} was not applied: {error}", event.body.name().replace('_', " "))),
    };
    // Only a second owner can be taken (when another than the one who stands): a loss, a stale
    // sign-off or a late edit is redone by hand.
    let stands = deal.and_then(Deal::acting_fulfilment_owner);
    let other = match kind {
        ConflictKind::WonTwice | ConflictKind::ReassignedTwice => other
            .into_iter()
            .filter(|o| !matches!(o, OtherVersion::FulfilmentOwner { person } if Some(*person) == stands))
            .collect(),
        _ => Vec::new(),
    };
    Conflict { kind, note, other }
}

/// Folds one action's directory events — all of them, or none — onto `dir`.
pub fn merge_directory_action(dir: &Directory, action: &[Event]) -> Merged<Directory> {
    let mut next = dir.clone();
    for event in action {
        if let Err(error) = next.apply(&event.body, event.occurred_at) {
            if directory_already_so(&next, &event.body) {
                return Merged::AlreadySo;
            }
            let note = format!(
                "{}'s {} at {} was not applied: {error}",
                who(dir, event.actor),
                event.body.name().replace('_', " "),
                when(dir, event.occurred_at)
            );
            return Merged::Skipped(Conflict::new(ConflictKind::Refused, note));
        }
    }
    Merged::Applied(next, None)
}

/// Whether a directory event the fold refuses asks for what is already so.
fn directory_already_so(dir: &Directory, body: &EventBody) -> bool {
    let holidays = dir.agency.as_ref().map(|a| &a.calendar.holidays);
    match body {
        EventBody::HolidayAdded { date, .. } => holidays.is_some_and(|h| h.contains(date)),
        EventBody::HolidayRemoved { date, .. } => holidays.is_some_and(|h| !h.contains(date)),
        EventBody::PersonRetired { person, .. } => dir.person(*person).is_some_and(|p| p.retired.is_some()),
        EventBody::SigningKeyRevoked { fingerprint, .. } => {
            dir.keys.signing_key(fingerprint).is_some_and(|k| k.revoked.is_some())
        }
        EventBody::DeviceKeyRevoked { device, fingerprint, .. } => {
            dir.keys.devices.iter().any(|k| k.device == *device && k.fingerprint == *fingerprint && k.revoked.is_some())
        }
        EventBody::SigningKeyRegistered { person, public_key, .. } => {
            dir.keys.signing.iter().any(|k| k.person == *person && k.public_key.eq_ignore_ascii_case(public_key))
        }
        EventBody::DeviceKeyRegistered { public_key, .. } => dir.keys.device_key(public_key).is_some(),
        EventBody::PersonAdded { person, .. } => dir.person(*person).is_some(),
        EventBody::PersonEmailSet { person, email } => dir.person(*person).is_some_and(|p| p.email == *email),
        _ => false,
    }
}

/// The conflict of a deal imported on two laptops from the same CRM record.
pub fn imported_twice(dir: &Directory, event: &Event, external_id: &str, first_title: &str) -> Conflict {
    Conflict::new(
        ConflictKind::ImportedTwice,
        format!(
            "{} imported CRM record {external_id} at {} on another laptop; it had already been imported as \"{first_title}\", which stands.",
            who(dir, event.actor),
            when(dir, event.occurred_at)
        ),
    )
}

/// The conflict of an action recorded by a newer Handoff.
pub fn newer_version(version: u16) -> Conflict {
    Conflict::new(
        ConflictKind::NewerVersion,
        format!(
            "another laptop recorded this with a newer version of Handoff (event version {version}); it is kept and will count once this laptop's Handoff is updated."
        ),
    )
}

#[cfg(test)]
mod tests;
