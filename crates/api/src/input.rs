//! Reading what people type: times (`--at`), dates, and references to people, deals and tasks
//! by id, unique id prefix, or unique name or title.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use handoff_domain::calendar::Calendar;
use handoff_domain::directory::{Directory, Person};
use handoff_domain::ids::{DealId, PersonId, TaskId};
use handoff_store::query;
use handoff_store::Connection;

use crate::{ApiError, ErrorCode};

/// How far in the future an `--at` may be (clocks drift between laptops).
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

/// The shortest id prefix accepted in place of a whole id.
pub const MIN_ID_PREFIX: usize = 6;

/// The earliest time Handoff keeps: nothing an agency hands off happened before 1970.
pub const EARLIEST_TIME: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// Reads a time: RFC 3339, or `YYYY-MM-DD HH:MM` (or `HH:MM:SS`, or with a `T`) in the agency zone.
/// Refused before 1970 or past the year 9999, which the log could not keep and read back; kept to
/// the microsecond, as the log keeps it, so a rule checked now reads the same when the log folds.
pub fn parse_time(text: &str, cal: &Calendar) -> Result<DateTime<Utc>, ApiError> {
    let t = text.trim();
    let in_range = |time: Option<DateTime<Utc>>| {
        time.map(|time| time.trunc_subsecs(6)).filter(|time| *time >= EARLIEST_TIME && time.year() <= 9999).ok_or_else(
            || {
                ApiError::invalid(format!(
                    "the time {text} is out of range: Handoff keeps times from 1970 to the year 9999; check the year"
                ))
            },
        )
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return in_range(Some(dt.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(t, format) {
            return in_range((1970..=9999).contains(&local.year()).then(|| cal.to_utc(local)));
        }
    }
    Err(ApiError::invalid(format!(
        "\"{text}\" is not a time: write it as YYYY-MM-DD HH:MM in the agency's time zone ({}), or as RFC 3339 like 2026-03-03T14:00:00Z",
        cal.zone.name()
    )))
}

/// The time an action happened: `--at` if given (refused more than five minutes ahead), else now.
pub fn action_time(at: Option<&str>, cal: &Calendar, now: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    let Some(text) = at else { return Ok(now) };
    let t = parse_time(text, cal)?;
    if t > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Err(ApiError::new(
            ErrorCode::FutureTime,
            format!(
                "the time {text} is in the future (now is {}): an action is recorded when it really happened, at most {FUTURE_TOLERANCE_MINUTES} minutes ahead",
                cal.local_datetime(now).format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    Ok(t)
}

/// Reads a date `YYYY-MM-DD`.
/// Reads an optional range of local dates, `from` to `to` inclusive, refused when backwards.
pub fn date_range(from: Option<&str>, to: Option<&str>) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
    let from = from.map(|d| parse_date(d, "the start of the range")).transpose()?;
    let to = to.map(|d| parse_date(d, "the end of the range")).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::invalid(format!("the range ends ({t}) before it starts ({f}): give it in order")));
        }
    }
    Ok((from, to))
}

pub fn parse_date(text: &str, what: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(format!("{what} \"{text}\" is not a date: write it as YYYY-MM-DD, like 2026-03-03"))
    })
}

/// Reads a trip start: a date `YYYY-MM-DD`, or a local date-time `YYYY-MM-DD HH:MM`.
pub fn parse_trip_start(text: &str) -> Result<(NaiveDate, Option<chrono::NaiveTime>), ApiError> {
    let t = text.trim();
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, format) {
            return Ok((dt.date(), Some(dt.time())));
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map(|d| (d, None)).map_err(|_| {
        ApiError::invalid(format!(
            "the trip start \"{text}\" is not a date: write YYYY-MM-DD, or YYYY-MM-DD HH:MM when the time is known"
        ))
    })
}

