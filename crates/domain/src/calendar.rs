//! The agency calendar and business-time arithmetic.
//!
//! A [`Calendar`] is what an agency works by: an IANA time zone, the days of the week it works
//! ([`WorkDays`], never empty), one span of working hours that is the same on every working day
//! ([`WorkingHours`], start before end, no overnight shifts) and a set of holidays (local dates).
//!
//! # The counting rule
//!
//! Business time is counted the way service-desk SLA calendars count it: only the instants inside
//! working hours, on working days that are not holidays, count. **One business day** is the length
//! of one working day (`hours.end - hours.start`, 8.5 hours for the default 09:00-17:30), so with
//! the default calendar a deal closed on Friday at 16:00 is inside one business day until Monday at
//! 16:00 (1.5 h on Friday and 7 h on Monday), and one closed on Wednesday at 20:00 until Thursday
//! at 17:30. A holiday on that Monday moves the first deadline to Tuesday at 16:00.
//!
//! Working hours are local wall-clock times. Each working day's span is turned into UTC through the
//! zone (chrono-tz, never a fixed offset), so daylight saving moves the spans with the clocks. A
//! span that straddles a clock change is as long in real time as the clocks let it be: a local time
//! that does not exist (a spring-forward gap) stands for the first instant after the gap, and one
//! that happens twice (an autumn fall-back) for the earlier of the two.
//!
//! Everything here is pure: no clock is read, every instant is passed in. The arithmetic walks the
//! span day by day without allocating.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Utc,
    Weekday,
};
use chrono_tz::{GapInfo, Tz};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Why a piece of calendar configuration was refused. Each message says what is wrong and how to
/// put it right; callers show it as it is.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum CalendarError {
    /// The time zone is not an IANA name chrono-tz knows.
    #[error("unknown time zone \"{0}\": use an IANA name like Europe/London or America/New_York")]
    UnknownZone(String),
    /// A working-day list holds something that is not a day name.
    #[error(
        "working days \"{0}\" not understood: use three-letter day names separated by commas, like mon,tue,wed,thu,fri"
    )]
    BadWorkDays(String),
    /// A working-day list names no day at all.
    #[error("no working days given: name at least one day, like mon,tue,wed,thu,fri")]
    NoWorkDays,
    /// Working hours that are not `HH:MM-HH:MM`.
    #[error("working hours \"{0}\" not understood: give them as HH:MM-HH:MM, like 09:00-17:30")]
    BadHours(String),
    /// Working hours whose end is before their start (overnight shifts are not supported).
    #[error("working hours \"{0}\" end before they start: give them as HH:MM-HH:MM with the end later than the start on the same day, like 09:00-17:30")]
    HoursEndBeforeStart(String),
    /// Working hours that start and end at the same time.
    #[error("working hours \"{0}\" start and end at the same time: give them as HH:MM-HH:MM with the end later than the start, like 09:00-17:30")]
    EmptyHours(String),
}

/// Parses an IANA time-zone name such as `Europe/London` (surrounding whitespace is ignored).
pub fn parse_zone(s: &str) -> Result<Tz, CalendarError> {
    let name = s.trim();
    name.parse::<Tz>().map_err(|_| CalendarError::UnknownZone(name.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Working days
// ---------------------------------------------------------------------------------------------

/// The days of the week in week order, Monday first.
const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// Short and full lower-case names, in week order.
const DAY_NAMES: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

const fn day_bit(d: Weekday) -> u8 {
    1 << d.num_days_from_monday()
}

fn day_from_name(name: &str) -> Option<Weekday> {
    let name = name.trim();
    DAY_NAMES
        .iter()
        .position(|(short, full)| name.eq_ignore_ascii_case(short) || name.eq_ignore_ascii_case(full))
        .map(|i| WEEK[i])
}

/// The days of the week an agency works: a set of weekdays that is never empty, so that there is
/// always business time ahead. Written as `mon,tue,wed,thu,fri` (week order, three-letter names).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkDays(u8); // bit n is set for the day n days after Monday; never 0

impl WorkDays {
    /// The set of the given days (duplicates are fine); an empty set is refused.
    pub fn from_days<I: IntoIterator<Item = Weekday>>(days: I) -> Result<Self, CalendarError> {
        let bits = days.into_iter().fold(0u8, |bits, d| bits | day_bit(d));
        if bits == 0 {
            Err(CalendarError::NoWorkDays)
        } else {
            Ok(WorkDays(bits))
        }
    }

    /// Whether `d` is a working day of the week.
    pub fn contains(&self, d: Weekday) -> bool {
        self.0 & day_bit(d) != 0
    }

    /// The working days in week order, Monday first.
    pub fn iter(&self) -> impl Iterator<Item = Weekday> {
        let bits = self.0;
        WEEK.into_iter().filter(move |d| bits & day_bit(*d) != 0)
    }
}

impl Default for WorkDays {
    /// Monday to Friday.
    fn default() -> Self {
        WorkDays(0b001_1111)
    }
}

impl FromStr for WorkDays {
    type Err = CalendarError;

    /// Comma-separated day names, three-letter or full, in any case and order, with any
    /// whitespace: `"mon,tue,wed,thu,fri"`, `"Monday, Wednesday"`. Duplicates are fine.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bits = 0u8;
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match day_from_name(word) {
                Some(d) => bits |= day_bit(d),
                None => return Err(CalendarError::BadWorkDays(s.trim().to_string())),
            }
        }
        if bits == 0 {
            Err(CalendarError::NoWorkDays)
        } else {
            Ok(WorkDays(bits))
        }
    }
}

impl fmt::Display for WorkDays {
    /// `mon,tue,wed,thu,fri`: three-letter names in week order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(DAY_NAMES[d.num_days_from_monday() as usize].0)?;
        }
        Ok(())
    }
}

