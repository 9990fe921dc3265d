//! A sample agency for the benchmarks: ten years of a busy agency — a CRM import for its first
//! five years, then every deal lived through the playbook (won, the handoff meeting with a
//! seven-part brief signed by both leads, the first task, travellers and itinerary, the 72-hour
//! service call, asks on the trip, how the travellers came back, the Tuesday review and its
//! follow-up calls) — made through the real use cases, never hand-written SQL. About fifteen
//! events a deal: 1,000 deals are some 15,000 events, 100,000 deals some 1.5 million.
//!
//! Making a large one takes a while, so [`Agency::kept`] makes each size once in a folder and
//! finds it there the next time (a half-made one, from a run stopped midway, is made again).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};
use handoff_api::dto::*;
use handoff_api::{Ctx, FixedClock, LaptopKeys};

/// "Now" for every agency: the end of its ten years (a laptop that takes its events in must
/// not have a clock behind it).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 15, 0, 0).unwrap()
}

const YEARS: i64 = 10;
const MAYA: &str = "Maya Chen";
const SALES: [&str; 2] = ["Sam Reyes", "Lea Novak"];
const SIGNERS: [&str; 5] = ["Sam Reyes", "Lea Novak", "Fay Okafor", "Bo Lind", "Cy Adams"];
const PEOPLE: [(&str, &str); 8] = [
    (MAYA, "founder"),
    ("Sam Reyes", "sales"),
    ("Lea Novak", "sales"),
    ("Fay Okafor", "fulfilment"),
    ("Bo Lind", "fulfilment"),
    ("Cy Adams", "fulfilment"),
    ("Sol Reed", "service"),
    ("Ivy Park", "service"),
];
const PLACES: [&str; 12] = [
    "Lisbon",
    "Kyoto",
    "Cape Town",
    "Reykjavik",
    "Queenstown",
    "Oaxaca",
    "Tuscany",
    "Patagonia",
    "Bali",
    "Vienna",
    "Marrakech",
    "Santorini",
];
const SURNAMES: [&str; 40] = [
    "Patel",
    "Okoro",
    "Lindqvist",
    "Moreau",
    "Hartley",
    "Shah",
    "Bergstrom",
    "Delgado",
    "Whitfield",
    "Ricci",
    "Nakamura",
    "Harper",
    "Osei",
    "Ellis",
    "Walsh",
    "Papadakis",
    "Whitaker",
    "Rahman",
    "Ashworth",
    "Petrov",
    "Mahoney",
    "Brennan",
    "Fraser",
    "Kowalski",
    "Haddad",
    "Novak",
    "Silva",
    "Murphy",
    "Tanaka",
    "Jensen",
    "Costa",
    "Fischer",
    "Dubois",
    "Kaur",
    "Adeyemi",
    "Larsen",
    "Romero",
    "Sato",
    "Nguyen",
    "Oliveira",
];

/// The passphrase of `who`'s signing key.
pub fn passphrase(who: &str) -> String {
    format!("the scale bench passphrase of {who}")
}

fn acting(who: &str, at: DateTime<Utc>) -> Acting {
    Acting { actor: Some(who.to_string()), at: Some(at.to_rfc3339()) }
}

fn word<W: std::str::FromStr>(text: &str) -> W
where
    W::Err: std::fmt::Debug,
{
    text.parse().unwrap_or_else(|e| panic!("\"{text}\": {e:?}"))
}

/// A context on the agency in `db`, its laptop keys in `keys`, its clock at [`now`].
pub fn context(db: &Path, keys: &Path) -> Ctx {
    Ctx::open_with_clock(db, true, Arc::new(FixedClock(now()))).unwrap().with_keys(LaptopKeys::in_data_folder(keys))
}

/// The working days of the ten years, each to be the day some deals close.
fn working_days() -> Vec<NaiveDate> {
    let last = now().date_naive() - chrono::Duration::days(1);
    let first = last - chrono::Duration::days(365 * YEARS);
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

/// When deal `i` of `n` closed: spread evenly over the working days, within office hours.
fn closed_at(days: &[NaiveDate], i: usize, n: usize) -> DateTime<Utc> {
    let day = days[i * days.len() / n];
    let minute = (i * 37) % (7 * 60);
    Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()) + chrono::Duration::minutes(minute as i64)
}

