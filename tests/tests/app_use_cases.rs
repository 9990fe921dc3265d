//! The use cases the desktop app added, called the way the app calls them (handoff-api over a real
//! SQLite file, with a fixed clock): notifications, "who am I on this laptop", the import preview,
//! the dwell trend and distribution, and the timeline's word on stale signatures.

use chrono::{TimeZone, Utc};
use handoff_api::dto::{Acting, BeforeAfterRequest, NoticeKind, RangeRequest};
use handoff_api::ErrorCode;

use crate::fixtures::{at, ctx_at, hand_off, won_monday_morning, write_brief};
use crate::util::{p, Agency};

#[test]
fn a_waiting_deal_is_notified_once_at_half_a_business_day_and_once_at_one() {
    let a = won_monday_morning();
    let quiet = handoff_api::notices(&ctx_at(&a, at(23, 13, 0)), Some(at(23, 12, 0))).unwrap();
    assert!(quiet.notices.is_empty(), "{:?}", quiet.notices);

    let half = handoff_api::notices(&ctx_at(&a, at(23, 13, 30)), Some(at(23, 13, 0))).unwrap();
    assert_eq!(half.notices.len(), 1);
    assert_eq!(half.notices[0].kind, NoticeKind::HandoffHalfDay);
    assert!(half.notices[0].title.contains("Alpine retreat"));
    assert_eq!(half.notices[0].person.name, "Fay Okafor");
    assert!(half.notices[0].body.contains("Fay Okafor should hold the 15-minute handoff meeting"));
    assert_eq!(half.now, at(23, 13, 30));

    let again = handoff_api::notices(&ctx_at(&a, at(23, 14, 0)), Some(half.now)).unwrap();
    assert!(again.notices.is_empty(), "half a day is notified once");

    // One business day is reached at 17:30 and passed with the first business minute after it.
    let evening = handoff_api::notices(&ctx_at(&a, at(23, 23, 0)), Some(at(23, 17, 0))).unwrap();
    assert!(evening.notices.is_empty(), "{:?}", evening.notices);
    let day = handoff_api::notices(&ctx_at(&a, at(24, 9, 1)), Some(at(23, 23, 0))).unwrap();
    assert_eq!(handoff_notices(&day), [NoticeKind::HandoffOverdue]);

    // The app starting the next morning: what is already red, once.
    let start = handoff_api::notices(&ctx_at(&a, at(24, 10, 0)), None).unwrap();
    assert_eq!(handoff_notices(&start), [NoticeKind::HandoffOverdue]);
}

/// The kinds of `found`'s notices about handoffs (Tuesday mornings bring the review's too).
fn handoff_notices(found: &handoff_api::dto::NoticesDto) -> Vec<NoticeKind> {
    found.notices.iter().map(|n| n.kind).filter(|k| *k != NoticeKind::ReviewToday).collect()
}

/// Who each notice of `found` is for, with its kind, in order.
fn for_whom(found: &handoff_api::dto::NoticesDto) -> Vec<(String, NoticeKind)> {
    found.notices.iter().map(|n| (n.person.name.clone(), n.kind)).collect()
}