impl fmt::Debug for WorkDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WorkDays({self})")
    }
}

impl Serialize for WorkDays {
    /// As its [`Display`](fmt::Display) string, `"mon,tue,wed,thu,fri"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkDays {
    /// From a string like `"mon,tue,wed,thu,fri"` or a list like `["mon", "tue"]`; an empty set
    /// is refused.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WorkDaysVisitor;

        impl<'de> Visitor<'de> for WorkDaysVisitor {
            type Value = WorkDays;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("working days like \"mon,tue,wed,thu,fri\" or [\"mon\", \"tue\"]")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<WorkDays, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WorkDays, A::Error> {
                let mut bits = 0u8;
                while let Some(name) = seq.next_element::<String>()? {
                    match day_from_name(&name) {
                        Some(d) => bits |= day_bit(d),
                        None => {
                            return Err(de::Error::custom(CalendarError::BadWorkDays(name)));
                        }
                    }
                }
                if bits == 0 {
                    Err(de::Error::custom(CalendarError::NoWorkDays))
                } else {
                    Ok(WorkDays(bits))
                }
            }
        }

        deserializer.deserialize_any(WorkDaysVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Working hours
// ---------------------------------------------------------------------------------------------

/// The one span of local wall-clock time worked on every working day, `start` before `end` on the
/// same day. Written as `09:00-17:30`.
///
/// The fields are public for reading; build one with [`WorkingHours::new`] or by parsing, which
/// check that it ends after it starts. Hours that do not (only possible by setting the fields
/// directly) hold no business time at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WorkingHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl WorkingHours {
    /// Hours from `start` to `end`, refused unless `end` is after `start`.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, CalendarError> {
        let hours = WorkingHours { start, end };
        if end > start {
            Ok(hours)
        } else if end == start {
            Err(CalendarError::EmptyHours(hours.to_string()))
        } else {
            Err(CalendarError::HoursEndBeforeStart(hours.to_string()))
        }
    }

    /// Whether the hours end after they start.
    pub fn is_valid(&self) -> bool {
        self.end > self.start
    }
}

impl Default for WorkingHours {
    /// 09:00-17:30.
    fn default() -> Self {
        WorkingHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
        }
    }
}

/// Parses `H:MM`, `HH:MM` or `HH:MM:SS[.fraction]` (24-hour clock).
fn parse_clock(s: &str) -> Option<NaiveTime> {
    fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
        if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }
    let mut parts = s.split(':');
    let hour = digits(parts.next()?, 1, 2)?;
    let minute = digits(parts.next()?, 2, 2)?;
    let (second, nano) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let second = digits(whole, 2, 2)?;
            let nano = if sec.contains('.') {
                let n = digits(frac, 1, 9)?;
                n * 10u32.pow(9 - frac.len() as u32)
            } else {
                0
            };
            (second, nano)
        }
    };
    if parts.next().is_some() || second > 59 {
        return None;
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nano)
}

