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
        if let Some(offset) = Stretch::local(self, local.and_utc().timestamp()) {
            return LocalResult::Single(self.offset(offset));
        }
        let Some(civil) = civil(local) else {
            // Beyond the zone data's years: the offset in force at the nearest instant it knows.
            return LocalResult::Single(self.offset_from_utc_datetime(local));
        };
        match self.tz.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => {
                Stretch::remember(self, local.and_utc().timestamp() - i64::from(offset.seconds()), offset);
                LocalResult::Single(self.offset(offset))
            }
            AmbiguousOffset::Gap { .. } => LocalResult::None,
            // The earlier instant first: it is read with the offset before the change.
            AmbiguousOffset::Fold { before, after } => LocalResult::Ambiguous(self.offset(before), self.offset(after)),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        let second = utc.and_utc().timestamp();
        if let Some(offset) = Stretch::utc(self, second) {
            return self.offset(offset);
        }
        let offset = self.tz.to_offset(timestamp(utc));
        Stretch::remember(self, second, offset);
        self.offset(offset)
    }
}

/// The stretch of one zone's time between two clock changes that this thread last read an offset
/// in: business time reads a zone day after day, and nearly every day falls in the stretch of
/// the day before, so the zone data is searched only when a clock change comes near.
#[derive(Clone, Copy)]
struct Stretch {
    /// The zone's data, by address (one per process: see [`Zone::named`]).
    zone: usize,
    /// The clock change that began the stretch and the one that ends it, in UTC seconds.
    from: i64,
    to: i64,
    offset: jiff::tz::Offset,
}

thread_local! {
    static STRETCH: std::cell::Cell<Option<Stretch>> = const { std::cell::Cell::new(None) };
    /// The zone and UTC second this thread last read outside the stretch.
    static LAST_MISS: std::cell::Cell<Option<(usize, i64)>> = const { std::cell::Cell::new(None) };
}

impl Stretch {
    /// Two days: more than any offset's difference from another (jiff's offsets stay within 26
    /// hours of UTC), so a local time read in this stretch's offset this far from its ends cannot
    /// also be read in another offset, nor fall in a gap.
    const CLEAR_OF_CHANGES: i64 = 2 * 86_400;
    /// Reads this close together are taken as a walk through the zone's days.
    const NEAR: u64 = 8 * 86_400;

    fn of(zone: &Zone) -> Option<Stretch> {
        STRETCH.with(|s| s.get()).filter(|s| s.zone == std::ptr::from_ref(zone.tz) as usize)
    }

    /// The offset at the UTC `second`, when it falls in the stretch last read.
    fn utc(zone: &Zone, second: i64) -> Option<jiff::tz::Offset> {
        Stretch::of(zone).filter(|s| s.from <= second && second < s.to).map(|s| s.offset)
    }

    /// The one offset the local time `second` (seconds since 1970 on the zone's clocks) is read
    /// in, when that is sure from the stretch last read.
    fn local(zone: &Zone, second: i64) -> Option<jiff::tz::Offset> {
        Stretch::of(zone)
            .filter(|s| {
                let utc = second.saturating_sub(i64::from(s.offset.seconds()));
                s.from.saturating_add(Stretch::CLEAR_OF_CHANGES) <= utc
                    && utc < s.to.saturating_sub(Stretch::CLEAR_OF_CHANGES)
            })
            .map(|s| s.offset)
    }

    /// Remembers the stretch around the UTC `second`, read at `offset`, when the read before it
    /// was near (within [`Stretch::NEAR`]): finding a stretch's ends costs two more searches of
    /// the zone data, worth it for reads day after day, not for reads years apart (whole weeks
    /// counted at once, holidays found by binary search).
    fn remember(zone: &Zone, second: i64, offset: jiff::tz::Offset) {
        let address = std::ptr::from_ref(zone.tz) as usize;
        let near = LAST_MISS
            .with(|m| m.replace(Some((address, second))))
            .is_some_and(|(z, last)| z == address && last.abs_diff(second) <= Stretch::NEAR);
        if !near {
            return;
        }
        let (Ok(at), Ok(after)) = (jiff::Timestamp::from_second(second), jiff::Timestamp::from_second(second + 1))
        else {
            return;
        };
        // Clock changes fall on whole seconds: the last at or before `second`, the first after.
        let from = zone.tz.preceding(after).next().map_or(i64::MIN, |t| t.timestamp().as_second());
        let to = zone.tz.following(at).next().map_or(i64::MAX, |t| t.timestamp().as_second());
        let stretch = Stretch { zone: address, from, to, offset };
        STRETCH.with(|s| s.set(Some(stretch)));
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

    /// What jiff says, asked afresh, for the local time `local`.
    fn read_afresh(zone: Zone, local: &NaiveDateTime) -> LocalResult<i32> {
        match zone.tz.to_ambiguous_timestamp(civil(local).unwrap()).offset() {
            AmbiguousOffset::Unambiguous { offset } => LocalResult::Single(offset.seconds()),
            AmbiguousOffset::Gap { .. } => LocalResult::None,
            AmbiguousOffset::Fold { before, after } => LocalResult::Ambiguous(before.seconds(), after.seconds()),
        }
    }

    #[test]
    fn offsets_read_from_the_stretch_remembered_are_the_zone_datas_own_across_every_clock_change() {
        // Summer time both ways, half-hour and 45-minute offsets, a 30-minute summer time, a
        // day skipped across the date line (Samoa, December 2011), no changes at all.
        for name in [
            "Europe/London",
            "America/New_York",
            "Australia/Sydney",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "Pacific/Apia",
            "America/Santiago",
            "UTC",
        ] {
            let zone = Zone::known(name);
            let start = local("2010-06-01 00:00");
            // Every 20 minutes for three years, in order (as business time reads), and the
            // local times read in the other direction too.
            for step in 0..(3 * 366 * 72) {
                let t = start + chrono::Duration::minutes(20 * step);
                let (by_zone, afresh) = (zone.offset_from_local_datetime(&t), read_afresh(zone, &t));
                assert_eq!(by_zone.map(|o| o.fix().local_minus_utc()), afresh, "{name} local {t}");
                let instant = zone.offset_from_utc_datetime(&t).fix().local_minus_utc();
                assert_eq!(instant, zone.tz.to_offset(timestamp(&t)).seconds(), "{name} UTC {t}");
            }
            for step in (0..(3 * 366 * 24)).rev() {
                let t = start + chrono::Duration::minutes(60 * step + 7);
                let by_zone = zone.offset_from_local_datetime(&t).map(|o| o.fix().local_minus_utc());
                assert_eq!(by_zone, read_afresh(zone, &t), "{name} local {t}, backwards");
            }
        }
        // One thread reading two zones in turn reads each in its own offsets.
        let (london, sydney) = (Zone::known("Europe/London"), Zone::known("Australia/Sydney"));
        let t = local("2026-01-15 12:00");
        for _ in 0..3 {
            assert_eq!(london.offset_from_local_datetime(&t).unwrap().fix().local_minus_utc(), 0);
            assert_eq!(sydney.offset_from_local_datetime(&t).unwrap().fix().local_minus_utc(), 11 * 3600);
        }
    }
}
