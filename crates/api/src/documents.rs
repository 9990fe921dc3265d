//! What goes on paper: the view models of the signed brief and the 72-hour service pack, built
//! from the deal and the directory — shared by the exports that print them and by the rule that
//! a meeting ends only with a brief that fits its one page.

use chrono::{DateTime, Utc};
use handoff_domain::brief::{Section, SignerRole};
use handoff_domain::calendar::Calendar;
use handoff_domain::deal::{Deal, SignOff};
use handoff_domain::directory::{Directory, Paper};
use handoff_domain::service::AckState;
use handoff_pdf as pdf;

use crate::view::hours;
use crate::{ApiError, ErrorCode};

fn page(p: Paper) -> pdf::PageSize {
    match p {
        Paper::A4 => pdf::PageSize::A4,
        Paper::Letter => pdf::PageSize::Letter,
    }
}

fn stamp(cal: &Calendar, t: DateTime<Utc>) -> String {
    format!("{} {}", cal.local_datetime(t).format("%Y-%m-%d %H:%M"), cal.zone.name())
}

fn generator() -> String {
    format!("Handoff {}", env!("CARGO_PKG_VERSION"))
}

fn trip_dates(deal: &Deal) -> String {
    match (deal.trip.start, deal.trip.end) {
        (Some(s), Some(e)) => format!("{} – {}", s.format("%-d %b %Y"), e.format("%-d %b %Y")),
        (Some(s), None) => format!("from {}", s.format("%-d %b %Y")),
        _ => String::new(),
    }
}

fn travellers(deal: &Deal) -> String {
    let n = deal.trip.travellers.map(|n| n as usize).unwrap_or(deal.travellers.len());
    match n {
        0 => String::new(),
        1 => "1 traveller".into(),
        n => format!("{n} travellers"),
    }
}

/// The brief's view model: everything as it should read on paper.
pub(crate) fn brief_doc(dir: &Directory, deal: &Deal, now: DateTime<Utc>) -> Result<pdf::BriefDoc, ApiError> {
    let agency = dir.agency()?;
    let cal = &agency.calendar;
    let sha256 = deal.brief.sha256(deal.id);
    let signoff = |role: SignerRole| {
        let holder = deal.signer(role);
        let latest = deal.signatures.iter().rev().find(|s| s.role == role && Some(s.signer) == holder);
        let state = match deal.sign_off(role) {
            SignOff::Valid { .. } => pdf::SignoffState::Valid,
            SignOff::Stale { .. } => pdf::SignoffState::Stale,
            SignOff::Missing => pdf::SignoffState::Missing,
        };
        pdf::Signoff {
            name: holder.map(|p| dir.name_of(p)).unwrap_or_default(),
            role: match role {
                SignerRole::Sales => "Sales author".into(),
                SignerRole::Fulfilment => "Fulfilment owner".into(),
            },
            at: latest.map(|s| stamp(cal, s.at)).unwrap_or_default(),
            state,
            signed_sha256: latest.map(|s| s.brief_sha256.clone()).unwrap_or_default(),
            key_fingerprint: latest.map(|s| s.key_fingerprint.clone()).unwrap_or_default(),
        }
    };
    let signoffs = vec![signoff(SignerRole::Sales), signoff(SignerRole::Fulfilment)];
    let draft = !signoffs.iter().all(|s| s.state == pdf::SignoffState::Valid);
    Ok(pdf::BriefDoc {
        page: page(agency.paper),
        agency: agency.name.clone(),
        deal_title: deal.title.clone(),
        customer: deal.customer.clone(),
        value: {
            let (group, decimal) = agency.locale().number_marks();
            deal.value.written(group, decimal)
        },
        trip_dates: trip_dates(deal),
        destination: deal.trip.destination.clone().unwrap_or_default(),
        travellers: travellers(deal),
        sales_author: dir.name_of(deal.sales_owner),
        fulfilment_owner: deal.acting_fulfilment_owner().map(|p| dir.name_of(p)).unwrap_or_default(),
        sections: Section::ALL.into_iter().map(|s| (s.title().to_string(), deal.brief.text(s).to_string())).collect(),
        signoffs,
        sha256,
        draft,
        generated_at: stamp(cal, now),
        created: now.with_timezone(&cal.zone).to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        generator: generator(),
    })
}

