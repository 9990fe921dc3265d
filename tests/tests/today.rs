//! The "today" query — the desktop app's home screen — at a fixed instant, through the same use
//! cases the app calls: waiting deals with their dwell and who should act, tasks due, service
//! handoffs in the next 96 hours or late, the next Tuesday review, follow-ups nearing day 10.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use handoff_api::dto::*;
use handoff_api::{Ctx, FixedClock};

fn acting(at: &str) -> Acting {
    Acting { actor: None, at: Some(at.into()) }
}

fn deal(ctx: &Ctx, title: &str, trip: Option<(&str, &str)>) {
    handoff_api::deal_add(
        ctx,
        DealAddRequest {
            title: title.into(),
            customer: "Acme".into(),
            value: "1000".into(),
            currency: "EUR".into(),
            owner: "Sam".into(),
            trip_start: trip.map(|t| t.0.into()),
            trip_end: trip.map(|t| t.1.into()),
            destination: None,
            travellers: None,
            acting: acting("2026-04-01 08:00"),
        },
    )
    .unwrap();
}

fn won(ctx: &Ctx, title: &str, at: &str) {
    handoff_api::deal_won(ctx, DealAction { deal: title.into(), acting: acting(at) }).unwrap();
}

fn handed_off(ctx: &Ctx, title: &str, day: &str) {
    won(ctx, title, &format!("{day} 09:00"));
    let a = |t: &str, who: Option<&str>| Acting { actor: who.map(str::to_string), at: Some(format!("{day} {t}")) };
    handoff_api::meeting_start(ctx, DealAction { deal: title.into(), acting: a("09:05", None) }).unwrap();
    for section in handoff_domain::brief::Section::ALL {
        let text = "None known".to_string();
        handoff_api::brief_set(ctx, BriefSetRequest { deal: title.into(), section, text, acting: a("09:05", None) })
            .unwrap();
    }
    for (who, t) in [("Sam", "09:06"), ("Fay", "09:07")] {
        let passphrase = Some(format!("passphrase of {who}"));
        handoff_api::brief_sign(ctx, BriefSignRequest { deal: title.into(), acting: a(t, Some(who)), passphrase })
            .unwrap();
    }
    handoff_api::meeting_end(ctx, DealAction { deal: title.into(), acting: a("09:10", None) }).unwrap();
}

fn picked_at_the_review_of_2_june(ctx: &Ctx, title: &str, time: &str) {
    let date = Some("2026-06-02".into());
    let pick = ReviewPickRequest { deals: vec![title.into()], date, acting: acting(&format!("2026-06-02 {time}")) };
    handoff_api::review_pick(ctx, pick).unwrap();
}

/// Wednesday 10 June 2026, 11:00 in London (10:00 UTC).
fn agency() -> (tempfile::TempDir, Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 6, 10, 10, 0, 0).unwrap();
    let ctx = Ctx::open_with_clock(&dir.path().join("t.db"), true, Arc::new(FixedClock(now)))
        .unwrap()
        .with_keys(handoff_api::LaptopKeys::in_data_folder(dir.path()));
    handoff_api::init(
        &ctx,
        InitRequest {
            agency: "Wayfarer".into(),
            timezone: "Europe/London".into(),
            workdays: None,
            hours: None,
            acting: acting("2026-06-01 07:00"),
        },
    )
    .unwrap();
    for (name, dept) in
        [("Sam", "sales"), ("Fay", "fulfilment"), ("Bo", "fulfilment"), ("Sol", "service"), ("Max", "founder")]
    {
        handoff_api::person_add(
            &ctx,
            PersonAddRequest {
                name: name.into(),
                dept: dept.parse().unwrap(),
                email: None,
                confirmed_different: false,
                acting: acting("2026-06-01 07:01"),
            },
        )
        .unwrap();
        let mine = Acting { actor: Some(name.into()), at: None };
        let key =
            KeyCreateRequest { acting: mine, passphrase: Some(format!("passphrase of {name}")), work_factor: Some(10) };
        handoff_api::key_create(&ctx, key).unwrap();
    }
    for (dept, lead, backups) in
        [("sales", "Sam", vec![]), ("fulfilment", "Fay", vec!["Bo".to_string()]), ("service", "Sol", vec![])]
    {
        handoff_api::dept_set(
            &ctx,
            DeptSetRequest {
                dept: dept.parse().unwrap(),
                lead: lead.into(),
                backups,
                acting: acting("2026-06-01 07:02"),
            },
        )
        .unwrap();
    }
    (dir, ctx)
}

