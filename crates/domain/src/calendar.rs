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
//! zone (the bundled tz database, never a fixed offset), so daylight saving moves the spans with the clocks. A
//! span that straddles a clock change is as long in real time as the clocks let it be: a local time
//! that does not exist (a spring-forward gap) stands for the first instant after the gap, and one
//! that happens twice (an autumn fall-back) for the earlier of the two.
//!
//! Everything here is pure: no clock is read, every instant is passed in. Over a long span, whole
//! weeks are summed at once from the plain week's business time and corrected only on holidays and
//! on the days next to a clock change; the days at either end are walked one by one. Each zone's
//! days of clock change are found once a year and kept ([`clock_change_days`]): a memo of a fixed
//! function of the zone data compiled in, so the same question always has the same answer.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Utc,
    Weekday,
};

use crate::zone::Zone;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Why a piece of calendar configuration was refused. Each message says what is wrong and how to
/// put it right; callers show it as it is.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum CalendarError {
    /// The time zone is not an IANA name the zone data has.
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
pub fn parse_zone(s: &str) -> Result<Zone, CalendarError> {
    let name = s.trim();
    Zone::named(name).ok_or_else(|| CalendarError::UnknownZone(name.to_string()))
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
    pub zone: Zone,
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

fn deserialize_zone<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Zone, D::Error> {
    let s = String::deserialize(deserializer)?;
    parse_zone(&s).map_err(de::Error::custom)
}

impl Calendar {
    /// A calendar in `zone` working Monday to Friday, 09:00-17:30, with no holidays.
    pub fn new(zone: Zone) -> Self {
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

    /// The instant `day` begins here (its local midnight; a day whose midnight a clock change
    /// skips begins when the clocks go on).
    pub fn day_start(&self, day: NaiveDate) -> DateTime<Utc> {
        self.to_utc(day.and_time(chrono::NaiveTime::MIN))
    }

    /// [`Calendar::to_utc`] as nanoseconds since the Unix epoch, the form the walks count in.
    fn utc_nanos(&self, local: NaiveDateTime) -> i128 {
        let local_nanos = naive_nanos(local);
        let offset_nanos =
            |offset: &crate::zone::ZoneOffset| i128::from(offset.fix().local_minus_utc()) * NANOS_PER_SEC;
        match self.zone.offset_from_local_datetime(&local) {
            LocalResult::Single(offset) => local_nanos - offset_nanos(&offset),
            // The earlier instant is the one read with the larger offset.
            LocalResult::Ambiguous(a, b) => local_nanos - offset_nanos(&a).max(offset_nanos(&b)),
            LocalResult::None => self.after_gap(local),
        }
    }

    /// The first instant after the gap that swallowed `local`, in nanoseconds since the epoch.
    fn after_gap(&self, local: NaiveDateTime) -> i128 {
        if let Some(end) = self.zone.gap_end(local) {
            return utc_nanos_of(end);
        }
        // Not reachable with the zone data; read `local` in the offset in force around it.
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
    ///
    /// Over a long span, whole weeks are counted at once: every week with no holiday and no clock
    /// change holds the plain week's business time — the holidays found by a range
    /// search, the clock changes from the zone's days of change (see [`clock_change_days`]): a
    /// holiday takes a working day off the plain weeks' sum, and a working day next to a clock
    /// change counts what its span really holds. Only the days at either end are walked. A test
    /// checks the count against the walk in every kind of zone.
    pub fn business_duration(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let (first, last) = (self.local_date(from), self.local_date(to));
        // Whole weeks, Monday to Monday, from the first Monday a day clear of `from`'s day to the
        // last Monday a day clear of `to`'s.
        let clear = first + Duration::days(2);
        let after = clear + Duration::days((7 - weekday(clear)) % 7);
        let clear = last - Duration::days(2);
        let before = clear - Duration::days(weekday(clear));
        let plain = self.plain_week_nanos();
        if before <= after || plain == 0 {
            return duration_of_nanos(self.walked_nanos(from, to));
        }
        let exact = |d: NaiveDate| from_nanos(self.utc_nanos(d.and_time(NaiveTime::MIN)));
        let total = self.walked_nanos(from, exact(after))
            + self.weeks_nanos(after, before)
            + self.walked_nanos(exact(before), to);
        duration_of_nanos(total)
    }

    /// The business time of the whole weeks from Monday `after` to Monday `before`: the plain
    /// week's for each, corrected on the days that are not plain ([`Calendar::uneven_days`]).
    fn weeks_nanos(&self, after: NaiveDate, before: NaiveDate) -> i128 {
        let mut total = self.plain_week_nanos() * i128::from((before - after).num_days() / 7);
        self.uneven_days(after, before, |_, correction| total += correction);
        total
    }

    /// Calls `f` with each day in `[after, before)` whose business time is not a plain working
    /// day's (or a plain day off's), and what it holds beyond (or short of) that: a working day
    /// less for a holiday on a working day; on a working day next to a clock change, what its
    /// span really holds less a plain day. A working span lies within its own local date, so a
    /// run of days holds the plain days' sum with these corrections.
    fn uneven_days(&self, after: NaiveDate, before: NaiveDate, mut f: impl FnMut(NaiveDate, i128)) {
        if !self.hours.is_valid() || before <= after {
            return;
        }
        let day = nanos_of_duration(self.hours.end - self.hours.start);
        let worked = |d: NaiveDate| self.workdays.contains(d.weekday());
        for holiday in self.holidays.range(after..before) {
            if worked(*holiday) {
                f(*holiday, -day);
            }
        }
        let mut last = None;
        let (around_first, around_last) =
            (after.checked_sub_days(chrono::Days::new(2)).unwrap_or(after), before.succ_opt().unwrap_or(before));
        for change in clock_change_days(self.zone, around_first, around_last) {
            for d in [change.pred_opt(), Some(change), change.succ_opt()].into_iter().flatten() {
                if after <= d && d < before && last.is_none_or(|l| l < d) {
                    last = Some(d);
                    if worked(d) && !self.holidays.contains(&d) {
                        f(d, self.span_nanos(d).map_or(0, |(start, end)| end - start) - day);
                    }
                }
            }
        }
    }

    /// By Monday, what each week in `[after, before)` holds beyond (or short of) the plain week's
    /// business time; a week not named holds the plain week's.
    fn uneven_weeks(&self, after: NaiveDate, before: NaiveDate) -> std::collections::BTreeMap<NaiveDate, i128> {
        let mut weeks = std::collections::BTreeMap::new();
        self.uneven_days(after, before, |d, correction| {
            *weeks.entry(d - Duration::days(weekday(d))).or_insert(0) += correction;
        });
        weeks
    }

    /// The business time of a week with no holiday and no clock change, in nanoseconds.
    fn plain_week_nanos(&self) -> i128 {
        if !self.hours.is_valid() {
            return 0;
        }
        let day = nanos_of_duration(self.hours.end - self.hours.start);
        day * self.workdays.iter().count() as i128
    }

    /// [`Calendar::business_duration`] counted day by day, every day walked: the reference the
    /// week-at-a-time count is checked against (tests) and measured beside (the benchmark).
    pub fn business_duration_day_by_day(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        duration_of_nanos(self.walked_nanos(from, to))
    }

    /// [`Calendar::business_duration`] day by day, in nanoseconds.
    fn walked_nanos(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i128 {
        if to <= from {
            return 0;
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
        total
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
        let mut from = from;
        let mut remaining = nanos_of_duration(amount);
        // Whole plain weeks are counted at once, from the first Monday a day clear of `from`'s
        // day: only what is left is walked day by day.
        let plain = self.plain_week_nanos();
        // The first Monday a day clear of `from`'s day (none this close to chrono's last date).
        let monday = self
            .local_date(from)
            .checked_add_days(chrono::Days::new(2))
            .and_then(|clear| clear.checked_add_days(chrono::Days::new(((7 - weekday(clear)) % 7) as u64)));
        let exact = |d: NaiveDate| from_nanos(self.utc_nanos(d.and_time(NaiveTime::MIN)));
        // Amounts within a plain week (a deadline of one business day, the common case) are
        // walked once, from `from`, without first walking to that Monday.
        if let Some(mut monday) = monday.filter(|m| plain > 0 && remaining > plain && exact(*m) > from) {
            let before_monday = self.walked_nanos(from, exact(monday));
            if remaining > before_monday {
                remaining -= before_monday;
                'weeks: loop {
                    // The weeks ahead that could be needed, at most ten years' at a time, and the
                    // special ones among them.
                    let weeks = i64::try_from(remaining / plain + 1).unwrap_or(i64::MAX).clamp(1, 522);
                    let Some(horizon) = monday.checked_add_signed(Duration::days(7 * weeks)) else {
                        return DateTime::<Utc>::MAX_UTC;
                    };
                    let mut specials = self.uneven_weeks(monday, horizon).into_iter().peekable();
                    while monday < horizon {
                        if let Some((_, correction)) = specials.next_if(|(m, _)| *m == monday) {
                            let week = plain + correction;
                            if remaining <= week {
                                break 'weeks;
                            }
                            remaining -= week;
                            monday += Duration::days(7);
                            continue;
                        }
                        // Plain weeks up to the next special one: all but the one the end is in.
                        let until = specials.peek().map_or(horizon, |(m, _)| *m);
                        let run = (until - monday).num_days() / 7;
                        let skip = run.min(i64::try_from((remaining - 1) / plain).unwrap_or(i64::MAX));
                        remaining -= plain * i128::from(skip);
                        monday += Duration::days(7 * skip);
                        if skip < run {
                            break 'weeks;
                        }
                    }
                }
                from = exact(monday);
            }
        }
        let from_ns = utc_nanos_of(from);
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

/// The days since Monday of `d` (0 on a Monday).
fn weekday(d: NaiveDate) -> i64 {
    i64::from(d.weekday().num_days_from_monday())
}

/// The UTC dates in `[first, last]` on which `zone`'s clocks change: the offset at the date's
/// end differs from the one at its start. Each year's are found once per zone (a look at the
/// offset each midnight of the year) and, for the years 1800 to 2200 (the zone data's), kept for
/// the process: the same answer every time, memoised; years outside them are found again when
/// asked, so an absurd span costs time, never memory.
pub fn clock_change_days(zone: Zone, first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    /// Each zone's days of change, by year.
    type ChangesByYear = HashMap<(Zone, i32), Arc<[NaiveDate]>>;
    static YEARS: OnceLock<Mutex<ChangesByYear>> = OnceLock::new();
    let years = YEARS.get_or_init(Mutex::default);
    let of_year = |year: i32| -> Arc<[NaiveDate]> {
        if let Some(days) = years.lock().unwrap_or_else(|p| p.into_inner()).get(&(zone, year)) {
            return days.clone();
        }
        let offset = |d: NaiveDate| zone.offset_from_utc_datetime(&d.and_time(NaiveTime::MIN)).fix();
        let mut days = Vec::new();
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1);
        let mut before = day.map(offset);
        while let Some(d) = day.filter(|d| d.year() == year) {
            let next = d.succ_opt();
            let after = next.map(offset);
            if after.is_some() && after != before {
                days.push(d);
            }
            (day, before) = (next, after);
        }
        let days: Arc<[NaiveDate]> = days.into();
        if (1800..=2200).contains(&year) {
            years.lock().unwrap_or_else(|p| p.into_inner()).insert((zone, year), days.clone());
        }
        days
    };
    let mut out = Vec::new();
    for year in first.year()..=last.year() {
        out.extend(of_year(year).iter().filter(|d| first <= **d && **d <= last));
    }
    out
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
mod tests;