/// A deal lived through the playbook: what the Tuesday review later needs of it.
struct Lived {
    id: String,
    seller: &'static str,
    trip_end: NaiveDate,
    came_back: bool,
}

/// Makes an agency of `n` deals in `db` (its signing keys in `keys`); returns how many events
/// it holds.
fn make_agency(db: &Path, keys: &Path, n: usize) -> u64 {
    let ctx = context(db, keys);
    let start = now() - chrono::Duration::days(365 * YEARS + 10);
    let init = InitRequest {
        agency: "Wayfarer Travel".into(),
        timezone: "Europe/London".into(),
        workdays: None,
        hours: None,
        acting: Acting { actor: None, at: Some(start.to_rfc3339()) },
    };
    handoff_api::init(&ctx, init).unwrap();
    for (k, (name, dept)) in PEOPLE.iter().enumerate() {
        let at = start + chrono::Duration::minutes(k as i64 + 1);
        let by = if *name == MAYA { Acting { actor: None, at: Some(at.to_rfc3339()) } } else { acting(MAYA, at) };
        let email = format!("{}@wayfarer.example", name.split(' ').next().unwrap().to_lowercase());
        let req = PersonAddRequest {
            name: name.to_string(),
            dept: word(dept),
            email: Some(email),
            confirmed_different: false,
            acting: by,
        };
        handoff_api::person_add(&ctx, req).unwrap();
    }
    for (dept, lead, backups) in [
        ("sales", "Sam Reyes", vec!["Lea Novak"]),
        ("fulfilment", "Fay Okafor", vec!["Bo Lind", "Cy Adams"]),
        ("service", "Sol Reed", vec!["Ivy Park"]),
    ] {
        let req = DeptSetRequest {
            dept: word(dept),
            lead: lead.into(),
            backups: backups.into_iter().map(str::to_string).collect(),
            acting: acting(MAYA, start + chrono::Duration::minutes(20)),
        };
        handoff_api::dept_set(&ctx, req).unwrap();
    }
    for who in SIGNERS {
        let req = KeyCreateRequest {
            acting: acting(who, start + chrono::Duration::minutes(30)),
            passphrase: Some(passphrase(who)),
            work_factor: Some(*handoff_api::WORK_FACTORS.start()),
        };
        handoff_api::key_create(&ctx, req).unwrap();
    }

    let days = working_days();
    // The first five years came in from the CRM's export when the agency started using Handoff.
    let imported = n / 2;
    let mut csv = String::from("external_id,title,customer,value,currency,owner,closed_at,handoff_at\n");
    for i in 0..imported {
        let closed = closed_at(&days, i, n);
        let handed_off = closed + chrono::Duration::minutes(30 + (i as i64 * 53) % (3 * 24 * 60));
        csv.push_str(&format!(
            "CRM-{i},{} trip {i},The {} party,{},EUR,{},{},{}\n",
            PLACES[i % PLACES.len()],
            SURNAMES[i % SURNAMES.len()],
            1500 + (i * 97) % 20000,
            SALES[i % 2],
            closed.to_rfc3339(),
            handed_off.to_rfc3339()
        ));
    }
    let history_at = closed_at(&days, imported, n) - chrono::Duration::hours(1);
    handoff_api::import_deals_from(
        &ctx,
        "crm-history.csv",
        csv.as_bytes(),
        &Default::default(),
        acting(MAYA, history_at),
    )
    .unwrap();

    let mut lived = Vec::new();
    for i in imported..n {
        if let Some(deal) = live(&ctx, i, closed_at(&days, i, n)) {
            lived.push(deal);
        }
    }
    tuesday_reviews(&ctx, &lived);
    let count = |c: &handoff_store::Connection| c.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0));
    let events = ctx.store().read(|c| count(c).map_err(handoff_store::StoreError::from)).unwrap();
    events as u64
}