/// Finds a person by id, unique name, unique start of a name ("Fay" for "Fay Okafor"), or unique
/// id prefix.
pub fn person<'a>(dir: &'a Directory, text: &str) -> Result<&'a Person, ApiError> {
    let t = text.trim();
    if let Ok(id) = t.parse::<PersonId>() {
        if let Some(p) = dir.person(id) {
            return Ok(p);
        }
    }
    let named = dir.people_named(t);
    match named.len() {
        1 => return Ok(named[0]),
        0 => {}
        _ => {
            let ids: Vec<String> = named.iter().map(|p| format!("{} ({})", p.id, p.dept)).collect();
            return Err(ApiError::new(
                ErrorCode::Ambiguous,
                format!("more than one person is named \"{t}\": use an id instead — {}", ids.join(", ")),
            ));
        }
    }
    let wanted = handoff_domain::directory::composed(t).to_lowercase();
    let starting: Vec<&Person> = if wanted.is_empty() {
        Vec::new()
    } else {
        dir.people.iter().filter(|p| p.name.to_lowercase().starts_with(&wanted)).collect()
    };
    match starting.len() {
        1 => return Ok(starting[0]),
        0 => {}
        _ => {
            let names: Vec<&str> = starting.iter().map(|p| p.name.as_str()).collect();
            return Err(ApiError::new(
                ErrorCode::Ambiguous,
                format!("\"{t}\" could be {}: give more of the name", names.join(" or ")),
            ));
        }
    }
    if t.len() >= MIN_ID_PREFIX {
        let prefixed: Vec<&Person> =
            dir.people.iter().filter(|p| p.id.to_string().starts_with(&t.to_ascii_lowercase())).collect();
        if prefixed.len() == 1 {
            return Ok(prefixed[0]);
        }
    }
    Err(ApiError::new(
        ErrorCode::NotFound,
        format!("no person \"{t}\": check the spelling against the agency's people"),
    ))
}

/// Finds a deal by id, unique id prefix, or unique title.
pub fn deal(conn: &Connection, text: &str) -> Result<DealId, ApiError> {
    let t = text.trim();
    if let Ok(id) = t.parse::<DealId>() {
        if query::deal(conn, id)?.is_some() {
            return Ok(id);
        }
    }
    let titled = query::deals_titled(conn, &handoff_domain::directory::composed(t))?;
    match titled.len() {
        1 => return Ok(titled[0].id),
        0 => {}
        _ => {
            let ids: Vec<String> = titled.iter().map(|d| d.id.to_string()).collect();
            return Err(ApiError::new(
                ErrorCode::Ambiguous,
                format!("more than one deal is titled \"{t}\": use an id instead — {}", ids.join(", ")),
            ));
        }
    }
    if t.len() >= MIN_ID_PREFIX {
        let prefixed = query::deals_with_id_prefix(conn, t)?;
        if prefixed.len() == 1 {
            return Ok(prefixed[0].id);
        }
    }
    Err(ApiError::new(ErrorCode::NotFound, format!("no deal \"{t}\": check the title against the list of deals")))
}

/// Finds a traveller of a deal by id, unique name, or unique start of a name.
pub fn traveller(deal: &handoff_domain::deal::Deal, text: &str) -> Result<handoff_domain::ids::TravellerId, ApiError> {
    let t = text.trim();
    if let Some(found) = deal.travellers.iter().find(|x| x.id.to_string() == t.to_ascii_lowercase()) {
        return Ok(found.id);
    }
    let wanted = t.to_lowercase();
    let exact: Vec<_> = deal.travellers.iter().filter(|x| x.name.trim().to_lowercase() == wanted).collect();
    let starting: Vec<_> = deal.travellers.iter().filter(|x| x.name.to_lowercase().starts_with(&wanted)).collect();
    let found = if exact.len() == 1 { exact } else { starting };
    match found.len() {
        1 => Ok(found[0].id),
        0 => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("deal \"{}\" has no traveller \"{t}\": check the name against its travellers", deal.title),
        )),
        _ => Err(ApiError::new(
            ErrorCode::Ambiguous,
            format!(
                "\"{t}\" could be {}: give more of the name",
                found.iter().map(|x| x.name.as_str()).collect::<Vec<_>>().join(" or ")
            ),
        )),
    }
}