#[test]
fn each_laptop_is_told_only_what_its_person_should_act_on_and_the_founder_of_escalations() {
    let a = won_monday_morning();
    // Tuesday, as the working day starts: Fay's handoff has passed one business day, and the
    // review is today (Sam leads Sales as its only person, Sol leads Service).
    let tuesday = |who: Option<&str>| {
        let ctx = ctx_at(&a, at(24, 9, 1));
        if let Some(who) = who {
            handoff_api::whoami_set(&ctx, who).unwrap();
        }
        for_whom(&handoff_api::notices(&ctx, Some(at(23, 23, 0))).unwrap())
    };
    let everyone = tuesday(None);
    assert_eq!(everyone.len(), 3, "{everyone:?}");
    assert!(everyone.contains(&("Fay Okafor".into(), NoticeKind::HandoffOverdue)));
    assert!(everyone.contains(&("Sam Reyes".into(), NoticeKind::ReviewToday)));
    assert!(everyone.contains(&("Sol Reed".into(), NoticeKind::ReviewToday)));
    assert_eq!(tuesday(Some("Fay Okafor")), [("Fay Okafor".into(), NoticeKind::HandoffOverdue)]);
    assert_eq!(tuesday(Some("Sam Reyes")), [("Sam Reyes".into(), NoticeKind::ReviewToday)]);
    assert_eq!(tuesday(Some("Sol Reed")), [("Sol Reed".into(), NoticeKind::ReviewToday)]);
    assert_eq!(
        tuesday(Some("Maya Chen")),
        [("Fay Okafor".into(), NoticeKind::HandoffOverdue)],
        "the founder hears of the escalation"
    );
    // What is mine: each lead's Today opens on their own work, the founder's on the whole agency.
    let opens_on_everyone =
        |who: &str| handoff_api::whoami_set(&ctx_at(&a, at(24, 9, 1)), who).unwrap().sees_whole_agency;
    assert!(opens_on_everyone("Maya Chen"));
    assert!(!opens_on_everyone("Fay Okafor") && !opens_on_everyone("Sam Reyes"));
    // Half a business day is Fay's alone, not yet an escalation.
    let ctx = ctx_at(&a, at(23, 13, 30));
    handoff_api::whoami_set(&ctx, "Maya Chen").unwrap();
    assert!(handoff_api::notices(&ctx, Some(at(23, 13, 0))).unwrap().notices.is_empty());
    // The review is told once, as the day starts.
    let later = handoff_api::notices(&ctx_at(&a, at(24, 11, 0)), Some(at(24, 9, 1))).unwrap();
    assert!(!later.notices.iter().any(|n| n.kind == NoticeKind::ReviewToday), "{:?}", later.notices);
}

#[test]
fn a_follow_up_call_is_brought_up_two_days_before_its_day_10_and_when_it_is_missed() {
    let a = Agency::with_service();
    lisbon_handed_off(&a, ("2026-11-12 12:00", "2026-11-15"), "2026-10-01");
    a.ok(&[
        "review",
        "pick",
        "--date",
        "2026-11-17",
        "--as",
        "Sam Reyes",
        "--at",
        "2026-11-17 10:00",
        "Lisbon weekend",
    ]);
    let due = handoff_api::today(&ctx_at(&a, at(23, 9, 0)), None).unwrap().follow_ups[0].due_at;
    let nearing = due - chrono::Duration::days(2);
    let minute = chrono::Duration::minutes(1);
    let quiet = handoff_api::notices(&ctx_at(&a, nearing - minute), Some(nearing - minute * 2)).unwrap();
    assert!(!quiet.notices.iter().any(|n| n.kind == NoticeKind::FollowUpDue), "{:?}", quiet.notices);
    let near = handoff_api::notices(&ctx_at(&a, nearing + minute), Some(nearing - minute)).unwrap();
    let near: Vec<_> = near.notices.iter().filter(|n| n.kind == NoticeKind::FollowUpDue).collect();
    assert_eq!(near.len(), 1, "{near:?}");
    assert!(near[0].title.contains("Call back about Lisbon weekend within two days"), "{}", near[0].title);
    let missed = handoff_api::notices(&ctx_at(&a, due + minute), Some(due - minute)).unwrap();
    assert!(
        missed.notices.iter().any(|n| n.kind == NoticeKind::FollowUpDue && n.title.contains("past its day 10")),
        "{:?}",
        missed.notices
    );
}

#[test]
fn a_deal_handed_off_in_time_is_never_notified() {
    let a = won_monday_morning();
    hand_off(&a, "Alpine retreat", "Fay Okafor", "2026-11-23");
    let later = handoff_api::notices(&ctx_at(&a, at(24, 10, 0)), None).unwrap();
    assert!(handoff_notices(&later).is_empty(), "{:?}", later.notices);
}