/// Deal `i`, closed at `closed`, through as much of the playbook as has happened by now.
fn live(ctx: &Ctx, i: usize, closed: DateTime<Utc>) -> Option<Lived> {
    let minute = chrono::Duration::minutes;
    let day = chrono::Duration::days;
    let place = PLACES[i % PLACES.len()];
    let family = SURNAMES[(i / 3) % SURNAMES.len()];
    let seller = SALES[i % 2];
    let trip_start = closed.date_naive() + day(21 + (i % 40) as i64);
    let trip_end = trip_start + day(7);
    let add = DealAddRequest {
        title: format!("{place} for the {family}s ({i})"),
        customer: format!("The {family} family"),
        value: format!("{}", 2000 + (i * 131) % 30000),
        currency: "EUR".into(),
        owner: seller.into(),
        trip_start: Some(format!("{trip_start} 09:40")),
        trip_end: Some(trip_end.to_string()),
        destination: Some(place.into()),
        travellers: Some(2),
        acting: acting(seller, closed - day(3)),
    };
    let id = handoff_api::deal_add(ctx, add).unwrap().id.to_string();
    let on = |at: DateTime<Utc>| DealAction { deal: id.clone(), acting: acting(seller, at) };
    if i.is_multiple_of(40) {
        handoff_api::deal_lost(ctx, on(closed)).unwrap();
        return None;
    }
    let won = handoff_api::deal_won(ctx, on(closed)).unwrap();
    let fulfilment = won.fulfilment_owner.name.clone();
    // The last few days: some deals wait for their handoff meeting.
    if closed > now() - day(3) && i.is_multiple_of(3) {
        return None;
    }
    handoff_api::meeting_start(ctx, on(closed + minute(15))).unwrap();
    let brief = [
        (
            "customer",
            format!("{family} family, two adults; {}@example.com. Came through a referral.", family.to_lowercase()),
        ),
        ("trip", format!("{place}, {trip_start} to {trip_end}, two travellers.")),
        ("sold", format!("Flights, seven nights in {place} and two guided days; €{} paid.", 2000 + (i * 131) % 30000)),
        ("promises", "A quiet room away from the lift; a late check-out on the last day.".to_string()),
        ("preferences", "One vegetarian; one nut allergy (carries an EpiPen).".to_string()),
        ("risks", "A tight connection on the way out: watch the inbound flight.".to_string()),
        ("first-steps", format!("Confirm dates with the {family}s; hold the rooms.")),
    ];
    for (k, (section, text)) in brief.into_iter().enumerate() {
        let req = BriefSetRequest {
            deal: id.clone(),
            section: word(section),
            text,
            acting: acting(seller, closed + minute(16 + k as i64)),
        };
        handoff_api::brief_set(ctx, req).unwrap();
    }
    for (k, signer) in [seller, fulfilment.as_str()].into_iter().enumerate() {
        let req = BriefSignRequest {
            deal: id.clone(),
            acting: acting(signer, closed + minute(24 + k as i64)),
            passphrase: Some(passphrase(signer)),
        };
        handoff_api::brief_sign(ctx, req).unwrap();
    }
    let ended = handoff_api::meeting_end(ctx, on(closed + minute(27))).unwrap();
    let steps = |at: DateTime<Utc>| at <= now();
    let confirmed = closed + day(1);
    if !steps(confirmed) {
        return None;
    }
    handoff_api::task_done(
        ctx,
        TaskDoneRequest { task: ended.first_task.id.to_string(), acting: acting(&fulfilment, confirmed) },
    )
    .unwrap();
    let built = closed + day(2);
    if !steps(built) {
        return None;
    }
    let travellers = [
        (format!("Alex {family}"), vec![("dietary", "Vegetarian"), ("rooming", "A quiet room away from the lift")]),
        (format!("Sam {family}"), vec![("medical", "Nut allergy; carries an EpiPen")]),
    ];
    for (k, (name, preferences)) in travellers.iter().enumerate() {
        let req = TravellerAddRequest {
            deal: id.clone(),
            name: name.clone(),
            preferences: preferences
                .iter()
                .map(|(topic, text)| PreferenceInput { topic: word(topic), text: text.to_string() })
                .collect(),
            acting: acting(&fulfilment, built + minute(k as i64)),
        };
        handoff_api::traveller_add(ctx, req).unwrap();
    }
    let items = [
        (0, "09:40", "flight", format!("Outbound flight to {place}"), "BA4471"),
        (0, "15:00", "hotel", format!("Hotel in {place}, seven nights"), "H-2231"),
        (2, "09:30", "activity", format!("Guided day around {place}"), ""),
    ];
    for (k, (offset, time, kind, title, confirmation)) in items.into_iter().enumerate() {
        let req = ItemInput {
            deal: id.clone(),
            item: None,
            day: Some((trip_start + day(offset)).to_string()),
            time: Some(time.into()),
            kind: Some(word(kind)),
            title: Some(title),
            supplier: Some("Wayfarer partners".into()),
            contact: None,
            confirmation: (!confirmation.is_empty()).then(|| confirmation.to_string()),
            acting: acting(&fulfilment, built + minute(5 + k as i64)),
        };
        handoff_api::itinerary_add(ctx, req).unwrap();
    }
    let call = Utc.from_utc_datetime(&(trip_start - day(4)).and_hms_opt(10, 0, 0).unwrap());
    if !steps(call) {
        return None;
    }
    let owner = handoff_api::service_show(ctx, &id).unwrap().owner.name;
    handoff_api::service_start(ctx, DealAction { deal: id.clone(), acting: acting(&owner, call) }).unwrap();
    let mut at = call;
    for (name, preferences) in &travellers {
        for (topic, _) in preferences {
            at += minute(1);
            let req = ServiceAckRequest {
                deal: id.clone(),
                traveller: name.clone(),
                topic: word(topic),
                acting: acting(&owner, at),
            };
            handoff_api::service_ack(ctx, req).unwrap();
        }
    }
    handoff_api::service_complete(ctx, DealAction { deal: id.clone(), acting: acting(&owner, at + minute(1)) })
        .unwrap();
    let during = Utc.from_utc_datetime(&(trip_start + day(2)).and_hms_opt(18, 0, 0).unwrap());
    if i.is_multiple_of(10) && steps(during) {
        let req = AskLogRequest {
            deal: id.clone(),
            traveller: Some(travellers[0].0.clone()),
            topic: word("itinerary"),
            text: "The guided day was moved by the weather: can it go to tomorrow?".into(),
            brief_should_have_covered: i.is_multiple_of(20),
            acting: acting(&owner, during),
        };
        handoff_api::ask_log(ctx, req).unwrap();
    }
    if i.is_multiple_of(500) && steps(during + minute(30)) {
        let req = EscalationLogRequest {
            reason: "The hotel lost the booking; the founder approved an upgrade next door".into(),
            deal: Some(id.clone()),
            acting: acting(MAYA, during + minute(30)),
        };
        handoff_api::escalation_log(ctx, req).unwrap();
    }
    let back = Utc.from_utc_datetime(&(trip_end + day(1)).and_hms_opt(11, 0, 0).unwrap());
    let came_back = steps(back);
    if came_back {
        let (sentiment, strength) = [("thrilled", 5), ("happy", 4), ("neutral", 3), ("unhappy", 2)][i % 4];
        let req = SignalRequest {
            deal: id.clone(),
            sentiment: word(sentiment),
            strength,
            note: Some(format!("Back from {place}")),
            acting: acting(&owner, back),
        };
        handoff_api::trip_signal(ctx, req).unwrap();
    }
    Some(Lived { id, seller, trip_end, came_back })
}

