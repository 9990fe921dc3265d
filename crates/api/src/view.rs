//! Building response DTOs from domain state, for what more than one use case shows: names for ids,
//! local readings of instants, deals, briefs, tasks, the trip and its travellers, the service
//! handoff, asks, signals and follow-ups, and a readable line for each event of a deal's timeline.
//! A builder only one use case needs stays beside it.

use chrono::{DateTime, Utc};
use handoff_domain::brief::{Section, SignerRole};
use handoff_domain::calendar::Calendar;
use handoff_domain::deal::is_overdue;
use handoff_domain::deal::Deal;
use handoff_domain::directory::Directory;
use handoff_domain::event::{Event, EventBody, Settlement, TripPlan};
use handoff_domain::ids::{DeviceId, PersonId};
use handoff_domain::merge::OtherVersion;
use handoff_domain::metrics;
use handoff_domain::service::AckState;
use handoff_domain::trip::{Ask, Traveller};
use handoff_store::query::{DealRow, TaskRow};

use crate::dto::*;

pub(crate) fn person_ref(dir: &Directory, id: PersonId) -> PersonRef {
    PersonRef { id, name: dir.name_of(id) }
}

pub(crate) fn hours(d: chrono::Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

pub(crate) fn local(cal: &Calendar, t: DateTime<Utc>) -> String {
    cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string()
}

pub(crate) fn summary_from_row(dir: &Directory, r: &DealRow) -> DealSummary {
    let value = handoff_domain::money::Money { minor: r.value_minor, currency: r.currency.clone() };
    DealSummary {
        id: r.id,
        title: r.title.clone(),
        customer: r.customer.clone(),
        status: r.status,
        value: value.to_string(),
        amount: value.amount_string(),
        value_minor: r.value_minor,
        currency: r.currency.clone(),
        sales_owner: person_ref(dir, r.sales_owner),
        fulfilment_owner: r.fulfilment_owner.map(|p| person_ref(dir, p)),
        closed_at: r.closed_at,
        handoff_at: r.handoff_at,
    }
}

pub(crate) fn summary(dir: &Directory, d: &Deal) -> DealSummary {
    DealSummary {
        id: d.id,
        title: d.title.clone(),
        customer: d.customer.clone(),
        status: d.status,
        value: d.value.to_string(),
        amount: d.value.amount_string(),
        value_minor: d.value.minor,
        currency: d.value.currency.clone(),
        sales_owner: person_ref(dir, d.sales_owner),
        fulfilment_owner: d.acting_fulfilment_owner().map(|p| person_ref(dir, p)),
        closed_at: d.closed_at,
        handoff_at: d.handoff_at,
    }
}

/// A deal's trip as planned: dates, destination and size.
pub(crate) fn trip_dto(t: &TripPlan) -> TripDto {
    TripDto { start: t.start, end: t.end, destination: t.destination.clone(), travellers: t.travellers }
}

/// A traveller with the preferences that are filled in.
pub(crate) fn traveller_dto(t: &Traveller) -> TravellerDto {
    TravellerDto {
        id: t.id,
        name: t.name.clone(),
        preferences: t
            .preferences
            .non_empty()
            .map(|(topic, text)| PreferenceDto { topic, title: topic.title().into(), text: text.into() })
            .collect(),
    }
}

/// The service handoff of a deal, once scheduled: owner, due time, checklist and how it went.
pub(crate) fn service_dto(dir: &Directory, cal: &Calendar, deal: &Deal, now: DateTime<Utc>) -> Option<ServiceDto> {
    let s = deal.service.as_ref()?;
    let trip_start = deal.trip_start_at(cal);
    let checklist: Vec<ChecklistItemDto> = s
        .checklist(&deal.travellers)
        .into_iter()
        .map(|i| ChecklistItemDto {
            traveller: i.traveller,
            traveller_name: i.traveller_name,
            topic: i.topic,
            text: i.text,
            state: i.state,
            acknowledged_at: i.acknowledged_at,
            acknowledged_by: i.acknowledged_by.map(|p| person_ref(dir, p)),
        })
        .collect();
    let lead = trip_start.and_then(|start| s.lead_time(start));
    Some(ServiceDto {
        deal: DealRef::of(deal),
        trip_start,
        due_at: s.due_at,
        owner: person_ref(dir, s.owner),
        owner_because: s.reassignments.last().map_or(Some(s.because), |r| r.because),
        original_owner: person_ref(dir, s.original),
        assigned_because: s.because,
        reassignments: s
            .reassignments
            .iter()
            .map(|r| ServiceReassignmentDto {
                from: person_ref(dir, r.from),
                to: person_ref(dir, r.to),
                assigned_because: r.because,
                reason: r.reason.clone(),
                at: r.at,
            })
            .collect(),
        started_at: s.started_at,
        completed_at: s.completed_at,
        // Whole minutes, a part of one counted: 15 min 40 s is 16, as the flag over 15 says.
        call_minutes: s.call_length().map(|l| (l.num_seconds() + 59) / 60),
        call_overran: s.call_overran(),
        lead_hours: lead.map(hours),
        on_time: lead.map(handoff_domain::service::on_time),
        late: s.completed_at.is_none() && now > s.due_at,
        open_items: checklist.iter().filter(|i| i.state != AckState::Acknowledged).count(),
        checklist,
    })
}

/// Something Service had to ask on the trip.
pub(crate) fn ask_dto(deal: &Deal, a: &Ask) -> AskDto {
    AskDto {
        id: a.id,
        deal: DealRef::of(deal),
        traveller: a.traveller.and_then(|t| deal.traveller(t)).map(|t| t.name.clone()),
        topic: a.topic,
        text: a.text.clone(),
        brief_should_have_covered: a.brief_should_have_covered,
        at: a.at,
    }
}

/// How the travellers came back, once recorded.
pub(crate) fn signal_dto(deal: &Deal) -> Option<SignalDto> {
    let s = deal.signal.as_ref()?;
    Some(SignalDto {
        deal: DealRef::of(deal),
        sentiment: s.sentiment,
        strength: s.strength,
        note: s.note.clone(),
        at: s.at,
    })
}

/// The follow-up call of a deal picked at a review, once picked.
pub(crate) fn follow_up_dto(dir: &Directory, cal: &Calendar, deal: &Deal) -> Option<FollowUpDto> {
    let f = deal.follow_up.as_ref()?;
    let task = deal.follow_up_task();
    Some(FollowUpDto {
        review: f.review,
        owner: task.map(|t| person_ref(dir, t.owner)),
        due_at: task.map(|t| t.due_at),
        outcome: f.outcome,
        renewed_deal: f.renewed_deal,
        done_at: f.done_at,
        updated_at: f.updated_at,
        within_ten_days: match (f.done_at, deal.trip.end) {
            (Some(done), Some(end)) => Some(handoff_domain::review::follow_up_in_time(end, cal.local_date(done))),
            _ => None,
        },
    })
}

fn sign_off(dir: &Directory, d: &Deal, role: SignerRole) -> SignOffDto {
    let holder = d.signer(role);
    let latest = d.signatures.iter().rev().find(|s| s.role == role && Some(s.signer) == holder);
    SignOffDto {
        signer: holder.map(|p| person_ref(dir, p)),
        key_fingerprint: latest.map(|s| s.key_fingerprint.clone()),
        state: d.sign_off(role),
    }
}

pub(crate) fn brief(dir: &Directory, d: &Deal) -> BriefDto {
    let sales = sign_off(dir, d, SignerRole::Sales);
    let fulfilment = sign_off(dir, d, SignerRole::Fulfilment);
    BriefDto {
        deal: DealRef::of(d),
        customer: d.customer.clone(),
        sections: Section::ALL
            .into_iter()
            .map(|s| SectionDto {
                section: s,
                title: s.title().into(),
                prompt: s.prompt().into(),
                text: d.brief.text(s).into(),
                written: handoff_domain::brief::Brief::says_something(d.brief.text(s)),
            })
            .collect(),
        sha256: d.brief.sha256(d.id),
        signed: sales.state.is_valid() && fulfilment.state.is_valid(),
        sales,
        fulfilment,
        unwritten: d.brief.unwritten(),
        complete: d.brief.is_complete(),
    }
}

pub(crate) fn task_from_row(dir: &Directory, r: &TaskRow, now: DateTime<Utc>) -> TaskDto {
    TaskDto {
        id: r.id,
        deal: DealRef { id: r.deal, title: r.deal_title.clone() },
        title: r.title.clone(),
        owner: person_ref(dir, r.owner),
        due_at: r.due_at,
        done_at: r.done_at,
        overdue: is_overdue(r.due_at, r.done_at, now),
    }
}

pub(crate) fn task(dir: &Directory, deal: &Deal, t: &handoff_domain::deal::Task, now: DateTime<Utc>) -> TaskDto {
    TaskDto {
        id: t.id,
        deal: DealRef::of(deal),
        title: t.title.clone(),
        owner: person_ref(dir, t.owner),
        due_at: t.due_at,
        done_at: t.done_at,
        overdue: is_overdue(t.due_at, t.done_at, now),
    }
}

pub(crate) fn flags(cal: &Calendar, d: &Deal) -> Vec<MeetingFlagDto> {
    d.meeting_flags(cal).into_iter().map(|f| MeetingFlagDto { message: f.to_string(), flag: f }).collect()
}

/// A won deal still waiting for its handoff: its dwell so far and who should act now.
pub(crate) fn open_dwell(
    dir: &Directory,
    cal: &Calendar,
    deal: &DealRef,
    closed_at: DateTime<Utc>,
    owner: PersonId,
    now: DateTime<Utc>,
) -> OpenDwell {
    OpenDwell {
        deal: deal.id,
        title: deal.title.clone(),
        closed_at,
        waiting: metrics::waiting(cal, closed_at, now),
        should_act: person_ref(dir, owner),
    }
}

/// One readable line for an event of a deal.
pub(crate) fn describe(dir: &Directory, cal: &Calendar, e: &Event) -> String {
    let name = |p: &PersonId| dir.name_of(*p);
    match &e.body {
        EventBody::DealAdded { title, customer, value, sales_owner, external_id, source, .. } => {
            let from = match (source, external_id) {
                (Some(s), Some(id)) => format!(" from {} (record {id}, open there)", s.crm),
                _ => String::new(),
            };
            format!("Deal \"{title}\" for {customer} ({value}) added{from}, owned by {} in sales", name(sales_owner))
        }
        EventBody::DealWon { fulfilment_owner, assigned_because, .. } => format!(
            "Won; {} named fulfilment owner ({})",
            name(fulfilment_owner),
            match assigned_because {
                handoff_domain::assignment::AssignedBecause::Lead => "the lead",
                handoff_domain::assignment::AssignedBecause::Backup => "backup: the lead was away",
                handoff_domain::assignment::AssignedBecause::Escalated => "founder escalation: everyone was away",
            }
        ),
        EventBody::DealLost { .. } => "Lost".into(),
        EventBody::DealImported { external_id, closed_at, handoff_at, fulfilment_owner, source, .. } => format!(
            "Imported from {} (record {external_id}): closed {}{}; fulfilment owner {}",
            source.as_ref().map_or("the CRM", |s| s.crm.as_str()),
            local(cal, *closed_at),
            handoff_at.map(|h| format!(", handed off {}", local(cal, h))).unwrap_or_default(),
            name(fulfilment_owner)
        ),
        EventBody::FounderEscalated { founder, reason, .. } => {
            format!("Escalated to {} (founder): {reason}", name(founder))
        }
        EventBody::ConflictSettled { how, .. } => match how {
            Settlement::Kept => "Conflict settled: what stood was kept".into(),
            Settlement::TookOther => "Conflict settled: the other version was taken".into(),
        },
        EventBody::MeetingStarted { .. } => "Handoff meeting started".into(),
        EventBody::BriefSectionWritten { section, text, .. } => {
            format!("Brief section \"{}\" written ({} characters)", section.title(), text.chars().count())
        }
        EventBody::BriefSigned { signer, role, brief_sha256, .. } => format!(
            "{} signed the brief as {} (hash {})",
            name(signer),
            role.as_str(),
            &brief_sha256[..brief_sha256.len().min(12)]
        ),
        EventBody::MeetingEnded { .. } => "Meeting ended: handoff complete".into(),
        EventBody::FulfilmentOwnerReassigned { from, to, reason, .. } => {
            format!("Reassigned from {} to {}: {reason}", name(from), name(to))
        }
        EventBody::TaskCreated { title, owner, due_at, .. } => {
            format!("Task \"{title}\" for {}, due {}", name(owner), local(cal, *due_at))
        }
        EventBody::TaskCompleted { .. } => "Task done".into(),
        EventBody::CustomerContacted { .. } => "The customer heard from us".into(),
        EventBody::TripPlanned { trip, .. } => format!(
            "Trip set: {} {} to {}",
            trip.destination.as_deref().unwrap_or(""),
            trip.start.map(|d| d.to_string()).unwrap_or_else(|| "?".into()),
            trip.end.map(|d| d.to_string()).unwrap_or_else(|| "?".into())
        ),
        EventBody::TravellerAdded { name, .. } => format!("Traveller {name} added"),
        EventBody::TravellerEdited { name, .. } => format!("Traveller {name} edited"),
        EventBody::ItineraryItemAdded { item, .. } => {
            format!("Itinerary: {} {} on {}", item.kind, item.title, item.day)
        }
        EventBody::ItineraryItemEdited { item, .. } => {
            format!("Itinerary item changed: {} on {}", item.title, item.day)
        }
        EventBody::ItineraryItemRemoved { .. } => "Itinerary item removed".into(),
        EventBody::ServiceHandoffScheduled { due_at, owner, assigned_because, .. } => {
            format!("Service handoff due {}, owned by {} ({})", local(cal, *due_at), name(owner), assigned_because)
        }
        EventBody::ServiceOwnerReassigned { from, to, reason, .. } => {
            format!("Service handoff moved from {} to {}: {reason}", name(from), name(to))
        }
        EventBody::ServiceCallStarted { .. } => "Service handoff call started".into(),
        EventBody::PreferenceAcknowledged { topic, .. } => format!("Service acknowledged a {topic} preference"),
        EventBody::ServiceHandoffCompleted { .. } => "Service handoff complete".into(),
        EventBody::AskLogged { topic, text, brief_should_have_covered, .. } => format!(
            "Ask on the trip ({topic}{}): {text}",
            if *brief_should_have_covered { ", the brief should have covered it" } else { "" }
        ),
        EventBody::SignalRecorded { sentiment, strength, .. } => format!("Back: {sentiment}, strength {strength}"),
        EventBody::ReviewPicked { review, .. } => {
            format!("Picked at the Tuesday review of {review} for a follow-up call")
        }
        EventBody::FollowUpRecorded { outcome, .. } => format!("Follow-up call: {outcome}"),
        EventBody::FollowUpUpdated { outcome, .. } => format!("Follow-up outcome changed: {outcome}"),
        EventBody::DealCloseCorrected { closed_at, reason, .. } => {
            format!("Corrected: it closed {} — {reason}", local(cal, *closed_at))
        }
        EventBody::DealReopened { reason, .. } => format!("Reopened — {reason}"),
        EventBody::DealEdited { title, customer, value, reason, .. } => {
            let changes: Vec<String> = [
                title.as_ref().map(|t| format!("title \"{t}\"")),
                customer.as_ref().map(|c| format!("customer {c}")),
                value.as_ref().map(|v| format!("value {v}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            format!("Corrected: {} — {reason}", changes.join(", "))
        }
        other => other.name().replace('_', " "),
    }
}

/// The events of a deal as readable lines. An edit of the brief after sign-offs says whose
/// signatures it made stale, so the timeline shows why a meeting could not end.
/// The deal's events as a person reads them; those recorded on another laptop than `here` say so.
pub(crate) fn timeline(
    dir: &Directory,
    cal: &Calendar,
    events: &[(Event, bool)],
    here: DeviceId,
) -> Vec<TimelineEntry> {
    let mut signed: Vec<PersonId> = Vec::new();
    events
        .iter()
        .map(|(e, skipped)| {
            let mut summary = describe(dir, cal, e);
            match &e.body {
                _ if *skipped => summary
                    .push_str(" — not applied: another laptop had done this, or something that rules it out, first"),
                EventBody::BriefSigned { signer, .. } if !signed.contains(signer) => signed.push(*signer),
                EventBody::BriefSectionWritten { .. } if !signed.is_empty() => {
                    let names: Vec<String> = signed.drain(..).map(|p| dir.name_of(p)).collect();
                    summary.push_str(&format!(
                        "; the signature{} of {} became stale and must be given again",
                        if names.len() == 1 { "" } else { "s" },
                        names.join(" and ")
                    ));
                }
                _ => {}
            }
            let by = match (e.actor, e.recorded_by) {
                (Some(a), Some(r)) if a != r => format!("{}, recorded on {}'s laptop", dir.name_of(a), dir.name_of(r)),
                (Some(a), _) => dir.name_of(a),
                (None, Some(r)) => format!("recorded on {}'s laptop", dir.name_of(r)),
                (None, None) => String::new(),
            };
            TimelineEntry {
                at: e.occurred_at,
                recorded_at: e.recorded_at,
                actor: e.actor.map(|a| person_ref(dir, a)),
                recorded_by: e.recorded_by.map(|r| person_ref(dir, r)),
                by,
                kind: e.body.name().into(),
                summary,
                skipped: *skipped,
                from_another_laptop: e.device != here,
            }
        })
        .collect()
}

/// A conflict a merge met, as `me` (the person who uses this laptop) sees it: what taking the
/// other version would do, where it can still be taken, and whether they may settle it.
pub(crate) fn conflict_dto(
    dir: &Directory,
    deal: Option<&Deal>,
    me: Option<PersonId>,
    c: handoff_store::query::ConflictRow,
) -> ConflictDto {
    let open = c.settled.is_none() && c.kind != handoff_domain::merge::ConflictKind::NewerVersion;
    let take_other = deal
        .filter(|d| open && handoff_domain::merge::can_take_other(dir, d, &c.other).is_ok())
        .map(|d| c.other.iter().map(|part| other_version_words(dir, d, part)).collect::<Vec<_>>().join("; "));
    ConflictDto {
        can_settle: open && me.is_some_and(|p| dir.is_lead(p)),
        take_other,
        settled: c.settled.map(|(by, at, how)| ConflictSettledDto { by: by.map(|p| person_ref(dir, p)), at, how }),
        deal: c
            .deal
            .map(|id| DealRef { id, title: c.title.clone().unwrap_or_else(|| "a deal not on this laptop".into()) }),
        id: c.id,
        kind: c.kind,
        skipped: c.skipped,
        by: c.actor.map(|a| person_ref(dir, a)),
        at: c.at,
        note: c.note,
    }
}

/// What taking one part of a conflict's other version does, as a lead reads it.
fn other_version_words(dir: &Directory, deal: &Deal, part: &OtherVersion) -> String {
    let quoted = |text: &str| if text.trim().is_empty() { "nothing".to_string() } else { format!("\"{text}\"") };
    match part {
        OtherVersion::FulfilmentOwner { person } => format!("{} takes the fulfilment side", dir.name_of(*person)),
        OtherVersion::Section { section, text } => format!("\"{}\" reads {} again", section.title(), quoted(text)),
        OtherVersion::Traveller { traveller, topic, text } => {
            let name = deal.traveller(*traveller).map(|t| t.name.clone()).unwrap_or_else(|| "the traveller".into());
            match topic {
                None => format!("{name}'s name reads {} again", quoted(text)),
                Some(topic) => format!("{name}'s {} preference reads {} again", topic.as_str(), quoted(text)),
            }
        }
    }
}