fn write_clock(f: &mut fmt::Formatter<'_>, t: NaiveTime) -> fmt::Result {
    write!(f, "{:02}:{:02}", t.hour(), t.minute())?;
    if t.second() != 0 || t.nanosecond() != 0 {
        write!(f, ":{:02}", t.second())?;
    }
    if t.nanosecond() != 0 {
        let frac = format!("{:09}", t.nanosecond());
        write!(f, ".{}", frac.trim_end_matches('0'))?;
    }
    Ok(())
}

impl FromStr for WorkingHours {
    type Err = CalendarError;

    /// `"09:00-17:30"`; single-digit hours (`"9:00-17:30"`) and spaces around the parts are
    /// fine. The end must be after the start.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let input = s.trim();
        let bad = || CalendarError::BadHours(input.to_string());
        let (start, end) = input.split_once('-').ok_or_else(bad)?;
        let start = parse_clock(start.trim()).ok_or_else(bad)?;
        let end = parse_clock(end.trim()).ok_or_else(bad)?;
        WorkingHours::new(start, end).map_err(|e| match e {
            CalendarError::EmptyHours(_) => CalendarError::EmptyHours(input.to_string()),
            _ => CalendarError::HoursEndBeforeStart(input.to_string()),
        })
    }
}

impl fmt::Display for WorkingHours {
    /// `09:00-17:30` (seconds are shown only when there are some).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_clock(f, self.start)?;
        f.write_str("-")?;
        write_clock(f, self.end)
    }
}

impl Serialize for WorkingHours {
    /// As its [`Display`](fmt::Display) string, `"09:00-17:30"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkingHours {
    /// From a string like `"09:00-17:30"`, checked as [`FromStr`] checks it.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// The calendar
// ---------------------------------------------------------------------------------------------

/// An agency's calendar: its time zone, working days, working hours and holidays.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// The agency's IANA time zone, serialized as its name (`"Europe/London"`).
    #[serde(deserialize_with = "deserialize_zone")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub zone: Tz,
    /// The days of the week worked (Monday to Friday when missing).
    #[cfg_attr(feature = "specta", specta(type = String))]
    #[serde(default)]
    pub workdays: WorkDays,
    /// The hours worked on each working day (09:00-17:30 when missing).
    #[cfg_attr(feature = "specta", specta(type = String))]
    #[serde(default)]
    pub hours: WorkingHours,
    /// Local dates on which nobody works, whatever the day of the week.
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
}

fn deserialize_zone<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Tz, D::Error> {
    let s = String::deserialize(deserializer)?;
    parse_zone(&s).map_err(de::Error::custom)
}

impl Calendar {
    /// A calendar in `zone` working Monday to Friday, 09:00-17:30, with no holidays.
    pub fn new(zone: Tz) -> Self {
        Calendar { zone, workdays: WorkDays::default(), hours: WorkingHours::default(), holidays: BTreeSet::new() }
    }

    /// The length of one business day: the length of the working hours (zero for hours that do
    /// not end after they start).
    pub fn one_business_day(&self) -> Duration {
        (self.hours.end - self.hours.start).max(Duration::zero())
    }

