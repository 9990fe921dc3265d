//! The actions people take, for the property tests: a strategy that draws them (valid or not,
//! in any order) and the code that performs one through the public use cases, as both front
//! ends do. `fold_props` plays them on one laptop; `convergence` on several that sync.

use chrono::{DateTime, Duration, TimeZone, Utc};
use handoff_api::dto::*;
use handoff_api::{ApiError, Ctx};
use proptest::prelude::*;

pub const PEOPLE: [(&str, &str); 8] = [
    ("Sam", "sales"),
    ("Sue", "sales"),
    ("Fay", "fulfilment"),
    ("Bo", "fulfilment"),
    ("Cy", "fulfilment"),
    ("Max", "founder"),
    ("Sol", "service"),
    ("Ivy", "service"),
];
/// Each action happens this long after the one before.
pub const STEP_MINUTES: i64 = 180;
pub const TOPICS: [&str; 5] = ["dietary", "mobility", "rooming", "medical", "other"];
pub const REVIEWS: [&str; 3] = ["2026-03-03", "2026-03-10", "2026-03-17"];
pub const SECTIONS: [&str; 7] = ["customer", "trip", "sold", "promises", "preferences", "risks", "first-steps"];

#[derive(Clone, Debug)]
pub enum Action {
    AddDeal {
        owner: usize,
    },
    Won {
        deal: usize,
    },
    Lost {
        deal: usize,
    },
    Start {
        deal: usize,
    },
    Write {
        deal: usize,
        section: usize,
        text: String,
    },
    /// Every section of the brief written, one after another: a brief that can be signed.
    WriteBrief {
        deal: usize,
    },
    Sign {
        deal: usize,
        person: usize,
    },
    End {
        deal: usize,
    },
    Reassign {
        deal: usize,
        to: usize,
    },
    TaskDone {
        deal: usize,
    },
    Away {
        person: usize,
        from_day: i64,
        days: i64,
    },
    Holiday {
        day: i64,
    },
    TripSet {
        deal: usize,
        start_day: i64,
        days: i64,
    },
    TravellerAdd {
        deal: usize,
        name: usize,
        topic: usize,
    },
    TravellerEdit {
        deal: usize,
        name: usize,
        topic: usize,
        text: String,
    },
    ServiceStart {
        deal: usize,
    },
    Ack {
        deal: usize,
        name: usize,
        topic: usize,
    },
    ServiceComplete {
        deal: usize,
    },
    Ask {
        deal: usize,
        topic: usize,
        covered: bool,
    },
    Signal {
        deal: usize,
        strength: u8,
    },
    Pick {
        deal: usize,
        review: usize,
    },
    FollowUp {
        deal: usize,
        renewed: bool,
    },
    Outreach {
        attempts: u32,
        renewals: u32,
    },
    ColdCall {
        customer: usize,
        renewed: bool,
    },
    Escalate {
        deal: usize,
    },
    ReviewStart {
        review: usize,
    },
    ReviewEnd {
        review: usize,
    },
    /// The agency's setting of how many trips one Tuesday review may pick.
    PicksPerReview {
        picks: u8,
    },
    /// A HubSpot export of one CRM record (won, open or lost) imported, open deals in; with
    /// `save`, its mapping saved under a name (a directory event laptops race on).
    CrmImport {
        record: usize,
        stage: usize,
        save: bool,
    },
}

pub const TRAVELLERS: [&str; 3] = ["Ana", "Ben", "Cal"];

/// A CRM export of one record imported: laptops race to bring the same record in.
pub fn crm_import() -> impl Strategy<Value = Action> {
    (0..3usize, 0..3usize, any::<bool>()).prop_map(|(record, stage, save)| Action::CrmImport { record, stage, save })
}