#[test]
fn a_service_handoff_is_notified_when_the_trip_is_72_hours_away_and_it_is_not_done() {
    let a = Agency::with_service();
    lisbon_handed_off(&a, ("2026-12-04 12:00", "2026-12-07"), "2026-11-02");
    let due = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    // 1 December is a Tuesday: the review's notices come too.
    let before = handoff_api::notices(&ctx_at(&a, due - chrono::Duration::minutes(1)), None).unwrap();
    assert!(handoff_notices(&before).is_empty(), "{:?}", before.notices);
    let after =
        handoff_api::notices(&ctx_at(&a, due + chrono::Duration::minutes(1)), Some(due - chrono::Duration::minutes(1)))
            .unwrap();
    assert_eq!(after.notices.len(), 1);
    assert_eq!(after.notices[0].kind, NoticeKind::ServiceDue);
    assert_eq!(after.notices[0].person.name, "Sol Reed");
    assert!(after.notices[0].title.contains("less than 72 hours"));
}

/// "Lisbon weekend" (trip `(start, end)`), added, won and handed off to Fay on `day` (09:00 on).
fn lisbon_handed_off(a: &Agency, (start, end): (&str, &str), day: &str) {
    a.ok(&[
        "deal",
        "add",
        "--title",
        "Lisbon weekend",
        "--customer",
        "The Patels",
        "--value",
        "4200",
        "--currency",
        "GBP",
        "--owner",
        "Sam Reyes",
        "--trip-start",
        start,
        "--trip-end",
        end,
        "--at",
        &format!("{day} 09:00"),
    ]);
    a.ok(&["deal", "won", "Lisbon weekend", "--at", &format!("{day} 09:30")]);
    hand_off(a, "Lisbon weekend", "Fay Okafor", day);
}

#[test]
fn who_uses_this_laptop_is_a_local_setting_and_must_be_a_person_of_the_agency() {
    let a = Agency::wayfarer();
    let ctx = ctx_at(&a, Utc::now());
    assert!(handoff_api::whoami(&ctx).unwrap().is_none());
    let before = a.snapshot();
    let me = handoff_api::whoami_set(&ctx, "Sam").unwrap();
    assert_eq!(me.name, "Sam Reyes");
    assert_eq!(handoff_api::whoami(&ctx).unwrap().unwrap().name, "Sam Reyes");
    // Not an event: the log is unchanged.
    assert_eq!(a.snapshot(), before);
    let err = handoff_api::whoami_set(&ctx, "Nobody Atall").unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(handoff_api::whoami(&ctx).unwrap().unwrap().name, "Sam Reyes", "a refused choice changes nothing");
}

#[test]
fn the_import_preview_reports_every_row_and_writes_nothing() {
    let a = Agency::wayfarer();
    let csv = a.write(
        "crm.csv",
        "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n\
         CRM-1,Corporate retreat,Initech,60000,EUR,Sam Reyes,2026-03-02 09:00,2026-03-03 09:00\n\
         CRM-2,Lisbon weekend,Jo Bloggs,1.200,50,EUR,Sam Reyes,2026-03-03 12:00,\n\
         CRM-3,Bath,R. Patel,800,GBP,Nobody,2026-03-04 10:00,\n",
    );
    let ctx = ctx_at(&a, Utc::now());
    // Line 3 has one column too many (a decimal comma): the whole file is unreadable as CSV.
    let err = handoff_api::import_preview(&ctx, &csv, &Default::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    a.write(
        "crm.csv",
        "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n\
         CRM-1,Corporate retreat,Initech,60000,EUR,Sam Reyes,2026-03-02 09:00,2026-03-03 09:00\n\
         CRM-2,Lisbon weekend,Jo Bloggs,\"1.200,50\",EUR,Sam Reyes,2026-03-03 12:00,\n\
         CRM-3,Bath,R. Patel,800,GBP,Nobody,2026-03-04 10:00,\n",
    );
    let p = handoff_api::import_preview(&ctx, &csv, &Default::default()).unwrap();
    assert_eq!((p.new, p.unchanged, p.refused), (1, 0, 2));
    assert_eq!(p.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 4]);
    assert!(p.rows[1].problem.as_deref().unwrap().contains("line 3"), "{:?}", p.rows[1].problem);
    assert!(p.rows[2].problem.as_deref().unwrap().contains("Nobody"), "{:?}", p.rows[2].problem);
    assert_eq!(handoff_api::deal_list(&ctx, None).unwrap().len(), 0, "a preview writes nothing");

    // Fixed, imported, then previewed again: every row is already there.
    a.write(
        "crm.csv",
        "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n\
         CRM-1,Corporate retreat,Initech,60000,EUR,Sam Reyes,2026-03-02 09:00,2026-03-03 09:00\n",
    );
    handoff_api::import_deals(&ctx, &csv, &Default::default(), Acting::default()).unwrap();
    let again = handoff_api::import_preview(&ctx, &csv, &Default::default()).unwrap();
    assert_eq!((again.new, again.unchanged, again.refused), (0, 1, 0));
}

