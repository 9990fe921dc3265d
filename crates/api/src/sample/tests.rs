//! Tests of the sample agency: every handoff shows at any hour, and it never lands on an agency's own data.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use handoff_domain::assignment::AssignedBecause;
use handoff_domain::calendar::{parse_zone, Calendar};
use handoff_domain::metrics::Urgency;
use handoff_domain::trip::Sentiment;

use super::stories::TIMEZONE;
use super::*;
use crate::dto::{Acting, InitRequest};
use crate::{ErrorCode, FixedClock};

/// The instant London's clocks show `local` (`YYYY-MM-DD HH:MM`).
fn london(local: &str) -> DateTime<Utc> {
    let cal = Calendar::new(parse_zone(TIMEZONE).unwrap());
    cal.to_utc(NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap())
}

/// An empty database in a temporary folder whose clock says `now`.
fn empty_at(now: DateTime<Utc>) -> (tempfile::TempDir, Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let ctx = Ctx::open_with_clock(&dir.path().join("sample.db"), true, Arc::new(FixedClock(now)))
        .unwrap()
        .with_keys(crate::LaptopKeys::in_data_folder(dir.path()));
    (dir, ctx)
}

fn events(ctx: &Ctx) -> i64 {
    ctx.store().read(handoff_store::query::event_count).unwrap()
}

/// Opens the sample at `now` (London time) and checks what a new user should find.
fn sample_shows_every_handoff_at(local_now: &str) -> (tempfile::TempDir, Ctx) {
    let now = london(local_now);
    let (dir, ctx) = empty_at(now);
    let agency = open_sample(&ctx).unwrap();
    assert_eq!(agency.name, "Wayfarer Travel (sample)");
    assert_eq!(agency.timezone, "Europe/London");
    assert_eq!(agency.holidays.len(), 1);
    assert_eq!(crate::person_list(&ctx).unwrap().len(), 8);
    // Each sample person signed with a key of their own, never kept, and revoked by the founder.
    let keys = crate::key_list(&ctx).unwrap().signing;
    assert_eq!(keys.len(), 8);
    assert!(keys.iter().all(|k| k.kept.is_none() && k.revoked_reason.as_deref().is_some_and(|r| r.contains("sample"))));

    // Every step happened in the past.
    for deal in crate::deal_list(&ctx, None).unwrap() {
        assert!(deal.closed_at.is_none_or(|t| t <= now), "{} closed in the future", deal.title);
        assert!(deal.handoff_at.is_none_or(|t| t <= now), "{} handed off in the future", deal.title);
    }

    // The Today board: the deal won five days ago is red and Bo Lind should act, since Fay
    // (who was named at the close) is away; the one won two hours ago is not late yet.
    let today = crate::today(&ctx, None).unwrap();
    let iceland = today.waiting.iter().find(|w| w.title == "Iceland northern lights").expect("Iceland waits");
    assert!(iceland.waiting.breached, "{iceland:?}");
    assert_eq!(iceland.waiting.urgency, Urgency::Red);
    assert_eq!(iceland.should_act.name, "Bo Lind");
    let amalfi = today.waiting.iter().find(|w| w.title == "Amalfi coast honeymoon").expect("Amalfi waits");
    assert!(!amalfi.waiting.breached, "{amalfi:?}");
    assert_eq!(amalfi.should_act.name, "Bo Lind");
    assert_eq!(today.waiting.len(), 2);
    let amalfi = crate::deal_show(&ctx, "Amalfi coast honeymoon").unwrap();
    let owner = amalfi.fulfilment.expect("won");
    assert_eq!((owner.original.name.as_str(), owner.assigned_because), ("Bo Lind", AssignedBecause::Backup));
    assert!(amalfi.meeting.started_at.is_some() && !amalfi.brief.signed);

    // The service handoff due about 72 hours before the Tokyo trip, not started.
    let tokyo = today
        .service_handoffs
        .iter()
        .find(|s| s.deal.title == "Tokyo and Kyoto family trip")
        .expect("Tokyo's service handoff is on the board");
    assert_eq!(tokyo.owner.name, "Sol Reed");
    assert!(!tokyo.late && !tokyo.started && tokyo.open_items == 6, "{tokyo:?}");
    assert!(tokyo.hours_until_due > 0.0 && tokyo.hours_until_due < 24.0, "{tokyo:?}");

    // Yesterday's handoff by the backup left "Confirm dates with customer" due today.
    let task = today.tasks.iter().find(|t| t.deal.title == "Peru and Machu Picchu").expect("Peru's first task");
    assert_eq!((task.title.as_str(), task.owner.name.as_str()), ("Confirm dates with customer", "Bo Lind"));

    // The latest Tuesday review: four trips (five on a Tuesday, with yesterday's), ranked, none picked.
    let review = crate::review_show(&ctx, None).unwrap();
    assert!(review.trips.len() >= 4, "{review:?}");
    assert_eq!(review.picks, 0);
    let ranked: Vec<Option<Sentiment>> =
        review.trips.iter().take(4).map(|t| t.signal.as_ref().map(|s| s.sentiment)).collect();
    let expected = [Sentiment::Thrilled, Sentiment::Happy, Sentiment::Neutral, Sentiment::Unhappy].map(Some);
    assert_eq!(ranked, expected);
    assert_eq!(review.trips[0].deal.title, "Kenya safari and Zanzibar");
    assert_eq!(review.trips[0].asks.len(), 1);

    // Ten weeks of dwell history.
    let dwell = crate::dwell(&ctx, Default::default()).unwrap();
    assert!(dwell.stats.handed_off >= 30, "{:?}", dwell.stats);
    assert!(dwell.stats.worst_hours <= 97.0 && dwell.stats.over_one_business_day > 0, "{:?}", dwell.stats);

    // The loop: an earlier review's pick renewed; cold outreach to compare with.
    let looped = crate::metrics_loop(&ctx, Default::default()).unwrap();
    assert_eq!((looped.figures.picks, looped.figures.picked_renewals), (2, 1));
    assert_eq!((looped.figures.cold_attempts, looped.figures.cold_renewals), (78, 6), "two batches and three calls");
    let calls = crate::outreach_list(&ctx, Default::default()).unwrap();
    assert_eq!(calls.calls, 3, "{calls:?}");
    assert!(looped.figures.lift_percent.is_some_and(|l| l > 0.0));
    let service = crate::metrics_service(&ctx, Default::default()).unwrap();
    assert_eq!((service.service_handoffs_done, service.on_time), (7, 6));
    assert!(service.asks_per_trip > 0.0);
    let escalations = crate::escalation_list(&ctx).unwrap();
    assert_eq!(escalations.iter().filter(|e| !e.automatic).count(), 2);

    // The log folds again to the same state.
    assert_eq!(crate::rebuild(&ctx).unwrap().integrity, "ok");
    (dir, ctx)
}

