//! Who is told what, when: each rule of the module's table, given/when/then.

use super::*;
use crate::deal::fixtures::*;
use crate::directory::Staffing;

fn cal(dir: &Directory) -> &Calendar {
    dir.calendar().unwrap()
}

/// Fay's Alpine retreat, won Monday 2 March at 10:00 (a business day is 09:00–17:30).
fn waiting() -> Due {
    Due {
        waiting: vec![WaitingDeal {
            deal: DEAL,
            title: "Alpine retreat".into(),
            closed_at: t("2026-03-02 10:00"),
            should_act: FAY,
        }],
        ..Due::default()
    }
}

fn told(dir: &Directory, due: &Due, me: Option<PersonId>, since: Option<&str>, now: &str) -> Vec<(String, NoticeKind)> {
    notices(dir, cal(dir), due, me, since.map(t), t(now)).into_iter().map(|n| (dir.name_of(n.person), n.kind)).collect()
}

#[test]
fn a_waiting_deal_is_told_to_who_should_act_at_half_a_day_and_to_the_founder_at_one() {
    let dir = directory();
    let due = waiting();
    let half = [("Fay".to_string(), NoticeKind::HandoffHalfDay)];
    // Half a business day (4 h 15 m) is reached at 14:15.
    assert_eq!(told(&dir, &due, Some(FAY), Some("2026-03-02 14:00"), "2026-03-02 14:30"), half);
    assert!(told(&dir, &due, Some(FAY), Some("2026-03-02 13:00"), "2026-03-02 14:00").is_empty(), "not yet");
    assert!(told(&dir, &due, Some(FAY), Some("2026-03-02 14:30"), "2026-03-02 15:00").is_empty(), "told once");
    assert!(
        told(&dir, &due, Some(MAX), Some("2026-03-02 14:00"), "2026-03-02 14:30").is_empty(),
        "not yet the founder's"
    );
    // One business day is reached on Tuesday at 10:00: Fay, and the founder (an escalation).
    let overdue = [("Fay".to_string(), NoticeKind::HandoffOverdue)];
    assert_eq!(told(&dir, &due, Some(FAY), Some("2026-03-03 09:55"), "2026-03-03 10:05"), overdue);
    assert_eq!(told(&dir, &due, Some(MAX), Some("2026-03-03 09:55"), "2026-03-03 10:05"), overdue);
    assert!(told(&dir, &due, Some(SAM), Some("2026-03-03 09:55"), "2026-03-03 10:05").is_empty());
    // The app just started: what is due already, once, under the key a later look would use.
    let first = notices(&dir, cal(&dir), &due, Some(FAY), None, t("2026-03-03 10:05"));
    let later = notices(&dir, cal(&dir), &due, Some(FAY), Some(t("2026-03-03 09:55")), t("2026-03-03 10:05"));
    assert_eq!(first, later);
    assert_eq!(first[0].body, "Fay should hold the 15-minute handoff meeting now.");
}

#[test]
fn a_service_handoff_coming_due_is_told_to_its_owner_once() {
    let dir = directory();
    let due = Due {
        service: vec![ServiceComing {
            deal: DEAL,
            title: "Alpine retreat".into(),
            due_at: t("2026-03-03 12:00"),
            owner: SOL,
            open_items: 3,
        }],
        ..Due::default()
    };
    assert_eq!(
        told(&dir, &due, Some(SOL), Some("2026-03-03 11:59"), "2026-03-03 12:01"),
        [("Sol".to_string(), NoticeKind::ServiceDue)]
    );
    assert!(told(&dir, &due, Some(SOL), Some("2026-03-03 12:01"), "2026-03-03 12:30").is_empty(), "once");
    assert!(
        told(&dir, &due, Some(VI), Some("2026-03-03 11:59"), "2026-03-03 12:01").is_empty(),
        "Vi only backs Sol up"
    );
}

#[test]
fn the_review_is_told_to_the_sales_and_service_leads_as_its_day_starts() {
    let mut dir = directory();
    let due = Due {
        review: Some(ReviewComing { date: day("2026-03-03"), trips: 4, with_signal: 2, picks_allowed: 3 }),
        ..Due::default()
    };
    let everyone = told(&dir, &due, None, Some("2026-03-03 08:59"), "2026-03-03 09:01");
    assert_eq!(everyone, [("Sam".to_string(), NoticeKind::ReviewToday), ("Sol".to_string(), NoticeKind::ReviewToday)]);
    assert!(told(&dir, &due, None, Some("2026-03-03 09:01"), "2026-03-03 11:00").is_empty(), "as the day starts, once");
    assert!(told(&dir, &due, None, Some("2026-03-02 08:59"), "2026-03-02 09:01").is_empty(), "not the day before");
    // Service without a lead: each of its people.
    dir.staffing.insert(Department::Service, Staffing { lead: None, backups: vec![] });
    let names: Vec<String> =
        told(&dir, &due, None, Some("2026-03-03 08:59"), "2026-03-03 09:01").into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Sam", "Sol", "Vi"]);
}