/// Three deals imported from a CRM, seen on Friday 20 November: week 45 (2–8 Nov) 2 h and 10 h of
/// business time, week 46 nothing, week 47 4 h.
fn three_weeks_of_handoffs() -> (Agency, handoff_api::Ctx) {
    let a = Agency::wayfarer();
    let csv = a.write(
        "crm.csv",
        "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n\
         A,One,C,100,EUR,Sam Reyes,2026-11-02 09:00,2026-11-02 11:00\n\
         B,Two,C,100,EUR,Sam Reyes,2026-11-03 09:00,2026-11-04 10:30\n\
         C,Three,C,100,EUR,Sam Reyes,2026-11-16 09:00,2026-11-16 13:00\n",
    );
    a.ok(&["import", "deals", p(&csv)]);
    let ctx = ctx_at(&a, at(20, 12, 0));
    (a, ctx)
}

#[test]
fn the_dwell_trend_gives_each_iso_week_its_own_figures_and_the_distribution_counts_every_deal() {
    let (_agency, ctx) = three_weeks_of_handoffs();
    let range =
        |from: Option<&str>, to: Option<&str>| RangeRequest { from: from.map(Into::into), to: to.map(Into::into) };
    let trend = handoff_api::dwell_weekly(&ctx, range(Some("2026-11-02"), None)).unwrap();
    let weeks: Vec<(&str, usize, bool)> = trend.iter().map(|w| (w.week.as_str(), w.stats.handed_off, w.gap)).collect();
    assert_eq!(weeks, vec![("2026-W45", 2, false), ("2026-W46", 0, true), ("2026-W47", 1, false)]);
    assert_eq!(trend[0].stats.median_business_hours, 6.0);
    assert_eq!(trend[0].stats.median_hours, 13.75, "wall-clock beside business time");
    assert_eq!(trend[2].stats.mean_business_hours, 4.0);
    // All time starts at the week of the first close; a range ends at its own week.
    let all: Vec<String> =
        handoff_api::dwell_weekly(&ctx, range(None, None)).unwrap().into_iter().map(|w| w.week).collect();
    assert_eq!(all, ["2026-W45", "2026-W46", "2026-W47"]);
    let two = handoff_api::dwell_weekly(&ctx, range(Some("2026-11-01"), Some("2026-11-09"))).unwrap();
    assert_eq!(two.iter().map(|w| w.week.as_str()).collect::<Vec<_>>(), ["2026-W44", "2026-W45", "2026-W46"]);
    // A range from a Tuesday counts only its own days of that first week: B, not A.
    let from_tuesday = handoff_api::dwell_weekly(&ctx, range(Some("2026-11-03"), None)).unwrap();
    assert_eq!((from_tuesday[0].week.as_str(), from_tuesday[0].stats.handed_off), ("2026-W45", 1));
    let backwards = handoff_api::dwell_weekly(&ctx, range(Some("2026-11-09"), Some("2026-11-01"))).unwrap_err();
    assert_eq!(backwards.code, ErrorCode::InvalidInput);
    assert!(backwards.message.contains("before it starts"), "{}", backwards.message);

    let report = handoff_api::dwell(&ctx, Default::default()).unwrap();
    let counts: Vec<usize> = report.distribution.iter().map(|b| b.deals).collect();
    // 2 h and 4 h are under half a day (4.25 h); 10 h is 1 to 2 days (over 8.5 h).
    assert_eq!(counts, vec![2, 0, 1, 0, 0]);
}

