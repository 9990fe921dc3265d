//! Given / when / then tests of handoff 1, one per row of the table in `sales_to_fulfilment.rs`.

use chrono::Duration;
use uuid::Uuid;

use super::super::fixtures::*;
use super::*;
use crate::directory::AwayPeriod;
use crate::event::EventBody;
use crate::ids::{EscalationId, TaskId};

#[test]
fn a_deal_goes_from_open_to_handed_off() {
    let dir = directory();
    let d = open_deal(&dir);
    assert_eq!(d.status, DealStatus::Open);
    let d = won_in_meeting(&dir);
    assert_eq!(d.status, DealStatus::Won);
    assert_eq!(d.closed_at, Some(t("2026-03-03 10:00")));
    let f = d.fulfilment.clone().unwrap();
    assert_eq!((f.original, f.acting, f.because), (FAY, FAY, AssignedBecause::Lead));
    let d = write(&dir, d, Section::Customer, "Acme GmbH, Jo Bloggs");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let events =
        d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::from_u128(99)), EscalationId(Uuid::nil())).unwrap();
    let d = fold(Some(d), events, t("2026-03-03 14:12")).unwrap();
    assert_eq!(d.status, DealStatus::HandedOff);
    assert_eq!(d.handoff_at, Some(t("2026-03-03 14:12")));
    assert_eq!(d.dwell(), Some(Duration::minutes(4 * 60 + 12)));
    assert!(d.meeting_flags(dir.calendar().unwrap()).is_empty());
}

#[test]
fn completing_the_handoff_creates_the_first_task_due_in_24_hours() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let d = fold(
        Some(d.clone()),
        d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::from_u128(99)), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 14:12"),
    )
    .unwrap();
    assert_eq!(d.tasks.len(), 1);
    let task = &d.tasks[0];
    assert_eq!(task.title, "Confirm dates with customer");
    assert_eq!(task.owner, FAY);
    assert_eq!(task.due_at, t("2026-03-04 14:12"));
    assert_eq!(task.done_at, None);
}

#[test]
fn meeting_end_is_refused_without_both_signatures() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the handoff of \"Alpine retreat\" cannot end yet: Sam (sales) has not signed; Fay (fulfilment) has not signed"
    );
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let err = d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert!(err.to_string().contains("Fay (fulfilment) has not signed"), "{err}");
    assert!(!err.to_string().contains("Sam"), "{err}");
}

#[test]
fn an_edit_makes_signatures_stale() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = write(&dir, d, Section::Risks, "Visa for one traveller");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    assert!(d.sign_off(SignerRole::Sales).is_valid() && d.sign_off(SignerRole::Fulfilment).is_valid());
    let d = write(&dir, d, Section::Risks, "Visa for two travellers");
    assert_eq!(d.sign_off(SignerRole::Sales), SignOff::Stale { at: t("2026-03-03 14:10") });
    let err = d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert!(err.to_string().contains("Sam's (sales) signature is stale"), "{err}");
    assert!(err.to_string().contains("Fay's (fulfilment) signature is stale"), "{err}");
    let d = sign(&dir, d, SAM, "2026-03-03 14:13");
    let d = sign(&dir, d, FAY, "2026-03-03 14:13");
    assert!(d.end_meeting(&dir, t("2026-03-03 14:14"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).is_ok());
}

#[test]
fn only_the_two_leads_sign() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.sign(&dir, BO, t("2026-03-03 14:10"), &key_of(BO)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Bo cannot sign the brief of \"Alpine retreat\": only the Sales author (Sam) and the Fulfilment owner (Fay) sign it"
    );
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let err = d.sign(&dir, SAM, t("2026-03-03 14:11"), &key_of(SAM)).unwrap_err();
    assert!(matches!(err, RuleError::AlreadySigned { .. }), "{err}");
}