    /// The local date of instant `t` in the agency's zone.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        self.local_datetime(t).date()
    }

    /// The local wall-clock time of instant `t` in the agency's zone.
    pub fn local_datetime(&self, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.zone).naive_local()
    }

    /// The instant at which the agency's clocks show `local`. A local time skipped by a
    /// spring-forward gap gives the first instant after the gap; one shown twice by a fall-back
    /// gives the earlier instant.
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        from_nanos(self.utc_nanos(local))
    }

    /// [`Calendar::to_utc`] as nanoseconds since the Unix epoch, the form the walks count in.
    fn utc_nanos(&self, local: NaiveDateTime) -> i128 {
        let local_nanos = naive_nanos(local);
        let offset_nanos = |offset: &chrono_tz::TzOffset| i128::from(offset.fix().local_minus_utc()) * NANOS_PER_SEC;
        match self.zone.offset_from_local_datetime(&local) {
            LocalResult::Single(offset) => local_nanos - offset_nanos(&offset),
            // The earlier instant is the one read with the larger offset.
            LocalResult::Ambiguous(a, b) => local_nanos - offset_nanos(&a).max(offset_nanos(&b)),
            LocalResult::None => self.after_gap(local),
        }
    }

    /// The first instant after the gap that swallowed `local`, in nanoseconds since the epoch.
    fn after_gap(&self, local: NaiveDateTime) -> i128 {
        let gap = GapInfo::new(&local, &self.zone);
        if let Some(end) = gap.as_ref().and_then(|g| g.end) {
            return utc_nanos_of(end.with_timezone(&Utc));
        }
        // The gap begins at the transition instant, shown in the offset before it.
        if let Some((begin, offset)) = gap.and_then(|g| g.begin) {
            return naive_nanos(begin) - i128::from(offset.fix().local_minus_utc()) * NANOS_PER_SEC;
        }
        // Not reachable with chrono-tz's data; read `local` in the offset in force around it.
        let offset = self.zone.offset_from_utc_datetime(&local).fix();
        naive_nanos(local) - i128::from(offset.local_minus_utc()) * NANOS_PER_SEC
    }

    /// Whether `date` is worked: a working day of the week and not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.workdays.contains(date.weekday()) && !self.holidays.contains(&date)
    }

    /// The instants worked on local `date`, as a half-open UTC span `[start, end)`; `None` when
    /// the date is not a working day or no instant of its hours exists (the whole span fell
    /// into a clock change).
    pub fn working_span(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(date) {
            return None;
        }
        self.span_nanos(date).map(|(start, end)| (from_nanos(start), from_nanos(end)))
    }

    /// The working span of `date` in nanoseconds, assuming it is a working day.
    fn span_nanos(&self, date: NaiveDate) -> Option<(i128, i128)> {
        if !self.hours.is_valid() {
            return None;
        }
        let start = self.utc_nanos(date.and_time(self.hours.start));
        let end = self.utc_nanos(date.and_time(self.hours.end));
        (end > start).then_some((start, end))
    }

    /// Walks the local dates from `first` on, with their working spans.
    fn walk(&self, first: NaiveDate) -> DayWalk<'_> {
        DayWalk {
            calendar: self,
            day: Some(first),
            weekday: first.weekday(),
            holidays: self.holidays.range(first..).peekable(),
        }
    }

    /// The business time between `from` and `to`: the length of the part of `[from, to)` that
    /// falls inside working spans. Zero when `to <= from`.
    pub fn business_duration(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let (from_ns, to_ns) = (utc_nanos_of(from), utc_nanos_of(to));
        // A working span lies within its own local date or, at worst, spills into the next one;
        // a day before and a day after cover clock changes around midnight.
        let first = self.local_date(from);
        let last = self.local_date(to);
        let last = last.succ_opt().unwrap_or(last);
        let mut total: i128 = 0;
        for (day, span) in self.walk(first.pred_opt().unwrap_or(first)) {
            if let Some((start, end)) = span {
                if start >= to_ns {
                    break;
                }
                let (a, b) = (start.max(from_ns), end.min(to_ns));
                if b > a {
                    total += b - a;
                }
            }
            if day >= last {
                break;
            }
        }
        duration_of_nanos(total)
    }

    /// The earliest instant `t >= from` with `business_duration(from, t) == amount`: `from`
    /// itself when `amount` is zero or negative, and otherwise an instant inside (or at the end
    /// of) a working span. Saturates at [`DateTime::MAX_UTC`] past the end of chrono's dates.
    ///
    /// # Panics
    ///
    /// When `amount` is positive and the calendar holds no business time at all, which takes
    /// working hours that do not end after they start (hours built by setting the fields
    /// directly; parsing and [`WorkingHours::new`] refuse them). Any other calendar has business
    /// time every week once its last holiday is past, because [`WorkDays`] is never empty, so
    /// the walk always ends.
    pub fn add_business(&self, from: DateTime<Utc>, amount: Duration) -> DateTime<Utc> {
        if amount <= Duration::zero() {
            return from;
        }
        let from_ns = utc_nanos_of(from);
        let mut remaining = nanos_of_duration(amount);
        let last_holiday = self.holidays.last().copied();
        let first = self.local_date(from);
        // Days walked past the last holiday without finding any business time. A valid calendar
        // finds some within every week; this guard only stops a calendar that has none.
        let mut idle_days = 0u32;
        for (day, span) in self.walk(first.pred_opt().unwrap_or(first)) {
            match span {
                Some((start, end)) if end > from_ns => {
                    let start = start.max(from_ns);
                    let available = end - start;
                    if remaining <= available {
                        return from_nanos(start + remaining);
                    }
                    remaining -= available;
                    idle_days = 0;
                }
                _ if day > first && last_holiday.is_none_or(|h| day > h) => {
                    idle_days += 1;
                    assert!(
                        idle_days <= 14,
                        "the calendar has no business time, so {amount} of it cannot be added: \
                         its working hours {} must end after they start",
                        self.hours
                    );
                }
                _ => {}
            }
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// The end of one business day from `from`: `add_business(from, one_business_day())`.
    pub fn one_business_day_deadline(&self, from: DateTime<Utc>) -> DateTime<Utc> {
        self.add_business(from, self.one_business_day())
    }
}

/// The local dates from a first one on, each with its working span in nanoseconds since the epoch
/// (`None` on days off). Allocation-free: holidays are read in step with the dates.
struct DayWalk<'a> {
    calendar: &'a Calendar,
    day: Option<NaiveDate>,
    weekday: Weekday,
    holidays: std::iter::Peekable<std::collections::btree_set::Range<'a, NaiveDate>>,
}