#[test]
fn the_timeline_says_whose_signatures_an_edit_made_stale() {
    let a = won_monday_morning();
    a.ok(&["meeting", "start", "Alpine retreat", "--at", "2026-11-23 10:00"]);
    write_brief(&a, "Alpine retreat", "2026-11-23 10:05");
    a.sign("Alpine retreat", "Sam Reyes", "2026-11-23 10:10");
    a.sign("Alpine retreat", "Fay Okafor", "2026-11-23 10:11");
    a.ok(&[
        "brief",
        "set",
        "Alpine retreat",
        "--section",
        "risks",
        "--text",
        "Passport expires",
        "--at",
        "2026-11-23 10:12",
    ]);
    a.ok(&["brief", "set", "Alpine retreat", "--section", "trip", "--text", "Zermatt", "--at", "2026-11-23 10:13"]);
    let deal = handoff_api::deal_show(&ctx_at(&a, at(23, 11, 0)), "Alpine retreat").unwrap();
    let lines: Vec<&str> = deal.timeline.iter().map(|t| t.summary.as_str()).collect();
    // The edit of "Passport expires" (16 characters), after both had signed.
    let risks = lines.iter().find(|l| l.contains("Risks") && l.contains("(16 characters)")).unwrap();
    assert!(
        risks.ends_with("the signatures of Sam Reyes and Fay Okafor became stale and must be given again"),
        "{risks}"
    );
    let trip = lines.iter().find(|l| l.contains("\"Trip\"") && l.contains("(7 characters)")).unwrap();
    assert!(!trip.contains("stale"), "a second edit has no signatures left to make stale: {trip}");
}

#[test]
fn changing_working_hours_counts_the_business_dwell_of_past_deals_again_and_bad_hours_change_nothing() {
    let a = Agency::wayfarer();
    let csv = a.write(
        "crm.csv",
        "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n\
         A,One,C,100,EUR,Sam Reyes,2026-11-02 09:00,2026-11-02 13:00\n",
    );
    a.ok(&["import", "deals", p(&csv)]);
    let mean = |a: &Agency| -> f64 {
        let v: serde_json::Value = serde_json::from_str(&a.ok(&["metrics", "dwell", "--json"])).unwrap();
        v["mean_business_hours"].as_f64().unwrap()
    };
    assert_eq!(mean(&a), 4.0);

    // Refused, one line naming the bad hours, and nothing written (`refused` checks the file).
    assert!(a.refused(&["agency", "set", "--hours", "17:00-09:00"]).contains("17:00-09:00"));

    let shown = a.ok(&["agency", "set", "--hours", "09:00-11:00", "--workdays", "mon,tue,wed,thu"]);
    assert!(shown.contains("09:00-11:00"), "{shown}");
    assert_eq!(mean(&a), 2.0, "only 09:00-11:00 of that Monday is business time now");
    let ctx = ctx_at(&a, Utc::now());
    let agency = handoff_api::agency(&ctx).unwrap();
    assert_eq!((agency.workdays.as_str(), agency.one_business_day_hours), ("mon,tue,wed,thu", 2.0));
    // The read tables a rebuild makes from the log agree.
    handoff_api::rebuild(&ctx).unwrap();
    assert_eq!(mean(&a), 2.0);
}