#[test]
fn the_brief_is_signed_only_when_every_section_is_written() {
    let dir = directory();
    let d = won_in_meeting_brief_empty(&dir);
    let err = d.sign(&dir, SAM, t("2026-03-03 14:10"), &key_of(SAM)).unwrap_err();
    assert!(matches!(err, RuleError::BriefIncomplete { .. }), "{err}");
    assert!(err.to_string().contains("\"Customer\", \"Trip\", \"What was sold\", \"Promises and expectations\", \"Preferences\", \"Risks and open questions\" and \"First steps\" are not written"), "{err}");
    assert!(d.can_sign(&dir, FAY, t("2026-03-03 14:10")).is_err(), "Fulfilment is told the same before any passphrase");
    // Six of seven, and a dash in the last, is still not a brief.
    let d = Section::ALL[..6].iter().fold(d, |d, s| write(&dir, d, *s, "Written"));
    let d = write(&dir, d, Section::FirstSteps, " - ");
    let err = d.sign(&dir, SAM, t("2026-03-03 14:10"), &key_of(SAM)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the brief of \"Alpine retreat\" cannot be signed yet: \"First steps\" is not written — write each one during the meeting (a section with nothing to say says so in words, such as \"none known\")"
    );
    // "None known" is words: now it signs.
    let d = write(&dir, d, Section::FirstSteps, "None known");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    assert!(d.sign_off(SignerRole::Sales).is_valid());
    // Emptying a section afterwards makes the signature stale, and a new one waits for the words.
    let d = write(&dir, d, Section::Risks, "");
    assert_eq!(d.sign_off(SignerRole::Sales), SignOff::Stale { at: t("2026-03-03 14:10") });
    assert!(matches!(d.sign(&dir, SAM, t("2026-03-03 14:11"), &key_of(SAM)), Err(RuleError::BriefIncomplete { .. })));
}

#[test]
fn sales_writes_the_brief_live_in_the_meeting() {
    let dir = directory();
    let won = fold(
        Some(open_deal(&dir)),
        open_deal(&dir).win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 10:00"),
    )
    .unwrap();
    // Not before the meeting: the brief is written with Fulfilment in the room.
    let err = won.write_section(&dir, Some(SAM), Section::Risks, "Visa".into()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "deal \"Alpine retreat\" is not in its handoff meeting: Sales writes the brief live — start the meeting first"
    );
    assert!(won.write_section(&dir, None, Section::Risks, "Visa".into()).is_err(), "whoever writes, not before it");
    let d = won_in_meeting_brief_empty(&dir);
    // Sales writes it, the founder may; Fulfilment and Service sign or read it, never write it.
    assert!(d.write_section(&dir, Some(SAM), Section::Risks, "Visa".into()).is_ok());
    assert!(d.write_section(&dir, Some(MAX), Section::Risks, "Visa".into()).is_ok(), "the founder");
    let err = d.write_section(&dir, Some(FAY), Section::Risks, "Visa".into()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Fay cannot write the brief of \"Alpine retreat\": Sales writes it, live in the meeting (Sam for this deal), and Fay is in fulfilment"
    );
    assert!(matches!(
        d.write_section(&dir, Some(SOL), Section::Risks, "Visa".into()),
        Err(RuleError::NotTheBriefWriter { dept: "service", .. })
    ));
    // After the handoff the brief is final (see `the_brief_is_final_after_the_handoff`).
}

#[test]
fn signing_happens_live_in_the_meeting() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(
        Some(d.clone()),
        d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 10:00"),
    )
    .unwrap();
    let err = d.sign(&dir, SAM, t("2026-03-03 10:05"), &key_of(SAM)).unwrap_err();
    assert!(matches!(err, RuleError::NotInMeeting { .. }), "{err}");
    assert!(err.to_string().contains("start the meeting first"), "{err}");
}

#[test]
fn reassigning_needs_the_new_owner_to_sign() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let events = d.reassign(&dir, BO, "Fay called away to a supplier".into()).unwrap();
    let d = fold(Some(d), events, t("2026-03-03 14:12")).unwrap();
    let f = d.fulfilment.clone().unwrap();
    assert_eq!((f.original, f.acting), (FAY, BO));
    assert_eq!(f.reassignments[0].reason, "Fay called away to a supplier");
    assert_eq!(d.sign_off(SignerRole::Fulfilment), SignOff::Missing);
    assert!(d.sign(&dir, FAY, t("2026-03-03 14:13"), &key_of(FAY)).is_err(), "the former owner no longer signs");
    let d = sign(&dir, d, BO, "2026-03-03 14:13");
    assert!(d.end_meeting(&dir, t("2026-03-03 14:14"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).is_ok());
    // Only fulfilment people or the founder take the deal; never the same owner again.
    assert!(matches!(d.reassign(&dir, SAM, "x".into()), Err(RuleError::WrongDepartment { .. })));
    assert!(matches!(d.reassign(&dir, BO, "x".into()), Err(RuleError::SameOwner { .. })));
    assert!(matches!(d.reassign(&dir, MAX, " ".into()), Err(RuleError::Empty { .. })));
}

