//! An agency's IANA time zone, read from the zone data compiled into Handoff (jiff's bundled copy
//! of the tz database, never the laptop's own: two laptops of one agency must count business time
//! alike), and usable as a chrono [`TimeZone`].
//!
//! A [`Zone`] is a small `Copy` handle: each zone is read from the bundled data once per process
//! and kept. The data is one block of bytes, so starting a process relocates nothing for it (the
//! tables of chrono-tz, which this replaces, were a million bytes of pointers fixed up at every
//! start of every `handoff` command).

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use jiff::tz::{AmbiguousOffset, TimeZone as JiffZone};
use serde::{Serialize, Serializer};

/// An IANA time zone such as `Europe/London`. Equal zones have equal names: a name in another
/// case is the same zone.
#[derive(Clone, Copy)]
pub struct Zone {
    name: &'static str,
    tz: &'static JiffZone,
}

/// The offset a [`Zone`] is at, at some instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

/// What a zone's clocks say at an instant: the offset, whether it is summer time, and the name
/// the zone data gives it (`BST`; `+04` where the data has no letters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneReading {
    pub offset_seconds: i32,
    pub summer_time: bool,
    pub abbreviation: String,
}

/// The unknown zone name given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownZone(pub String);

impl fmt::Display for UnknownZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown time zone \"{}\"", self.0)
    }
}

impl std::error::Error for UnknownZone {}

impl Zone {
    /// The zone of an IANA name, in any case (`europe/london` is `Europe/London`); `None` for a
    /// name the zone data does not have.
    pub fn named(name: &str) -> Option<Zone> {
        static KNOWN: OnceLock<Mutex<HashMap<String, Zone>>> = OnceLock::new();
        let known = KNOWN.get_or_init(Mutex::default);
        if let Some(zone) = known.lock().unwrap_or_else(|p| p.into_inner()).get(&name.to_ascii_lowercase()) {
            return Some(*zone);
        }
        let tz = JiffZone::get(name).ok()?;
        let canonical = tz.iana_name()?.to_string();
        let mut known = known.lock().unwrap_or_else(|p| p.into_inner());
        // Each zone is kept for the process, once: there are a few hundred names at most. The
        // data is looked up by name in any case, so every spelling of one has the same key.
        let zone = *known
            .entry(canonical.to_ascii_lowercase())
            .or_insert_with(|| Zone { name: Box::leak(canonical.into_boxed_str()), tz: Box::leak(Box::new(tz)) });
        Some(zone)
    }

    /// The zone of a name written in the code, such as `Zone::known("Europe/London")` in a test.
    ///
    /// # Panics
    ///
    /// When the zone data has no such zone: names that come from people go through
    /// [`Zone::named`] or `parse`.
    pub fn known(name: &'static str) -> Zone {
        Zone::named(name).unwrap_or_else(|| panic!("the zone data has no zone {name}"))
    }

    /// The zone's IANA name, as the zone data spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What the clocks say at `t`.
    pub fn reading(&self, t: DateTime<Utc>) -> ZoneReading {
        let info = self.tz.to_offset_info(timestamp(&t.naive_utc()));
        ZoneReading {
            offset_seconds: info.offset().seconds(),
            summer_time: info.dst().is_dst(),
            abbreviation: info.abbreviation().to_string(),
        }
    }

    /// The instant the clocks jump over `local`, when `local` falls in a spring-forward gap: the
    /// first instant after the gap. `None` when the clocks show `local` (once or twice).
    pub fn gap_end(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let civil = civil(&local)?;
        let AmbiguousOffset::Gap { after, .. } = self.tz.to_ambiguous_timestamp(civil).offset() else {
            return None;
        };
        // The change happened after `local` read in the offset that follows it.
        let read_after = timestamp(&local) - jiff::SignedDuration::from_secs(i64::from(after.seconds()));
        let change = self.tz.following(read_after).next()?.timestamp();
        DateTime::from_timestamp(change.as_second(), change.subsec_nanosecond().unsigned_abs())
    }

    fn offset(&self, offset: jiff::tz::Offset) -> ZoneOffset {
        let fixed = FixedOffset::east_opt(offset.seconds()).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap());
        ZoneOffset { zone: *self, fixed }
    }
}

/// `local` as jiff's civil time; `None` outside its years (-9999 to 9999).
fn civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    let (date, time) = (local.date(), local.time());
    jiff::civil::DateTime::new(
        i16::try_from(date.year()).ok()?,
        date.month() as i8,
        date.day() as i8,
        time.hour() as i8,
        time.minute() as i8,
        time.second() as i8,
        // chrono writes a leap second as a nanosecond count past one second.
        (time.nanosecond() % 1_000_000_000) as i32,
    )
    .ok()
}

/// A UTC time as jiff's timestamp, held to jiff's range.
fn timestamp(utc: &NaiveDateTime) -> jiff::Timestamp {
    let t = utc.and_utc();
    let secs = t.timestamp().clamp(jiff::Timestamp::MIN.as_second(), jiff::Timestamp::MAX.as_second());
    jiff::Timestamp::new(secs, (t.timestamp_subsec_nanos() % 1_000_000_000) as i32).unwrap_or(jiff::Timestamp::MAX)
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<ZoneOffset> {
        let Some(civil) = civil(local) else {
            // Beyond the zone data's years: the offset in force at the nearest instant it knows.
            return LocalResult::Single(self.offset_from_utc_datetime(local));
        };
        match self.tz.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => LocalResult::Single(self.offset(offset)),
            AmbiguousOffset::Gap { .. } => LocalResult::None,
            // The earlier instant first: it is read with the offset before the change.
            AmbiguousOffset::Fold { before, after } => LocalResult::Ambiguous(self.offset(before), self.offset(after)),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset(self.tz.to_offset(timestamp(utc)))
    }
}