#[test]
fn the_agency_writes_dates_in_its_locale_the_zone_s_until_it_chooses() {
    let london = Agency::wayfarer();
    assert_eq!(london.json(&["agency"])["locale"], "en-GB", "a London agency writes day before month");
    let new_york = Agency::empty();
    new_york.ok(&["init", "--agency", "Hudson Trips", "--timezone", "America/New_York"]);
    assert_eq!(new_york.json(&["agency"])["locale"], "en-US", "a New York agency, month before day");

    let set = london.json(&["agency", "set", "--locale", "de-DE"]);
    assert_eq!(set["locale"], "de-DE");
    assert!(london.ok(&["agency"]).contains("dates written de-DE"));
    // Recorded as a version-6 event: an older Handoff keeps it as received instead of dropping it.
    let store = handoff_store::Store::open(&london.db, false).unwrap();
    let last: (String, i64) = store
        .connection()
        .query_row("SELECT kind, version FROM events ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    drop(store);
    assert_eq!(last, ("agency_settings_changed".to_string(), 6));

    let err = london.refused(&["agency", "set", "--locale", "xx-YY"]);
    assert!(err.contains("unknown locale \"xx-YY\": use one of en-GB, en-US"), "{err}");
    // Other settings changed later leave the locale as it was chosen.
    london.ok(&["agency", "set", "--review-picks", "4"]);
    assert_eq!(london.json(&["agency"])["locale"], "de-DE");
    let ctx = ctx_at(&london, Utc::now());
    handoff_api::rebuild(&ctx).unwrap();
    assert_eq!(handoff_api::agency(&ctx).unwrap().locale.as_str(), "de-DE");
}

#[test]
fn dwell_before_and_after_a_change_compares_whole_weeks_against_one_business_day() {
    // The week before 9 Nov: 2 h and 10 h of business time, one past a business day (8.5 h).
    // From 9 Nov: 4 h.
    let (a, ctx) = three_weeks_of_handoffs();
    let ask = |on: &str, before: u32, after: u32| {
        handoff_api::dwell_before_after(
            &ctx,
            BeforeAfterRequest { on: on.into(), weeks_before: before, weeks_after: after },
        )
    };
    let c = ask("2026-11-09", 1, 3).unwrap();
    assert_eq!((c.before.from.to_string(), c.before.to.to_string()), ("2026-11-02".into(), "2026-11-08".into()));
    // Three weeks after the 9th run to the 29th; today is the 20th: counted so far, and said so.
    assert_eq!((c.after.from.to_string(), c.after.to.to_string()), ("2026-11-09".into(), "2026-11-20".into()));
    assert!(c.after.so_far && !c.before.so_far);
    assert_eq!(c.before.stats.handed_off, 2);
    assert_eq!(c.before.stats.mean_hours, 13.75, "wall-clock, as the playbook quotes it");
    assert_eq!(c.before.stats.worst_hours, 25.5);
    assert_eq!(c.before.worst_deal_title.as_deref(), Some("Two"));
    assert_eq!(c.before.on_target, Some(false), "10 business hours is past one business day");
    assert_eq!((c.after.stats.handed_off, c.after.stats.worst_hours), (1, 4.0));
    assert_eq!(c.after.on_target, Some(true));
    assert_eq!(c.one_business_day_hours, 8.5);
    // A deal of the span still waiting past one business day puts it off target.
    a.add_deal("Late one", "2026-11-16 09:00");
    a.ok(&["deal", "won", "Late one", "--at", "2026-11-16 09:30"]);
    let late = ask("2026-11-09", 1, 3).unwrap();
    assert_eq!((late.after.stats.handed_off, late.after.on_target), (1, Some(false)), "{late:?}");
    let report = handoff_api::dwell(&ctx, Default::default()).unwrap();
    assert_eq!(report.on_target, Some(false), "the dwell report judges what still waits too");
    // Nothing closed before: nothing to judge.
    assert_eq!(ask("2026-10-01", 2, 1).unwrap().before.on_target, None);

    for (on, before, after, says) in [
        ("9 Nov", 1, 3, "write it as YYYY-MM-DD"),
        ("2026-11-23", 1, 3, "the change on 2026-11-23 has not been made yet (today is 2026-11-20)"),
        ("2026-11-09", 0, 3, "compare 1 to 26 weeks"),
        ("2026-11-09", 1, 27, "compare 1 to 26 weeks"),
    ] {
        let e = ask(on, before, after).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(says), "{}", e.message);
    }
}