#[test]
fn a_won_deal_with_the_lead_away_goes_to_the_backup() {
    let mut dir = directory();
    dir.people[1].away.push(AwayPeriod { from: "2026-03-03".parse().unwrap(), to: "2026-03-03".parse().unwrap() });
    let d = open_deal(&dir);
    let events = d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(
        events[0],
        EventBody::DealWon { fulfilment_owner: BO, assigned_because: AssignedBecause::Backup, .. }
    ));
}

#[test]
fn everyone_away_escalates_to_the_founder_and_records_it() {
    let mut dir = directory();
    for i in [1, 2] {
        dir.people[i].away.push(AwayPeriod { from: "2026-03-01".parse().unwrap(), to: "2026-03-09".parse().unwrap() });
    }
    let d = open_deal(&dir);
    let events = d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::from_u128(5))).unwrap();
    assert!(matches!(
        events[0],
        EventBody::DealWon { fulfilment_owner: MAX, assigned_because: AssignedBecause::Escalated, .. }
    ));
    match &events[1] {
        EventBody::FounderEscalated { deal, founder, dept, reason, .. } => {
            assert_eq!((*deal, *founder, *dept), (Some(DEAL), MAX, Some(Department::Fulfilment)));
            assert!(reason.contains("2026-03-03"), "{reason}");
        }
        other => panic!("expected an escalation, got {other:?}"),
    }
}

#[test]
fn a_lost_deal_cannot_be_won() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(Some(d.clone()), d.lose(&dir).unwrap(), t("2026-03-03 10:00")).unwrap();
    assert_eq!(d.status, DealStatus::Lost);
    let err = d.win(&dir, t("2026-03-03 11:00"), EscalationId(Uuid::nil())).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is lost; only an open deal can be won");
}

#[test]
fn a_deal_won_twice_is_refused() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.win(&dir, t("2026-03-03 11:00"), EscalationId(Uuid::nil())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "deal \"Alpine retreat\" is already won (closed 2026-03-03 10:00); only an open deal can be won"
    );
}

#[test]
fn a_win_names_someone_still_in_fulfilment_or_the_founder() {
    let dir = directory();
    let d = open_deal(&dir);
    let won =
        |owner| EventBody::DealWon { deal: DEAL, fulfilment_owner: owner, assigned_because: AssignedBecause::Lead };
    // Another laptop's log can name anyone: the fold holds the rule the decision follows.
    assert_fold_refuses(&d, won(SAM), t("2026-03-03 10:00"));
    let mut left = dir.clone();
    left.apply(&EventBody::PersonRetired { person: BO, reason: "moved on".into() }, t("2026-03-02 09:00")).unwrap();
    let err = fold_in(&FoldContext::new(&left), Some(d.clone()), vec![won(BO)], t("2026-03-03 10:00")).unwrap_err();
    assert!(err.to_string().contains("Bo"), "{err}");
    assert!(fold(Some(d), vec![won(MAX)], t("2026-03-03 10:00")).is_ok(), "the founder takes an escalation");
}