/// Every Tuesday review held: two of the trips that ended the week before picked, and their
/// follow-up calls made the next day.
fn tuesday_reviews(ctx: &Ctx, lived: &[Lived]) {
    let mut weeks: BTreeMap<NaiveDate, Vec<&Lived>> = BTreeMap::new();
    for deal in lived.iter().filter(|d| d.came_back) {
        let days_to_tuesday =
            (7 + Weekday::Tue.num_days_from_monday() - deal.trip_end.weekday().num_days_from_monday()) % 7;
        let review =
            deal.trip_end + chrono::Duration::days(if days_to_tuesday == 0 { 7 } else { days_to_tuesday.into() });
        weeks.entry(review).or_default().push(deal);
    }
    let at = |day: NaiveDate, hour, minute| Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).unwrap());
    for (review, deals) in weeks {
        if at(review, 10, 20) > now() {
            continue;
        }
        let held = |when| ReviewMeetingRequest { date: Some(review.to_string()), acting: acting("Sam Reyes", when) };
        handoff_api::review_start(ctx, held(at(review, 10, 0))).unwrap();
        let picked: Vec<&Lived> = deals.into_iter().take(2).collect();
        let req = ReviewPickRequest {
            deals: picked.iter().map(|d| d.id.clone()).collect(),
            date: Some(review.to_string()),
            acting: acting("Sam Reyes", at(review, 10, 10)),
        };
        handoff_api::review_pick(ctx, req).unwrap();
        handoff_api::review_end(ctx, held(at(review, 10, 20))).unwrap();
        let call = at(review + chrono::Duration::days(1), 11, 0);
        if call > now() {
            continue;
        }
        for (k, deal) in picked.into_iter().enumerate() {
            let req = FollowUpDoneRequest {
                deal: deal.id.clone(),
                outcome: word(if k == 0 { "renewed" } else { "no-answer" }),
                renewed_deal: None,
                acting: acting(deal.seller, call + chrono::Duration::minutes(k as i64 * 10)),
            };
            handoff_api::followup_done(ctx, req).unwrap();
        }
    }
}