#[test]
fn a_follow_up_is_told_to_its_owner_two_days_before_and_when_missed() {
    let dir = directory();
    let due = Due {
        follow_ups: vec![FollowUpComing {
            deal: DEAL,
            title: "Alpine retreat".into(),
            owner: SAM,
            due_at: t("2026-03-13 12:00"),
        }],
        ..Due::default()
    };
    let nearing = notices(&dir, cal(&dir), &due, Some(SAM), Some(t("2026-03-11 11:00")), t("2026-03-11 13:00"));
    assert_eq!(nearing[0].title, "Call back about Alpine retreat within two days");
    let missed = notices(&dir, cal(&dir), &due, Some(SAM), Some(t("2026-03-13 11:00")), t("2026-03-13 13:00"));
    assert_eq!(missed[0].title, "The follow-up call about Alpine retreat is past its day 10");
    assert_ne!(nearing[0].key, missed[0].key, "two notices, each told once");
    assert!(told(&dir, &due, Some(SAM), Some("2026-03-12 11:00"), "2026-03-12 13:00").is_empty());
    assert!(told(&dir, &due, Some(FAY), Some("2026-03-13 11:00"), "2026-03-13 13:00").is_empty());
}

#[test]
fn a_conflict_is_told_to_whose_action_it_was_on_every_look_while_open() {
    let dir = directory();
    let conflict = |by| OpenConflict {
        id: "0193-e1".into(),
        deal: Some((DEAL, "Alpine retreat".into())),
        by,
        note: "Bo marked the deal won on another laptop; Fay's win stands.".into(),
    };
    let due = Due { conflicts: vec![conflict(Some(BO))], ..Due::default() };
    // It came in long after the action: told all the same, the same key on every look.
    let first = notices(&dir, cal(&dir), &due, Some(BO), Some(t("2026-03-10 09:00")), t("2026-03-10 09:01"));
    let again = notices(&dir, cal(&dir), &due, Some(BO), Some(t("2026-03-10 09:01")), t("2026-03-10 09:02"));
    assert_eq!(first, again);
    assert_eq!(first[0].key, "conflict/0193-e1");
    assert_eq!(first[0].title, "Two laptops disagreed on Alpine retreat");
    assert!(told(&dir, &due, Some(FAY), None, "2026-03-10 09:01").is_empty(), "Fay's win stands: nothing to do");
    let nobody = Due { conflicts: vec![conflict(None)], ..Due::default() };
    assert!(told(&dir, &nobody, None, None, "2026-03-10 09:01").is_empty(), "no one to tell");
}

#[test]
fn nobody_is_told_of_someone_elses_work() {
    let dir = directory();
    let mut due = waiting();
    due.service.push(ServiceComing {
        deal: DEAL,
        title: "Alpine retreat".into(),
        due_at: t("2026-03-03 10:00"),
        owner: SOL,
        open_items: 0,
    });
    due.follow_ups.push(FollowUpComing {
        deal: DEAL,
        title: "Alpine retreat".into(),
        owner: SAM,
        due_at: t("2026-03-03 10:00"),
    });
    let (since, now) = (Some("2026-03-03 09:55"), "2026-03-03 10:05");
    assert_eq!(told(&dir, &due, None, since, now).len(), 3, "with nobody chosen: everyone's");
    assert_eq!(told(&dir, &due, Some(FAY), since, now), [("Fay".to_string(), NoticeKind::HandoffOverdue)]);
    assert_eq!(told(&dir, &due, Some(SOL), since, now), [("Sol".to_string(), NoticeKind::ServiceDue)]);
    assert_eq!(told(&dir, &due, Some(SAM), since, now), [("Sam".to_string(), NoticeKind::FollowUpDue)]);
    assert!(told(&dir, &due, Some(BO), since, now).is_empty());
    assert!(told(&dir, &due, Some(VI), since, now).is_empty());
    // The founder: the escalation only.
    assert_eq!(told(&dir, &due, Some(MAX), since, now), [("Fay".to_string(), NoticeKind::HandoffOverdue)]);
}

#[test]
fn every_row_of_the_rule_table_names_a_test() {
    let rows: Vec<&str> =
        include_str!("../notice.rs").lines().filter(|l| l.starts_with("//! |") && !l.contains("---")).skip(1).collect();
    assert_eq!(rows.len(), 6, "the module's table lists each rule");
    for row in rows {
        let name = row.rsplit('`').nth(1).unwrap_or_else(|| panic!("no test named in {row}"));
        assert!(
            include_str!("tests.rs").contains(&format!("fn {name}()")),
            "the table names `{name}`, which is not a test"
        );
    }
}