#[test]
fn times_must_follow_each_other() {
    let dir = directory();
    let d = open_deal(&dir);
    // Added at 09:00: no win before it, in the decision or in the fold.
    let err = d.win(&dir, t("2026-03-03 08:59"), EscalationId(Uuid::nil())).unwrap_err();
    assert!(
        err.to_string().contains("the win (2026-03-03 08:59) cannot be before the deal was added (2026-03-03 09:00)"),
        "{err}"
    );
    let early = EventBody::DealWon { deal: DEAL, fulfilment_owner: FAY, assigned_because: AssignedBecause::Lead };
    assert_fold_refuses(&d, early, t("2026-03-03 08:59"));
    let d = fold(
        Some(d.clone()),
        d.win(&dir, t("2026-03-03 10:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 10:00"),
    )
    .unwrap();
    let err = d.start_meeting(&dir, t("2026-03-03 09:59")).unwrap_err();
    assert!(
        err.to_string().contains("the meeting start (2026-03-03 09:59) cannot be before the close (2026-03-03 10:00)"),
        "{err}"
    );
    let d =
        fold(Some(d.clone()), d.start_meeting(&dir, t("2026-03-03 14:00")).unwrap(), t("2026-03-03 14:00")).unwrap();
    let err = d.end_meeting(&dir, t("2026-03-03 13:00"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap_err();
    assert!(
        err.to_string()
            .contains("the meeting end (2026-03-03 13:00) cannot be before the meeting start (2026-03-03 14:00)"),
        "{err}"
    );
    // The fold agrees: no meeting before the close, no end before the last signature.
    let won = fold(
        Some(open_deal(&dir)),
        vec![EventBody::DealWon { deal: DEAL, fulfilment_owner: FAY, assigned_because: AssignedBecause::Lead }],
        t("2026-03-03 10:00"),
    )
    .unwrap();
    assert_fold_refuses(&won, EventBody::MeetingStarted { deal: DEAL }, t("2026-03-03 09:59"));
    let d = brief_written(&dir, d);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let err = d.end_meeting(&dir, t("2026-03-03 14:10"), TaskId(NIL), EscalationId(NIL)).unwrap_err();
    assert!(err.to_string().contains("cannot be before the last signature (2026-03-03 14:11)"), "{err}");
    assert_fold_refuses(&d, EventBody::MeetingEnded { deal: DEAL }, t("2026-03-03 14:10"));
}

#[test]
fn a_long_meeting_on_another_day_is_flagged_not_refused() {
    let dir = directory();
    let d = open_deal(&dir);
    let d = fold(
        Some(d.clone()),
        d.win(&dir, t("2026-03-03 16:00"), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 16:00"),
    )
    .unwrap();
    let d =
        fold(Some(d.clone()), d.start_meeting(&dir, t("2026-03-04 09:00")).unwrap(), t("2026-03-04 09:00")).unwrap();
    let d = brief_written(&dir, d);
    let d = sign(&dir, d, SAM, "2026-03-04 09:10");
    let d = sign(&dir, d, FAY, "2026-03-04 09:20");
    let d = fold(
        Some(d.clone()),
        d.end_meeting(&dir, t("2026-03-04 09:40"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-04 09:40"),
    )
    .unwrap();
    assert_eq!(d.status, DealStatus::HandedOff);
    assert_eq!(
        d.meeting_flags(dir.calendar().unwrap()),
        vec![
            MeetingFlag::Overran { minutes: 40 },
            MeetingFlag::NotOnCloseDay {
                close_day: "2026-03-03".parse().unwrap(),
                meeting_day: "2026-03-04".parse().unwrap()
            },
        ]
    );
}

#[test]
fn the_brief_is_final_after_the_handoff() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let d = sign(&dir, d, FAY, "2026-03-03 14:11");
    let d = fold(
        Some(d.clone()),
        d.end_meeting(&dir, t("2026-03-03 14:12"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-03 14:12"),
    )
    .unwrap();
    let err = d.write_section(&dir, None, Section::Risks, "late edit".into()).unwrap_err();
    assert!(err.to_string().starts_with("deal \"Alpine retreat\" is already handed off (2026-03-03 14:12)"), "{err}");
}

#[test]
fn imported_deals_fold_to_their_status() {
    let dir = directory();
    let row = |ext: &str, handoff: Option<&str>| ImportedDeal {
        external_id: ext.into(),
        title: format!("Deal {ext}"),
        customer: "C".into(),
        value: Money::parse("100", "GBP").unwrap(),
        sales_owner: SAM,
        closed_at: t("2026-03-03 10:00"),
        handoff_at: handoff.map(t),
        source: None,
    };
    let done = fold(
        None,
        Deal::import(&dir, DEAL, row("A1", Some("2026-03-03 12:00")), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-05 10:00"),
    )
    .unwrap();
    assert_eq!((done.status, done.dwell()), (DealStatus::HandedOff, Some(Duration::hours(2))));
    let waiting = fold(
        None,
        Deal::import(&dir, DEAL, row("A2", None), EscalationId(Uuid::nil())).unwrap(),
        t("2026-03-05 10:00"),
    )
    .unwrap();
    assert_eq!(waiting.status, DealStatus::Won);
    assert_eq!(waiting.acting_fulfilment_owner(), Some(FAY));
    let err = Deal::import(&dir, DEAL, row("A3", Some("2026-03-03 09:00")), EscalationId(Uuid::nil())).unwrap_err();
    assert!(err.to_string().contains("handoff_at (2026-03-03 09:00) cannot be before closed_at"), "{err}");
}

#[test]
fn the_fold_refuses_illegal_transitions() {
    let dir = directory();
    let d = open_deal(&dir);
    let at = t("2026-03-03 10:00");
    // A meeting on an open deal, an end without signatures, a second add, an event for no deal.
    for body in [
        EventBody::MeetingStarted { deal: DEAL },
        EventBody::MeetingEnded { deal: DEAL },
        EventBody::BriefSigned {
            deal: DEAL,
            signer: SAM,
            role: SignerRole::Sales,
            brief_sha256: "x".into(),
            key_fingerprint: String::new(),
            signature: String::new(),
        },
        EventBody::TaskCompleted { task: TaskId(Uuid::nil()), deal: DEAL },
    ] {
        let err = fold(Some(d.clone()), vec![body], at).unwrap_err();
        assert!(matches!(err, RuleError::IllegalTransition { .. }), "{err}");
    }
    assert!(fold(None, vec![EventBody::DealLost { deal: DEAL }], at).is_err());
    let won = fold(
        Some(d.clone()),
        vec![EventBody::DealWon { deal: DEAL, fulfilment_owner: FAY, assigned_because: AssignedBecause::Lead }],
        at,
    )
    .unwrap();
    assert!(fold(
        Some(won.clone()),
        vec![EventBody::DealWon { deal: DEAL, fulfilment_owner: FAY, assigned_because: AssignedBecause::Lead }],
        at
    )
    .is_err());
    assert!(fold(Some(won), vec![EventBody::DealLost { deal: DEAL }], at).is_err());
}

#[test]
fn the_owner_must_be_in_sales() {
    let dir = directory();
    let new = NewDeal {
        title: "X".into(),
        customer: "Y".into(),
        value: Money::parse("1", "EUR").unwrap(),
        sales_owner: FAY,
        trip: TripPlan::default(),
    };
    let err = Deal::add(&dir, DEAL, new).unwrap_err();
    assert_eq!(err.to_string(), "Fay is in fulfilment, not sales: a deal's owner is the Sales person who sold it");
    let added = EventBody::DealAdded {
        deal: DEAL,
        title: "X".into(),
        customer: "Y".into(),
        value: Money::parse("1", "EUR").unwrap(),
        sales_owner: FAY,
        trip: TripPlan::default(),
        external_id: None,
        source: None,
    };
    let err = fold(None, vec![added], t("2026-03-03 09:00")).unwrap_err();
    assert!(matches!(err, RuleError::IllegalTransition { event: "deal_added", .. }), "{err}");
}

#[test]
fn a_sign_off_carries_a_signature_that_verifies_against_the_signers_key() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let d = write(&dir, d, Section::Sold, "5 nights");
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    let s = &d.signatures[0];
    assert_eq!(s.key_fingerprint, crate::signing::fingerprint(&crate::signing::public_key(&key_of(SAM))));
    let public = hex::encode(crate::signing::public_key(&key_of(SAM)));
    let message = crate::signing::signoff_message(d.id, SAM, SignerRole::Sales, s.at, &s.brief_sha256);
    assert!(crate::signing::verify(&public, &message, &s.signature));
    assert_eq!(s.brief_sha256, d.brief.sha256(d.id));
}

#[test]
fn a_valid_signature_is_not_given_twice() {
    let dir = directory();
    let d = sign(&dir, won_in_meeting(&dir), SAM, "2026-03-03 14:10");
    let err = d.sign(&dir, SAM, t("2026-03-03 14:11"), &key_of(SAM)).unwrap_err();
    assert_eq!(
        err,
        RuleError::AlreadySigned { deal: "Alpine retreat".into(), person: "Sam".into(), at: "2026-03-03 14:10".into() }
    );
    let again = d.signatures[0].clone();
    let body = EventBody::BriefSigned {
        deal: DEAL,
        signer: SAM,
        role: SignerRole::Sales,
        brief_sha256: again.brief_sha256,
        key_fingerprint: again.key_fingerprint,
        signature: again.signature,
    };
    assert_fold_refuses(&d, body.clone(), t("2026-03-03 14:11"));
    // Once the brief changes, the same signer signs again.
    let d = write(&dir, d, Section::Risks, "Avalanche season");
    assert!(d.sign(&dir, SAM, t("2026-03-03 14:12"), &key_of(SAM)).is_ok());
    // Nor before the meeting started, even by a signer.
    let early = EventBody::BriefSigned {
        deal: DEAL,
        signer: FAY,
        role: SignerRole::Fulfilment,
        brief_sha256: d.brief.sha256(DEAL),
        key_fingerprint: String::new(),
        signature: String::new(),
    };
    assert_fold_refuses(&d, early, t("2026-03-03 13:59"));
}

#[test]
fn reassignment_goes_to_fulfilment_or_the_founder() {
    let dir = directory();
    let d = won_in_meeting(&dir);
    let err = d.reassign(&dir, SAM, "Sam knows the customer".into()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Sam is in sales, not fulfilment: the fulfilment owner is someone in fulfilment (or the founder)"
    );
    let err = d.reassign(&dir, FAY, "again".into()).unwrap_err();
    assert_eq!(err.to_string(), "deal \"Alpine retreat\" is already owned by Fay in fulfilment: name someone else");
    let to = |from, to| EventBody::FulfilmentOwnerReassigned { deal: DEAL, from, to, reason: "x".into() };
    assert_fold_refuses(&d, to(FAY, SAM), t("2026-03-03 14:05"));
    assert_fold_refuses(&d, to(FAY, FAY), t("2026-03-03 14:05"));
    assert_fold_refuses(&d, to(BO, MAX), t("2026-03-03 14:05"));
    assert_fold_refuses(&open_deal(&dir), to(FAY, BO), t("2026-03-03 09:05"));
    let d = act(d, "2026-03-03 14:05", |d| d.reassign(&dir, MAX, "Fay is ill".into()));
    assert_eq!(d.acting_fulfilment_owner(), Some(MAX));
}

#[test]
fn an_import_handed_off_before_its_close_is_refused() {
    let dir = directory();
    let row = ImportedDeal {
        external_id: "CRM-7".into(),
        title: "Backwards".into(),
        customer: "C".into(),
        value: Money::parse("100", "GBP").unwrap(),
        sales_owner: SAM,
        closed_at: t("2026-03-03 10:00"),
        handoff_at: Some(t("2026-03-03 09:00")),
        source: None,
    };
    let err = Deal::import(&dir, DEAL, row, EscalationId(NIL)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "deal \"Backwards\": handoff_at (2026-03-03 09:00) cannot be before closed_at (2026-03-03 10:00)"
    );
    let imported = EventBody::DealImported {
        deal: DEAL,
        external_id: "CRM-7".into(),
        title: "Backwards".into(),
        customer: "C".into(),
        value: Money::parse("100", "GBP").unwrap(),
        sales_owner: SAM,
        closed_at: t("2026-03-03 10:00"),
        handoff_at: Some(t("2026-03-03 09:00")),
        fulfilment_owner: FAY,
        source: None,
        assigned_because: AssignedBecause::Lead,
    };
    let err = fold(None, vec![imported], t("2026-03-05 10:00")).unwrap_err();
    assert!(matches!(err, RuleError::IllegalTransition { event: "deal_imported", .. }), "{err}");
}

#[test]
fn a_signature_needs_the_signers_own_valid_key() {
    let mut dir = directory();
    let d = won_in_meeting(&dir);
    // Fay's key does not sign for Sam, and a key the log never registered signs for nobody.
    let err = d.sign(&dir, SAM, t("2026-03-03 14:10"), &key_of(FAY)).unwrap_err();
    assert_eq!(err, RuleError::NoSigningKey { person: "Sam".into() });
    assert!(matches!(d.sign(&dir, SAM, t("2026-03-03 14:10"), &[1; 32]), Err(RuleError::NoSigningKey { .. })));
    // Sam signs, then his key is revoked: his sign-off stands, and his key signs nothing new.
    let d = sign(&dir, d, SAM, "2026-03-03 14:10");
    for e in dir.keys.revoke_signing_keys(SAM, "Sam", None, "laptop stolen").unwrap() {
        dir.apply(&e, t("2026-03-03 14:11")).unwrap();
    }
    assert!(d.sign_off(SignerRole::Sales).is_valid());
    let d = sign(&dir, d, FAY, "2026-03-03 14:12");
    assert!(d.end_meeting(&dir, t("2026-03-03 14:13"), TaskId(Uuid::nil()), EscalationId(Uuid::nil())).is_ok());
    let d = write(&dir, d, Section::Risks, "Avalanche season");
    let err = d.sign(&dir, SAM, t("2026-03-03 14:14"), &key_of(SAM)).unwrap_err();
    assert!(matches!(err, RuleError::KeyRevoked { .. }), "{err}");
    assert!(err.to_string().contains("revoked"), "{err}");
}

#[test]
fn the_fold_counts_a_sign_off_only_when_it_verifies_against_the_signers_key() {
    let dir = directory();
    let d = write(&dir, won_in_meeting(&dir), Section::Sold, "5 nights");
    let at = t("2026-03-03 14:10");
    let sha = d.brief.sha256(d.id);
    let signed_by = |secret: &[u8; 32], claimed: PersonId, sha: &str| EventBody::BriefSigned {
        deal: DEAL,
        signer: claimed,
        role: SignerRole::Sales,
        brief_sha256: sha.to_string(),
        key_fingerprint: crate::signing::fingerprint(&crate::signing::public_key(secret)),
        signature: crate::signing::sign(
            secret,
            &crate::signing::signoff_message(DEAL, claimed, SignerRole::Sales, at, sha),
        ),
    };
    // Made with Fay's key but claimed for Sam; made with an unregistered key (a copied database
    // minting signatures); and Sam's fingerprint with somebody else's signature.
    assert_fold_refuses(&d, signed_by(&key_of(FAY), SAM, &sha), at);
    assert_fold_refuses(&d, signed_by(&[1; 32], SAM, &sha), at);
    let EventBody::BriefSigned { signature, .. } = signed_by(&key_of(FAY), SAM, &sha) else { unreachable!() };
    let mut mixed = signed_by(&key_of(SAM), SAM, &sha);
    if let EventBody::BriefSigned { signature: s, .. } = &mut mixed {
        *s = signature;
    }
    assert_fold_refuses(&d, mixed, at);
    // Sam's own key, over another version of the brief.
    assert_fold_refuses(&d, signed_by(&key_of(SAM), SAM, &"ab".repeat(32)), at);
    assert!(fold(Some(d), vec![signed_by(&key_of(SAM), SAM, &sha)], at).is_ok());
}

#[test]
fn the_fold_refuses_an_amount_no_front_end_can_hold() {
    let huge = EventBody::DealAdded {
        deal: DEAL,
        title: "X".into(),
        customer: "Y".into(),
        value: Money { minor: i64::MAX, currency: "EUR".into() },
        sales_owner: SAM,
        trip: TripPlan::default(),
        external_id: None,
        source: None,
    };
    let err = fold(None, vec![huge], t("2026-03-03 09:00")).unwrap_err();
    assert!(matches!(err, RuleError::IllegalTransition { event: "deal_added", .. }), "{err}");
}

#[test]
fn a_meeting_ends_only_with_a_brief_that_fits_its_page() {
    let d = won_in_meeting(&directory());
    assert_eq!(d.check_one_page(None), Ok(()));
    let err = d.check_one_page(Some(1840.2)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "deal \"Alpine retreat\": the brief runs 1841% over its one page even in the smallest type: shorten the longest sections, sign it again, then end the meeting"
    );
    assert_eq!(
        d.check_one_page(Some(0.01)),
        Err(RuleError::BriefOverOnePage { deal: "Alpine retreat".into(), over_percent: 1 })
    );
}

fn webhook() -> crate::crm::DealSource {
    crate::crm::DealSource {
        crm: "Pipedrive".into(),
        channel: crate::crm::SourceChannel::Webhook,
        received_at: t("2026-03-03 10:01"),
        note: None,
    }
}

fn won_in_crm(owner: Option<&str>) -> crate::crm::CrmWin {
    crate::crm::CrmWin {
        record_id: "746".into(),
        title: Some("Lisbon".into()),
        customer: Some("Smith Ltd".into()),
        value: Some(Money::parse("4200", "EUR").unwrap()),
        owner: owner.map(str::to_string),
        closed_at: t("2026-03-03 10:00"),
    }
}

#[test]
fn a_deal_won_in_the_crm_is_added_and_won_at_its_close() {
    let mut dir = directory();
    dir.people[0].email = Some("sam@wayfarer.example".into());
    let esc = EscalationId(Uuid::nil());
    // Not held: added and won, owned by the Sales person the CRM names by e-mail.
    let events = Deal::won_in_crm(&dir, None, won_in_crm(Some("SAM@wayfarer.example")), webhook(), DEAL, esc).unwrap();
    let names: Vec<&str> = events.iter().map(|e| e.name()).collect();
    assert_eq!(names, ["deal_added", "deal_won"]);
    let deal = fold(None, events, t("2026-03-03 10:00")).unwrap();
    assert_eq!((deal.status, deal.sales_owner, deal.acting_fulfilment_owner()), (DealStatus::Won, SAM, Some(FAY)));
    assert_eq!(deal.external_id.as_deref(), Some("746"));
    assert_eq!(deal.source.as_ref().and_then(|s| s.note.clone()), None);
    // Held open since an export: won at the CRM's close, its values as they are.
    let open = open_deal(&dir);
    let events = Deal::won_in_crm(&dir, Some(&open), won_in_crm(None), webhook(), DEAL, esc).unwrap();
    assert_eq!(events.iter().map(|e| e.name()).collect::<Vec<_>>(), ["deal_won"]);
    // Held won already (a resend) or handed off: nothing to do.
    let won = fold(Some(open.clone()), events, t("2026-03-03 10:00")).unwrap();
    assert!(Deal::won_in_crm(&dir, Some(&won), won_in_crm(None), webhook(), DEAL, esc).unwrap().is_empty());
    // Lost in Handoff, won in the CRM after all: reopened, with the reason, and won.
    let lost = fold(Some(open), vec![EventBody::DealLost { deal: DEAL }], t("2026-03-03 09:00")).unwrap();
    let events = Deal::won_in_crm(&dir, Some(&lost), won_in_crm(None), webhook(), DEAL, esc).unwrap();
    assert_eq!(events.iter().map(|e| e.name()).collect::<Vec<_>>(), ["deal_reopened", "deal_won"]);
    let won = fold(Some(lost), events, t("2026-03-03 10:00")).unwrap();
    assert_eq!((won.status, won.acting_fulfilment_owner()), (DealStatus::Won, Some(FAY)));
}

#[test]
fn a_crm_owner_who_matches_nobody_goes_to_the_sales_lead_with_a_note() {
    let dir = directory();
    let esc = EscalationId(Uuid::nil());
    let mut win = won_in_crm(Some("18487521"));
    win.customer = None;
    let events = Deal::won_in_crm(&dir, None, win, webhook(), DEAL, esc).unwrap();
    let deal = fold(None, events, t("2026-03-03 10:00")).unwrap();
    assert_eq!(deal.sales_owner, SAM, "the Sales lead");
    let note = deal.source.unwrap().note.unwrap();
    assert!(
        note.contains("Pipedrive's owner \"18487521\" matches nobody in Sales by e-mail or name: Sam, the Sales lead"),
        "{note}"
    );
    assert!(note.contains("does not name the customer"), "{note}");
    // No Sales lead and two Sales people: nobody to take it, and the refusal says what to do.
    let mut leaderless = directory();
    leaderless.staffing.remove(&Department::Sales);
    leaderless.people.push(crate::directory::Person {
        id: PersonId(Uuid::from_u128(7)),
        name: "Sue".into(),
        dept: Department::Sales,
        email: None,
        away: vec![],
        retired: None,
    });
    let err = Deal::won_in_crm(&leaderless, None, won_in_crm(Some("Jo")), webhook(), DEAL, esc).unwrap_err();
    assert!(err.to_string().contains("names no Sales lead to take it (name one)"), "{err}");
    // Two Sales people of one name: the note says the name is not enough.
    let mut twins = directory();
    twins.people.push(crate::directory::Person {
        id: PersonId(Uuid::from_u128(8)),
        name: "Sam".into(),
        dept: Department::Sales,
        email: None,
        away: vec![],
        retired: None,
    });
    let events = Deal::won_in_crm(&twins, None, won_in_crm(Some("sam")), webhook(), DEAL, esc).unwrap();
    let note = fold(None, events, t("2026-03-03 10:00")).unwrap().source.unwrap().note.unwrap();
    assert!(note.contains("names more than one person in Sales"), "{note}");
    // Fay is in Fulfilment, not Sales: she does not own a sale.
    let events = Deal::won_in_crm(&dir, None, won_in_crm(Some("Fay")), webhook(), DEAL, esc).unwrap();
    assert_eq!(fold(None, events, t("2026-03-03 10:00")).unwrap().sales_owner, SAM);
    // Without its title or amount, a deal Handoff does not hold cannot be made.
    let mut thin = won_in_crm(None);
    thin.title = None;
    let err = Deal::won_in_crm(&dir, None, thin, webhook(), DEAL, esc).unwrap_err();
    assert!(
        err.to_string().contains("no deal in Handoff has that record and the delivery does not give its title"),
        "{err}"
    );
}