#[test]
fn on_a_monday_morning() {
    sample_shows_every_handoff_at("2026-03-02 09:15");
}

#[test]
fn on_a_saturday_night() {
    sample_shows_every_handoff_at("2026-12-12 22:45");
}

#[test]
fn in_the_week_the_clocks_go_forward() {
    sample_shows_every_handoff_at("2026-04-01 15:10");
}

#[test]
fn on_a_review_tuesday_after_christmas() {
    let (_dir, ctx) = sample_shows_every_handoff_at("2026-12-29 10:00");
    // On the Tuesday itself the review also lists the trip back yesterday, without a signal yet.
    let review = crate::review_show(&ctx, None).unwrap();
    assert_eq!(review.review.to_string(), "2026-12-29");
    assert_eq!(review.trips.len(), 5);
    assert_eq!(review.trips[4].deal.title, "Copenhagen design weekend");
    assert!(review.trips[4].signal.is_none());
}

#[test]
fn opens_at_any_hour_of_any_day() {
    // A week across the autumn clock change, at the hours where the sample's choices flip.
    for day in 22..=28 {
        for time in ["00:05", "01:30", "13:59", "14:00", "23:55"] {
            sample_shows_every_handoff_at(&format!("2026-10-{day} {time}"));
        }
    }
}

#[test]
fn a_second_sample_is_refused_and_writes_nothing() {
    let (_dir, ctx) = empty_at(london("2026-06-10 11:00"));
    open_sample(&ctx).unwrap();
    let before = events(&ctx);
    let err = open_sample(&ctx).unwrap_err();
    assert_eq!(err.code, ErrorCode::Refused);
    assert!(err.message.contains("already holds the agency \"Wayfarer Travel (sample)\""), "{}", err.message);
    assert_eq!(events(&ctx), before);
}

#[test]
fn a_database_with_its_own_agency_is_left_alone() {
    let (_dir, ctx) = empty_at(london("2026-06-10 11:00"));
    let init = InitRequest {
        agency: "Acme Travel".into(),
        timezone: "Europe/Paris".into(),
        workdays: None,
        hours: None,
        acting: Acting::default(),
    };
    crate::init(&ctx, init).unwrap();
    let before = events(&ctx);
    let err = open_sample(&ctx).unwrap_err();
    assert_eq!(err.code, ErrorCode::Refused);
    assert!(err.message.contains("Acme Travel"), "{}", err.message);
    assert_eq!(events(&ctx), before);
    assert!(crate::person_list(&ctx).unwrap().is_empty());
    assert_eq!(crate::agency(&ctx).unwrap().name, "Acme Travel");
}