/// Finds an itinerary item of a deal by id or unique id prefix.
pub fn item(deal: &handoff_domain::deal::Deal, text: &str) -> Result<handoff_domain::ids::ItemId, ApiError> {
    let t = text.trim().to_ascii_lowercase();
    let found: Vec<_> = deal.itinerary.iter().filter(|i| !t.is_empty() && i.id.to_string().starts_with(&t)).collect();
    match found.len() {
        1 => Ok(found[0].id),
        0 => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("deal \"{}\" has no itinerary item \"{text}\": check it against its itinerary", deal.title),
        )),
        _ => Err(ApiError::new(
            ErrorCode::Ambiguous,
            format!("\"{text}\" matches more than one item: give more of its id"),
        )),
    }
}

/// Finds a task by id or unique id prefix, or by a deal that has exactly one open task.
pub fn task(conn: &Connection, text: &str) -> Result<(TaskId, DealId), ApiError> {
    let t = text.trim();
    if t.len() >= MIN_ID_PREFIX {
        let found = query::tasks_with_id_prefix(conn, t)?;
        if found.len() == 1 {
            return Ok(found[0]);
        }
    }
    if let Ok(deal) = deal(conn, t) {
        let state = query::deal(conn, deal)?;
        let open: Vec<_> = state.iter().flat_map(|d| &d.tasks).filter(|t| t.done_at.is_none()).collect();
        match open.len() {
            1 => return Ok((open[0].id, deal)),
            0 => {
                return Err(ApiError::new(ErrorCode::NotFound, format!("deal \"{t}\" has no open task")));
            }
            _ => {
                return Err(ApiError::new(
                    ErrorCode::Ambiguous,
                    format!("deal \"{t}\" has {} open tasks: name one by its id", open.len()),
                ));
            }
        }
    }
    Err(ApiError::new(ErrorCode::NotFound, format!("no task \"{t}\": name a task by its id or its deal")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn london() -> Calendar {
        Calendar::new(handoff_domain::zone::Zone::known("Europe/London"))
    }

    #[test]
    fn reads_local_and_rfc3339_times() {
        let cal = london();
        // Summer time: local 14:00 is 13:00 UTC.
        let t = parse_time("2026-07-01 14:00", &cal).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 7, 1, 13, 0, 0).unwrap());
        assert_eq!(
            parse_time("2026-07-01T14:00:00+02:00", &cal).unwrap(),
            Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap()
        );
        let err = parse_time("tomorrow", &cal).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("YYYY-MM-DD HH:MM in the agency's time zone (Europe/London)"), "{}", err.message);
    }

    #[test]
    fn times_before_1970_or_past_9999_are_refused() {
        let cal = london();
        for text in ["0000-01-01T00:00:00+01:00", "1900-01-01 10:00", "1969-12-31T23:59:59Z"] {
            let err = parse_time(text, &cal).unwrap_err();
            assert!(err.message.contains("from 1970 to the year 9999"), "{text}: {}", err.message);
        }
        // Local midnight of 1 January 1970 in a zone ahead of UTC is still 1969 in UTC.
        let paris = Calendar::new(handoff_domain::zone::Zone::known("Europe/Paris"));
        assert!(parse_time("1970-01-01 00:30", &paris).is_err());
        assert_eq!(parse_time("1970-01-01T00:00:00Z", &cal).unwrap(), EARLIEST_TIME);
    }

    #[test]
    fn refuses_an_at_more_than_five_minutes_ahead() {
        let cal = london();
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
        assert_eq!(action_time(Some("2026-03-03 10:05"), &cal, now).unwrap(), now + Duration::minutes(5));
        let err = action_time(Some("2026-03-03 10:06"), &cal, now).unwrap_err();
        assert_eq!(err.code, ErrorCode::FutureTime);
        assert_eq!(action_time(None, &cal, now).unwrap(), now);
    }

    #[test]
    fn reads_dates_or_says_how() {
        assert!(parse_date("2026-02-30", "--from").unwrap_err().message.contains("YYYY-MM-DD"));
        assert_eq!(parse_date(" 2026-02-28 ", "--from").unwrap(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
    }
}