#[test]
fn the_metrics_periods_are_resolved_on_the_agencys_today() {
    let a = Agency::wayfarer();
    // Friday 20 November 2026.
    let ctx = ctx_at(&a, at(20, 12, 0));
    let p = handoff_api::metrics_periods(&ctx).unwrap();
    let spans: Vec<(String, Option<String>, Option<String>)> = p
        .periods
        .iter()
        .map(|d| (d.label.clone(), d.from.map(|f| f.to_string()), d.to.map(|t| t.to_string())))
        .collect();
    let day = |s: &str| Some(s.to_string());
    assert_eq!(spans[0], ("Last 4 weeks".into(), day("2026-10-26"), day("2026-11-20")));
    assert_eq!(spans[3], ("Last quarter".into(), day("2026-07-01"), day("2026-09-30")));
    assert_eq!(spans.last().unwrap(), &("All time".into(), None, None));
    assert_eq!(p.default, handoff_domain::metrics::Period::Last12Weeks);
    assert_eq!(p.weeks.len(), 104);
    let week = |i: usize| (p.weeks[i].monday.to_string(), p.weeks[i].sunday.to_string());
    assert_eq!(week(0), ("2026-11-16".into(), "2026-11-22".into()), "this week first");
    assert_eq!(week(1), ("2026-11-09".into(), "2026-11-15".into()));
}