#[test]
fn today_shows_everything_that_needs_attention_now() {
    let (_dir, ctx) = agency();
    // Waiting for the handoff: one past a business day (red), one fresh.
    deal(&ctx, "Red deal", None);
    won(&ctx, "Red deal", "2026-06-09 10:00");
    deal(&ctx, "Fresh deal", None);
    won(&ctx, "Fresh deal", "2026-06-10 10:30");
    // Handed off yesterday: "Confirm dates" is due today at 09:10 (overdue); service handoffs
    // due 12 June 11:00 (within 96 h) and 9 June (late), and one far off.
    deal(&ctx, "Soon trip", Some(("2026-06-15 11:00", "2026-06-20")));
    handed_off(&ctx, "Soon trip", "2026-06-09");
    deal(&ctx, "Late handoff trip", Some(("2026-06-12 09:00", "2026-06-14")));
    handed_off(&ctx, "Late handoff trip", "2026-06-08");
    deal(&ctx, "Far trip", Some(("2026-08-01", "2026-08-10")));
    handed_off(&ctx, "Far trip", "2026-06-08");
    // A trip that ended 1 June, picked at the review of 2 June: its follow-up is due 11 June.
    deal(&ctx, "Back trip", Some(("2026-05-25", "2026-06-01")));
    handed_off(&ctx, "Back trip", "2026-05-04");
    picked_at_the_review_of_2_june(&ctx, "Back trip", "10:00");
    // Another picked at that review whose call is made: history, not a to-do.
    deal(&ctx, "Called trip", Some(("2026-05-22", "2026-05-30")));
    handed_off(&ctx, "Called trip", "2026-05-04");
    picked_at_the_review_of_2_june(&ctx, "Called trip", "10:05");
    let call = FollowUpDoneRequest {
        deal: "Called trip".into(),
        outcome: "no-answer".parse().unwrap(),
        renewed_deal: None,
        acting: acting("2026-06-03 11:00"),
    };
    handoff_api::followup_done(&ctx, call).unwrap();
    // The next review's trips: one back yesterday with its signal in, one still under way.
    deal(&ctx, "Just back trip", Some(("2026-06-02", "2026-06-09")));
    handed_off(&ctx, "Just back trip", "2026-05-05");
    let signal = SignalRequest {
        deal: "Just back trip".into(),
        sentiment: "happy".parse().unwrap(),
        strength: 4,
        note: None,
        acting: acting("2026-06-10 09:00"),
    };
    handoff_api::trip_signal(&ctx, signal).unwrap();

    let t = handoff_api::today(&ctx, None).unwrap();
    assert_eq!(t.timezone, "Europe/London");
    let waiting: Vec<(&str, bool)> = t.waiting.iter().map(|w| (w.title.as_str(), w.waiting.breached)).collect();
    assert_eq!(waiting, [("Red deal", true), ("Fresh deal", false)]);
    assert_eq!(t.waiting[0].should_act.name, "Fay");
    // Closed Tuesday 10:00: 7.5 business hours Tuesday + 2 on Wednesday by 11:00 = 9.5.
    assert!((t.waiting[0].waiting.business_hours_waiting - 9.5).abs() < 1e-9);
    assert_eq!(serde_json::to_value(t.waiting[0].waiting.urgency).unwrap(), "red");

    let services: Vec<(&str, bool)> = t.service_handoffs.iter().map(|s| (s.deal.title.as_str(), s.late)).collect();
    assert_eq!(services, [("Late handoff trip", true), ("Soon trip", false)]);
    assert_eq!(t.service_handoffs[1].owner.name, "Sol");

    // Every "Confirm dates" is overdue (none was done); the follow-up call, due tomorrow at
    // 17:30, is beyond the next 24 hours and shows under follow-ups instead.
    let tasks: Vec<(&str, &str, bool)> =
        t.tasks.iter().map(|x| (x.deal.title.as_str(), x.title.as_str(), x.overdue)).collect();
    assert_eq!(
        tasks,
        [
            ("Back trip", "Confirm dates with customer", true),
            ("Called trip", "Confirm dates with customer", true),
            ("Just back trip", "Confirm dates with customer", true),
            ("Late handoff trip", "Confirm dates with customer", true),
            ("Far trip", "Confirm dates with customer", true),
            ("Soon trip", "Confirm dates with customer", true),
        ]
    );

    assert_eq!(t.next_review.date.to_string(), "2026-06-16");
    assert_eq!(
        (t.next_review.first.to_string(), t.next_review.last.to_string()),
        ("2026-06-09".into(), "2026-06-15".into())
    );
    assert_eq!(t.next_review.picks_allowed, 3);
    // Trips ending 9–15 June: "Just back trip" (signal in) and "Late handoff trip" (under way).
    assert_eq!((t.next_review.trips, t.next_review.with_signal), (2, 1));

    assert_eq!(t.follow_ups.len(), 1);
    assert_eq!(t.follow_ups[0].deal.title, "Back trip");
    assert_eq!(t.follow_ups[0].owner.name, "Sam");
    assert_eq!(t.follow_ups[0].days_left, 1);
    assert!(!t.follow_ups[0].overdue);

    // One person's view: only what Sol should act on.
    let sol = handoff_api::today(&ctx, Some("Sol")).unwrap();
    assert!(sol.waiting.is_empty() && sol.tasks.is_empty() && sol.follow_ups.is_empty());
    assert_eq!(sol.service_handoffs.len(), 2);
    let sam = handoff_api::today(&ctx, Some("Sam")).unwrap();
    assert_eq!(sam.follow_ups.len(), 1);
    assert!(sam.service_handoffs.is_empty());
    // The answer is one JSON document the app can render as it is.
    let json = serde_json::to_value(&t).unwrap();
    for key in ["waiting", "tasks", "service_handoffs", "next_review", "follow_ups"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}