pub fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => (0..2usize).prop_map(|owner| Action::AddDeal { owner }),
        3 => (0..4usize).prop_map(|deal| Action::Won { deal }),
        1 => (0..4usize).prop_map(|deal| Action::Lost { deal }),
        2 => (0..4usize).prop_map(|deal| Action::Start { deal }),
        3 => (0..4usize, 0..7usize, "[a-zA-Z0-9 ';\\-]{0,40}").prop_map(|(deal, section, text)| Action::Write { deal, section, text }),
        2 => (0..4usize).prop_map(|deal| Action::WriteBrief { deal }),
        4 => (0..4usize, 0..6usize).prop_map(|(deal, person)| Action::Sign { deal, person }),
        3 => (0..4usize).prop_map(|deal| Action::End { deal }),
        1 => (0..4usize, 0..6usize).prop_map(|(deal, to)| Action::Reassign { deal, to }),
        1 => (0..4usize).prop_map(|deal| Action::TaskDone { deal }),
        1 => (0..6usize, 0..10i64, 0..3i64).prop_map(|(person, from_day, days)| Action::Away { person, from_day, days }),
        1 => (0..10i64).prop_map(|day| Action::Holiday { day }),
        2 => (0..4usize, 3..12i64, 0..3i64).prop_map(|(deal, start_day, days)| Action::TripSet { deal, start_day, days }),
        2 => (0..4usize, 0..3usize, 0..5usize).prop_map(|(deal, name, topic)| Action::TravellerAdd { deal, name, topic }),
        1 => (0..4usize, 0..3usize, 0..5usize, "[a-z ]{0,12}").prop_map(|(deal, name, topic, text)| Action::TravellerEdit { deal, name, topic, text }),
        1 => (0..4usize).prop_map(|deal| Action::ServiceStart { deal }),
        2 => (0..4usize, 0..3usize, 0..5usize).prop_map(|(deal, name, topic)| Action::Ack { deal, name, topic }),
        1 => (0..4usize).prop_map(|deal| Action::ServiceComplete { deal }),
        1 => (0..4usize, 0..5usize, any::<bool>()).prop_map(|(deal, topic, covered)| Action::Ask { deal, topic, covered }),
        1 => (0..4usize, 0..7u8).prop_map(|(deal, strength)| Action::Signal { deal, strength }),
        1 => (0..4usize, 0..3usize).prop_map(|(deal, review)| Action::Pick { deal, review }),
        1 => (0..4usize, any::<bool>()).prop_map(|(deal, renewed)| Action::FollowUp { deal, renewed }),
        1 => (1..20u32, 0..20u32).prop_map(|(attempts, renewals)| Action::Outreach { attempts, renewals }),
        1 => (0..3usize, any::<bool>()).prop_map(|(customer, renewed)| Action::ColdCall { customer, renewed }),
        1 => (0..5usize).prop_map(|deal| Action::Escalate { deal }),
        1 => (0..2usize).prop_map(|review| Action::ReviewStart { review }),
        1 => (0..2usize).prop_map(|review| Action::ReviewEnd { review }),
    ]
}

/// Monday 2 March 2026, 08:00 UTC: the first action happens then, each later one
/// [`STEP_MINUTES`] after the one before.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

/// The agency every run starts from: its people (each with a signing key), and who leads
/// and backs up each department.
pub fn set_up(ctx: &Ctx) {
    handoff_api::init(
        ctx,
        InitRequest {
            agency: "Prop".into(),
            timezone: "Europe/London".into(),
            workdays: None,
            hours: None,
            acting: Acting::default(),
        },
    )
    .unwrap();
    for (name, dept) in PEOPLE {
        handoff_api::person_add(
            ctx,
            PersonAddRequest {
                name: name.into(),
                dept: dept.parse().unwrap(),
                email: None,
                confirmed_different: false,
                acting: Acting::default(),
            },
        )
        .unwrap();
        let acting = Acting { actor: Some(name.into()), at: None };
        let key = KeyCreateRequest { acting, passphrase: Some(format!("passphrase of {name}")), work_factor: Some(10) };
        handoff_api::key_create(ctx, key).unwrap();
    }
    handoff_api::dept_set(
        ctx,
        DeptSetRequest {
            dept: "fulfilment".parse().unwrap(),
            lead: "Fay".into(),
            backups: vec!["Bo".into(), "Cy".into()],
            acting: Acting::default(),
        },
    )
    .unwrap();
    handoff_api::dept_set(
        ctx,
        DeptSetRequest {
            dept: "service".parse().unwrap(),
            lead: "Sol".into(),
            backups: vec!["Ivy".into()],
            acting: Acting::default(),
        },
    )
    .unwrap();
    handoff_api::dept_set(
        ctx,
        DeptSetRequest {
            dept: "sales".parse().unwrap(),
            lead: "Sam".into(),
            backups: vec![],
            acting: Acting::default(),
        },
    )
    .unwrap();
}