/// The deal list a page at a time, as the app's Deals screen asks for it: the pages in turn are
/// the whole list in the list's order; the status, the words (full text, or an owner's name) and
/// every sort column are the API's; a page of none or of too many is refused.
#[test]
fn the_deal_list_comes_a_page_at_a_time_filtered_searched_and_sorted_by_the_api() {
    use handoff_api::dto::{DealPageRequest, DealSort};
    let a = Agency::wayfarer();
    a.ok(&["person", "add", "--name", "Ada Brook", "--dept", "sales"]);
    let csv = a.write(
        "crm.csv",
        "external_id,title,customer,value,currency,owner,closed_at,handoff_at\n\
         A,lisbon weekend,The Patels,4200,EUR,Sam Reyes,2026-11-02 09:00,2026-11-02 11:00\n\
         B,Alpine retreat,Zoë Martin,9100,EUR,Ada Brook,2026-11-03 09:00,2026-11-04 10:30\n\
         C,Kyoto blossom,The Hartleys,14800,EUR,Sam Reyes,2026-11-05 09:00,2026-11-05 13:00\n\
         D,Marrakech riad,Priya Shah,2650,EUR,Ada Brook,2026-11-06 09:00,2026-11-06 12:00\n\
         E,Norway fjords,The Bergs,9400,EUR,Sam Reyes,2026-11-09 09:00,2026-11-09 16:00\n",
    );
    a.ok(&["import", "deals", p(&csv)]);
    for (title, at) in [("Bordeaux wine week", "2026-11-10 10:00"), ("Cornwall cottage", "2026-11-11 10:00")] {
        a.ok(&[
            "deal",
            "add",
            "--title",
            title,
            "--customer",
            "The Oseis",
            "--value",
            "1000",
            "--currency",
            "EUR",
            "--owner",
            "Sam Reyes",
            "--at",
            at,
        ]);
    }
    a.ok(&["deal", "won", "Cornwall cottage", "--at", "2026-11-12 10:00"]);
    let ctx = ctx_at(&a, at(20, 12, 0));
    let page = |req: DealPageRequest| handoff_api::deal_page(&ctx, req).unwrap();
    let titles = |req: DealPageRequest| page(req).deals.into_iter().map(|d| d.title).collect::<Vec<_>>();
    let all = |sort: DealSort, ascending: bool| DealPageRequest { sort, ascending, limit: 100, ..Default::default() };

    // Three at a time, the pages in turn are the whole list: the latest won first, then the
    // deals not won yet, the latest added first.
    let whole: Vec<String> = titles(all(DealSort::Won, false));
    assert_eq!(
        whole,
        [
            "Cornwall cottage",
            "Norway fjords",
            "Marrakech riad",
            "Kyoto blossom",
            "Alpine retreat",
            "lisbon weekend",
            "Bordeaux wine week"
        ]
    );
    let mut paged = Vec::new();
    for offset in [0, 3, 6] {
        let p = page(DealPageRequest { offset, limit: 3, ..Default::default() });
        assert_eq!((p.offset, p.total, p.all), (offset, 7, 7));
        paged.extend(p.deals.into_iter().map(|d| d.title));
    }
    assert_eq!(paged, whole);
    let oldest_first = titles(all(DealSort::Won, true));
    assert_eq!(oldest_first[0], "Bordeaux wine week", "not won: before every won deal when ascending");

    // Filters: a status; words of the title, customer (accents aside), or an owner's name.
    let open = page(DealPageRequest { status: Some("open".parse().unwrap()), limit: 100, ..Default::default() });
    assert_eq!((open.total, open.all), (1, 7));
    assert_eq!(open.deals[0].title, "Bordeaux wine week");
    let words = |text: &str| titles(DealPageRequest { text: Some(text.into()), limit: 100, ..Default::default() });
    assert_eq!(words("lisbon"), ["lisbon weekend"]);
    assert_eq!(words("zoe"), ["Alpine retreat"], "accents and case aside");
    assert_eq!(words("ada"), ["Marrakech riad", "Alpine retreat"], "Ada Brook's deals, by her name");
    assert!(words("nobody-at-all").is_empty());
    assert!(words("\"*(").is_empty(), "search syntax is only text");
    let none = page(DealPageRequest { text: Some("nobody".into()), limit: 100, ..Default::default() });
    assert_eq!((none.total, none.all), (0, 7));

    // Every column sorts, both ways.
    assert_eq!(
        titles(all(DealSort::Title, true)),
        [
            "Alpine retreat",
            "Bordeaux wine week",
            "Cornwall cottage",
            "Kyoto blossom",
            "lisbon weekend",
            "Marrakech riad",
            "Norway fjords"
        ],
        "case aside"
    );
    assert_eq!(titles(all(DealSort::Value, false))[..2], ["Kyoto blossom", "Norway fjords"]);
    assert_eq!(
        titles(all(DealSort::Customer, true))[..2],
        ["Marrakech riad", "Norway fjords"],
        "Priya Shah, The Bergs"
    );
    let by_status = titles(all(DealSort::Status, true));
    assert_eq!(by_status[..2], ["Bordeaux wine week", "Cornwall cottage"], "open, then won, then handed off");
    let sellers: Vec<String> = page(all(DealSort::Sales, true)).deals.into_iter().map(|d| d.sales_owner.name).collect();
    assert_eq!(sellers, ["Ada Brook", "Ada Brook", "Sam Reyes", "Sam Reyes", "Sam Reyes", "Sam Reyes", "Sam Reyes"]);
    let fulfilment: Vec<Option<String>> =
        page(all(DealSort::Fulfilment, true)).deals.into_iter().map(|d| d.fulfilment_owner.map(|p| p.name)).collect();
    assert_eq!(fulfilment[0], None, "an open deal has no Fulfilment owner: first");
    assert!(fulfilment[1..].iter().all(Option::is_some));

    // A page holds 1 to 500 deals.
    for limit in [0, 501] {
        let err = handoff_api::deal_page(&ctx, DealPageRequest { limit, ..Default::default() }).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("1 to 500 deals"), "{}", err.message);
    }
}