/// The service pack's view model.
pub(crate) fn pack_doc(dir: &Directory, deal: &Deal, now: DateTime<Utc>) -> Result<pdf::PackDoc, ApiError> {
    let agency = dir.agency()?;
    let cal = &agency.calendar;
    let service = deal.service.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Refused,
            format!(
                "deal \"{}\" has no service handoff yet: it is scheduled when the Sales→Fulfilment handoff completes and the trip's start is known",
                deal.title
            ),
        )
    })?;
    let checklist = service.checklist(&deal.travellers);
    let roster = deal
        .travellers
        .iter()
        .map(|t| pdf::RosterEntry {
            name: t.name.clone(),
            preferences: checklist
                .iter()
                .filter(|i| i.traveller == t.id)
                .map(|i| pdf::PreferenceLine {
                    topic: i.topic.title().into(),
                    text: i.text.clone(),
                    status: match (i.state, i.acknowledged_at) {
                        (AckState::Acknowledged, Some(at)) => {
                            format!("Acknowledged {}", cal.local_datetime(at).format("%Y-%m-%d %H:%M"))
                        }
                        (AckState::Changed, _) => "Changed since acknowledged".into(),
                        _ => "Not acknowledged".into(),
                    },
                    acknowledged: i.state == AckState::Acknowledged,
                })
                .collect(),
        })
        .collect();
    let mut itinerary: Vec<pdf::ItineraryDay> = Vec::new();
    for item in &deal.itinerary {
        let heading = match deal.trip.start {
            Some(s) => format!("Day {} — {}", (item.day - s).num_days() + 1, item.day.format("%a %-d %b %Y")),
            None => item.day.format("%a %-d %b %Y").to_string(),
        };
        if itinerary.last().map(|d| &d.heading) != Some(&heading) {
            itinerary.push(pdf::ItineraryDay { heading, items: Vec::new() });
        }
        let kind = item.kind.as_str();
        itinerary.last_mut().expect("pushed").items.push(pdf::ItineraryLine {
            time: item.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
            kind: format!("{}{}", kind[..1].to_uppercase(), &kind[1..]),
            title: item.title.clone(),
            supplier: item.supplier.clone().unwrap_or_default(),
            contact: item.contact.clone().unwrap_or_default(),
            confirmation: item.confirmation.clone().unwrap_or_default(),
        });
    }
    let lead = deal.trip_start_at(cal).and_then(|start| service.lead_time(start));
    Ok(pdf::PackDoc {
        page: page(agency.paper),
        agency: agency.name.clone(),
        trip_name: deal.title.clone(),
        customer: deal.customer.clone(),
        trip_dates: trip_dates(deal),
        destination: deal.trip.destination.clone().unwrap_or_default(),
        travellers: travellers(deal),
        service_owner: dir.name_of(service.owner),
        fulfilment_owner: deal.acting_fulfilment_owner().map(|p| dir.name_of(p)).unwrap_or_default(),
        due_at: stamp(cal, service.due_at),
        done_at: service.completed_at.map(|t| stamp(cal, t)).unwrap_or_else(|| "not yet".into()),
        lead_time: lead
            .map(|l| {
                let verdict = if handoff_domain::service::on_time(l) { " (on time)" } else { " (under 72 hours)" };
                format!("{:.1} hours before the trip{verdict}", hours(l))
            })
            .unwrap_or_else(|| "—".into()),
        brief_sha256: deal.brief.sha256(deal.id),
        roster,
        itinerary,
        sold_and_promised: [Section::Sold, Section::Promises]
            .into_iter()
            .map(|s| (s.title().to_string(), deal.brief.text(s).to_string()))
            .collect(),
        risks: deal.brief.text(Section::Risks).to_string(),
        asks: deal
            .asks
            .iter()
            .map(|a| pdf::AskLine {
                at: cal.local_datetime(a.at).format("%Y-%m-%d %H:%M").to_string(),
                traveller: a.traveller.and_then(|t| deal.traveller(t)).map(|t| t.name.clone()).unwrap_or_default(),
                topic: a.topic.to_string(),
                text: a.text.clone(),
                covered: a.brief_should_have_covered,
            })
            .collect(),
        generated_at: stamp(cal, now),
        created: now.with_timezone(&cal.zone).to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        generator: generator(),
    })
}