/// Performs action number `i`; `deals` holds the ids of the deals added so far (a deal added
/// here is pushed onto it).
pub fn perform(ctx: &Ctx, deals: &mut Vec<String>, i: usize, a: &Action) -> Result<(), ApiError> {
    let start = start();
    let acting = |minute: usize, who: Option<&str>| Acting {
        actor: who.map(str::to_string),
        at: Some((start + Duration::minutes(minute as i64 * STEP_MINUTES)).to_rfc3339()),
    };
    let deal = |deals: &[String], i: usize| deals.get(i).cloned().unwrap_or_else(|| "no such deal".into());
    match a.clone() {
        Action::AddDeal { owner } => handoff_api::deal_add(
            ctx,
            DealAddRequest {
                title: format!("Deal {i}"),
                customer: "C".into(),
                value: "100".into(),
                currency: "EUR".into(),
                owner: PEOPLE[owner].0.into(),
                trip_start: None,
                trip_end: None,
                destination: None,
                travellers: None,
                acting: acting(i, None),
            },
        )
        .map(|d| deals.push(d.id.to_string())),
        Action::Won { deal: d } => {
            handoff_api::deal_won(ctx, DealAction { deal: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Lost { deal: d } => {
            handoff_api::deal_lost(ctx, DealAction { deal: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Start { deal: d } => {
            handoff_api::meeting_start(ctx, DealAction { deal: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Write { deal: d, section, text } => handoff_api::brief_set(
            ctx,
            BriefSetRequest {
                deal: deal(deals, d),
                section: SECTIONS[section].parse().unwrap(),
                text,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::WriteBrief { deal: d } => SECTIONS.iter().try_for_each(|section| {
            let text = format!("{section}: none known");
            let request = BriefSetRequest {
                deal: deal(deals, d),
                section: section.parse().unwrap(),
                text,
                acting: acting(i, None),
            };
            handoff_api::brief_set(ctx, request).map(drop)
        }),
        Action::Sign { deal: d, person } => handoff_api::brief_sign(
            ctx,
            BriefSignRequest {
                deal: deal(deals, d),
                acting: acting(i, Some(PEOPLE[person].0)),
                passphrase: Some(format!("passphrase of {}", PEOPLE[person].0)),
            },
        )
        .map(drop),
        Action::End { deal: d } => {
            handoff_api::meeting_end(ctx, DealAction { deal: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Reassign { deal: d, to } => handoff_api::reassign(
            ctx,
            ReassignRequest {
                deal: deal(deals, d),
                to: PEOPLE[to].0.into(),
                reason: "cover".into(),
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::TaskDone { deal: d } => {
            handoff_api::task_done(ctx, TaskDoneRequest { task: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Away { person, from_day, days } => {
            let from = (start + Duration::days(from_day)).date_naive();
            handoff_api::person_away(
                ctx,
                AwayRequest {
                    person: PEOPLE[person].0.into(),
                    from: from.to_string(),
                    to: (from + Duration::days(days)).to_string(),
                    acting: acting(i, None),
                },
            )
            .map(drop)
        }
        Action::Holiday { day } => handoff_api::holiday_add(
            ctx,
            HolidayAddRequest {
                date: (start + Duration::days(day)).date_naive().to_string(),
                name: None,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::TripSet { deal: d, start_day, days } => {
            let first = (start + Duration::days(start_day)).date_naive();
            handoff_api::trip_set(
                ctx,
                TripSetRequest {
                    deal: deal(deals, d),
                    start: Some(format!("{first} 10:00")),
                    end: Some((first + Duration::days(days)).to_string()),
                    destination: Some("Rome".into()),
                    travellers: None,
                    acting: acting(i, None),
                },
            )
            .map(drop)
        }
        Action::TravellerAdd { deal: d, name, topic } => handoff_api::traveller_add(
            ctx,
            TravellerAddRequest {
                deal: deal(deals, d),
                name: TRAVELLERS[name].into(),
                preferences: vec![PreferenceInput { topic: TOPICS[topic].parse().unwrap(), text: "needs care".into() }],
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::TravellerEdit { deal: d, name, topic, text } => handoff_api::traveller_edit(
            ctx,
            TravellerEditRequest {
                deal: deal(deals, d),
                traveller: TRAVELLERS[name].into(),
                name: None,
                preferences: vec![PreferenceInput { topic: TOPICS[topic].parse().unwrap(), text }],
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::ServiceStart { deal: d } => {
            handoff_api::service_start(ctx, DealAction { deal: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Ack { deal: d, name, topic } => handoff_api::service_ack(
            ctx,
            ServiceAckRequest {
                deal: deal(deals, d),
                traveller: TRAVELLERS[name].into(),
                topic: TOPICS[topic].parse().unwrap(),
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::ServiceComplete { deal: d } => {
            handoff_api::service_complete(ctx, DealAction { deal: deal(deals, d), acting: acting(i, None) }).map(drop)
        }
        Action::Ask { deal: d, topic, covered } => handoff_api::ask_log(
            ctx,
            AskLogRequest {
                deal: deal(deals, d),
                traveller: None,
                topic: TOPICS[topic].parse().unwrap(),
                text: "a question".into(),
                brief_should_have_covered: covered,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::Signal { deal: d, strength } => handoff_api::trip_signal(
            ctx,
            SignalRequest {
                deal: deal(deals, d),
                sentiment: "thrilled".parse().unwrap(),
                strength,
                note: None,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::Pick { deal: d, review } => handoff_api::review_pick(
            ctx,
            ReviewPickRequest {
                deals: vec![deal(deals, d)],
                date: Some(REVIEWS[review].into()),
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::FollowUp { deal: d, renewed } => handoff_api::followup_done(
            ctx,
            FollowUpDoneRequest {
                deal: deal(deals, d),
                outcome: if renewed { "renewed" } else { "no-answer" }.parse().unwrap(),
                renewed_deal: None,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::Outreach { attempts, renewals } => {
            handoff_api::outreach_cold(ctx, OutreachRequest { attempts, renewals, date: None, acting: acting(i, None) })
                .map(drop)
        }
        Action::ColdCall { customer, renewed } => handoff_api::outreach_call(
            ctx,
            ColdCallRequest {
                customer: ["Lind family", "Okafor party", "A. Tanaka"][customer].into(),
                outcome: if renewed { "renewed" } else { "no-answer" }.parse().unwrap(),
                note: None,
                date: None,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::ReviewStart { review } => handoff_api::review_start(
            ctx,
            ReviewMeetingRequest { date: Some(REVIEWS[review].into()), acting: acting(i, None) },
        )
        .map(drop),
        Action::ReviewEnd { review } => handoff_api::review_end(
            ctx,
            ReviewMeetingRequest { date: Some(REVIEWS[review].into()), acting: acting(i, None) },
        )
        .map(drop),
        Action::PicksPerReview { picks } => handoff_api::agency_set(
            ctx,
            AgencySetRequest {
                review_picks: Some(picks),
                review_time: None,
                paper: None,
                locale: None,
                workdays: None,
                hours: None,
                acting: acting(i, None),
            },
        )
        .map(drop),
        Action::CrmImport { record, stage, save } => {
            let closed = (start + Duration::minutes(i as i64 * STEP_MINUTES)).format("%Y-%m-%d %H:%M");
            let csv = format!(
                "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Currency,Associated Company\n\
                 {record},CRM deal {record},{},{closed},Sam,100,EUR,Acme\n",
                ["Closed Won", "Contract Sent", "Closed Lost"][stage]
            );
            let options = ImportOptions {
                map: MappingChange { crm: save.then(|| format!("HubSpot {i}")), ..Default::default() },
                mapping: save.then(|| "hubspot".to_string()),
                with_open: true,
            };
            handoff_api::import_deals_from(ctx, "hubspot.csv", csv.as_bytes(), &options, acting(i, None)).map(drop)
        }
        Action::Escalate { deal: d } => handoff_api::escalation_log(
            ctx,
            EscalationLogRequest {
                reason: "called the founder".into(),
                deal: deals.get(d).cloned(),
                acting: acting(i, None),
            },
        )
        .map(drop),
    }
}
