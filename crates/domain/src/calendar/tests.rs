//! Tests of business time: deadlines, durations, clock changes, parsing.

use super::*;
use crate::zone::Zone;
use proptest::prelude::*;

fn london() -> Calendar {
    Calendar::new(Zone::known("Europe/London"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

/// The instant the calendar's clocks show `s` ("2026-06-05 16:00").
fn at(cal: &Calendar, s: &str) -> DateTime<Utc> {
    cal.to_utc(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

fn utc(s: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap().and_utc()
}

/// What the calendar's clocks show at `t`, with the day of the week.
fn shown(cal: &Calendar, t: DateTime<Utc>) -> String {
    cal.local_datetime(t).format("%a %Y-%m-%d %H:%M").to_string()
}

fn deadline(cal: &Calendar, local: &str) -> String {
    shown(cal, cal.one_business_day_deadline(at(cal, local)))
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

// 2026-06-01 is a Monday; London is on BST (UTC+1) all June.

#[test]
fn default_calendar_is_monday_to_friday_nine_to_half_past_five() {
    let cal = london();
    assert_eq!(cal.workdays.to_string(), "mon,tue,wed,thu,fri");
    assert_eq!(cal.hours.to_string(), "09:00-17:30");
    assert!(cal.holidays.is_empty());
    assert_eq!(cal.one_business_day(), minutes(8 * 60 + 30));
}

#[test]
fn friday_afternoon_deadline_is_monday_afternoon() {
    let cal = london();
    assert_eq!(deadline(&cal, "2026-06-05 16:00"), "Mon 2026-06-08 16:00");
    assert_eq!(cal.one_business_day_deadline(utc("2026-06-05 15:00")), utc("2026-06-08 15:00"));
}

#[test]
fn wednesday_evening_deadline_is_thursday_close() {
    assert_eq!(deadline(&london(), "2026-06-03 20:00"), "Thu 2026-06-04 17:30");
}

#[test]
fn holiday_monday_moves_friday_deadline_to_tuesday() {
    let mut cal = london();
    cal.holidays.insert(date("2026-06-08"));
    assert_eq!(deadline(&cal, "2026-06-05 16:00"), "Tue 2026-06-09 16:00");
}

#[test]
fn saturday_deadline_is_monday_close() {
    let cal = london();
    assert_eq!(deadline(&cal, "2026-06-06 11:00"), "Mon 2026-06-08 17:30");
    assert_eq!(deadline(&cal, "2026-06-07 23:59"), "Mon 2026-06-08 17:30");
}

#[test]
fn closed_at_opening_time_is_due_at_that_days_close() {
    assert_eq!(deadline(&london(), "2026-06-01 09:00"), "Mon 2026-06-01 17:30");
}

#[test]
fn closed_at_closing_time_is_due_at_next_working_days_close() {
    let cal = london();
    assert_eq!(deadline(&cal, "2026-06-01 17:30"), "Tue 2026-06-02 17:30");
    assert_eq!(deadline(&cal, "2026-06-05 17:30"), "Mon 2026-06-08 17:30");
}

#[test]
fn early_morning_deadline_is_that_days_close() {
    assert_eq!(deadline(&london(), "2026-06-02 06:15"), "Tue 2026-06-02 17:30");
}

#[test]
fn add_business_of_nothing_or_less_is_from() {
    let cal = london();
    let from = at(&cal, "2026-06-06 11:00");
    assert_eq!(cal.add_business(from, Duration::zero()), from);
    assert_eq!(cal.add_business(from, minutes(-90)), from);
}

#[test]
fn add_business_lands_inside_working_hours() {
    let cal = london();
    let from = at(&cal, "2026-06-05 16:00");
    let add = |m| shown(&cal, cal.add_business(from, minutes(m)));
    assert_eq!(add(1), "Fri 2026-06-05 16:01");
    assert_eq!(add(90), "Fri 2026-06-05 17:30");
    assert_eq!(add(91), "Mon 2026-06-08 09:01");
    // Five business days and a bit: Fri 1.5 h, Mon-Thu 4 x 8.5 h, then 7 h + 10 min on Fri.
    assert_eq!(add(5 * 510 + 10), "Fri 2026-06-12 16:10");
}

#[test]
fn business_duration_over_a_weekend() {
    let cal = london();
    let d = cal.business_duration(at(&cal, "2026-06-05 16:00"), at(&cal, "2026-06-08 10:00"));
    assert_eq!(d, minutes(150));
}

#[test]
fn business_duration_is_zero_when_to_is_not_after_from() {
    let cal = london();
    let t = at(&cal, "2026-06-03 10:00");
    assert_eq!(cal.business_duration(t, t), Duration::zero());
    assert_eq!(cal.business_duration(t, t - minutes(60)), Duration::zero());
}

#[test]
fn business_duration_outside_hours_is_zero() {
    let cal = london();
    let d = cal.business_duration(at(&cal, "2026-06-03 17:30"), at(&cal, "2026-06-04 09:00"));
    assert_eq!(d, Duration::zero());
    let d = cal.business_duration(at(&cal, "2026-06-06 00:00"), at(&cal, "2026-06-08 00:00"));
    assert_eq!(d, Duration::zero());
}

#[test]
fn business_duration_skips_holidays() {
    let mut cal = london();
    cal.holidays.insert(date("2026-06-08"));
    let d = cal.business_duration(at(&cal, "2026-06-05 16:00"), at(&cal, "2026-06-09 10:00"));
    assert_eq!(d, minutes(90 + 60));
    // Holidays on a weekend change nothing.
    cal.holidays.insert(date("2026-06-06"));
    let d = cal.business_duration(at(&cal, "2026-06-05 16:00"), at(&cal, "2026-06-09 10:00"));
    assert_eq!(d, minutes(90 + 60));
}

#[test]
fn business_duration_over_a_year() {
    // 2026 starts on a Thursday and has 261 weekdays; London's clock changes fall on Sunday
    // nights, outside working hours.
    for zone in [Zone::known("UTC"), Zone::known("Europe/London"), Zone::known("America/New_York")] {
        let cal = Calendar::new(zone);
        let d = cal.business_duration(at(&cal, "2026-01-01 00:00"), at(&cal, "2027-01-01 00:00"));
        assert_eq!(d, minutes(261 * 510), "{zone}");
    }
    let mut cal = london();
    cal.holidays.extend([date("2026-12-25"), date("2026-12-26"), date("2026-12-28")]);
    let d = cal.business_duration(at(&cal, "2026-01-01 00:00"), at(&cal, "2027-01-01 00:00"));
    assert_eq!(d, minutes(259 * 510)); // the 26th is a Saturday
}

#[test]
fn london_spring_forward_weekend() {
    let cal = london();
    let (from, to) = (at(&cal, "2026-03-27 16:00"), at(&cal, "2026-03-30 10:00"));
    assert_eq!(to - from, Duration::hours(65));
    assert_eq!(cal.business_duration(from, to), minutes(150));
    assert_eq!(deadline(&cal, "2026-03-27 16:00"), "Mon 2026-03-30 16:00");
    assert_eq!(cal.one_business_day_deadline(from), utc("2026-03-30 15:00"));
}

#[test]
fn london_fall_back_weekend() {
    let cal = london();
    let (from, to) = (at(&cal, "2026-10-23 16:00"), at(&cal, "2026-10-26 10:00"));
    assert_eq!(to - from, Duration::hours(67));
    assert_eq!(cal.business_duration(from, to), minutes(150));
    assert_eq!(cal.one_business_day_deadline(from), utc("2026-10-26 16:00"));
}

#[test]
fn new_york_clock_change_weekends() {
    let cal = Calendar::new(Zone::known("America/New_York"));
    let (from, to) = (at(&cal, "2026-03-06 16:00"), at(&cal, "2026-03-09 10:00"));
    assert_eq!((from, to), (utc("2026-03-06 21:00"), utc("2026-03-09 14:00")));
    assert_eq!(to - from, Duration::hours(65));
    assert_eq!(cal.business_duration(from, to), minutes(150));
    assert_eq!(cal.one_business_day_deadline(from), utc("2026-03-09 20:00"));

    let (from, to) = (at(&cal, "2026-10-30 16:00"), at(&cal, "2026-11-02 10:00"));
    assert_eq!((from, to), (utc("2026-10-30 20:00"), utc("2026-11-02 15:00")));
    assert_eq!(to - from, Duration::hours(67));
    assert_eq!(cal.business_duration(from, to), minutes(150));
    assert_eq!(cal.one_business_day_deadline(from), utc("2026-11-02 21:00"));
}

fn night_shift_london() -> Calendar {
    let mut cal = london();
    cal.workdays = "sun,mon".parse().unwrap();
    cal.hours = "00:30-03:30".parse().unwrap();
    cal
}

#[test]
fn working_span_across_spring_forward_is_two_real_hours() {
    // Clocks jump from 01:00 GMT to 02:00 BST: 00:30 GMT is 00:30 UTC, 03:30 BST 02:30 UTC.
    let cal = night_shift_london();
    let span = cal.working_span(date("2026-03-29")).unwrap();
    assert_eq!(span, (utc("2026-03-29 00:30"), utc("2026-03-29 02:30")));
    assert_eq!(span.1 - span.0, Duration::hours(2));
    assert_eq!(cal.one_business_day(), Duration::hours(3));
    let day = cal.business_duration(at(&cal, "2026-03-29 00:00"), at(&cal, "2026-03-29 12:00"));
    assert_eq!(day, Duration::hours(2));
    // One business day from Sunday's opening takes all of Sunday and an hour of Monday.
    assert_eq!(deadline(&cal, "2026-03-29 00:30"), "Mon 2026-03-30 01:30");
}

#[test]
fn working_span_across_fall_back_is_four_real_hours() {
    // Clocks fall back from 02:00 BST to 01:00 GMT: 00:30 BST is 23:30 UTC the day before.
    let cal = night_shift_london();
    let span = cal.working_span(date("2026-10-25")).unwrap();
    assert_eq!(span, (utc("2026-10-24 23:30"), utc("2026-10-25 03:30")));
    let day = cal.business_duration(at(&cal, "2026-10-25 00:00"), at(&cal, "2026-10-25 12:00"));
    assert_eq!(day, Duration::hours(4));
}

#[test]
fn to_utc_resolves_gaps_forward_and_ambiguities_early() {
    let cal = london();
    let local = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    // 01:30 does not exist on 2026-03-29: the first instant after the gap is 01:00 UTC.
    assert_eq!(cal.to_utc(local("2026-03-29 01:30")), utc("2026-03-29 01:00"));
    assert_eq!(cal.to_utc(local("2026-03-29 01:00")), utc("2026-03-29 01:00"));
    assert_eq!(cal.to_utc(local("2026-03-29 00:59")), utc("2026-03-29 00:59"));
    // 01:30 happens twice on 2026-10-25: first in BST, at 00:30 UTC.
    assert_eq!(cal.to_utc(local("2026-10-25 01:30")), utc("2026-10-25 00:30"));
    assert_eq!(cal.to_utc(local("2026-10-25 02:00")), utc("2026-10-25 02:00"));
    // A whole day skipped: Samoa jumped from 2011-12-29 23:59:59 to 2011-12-31 00:00.
    let apia = Calendar::new(Zone::known("Pacific/Apia"));
    assert_eq!(apia.to_utc(local("2011-12-30 12:00")), utc("2011-12-30 10:00"));
    assert_eq!(apia.working_span(date("2011-12-30")), None);
}

#[test]
fn local_date_and_datetime_follow_the_zone() {
    let cal = Calendar::new(Zone::known("Australia/Sydney"));
    let t = utc("2026-06-05 20:00");
    assert_eq!(cal.local_date(t), date("2026-06-06"));
    assert_eq!(shown(&cal, t), "Sat 2026-06-06 06:00");
    let cal = Calendar::new(Zone::known("America/New_York"));
    assert_eq!(cal.local_date(utc("2026-06-06 02:00")), date("2026-06-05"));
}

#[test]
fn is_working_day_needs_a_workday_that_is_not_a_holiday() {
    let mut cal = london();
    cal.holidays.insert(date("2026-06-08"));
    assert!(cal.is_working_day(date("2026-06-05")));
    assert!(!cal.is_working_day(date("2026-06-06")));
    assert!(!cal.is_working_day(date("2026-06-07")));
    assert!(!cal.is_working_day(date("2026-06-08")));
    assert!(cal.is_working_day(date("2026-06-09")));
}

#[test]
fn a_six_day_week_counts_saturdays() {
    let mut cal = london();
    cal.workdays = "mon,tue,wed,thu,fri,sat".parse().unwrap();
    assert_eq!(deadline(&cal, "2026-06-05 16:00"), "Sat 2026-06-06 16:00");
}

#[test]
fn a_holiday_far_ahead_does_not_stop_the_walk() {
    let mut cal = london();
    cal.holidays.insert(date("2040-01-02"));
    assert_eq!(deadline(&cal, "2026-06-05 16:00"), "Mon 2026-06-08 16:00");
    let from = at(&cal, "2026-06-05 16:00");
    let far = cal.add_business(from, minutes(510 * 1000));
    assert_eq!(cal.business_duration(from, far), minutes(510 * 1000));
}

#[test]
#[should_panic(expected = "no business time")]
fn add_business_refuses_hours_that_end_before_they_start() {
    let mut cal = london();
    cal.hours = WorkingHours { start: time("17:00"), end: time("09:00") };
    assert_eq!(cal.one_business_day(), Duration::zero());
    assert_eq!(cal.business_duration(utc("2026-06-01 00:00"), utc("2026-06-30 00:00")), Duration::zero());
    let from = utc("2026-06-01 00:00");
    assert_eq!(cal.one_business_day_deadline(from), from);
    cal.add_business(from, minutes(1));
}

// --- parsing and display ---

#[test]
fn workdays_parse_and_display() {
    let parse = |s: &str| s.parse::<WorkDays>().map(|w| w.to_string());
    assert_eq!(parse("mon,tue,wed,thu,fri").unwrap(), "mon,tue,wed,thu,fri");
    assert_eq!(parse(" Monday , WED,fri, FRI ").unwrap(), "mon,wed,fri");
    assert_eq!(parse("sun,sat").unwrap(), "sat,sun");
    assert_eq!(parse("SUNDAY").unwrap(), "sun");
    assert_eq!(parse("mon,tue,").unwrap(), "mon,tue");
    let all: WorkDays = "sun,mon,tue,wed,thu,fri,sat".parse().unwrap();
    assert_eq!(all.iter().collect::<Vec<_>>(), WEEK);
    assert_eq!(all.to_string().parse::<WorkDays>().unwrap(), all);
    assert_eq!(WorkDays::default().iter().count(), 5);
    assert!(WorkDays::default().contains(Weekday::Fri));
    assert!(!WorkDays::default().contains(Weekday::Sat));
    assert_eq!(format!("{:?}", WorkDays::default()), "WorkDays(mon,tue,wed,thu,fri)");
}

#[test]
fn workdays_parse_errors_say_how_to_fix_them() {
    let err = "xyz".parse::<WorkDays>().unwrap_err();
    assert_eq!(err, CalendarError::BadWorkDays("xyz".into()));
    assert_eq!(
        err.to_string(),
        "working days \"xyz\" not understood: use three-letter day names separated by commas, like mon,tue,wed,thu,fri"
    );
    assert_eq!("mon, tues".parse::<WorkDays>().unwrap_err(), CalendarError::BadWorkDays("mon, tues".into()));
    assert_eq!("mon-fri".parse::<WorkDays>().unwrap_err(), CalendarError::BadWorkDays("mon-fri".into()));
    for empty in ["", "  ", " , ,"] {
        let err = empty.parse::<WorkDays>().unwrap_err();
        assert_eq!(err, CalendarError::NoWorkDays);
        assert_eq!(err.to_string(), "no working days given: name at least one day, like mon,tue,wed,thu,fri");
    }
    assert_eq!(WorkDays::from_days([]), Err(CalendarError::NoWorkDays));
    assert_eq!(WorkDays::from_days([Weekday::Sun, Weekday::Mon, Weekday::Sun]).unwrap().to_string(), "mon,sun");
}

#[test]
fn working_hours_parse_and_display() {
    let parse = |s: &str| s.parse::<WorkingHours>().map(|h| h.to_string());
    assert_eq!(parse("09:00-17:30").unwrap(), "09:00-17:30");
    assert_eq!(parse("9:00-17:30").unwrap(), "09:00-17:30");
    assert_eq!(parse(" 08:15 - 16:45 ").unwrap(), "08:15-16:45");
    assert_eq!(parse("00:00-23:59").unwrap(), "00:00-23:59");
    assert_eq!(parse("07:00:30-15:00").unwrap(), "07:00:30-15:00");
    assert_eq!(parse("07:00:00.25-15:00").unwrap(), "07:00:00.25-15:00");
    let h: WorkingHours = "9:00-17:30".parse().unwrap();
    assert_eq!(h, WorkingHours::default());
    assert_eq!(h, WorkingHours { start: time("09:00"), end: time("17:30") });
    assert_eq!(WorkingHours::new(time("09:00"), time("17:30")), Ok(h));
    let odd = WorkingHours::new(
        NaiveTime::from_hms_nano_opt(8, 0, 1, 5).unwrap(),
        NaiveTime::from_hms_nano_opt(16, 59, 59, 999_999_999).unwrap(),
    )
    .unwrap();
    assert_eq!(odd.to_string(), "08:00:01.000000005-16:59:59.999999999");
    assert_eq!(odd.to_string().parse::<WorkingHours>().unwrap(), odd);
}

#[test]
fn working_hours_parse_errors_say_how_to_fix_them() {
    let err = "17:00-09:00".parse::<WorkingHours>().unwrap_err();
    assert_eq!(err, CalendarError::HoursEndBeforeStart("17:00-09:00".into()));
    assert_eq!(
        err.to_string(),
        "working hours \"17:00-09:00\" end before they start: give them as HH:MM-HH:MM with the end later than the start on the same day, like 09:00-17:30"
    );
    let err = "09:00-09:00".parse::<WorkingHours>().unwrap_err();
    assert_eq!(err, CalendarError::EmptyHours("09:00-09:00".into()));
    assert_eq!(
        err.to_string(),
        "working hours \"09:00-09:00\" start and end at the same time: give them as HH:MM-HH:MM with the end later than the start, like 09:00-17:30"
    );
    for bad in [
        "9-17",
        "09:00",
        "",
        "25:00-26:00",
        "09:60-10:00",
        "9:5-17:30",
        "09:00-17:30-18:00",
        "nine to five",
        "09.00-17.30",
        "-09:00-17:00",
        "+9:00-17:00",
    ] {
        let err = bad.parse::<WorkingHours>().unwrap_err();
        assert_eq!(err, CalendarError::BadHours(bad.into()), "{bad}");
    }
    assert_eq!(
        "9-17".parse::<WorkingHours>().unwrap_err().to_string(),
        "working hours \"9-17\" not understood: give them as HH:MM-HH:MM, like 09:00-17:30"
    );
    assert_eq!(
        WorkingHours::new(time("18:00"), time("08:00")),
        Err(CalendarError::HoursEndBeforeStart("18:00-08:00".into()))
    );
}

#[test]
fn zones_parse_by_iana_name() {
    assert_eq!(parse_zone("Europe/London"), Ok(Zone::known("Europe/London")));
    assert_eq!(parse_zone(" Asia/Kolkata "), Ok(Zone::known("Asia/Kolkata")));
    assert_eq!(parse_zone("UTC"), Ok(Zone::known("UTC")));
    let err = parse_zone("Europe/Lodnon").unwrap_err();
    assert_eq!(err, CalendarError::UnknownZone("Europe/Lodnon".into()));
    assert_eq!(
        err.to_string(),
        "unknown time zone \"Europe/Lodnon\": use an IANA name like Europe/London or America/New_York"
    );
    assert!(parse_zone("").is_err());
    assert!(parse_zone("+01:00").is_err());
}

// --- serde ---

#[test]
fn calendar_serializes_with_names_and_strings() {
    let mut cal = Calendar::new(Zone::known("America/New_York"));
    cal.holidays.extend([date("2026-12-25"), date("2026-07-03")]);
    let json = serde_json::to_string(&cal).unwrap();
    assert_eq!(
        json,
        r#"{"zone":"America/New_York","workdays":"mon,tue,wed,thu,fri","hours":"09:00-17:30","holidays":["2026-07-03","2026-12-25"]}"#
    );
    assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), cal);

    let mut odd = Calendar::new(Zone::known("Asia/Kolkata"));
    odd.workdays = "sun,mon,tue,wed,thu".parse().unwrap();
    odd.hours = "8:00-14:15".parse().unwrap();
    let back: Calendar = serde_json::from_str(&serde_json::to_string(&odd).unwrap()).unwrap();
    assert_eq!(back, odd);
}

#[test]
fn calendar_deserializes_defaults_and_lists() {
    let cal: Calendar = serde_json::from_str(r#"{"zone":"Europe/London"}"#).unwrap();
    assert_eq!(cal, london());
    let cal: Calendar = serde_json::from_str(r#"{"zone":"Europe/London","workdays":["Sat","sunday"]}"#).unwrap();
    assert_eq!(cal.workdays.to_string(), "sat,sun");
}

#[test]
fn calendar_deserialization_refuses_bad_parts_with_the_fix() {
    let err = |json: &str| serde_json::from_str::<Calendar>(json).unwrap_err().to_string();
    assert!(err(r#"{"zone":"Europe/Lodnon"}"#).starts_with("unknown time zone \"Europe/Lodnon\": use an IANA name"));
    assert!(err(r#"{"zone":"UTC","workdays":""}"#).starts_with("no working days given"));
    assert!(err(r#"{"zone":"UTC","workdays":[]}"#).starts_with("no working days given"));
    assert!(err(r#"{"zone":"UTC","workdays":["mon","xyz"]}"#).starts_with("working days \"xyz\" not understood"));
    assert!(err(r#"{"zone":"UTC","hours":"17:00-09:00"}"#)
        .starts_with("working hours \"17:00-09:00\" end before they start"));
    assert!(err(r#"{"zone":"UTC","workdays":5}"#).contains("working days like"));
}

#[test]
fn workdays_and_hours_round_trip_through_json() {
    let days: WorkDays = "fri,sat,sun".parse().unwrap();
    let json = serde_json::to_string(&days).unwrap();
    assert_eq!(json, r#""fri,sat,sun""#);
    assert_eq!(serde_json::from_str::<WorkDays>(&json).unwrap(), days);
    let hours: WorkingHours = "07:45-16:00".parse().unwrap();
    let json = serde_json::to_string(&hours).unwrap();
    assert_eq!(json, r#""07:45-16:00""#);
    assert_eq!(serde_json::from_str::<WorkingHours>(&json).unwrap(), hours);
}

// --- properties ---

const ZONES: [&str; 5] = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"];

/// 2025-01-01T00:00:00Z and the length of 2025-2027, in seconds.
const START_2025: i64 = 1_735_689_600;
const THREE_YEARS: i64 = 1_096 * 86_400;

/// The working days whose bits are set in `bits` (bit 0 is Monday); `bits` is not 0.
fn days_of(bits: u8) -> WorkDays {
    WorkDays::from_days(WEEK.into_iter().filter(|d| bits & day_bit(*d) != 0)).unwrap()
}

fn arb_calendar() -> impl Strategy<Value = Calendar> {
    (
        0..ZONES.len(),
        1u8..128,
        (0u32..24 * 60 - 1).prop_flat_map(|s| (Just(s), s + 1..24 * 60)),
        proptest::collection::vec(0i64..1_096, 0..6),
    )
        .prop_map(|(zone, bits, (start, end), holidays)| {
            let minute = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
            let first = date("2025-01-01");
            Calendar {
                zone: Zone::known(ZONES[zone]),
                workdays: days_of(bits),
                hours: WorkingHours::new(minute(start), minute(end)).unwrap(),
                holidays: holidays.into_iter().map(|d| first + Duration::days(d)).collect(),
            }
        })
}

fn arb_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0..THREE_YEARS).prop_map(|s| DateTime::from_timestamp(START_2025 + s, 0).unwrap())
}

proptest! {
    #[test]
    fn add_business_then_measure_gives_the_amount(
        cal in arb_calendar(),
        from in arb_instant(),
        fraction in 0u32..=5_000,
    ) {
        let day = cal.one_business_day().num_seconds();
        let amount = Duration::seconds(day * i64::from(fraction) / 1_000);
        let t = cal.add_business(from, amount);
        prop_assert!(t >= from);
        prop_assert_eq!(cal.business_duration(from, t), amount);
        if amount > Duration::zero() {
            // Nothing earlier will do.
            let earlier = t - Duration::nanoseconds(1);
            prop_assert!(cal.business_duration(from, earlier) < amount);
        } else {
            prop_assert_eq!(t, from);
        }
    }

    #[test]
    fn business_duration_is_additive_bounded_and_monotone(
        cal in arb_calendar(),
        mut instants in proptest::collection::vec(arb_instant(), 3),
    ) {
        instants.sort();
        let (a, b, c) = (instants[0], instants[1], instants[2]);
        let (ab, bc, ac) = (
            cal.business_duration(a, b),
            cal.business_duration(b, c),
            cal.business_duration(a, c),
        );
        prop_assert_eq!(ac, ab + bc);
        prop_assert!(ab >= Duration::zero() && ab <= b - a);
        prop_assert!(ac <= c - a);
        prop_assert!(ab <= ac && bc <= ac);
        prop_assert_eq!(cal.business_duration(c, a), Duration::zero());
    }

    #[test]
    fn short_spans_are_additive_too(
        cal in arb_calendar(),
        a in arb_instant(),
        gaps in (0i64..4 * 86_400, 0i64..4 * 86_400),
    ) {
        let b = a + Duration::seconds(gaps.0);
        let c = b + Duration::seconds(gaps.1);
        prop_assert_eq!(
            cal.business_duration(a, c),
            cal.business_duration(a, b) + cal.business_duration(b, c)
        );
        prop_assert!(cal.business_duration(a, b) <= b - a);
    }

    #[test]
    fn working_days_parse_back_from_display(bits in 1u8..128) {
        let days = days_of(bits);
        prop_assert_eq!(days.to_string().parse::<WorkDays>().unwrap(), days);
        let json = serde_json::to_string(&days).unwrap();
        prop_assert_eq!(serde_json::from_str::<WorkDays>(&json).unwrap(), days);
    }
}

/// The zones the week count is checked in: with and without summer time, north and south, half
/// hours, and a zone whose rules changed (Samoa skipped a day in 2011).
const WEEK_ZONES: [&str; 8] = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Apia",
    "America/Sao_Paulo",
    // West of UTC with its change late in the local evening: the day before the UTC date of
    // the change is the one whose hours are cut.
    "America/Nuuk",
];

/// A calendar in one of [`WEEK_ZONES`] working the days of `bits` between two minutes of the day
/// (hours that may take in a clock change's gap or repeat), with holidays counted in days from
/// `from`'s local date.
fn week_test_calendar(
    zone: usize,
    bits: u8,
    (start, end): (u32, u32),
    from: DateTime<Utc>,
    holidays: Vec<i64>,
) -> Calendar {
    let mut cal = Calendar::new(Zone::known(WEEK_ZONES[zone]));
    cal.workdays = days_of(bits);
    let minute = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
    cal.hours = WorkingHours::new(minute(start), minute(end)).unwrap();
    for h in holidays {
        cal.holidays.insert(cal.local_date(from) + Duration::days(h));
    }
    cal
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Counting whole weeks at once gives exactly what walking every day gives, over spans of
    /// up to ten years from 1970 to 2100, with holidays, in zones with every kind of clock change.
    #[test]
    fn whole_weeks_count_the_same_as_walking_every_day(
        zone in 0..WEEK_ZONES.len(),
        start in 0i64..(130 * 365 * 24 * 60),
        length in 0i64..(10 * 365 * 24 * 60),
        holidays in proptest::collection::vec(0i64..3650, 0..20),
        bits in 1u8..128,
        (start_minute, end_minute) in (0u32..24 * 60 - 1).prop_flat_map(|s| (Just(s), s + 1..24 * 60)),
    ) {
        let from = DateTime::UNIX_EPOCH + Duration::minutes(start);
        let to = from + Duration::minutes(length);
        let cal = week_test_calendar(zone, bits, (start_minute, end_minute), from, holidays);
        prop_assert_eq!(cal.business_duration(from, to), duration_of_nanos(cal.walked_nanos(from, to)));
    }

    /// Adding up to ten years of business time, whole plain weeks skipped at once, lands on the
    /// earliest instant that holds exactly that much, in every kind of zone, with holidays.
    #[test]
    fn adding_years_of_business_time_lands_where_the_count_says(
        zone in 0..WEEK_ZONES.len(),
        start in 0i64..(130 * 365 * 24 * 60),
        minutes in 0i64..(10 * 52 * 5 * 510),
        holidays in proptest::collection::vec(0i64..3650, 0..20),
        bits in 1u8..128,
        (start_minute, end_minute) in (0u32..24 * 60 - 1).prop_flat_map(|s| (Just(s), s + 1..24 * 60)),
    ) {
        let from = DateTime::UNIX_EPOCH + Duration::minutes(start);
        let cal = week_test_calendar(zone, bits, (start_minute, end_minute), from, holidays);
        let amount = Duration::minutes(minutes) + Duration::seconds(17);
        let t = cal.add_business(from, amount);
        prop_assert_eq!(duration_of_nanos(cal.walked_nanos(from, t)), amount);
        prop_assert!(duration_of_nanos(cal.walked_nanos(from, t - Duration::nanoseconds(1))) < amount);
    }
}

/// Every day worked, round the clock: every clock change of every test zone from 1970 to 2100
/// falls inside working hours, and the week count must still agree with the walk.
#[test]
fn round_the_clock_hours_count_every_clock_change_as_the_walk_does() {
    for zone in WEEK_ZONES.map(Zone::known) {
        let mut cal = Calendar::new(zone);
        cal.workdays = days_of(127);
        cal.hours = WorkingHours::new(NaiveTime::MIN, NaiveTime::from_hms_opt(23, 59, 0).unwrap()).unwrap();
        let from = DateTime::from_timestamp(0, 0).unwrap();
        let to = DateTime::from_timestamp(4_102_444_800, 0).unwrap(); // 2100-01-01
        assert_eq!(cal.business_duration(from, to), duration_of_nanos(cal.walked_nanos(from, to)), "{zone}");
        let amount = cal.business_duration(from, to) - Duration::minutes(1);
        let t = cal.add_business(from, amount);
        assert_eq!(duration_of_nanos(cal.walked_nanos(from, t)), amount, "{zone}");
    }
}

#[test]
fn adding_business_time_next_to_chronos_last_date_saturates_rather_than_panics() {
    let cal = london();
    let near_the_end = DateTime::<Utc>::MAX_UTC - Duration::days(1);
    assert!(cal.add_business(near_the_end, Duration::hours(1)) >= near_the_end);
    let monday = Utc.with_ymd_and_hms(262_142, 12, 17, 12, 0, 0).unwrap();
    assert!(cal.add_business(monday, Duration::hours(40)) > monday);
}

#[test]
fn fifty_years_of_business_time_are_counted_a_week_at_a_time() {
    let cal = london();
    let (from, to) = (at(&cal, "1976-01-05 09:00"), at(&cal, "2026-01-05 09:00"));
    // 50 years of Monday-to-Friday 8.5-hour days, less the days the walk finds otherwise.
    let walked = duration_of_nanos(cal.walked_nanos(from, to));
    assert_eq!(cal.business_duration(from, to), walked);
    let weeks = (to - from).num_days() / 7;
    assert_eq!(walked, Duration::minutes(weeks * 5 * 510));
}