impl chrono::Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

// Each zone is made once per process (names differing only in case are one zone), so the same
// zone is the same data: compared and hashed by address, for the calendar's memo looks zones up
// on every count of business time.
impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        std::ptr::eq(self.tz, other.tz)
    }
}

impl Eq for Zone {}

impl Hash for Zone {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.tz, state);
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl FromStr for Zone {
    type Err = UnknownZone;

    fn from_str(s: &str) -> Result<Zone, UnknownZone> {
        Zone::named(s).ok_or_else(|| UnknownZone(s.to_string()))
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Offset;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_are_found_in_any_case_and_kept_as_the_data_spells_them() {
        let z = Zone::named("europe/LONDON").unwrap();
        assert_eq!(z.name(), "Europe/London");
        assert_eq!(z, Zone::known("Europe/London"));
        assert!(std::ptr::eq(z.tz, Zone::named("EUROPE/london").unwrap().tz), "one zone, whatever the case");
        assert_ne!(z, Zone::known("Europe/Paris"));
        assert_eq!("America/New_York".parse::<Zone>().unwrap().to_string(), "America/New_York");
        assert_eq!("Mars/Olympus".parse::<Zone>(), Err(UnknownZone("Mars/Olympus".into())));
        assert!(Zone::named("").is_none());
        assert!(Zone::named("EST5EDT,M3.2.0,M11.1.0").is_none(), "a POSIX rule is not a zone name");
        assert_eq!(serde_json::to_string(&Zone::known("Europe/London")).unwrap(), "\"Europe/London\"");
    }

    #[test]
    fn instants_read_in_summer_and_winter_time() {
        let london = Zone::known("Europe/London");
        assert_eq!(
            london.offset_from_utc_datetime(&utc("2026-07-01T12:00:00Z").naive_utc()).fix().local_minus_utc(),
            3600
        );
        assert_eq!(
            london.offset_from_utc_datetime(&utc("2026-01-01T12:00:00Z").naive_utc()).fix().local_minus_utc(),
            0
        );
        let summer = london.reading(utc("2026-07-01T12:00:00Z"));
        assert_eq!(summer, ZoneReading { offset_seconds: 3600, summer_time: true, abbreviation: "BST".into() });
        let winter = london.reading(utc("2026-01-01T12:00:00Z"));
        assert_eq!(winter, ZoneReading { offset_seconds: 0, summer_time: false, abbreviation: "GMT".into() });
        let dubai = Zone::named("Asia/Dubai").unwrap().reading(utc("2026-07-01T12:00:00Z"));
        assert_eq!((dubai.offset_seconds, dubai.summer_time, dubai.abbreviation.as_str()), (14400, false, "+04"));
        let t = utc("2026-07-01T12:00:00Z").with_timezone(&london);
        assert_eq!(t.naive_local(), local("2026-07-01 13:00"));
        assert_eq!(t.with_timezone(&Utc), utc("2026-07-01T12:00:00Z"));
    }

    #[test]
    fn a_skipped_local_time_has_no_offset_and_ends_where_the_clocks_go_on() {
        let london = Zone::known("Europe/London");
        // 29 March 2026: clocks go from 01:00 GMT to 02:00 BST.
        assert_eq!(london.offset_from_local_datetime(&local("2026-03-29 01:30")), LocalResult::None);
        assert_eq!(london.gap_end(local("2026-03-29 01:30")), Some(utc("2026-03-29T01:00:00Z")));
        assert_eq!(london.gap_end(local("2026-03-29 01:00")), Some(utc("2026-03-29T01:00:00Z")));
        assert_eq!(london.gap_end(local("2026-03-29 02:00")), None);
        assert_eq!(london.gap_end(local("2026-07-01 12:00")), None);
        let ny = Zone::named("America/New_York").unwrap();
        assert_eq!(ny.gap_end(local("2026-03-08 02:59")), Some(utc("2026-03-08T07:00:00Z")));
    }

    #[test]
    fn a_local_time_shown_twice_has_both_offsets_the_earlier_first() {
        // 25 October 2026: clocks go back from 02:00 BST to 01:00 GMT.
        let LocalResult::Ambiguous(first, second) =
            Zone::known("Europe/London").offset_from_local_datetime(&local("2026-10-25 01:30"))
        else {
            panic!("01:30 happens twice")
        };
        assert_eq!((first.fix().local_minus_utc(), second.fix().local_minus_utc()), (3600, 0));
    }

    #[test]
    fn years_beyond_the_data_still_read() {
        let london = Zone::known("Europe/London");
        let far = NaiveDate::from_ymd_opt(20_000, 6, 1).unwrap().and_hms_opt(12, 0, 0).unwrap();
        assert!(matches!(london.offset_from_local_datetime(&far), LocalResult::Single(_)));
        let _ = london.offset_from_utc_datetime(&far);
        let _ = london.offset_from_utc_datetime(&NaiveDateTime::MIN);
        let _ = london.offset_from_utc_datetime(&NaiveDateTime::MAX);
    }
}