impl Iterator for DayWalk<'_> {
    type Item = (NaiveDate, Option<(i128, i128)>);

    fn next(&mut self) -> Option<Self::Item> {
        let day = self.day?;
        let weekday = self.weekday;
        self.day = day.succ_opt();
        self.weekday = weekday.succ();
        let holiday = self.holidays.next_if_eq(&&day).is_some();
        let span =
            if holiday || !self.calendar.workdays.contains(weekday) { None } else { self.calendar.span_nanos(day) };
        Some((day, span))
    }
}

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// A wall-clock reading as nanoseconds since the epoch, as if it were UTC.
fn naive_nanos(t: NaiveDateTime) -> i128 {
    let t = t.and_utc();
    i128::from(t.timestamp()) * NANOS_PER_SEC + i128::from(t.timestamp_subsec_nanos())
}

fn utc_nanos_of(t: DateTime<Utc>) -> i128 {
    naive_nanos(t.naive_utc())
}

/// The instant `nanos` after the epoch, saturating at chrono's limits.
fn from_nanos(nanos: i128) -> DateTime<Utc> {
    let secs = nanos.div_euclid(NANOS_PER_SEC);
    let sub = nanos.rem_euclid(NANOS_PER_SEC) as u32;
    i64::try_from(secs).ok().and_then(|secs| DateTime::from_timestamp(secs, sub)).unwrap_or(if nanos < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

fn nanos_of_duration(d: Duration) -> i128 {
    i128::from(d.num_seconds()) * NANOS_PER_SEC + i128::from(d.subsec_nanos())
}

/// A span of `nanos` nanoseconds, saturating at chrono's limits.
fn duration_of_nanos(nanos: i128) -> Duration {
    let secs = nanos.div_euclid(NANOS_PER_SEC);
    let sub = nanos.rem_euclid(NANOS_PER_SEC) as u32;
    i64::try_from(secs).ok().and_then(|secs| Duration::new(secs, sub)).unwrap_or(if nanos < 0 {
        Duration::MIN
    } else {
        Duration::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Australia, Europe};
    use proptest::prelude::*;

    fn london() -> Calendar {
        Calendar::new(Europe::London)
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
        for zone in [chrono_tz::UTC, Europe::London, America::New_York] {
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
        let cal = Calendar::new(America::New_York);
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
        let apia = Calendar::new(chrono_tz::Pacific::Apia);
        assert_eq!(apia.to_utc(local("2011-12-30 12:00")), utc("2011-12-30 10:00"));
        assert_eq!(apia.working_span(date("2011-12-30")), None);
    }

    #[test]
    fn local_date_and_datetime_follow_the_zone() {
        let cal = Calendar::new(Australia::Sydney);
        let t = utc("2026-06-05 20:00");
        assert_eq!(cal.local_date(t), date("2026-06-06"));
        assert_eq!(shown(&cal, t), "Sat 2026-06-06 06:00");
        let cal = Calendar::new(America::New_York);
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
        assert_eq!(parse_zone("Europe/London"), Ok(Europe::London));
        assert_eq!(parse_zone(" Asia/Kolkata "), Ok(Asia::Kolkata));
        assert_eq!(parse_zone("UTC"), Ok(chrono_tz::UTC));
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
        let mut cal = Calendar::new(America::New_York);
        cal.holidays.extend([date("2026-12-25"), date("2026-07-03")]);
        let json = serde_json::to_string(&cal).unwrap();
        assert_eq!(
            json,
            r#"{"zone":"America/New_York","workdays":"mon,tue,wed,thu,fri","hours":"09:00-17:30","holidays":["2026-07-03","2026-12-25"]}"#
        );
        assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), cal);

        let mut odd = Calendar::new(Asia::Kolkata);
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

    const ZONES: [Tz; 5] = [chrono_tz::UTC, Europe::London, America::New_York, Australia::Sydney, Asia::Kolkata];

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
                    zone: ZONES[zone],
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
}