/// A sample agency kept in a folder: its database, its laptop keys, and how it was made.
#[derive(Clone, Debug)]
pub struct Agency {
    /// The agency's database.
    pub db: PathBuf,
    /// The folder of its laptop keys (the signers' keys are in the database, sealed by
    /// [`passphrase`]).
    pub keys: PathBuf,
    /// How many deals it was made with.
    pub deals: usize,
    /// How many events its log holds.
    pub events: u64,
    /// How long making it took, as "N events made in S s".
    pub made: String,
}

/// The shape of the agencies [`make_agency`] makes. Raise it whenever that changes what an agency
/// holds: kept agencies carry it in their names, so those of an older shape are made again rather
/// than measured as if they were new. (One bench at a time makes a size: two making the same one
/// at once would remove each other's files.)
const SHAPE: u32 = 1;

impl Agency {
    /// The agency of `deals` deals kept in `folder`: made there first when it is not (or only
    /// half made: a marker beside it says when one was finished).
    pub fn kept(folder: &Path, deals: usize) -> Agency {
        std::fs::create_dir_all(folder).unwrap();
        let name = format!("agency-s{SHAPE}-{deals}");
        let (db, keys, marker) = (
            folder.join(format!("{name}.db")),
            folder.join(format!("keys-s{SHAPE}-{deals}")),
            folder.join(format!("{name}.made")),
        );
        if !marker.exists() {
            for stale in [&db, &keys] {
                let _ = std::fs::remove_file(stale);
                let _ = std::fs::remove_dir_all(stale);
            }
            for side in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(folder.join(format!("{name}.db{side}")));
            }
            let start = Instant::now();
            let events = make_agency(&db, &keys, deals);
            let made = format!("{events} events made in {:.1} s\n", start.elapsed().as_secs_f64());
            std::fs::write(&marker, made).unwrap();
        }
        let made = std::fs::read_to_string(&marker).unwrap().trim().to_string();
        let events = made.split(' ').next().and_then(|n| n.parse().ok()).expect("the marker starts with its events");
        Agency { db, keys, deals, events, made }
    }

    /// How many deals make an agency of about `events` events: 10,000 deals made 144,083, some
    /// 14.4 a deal (half of them imported, one event each; half lived, about 28 each).
    pub fn deals_for(events: usize) -> usize {
        (events * 5 / 72).max(1)
    }
}
