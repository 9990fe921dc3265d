//! Handoff's calendar invitations: one meeting the playbook asks for, written as an RFC 5545
//! calendar file that any calendar takes in (Outlook, Google, Apple, Thunderbird).
//!
//! The file carries the agency's time zone written out in full (`VTIMEZONE`, made from the IANA
//! database the app ships with), so the meeting lands at the right hour on a laptop set to
//! another zone and across a change of the clocks; its `UID` stays the same for the same meeting
//! and its `SEQUENCE` grows with every change, so a calendar updates the meeting instead of adding
//! a second one; a withdrawn meeting is written as a cancellation of that `UID`.
//!
//! The `ics` crate writes the lines (folding, structure); this crate decides what goes in them.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone as _, Utc, Weekday};
use handoff_domain::zone::Zone;
use ics::components::Property;
use ics::escape_text;
use ics::parameters::{PartStat, Role, TzIDParam, CN, RSVP};
use ics::properties::{
    Attendee, Description, DtEnd, DtStart, Method, Organizer, RRule, Sequence, Status, Summary, TzName,
};
use ics::{Daylight, Event, ICalendar, Standard};

/// The product that made the file, as the `PRODID` property names it.
pub const PRODID: &str = "-//Handoff//Handoff invitations//EN";

/// Someone invited, or the one who invites.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Who they are for good (their id in Handoff): the address of one without an e-mail address.
    pub id: String,
    pub name: String,
    /// Where their calendar is (checked as an address already): without one, they are named in
    /// the description instead.
    pub email: Option<String>,
}

impl Person {
    /// Their calendar address: `mailto:` where they have one, else their id as a URN.
    fn address(&self) -> String {
        match &self.email {
            Some(e) => format!("mailto:{}", e.trim()),
            None => format!("urn:uuid:{}", self.id),
        }
    }
}

/// One meeting, as its calendar file says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub uid: String,
    /// Grows with every change to the meeting (a calendar keeps the highest it has seen).
    pub sequence: u32,
    pub summary: String,
    pub description: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Held every week on the start's weekday, at the same local time.
    pub weekly: bool,
    /// Withdrawn: the file cancels the meeting of this `UID`.
    pub cancelled: bool,
    /// The agency's time zone: the meeting is written in its local time.
    pub zone: Zone,
    pub organizer: Option<Person>,
    pub attendees: Vec<Person>,
    /// When the file was made.
    pub stamp: DateTime<Utc>,
}

/// The calendar file of `meeting`, as iTIP (RFC 5546) has each kind: `METHOD:REQUEST` when the
/// organizer and at least one attendee have e-mail addresses (the attendees are asked to reply);
/// otherwise `METHOD:PUBLISH`, an entry for one's own calendar, with no attendees (they are named
/// in the text); `METHOD:CANCEL` for a withdrawn meeting. Every file has an organizer: by e-mail
/// address, else by their id.
pub fn calendar_file(meeting: &Meeting) -> String {
    let mut calendar = ICalendar::new("2.0", PRODID);
    // The same person once, however many roles they hold (the founder may stand in twice).
    let mut attendees: Vec<&Person> = Vec::new();
    for a in &meeting.attendees {
        if !attendees.iter().any(|b| b.id == a.id) {
            attendees.push(a);
        }
    }
    let reachable: Vec<&Person> = attendees.iter().copied().filter(|a| a.email.is_some()).collect();
    let organizer = meeting.organizer.as_ref().or(attendees.first().copied());
    let asks = organizer.is_some_and(|o| o.email.is_some()) && !reachable.is_empty();
    let method = match (meeting.cancelled, asks) {
        (true, _) => "CANCEL",
        (false, true) => "REQUEST",
        (false, false) => "PUBLISH",
    };
    calendar.push(Method::new(method));
    let tzid = meeting.zone.name();
    let first_year = meeting.zone.from_utc_datetime(&meeting.start.naive_utc()).year() - 1;
    let last_year = first_year + if meeting.weekly { 11 } else { 2 };
    calendar.add_timezone(vtimezone(meeting.zone, first_year, last_year));

    let mut event = Event::new(meeting.uid.clone(), utc_stamp(meeting.stamp));
    event.push(Sequence::new(meeting.sequence.to_string()));
    event.push(local_time(DtStart::new(local(meeting.zone, meeting.start)), tzid));
    event.push(local_time(DtEnd::new(local(meeting.zone, meeting.end)), tzid));
    event.push(Summary::new(escape_text(meeting.summary.clone())));
    let mut description = meeting.description.clone();
    let named: Vec<&str> =
        attendees.iter().filter(|a| a.email.is_none() || method == "PUBLISH").map(|a| a.name.as_str()).collect();
    if !named.is_empty() && method != "PUBLISH" {
        description.push_str(&format!("\n\nAlso invited (no e-mail address in Handoff): {}.", named.join(", ")));
    } else if !named.is_empty() {
        description.push_str(&format!("\n\nWith: {}.", named.join(", ")));
    }
    event.push(Description::new(escape_text(description)));
    if meeting.weekly {
        let day = byday(meeting.zone.from_utc_datetime(&meeting.start.naive_utc()).weekday());
        event.push(RRule::new(format!("FREQ=WEEKLY;BYDAY={day}")));
    }
    if meeting.cancelled {
        event.push(Status::cancelled());
    } else {
        event.push(Status::confirmed());
    }
    if let Some(who) = organizer {
        let mut organizer = Organizer::new(who.address());
        organizer.add(CN::new(quoted(&who.name)));
        event.push(organizer);
    }
    // A published entry lists nobody to reply; a request or a cancellation lists who it asks.
    if method != "PUBLISH" {
        for person in &reachable {
            let mut attendee = Attendee::new(person.address());
            attendee.add(CN::new(quoted(&person.name)));
            attendee.add(Role::REQ_PARTICIPANT);
            attendee.add(PartStat::NEEDS_ACTION);
            attendee.add(RSVP::True);
            event.push(attendee);
        }
    }
    calendar.add_event(event);
    fold(&calendar.to_string())
}

/// A weekday as a recurrence rule names it.
fn byday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// A parameter value, in double quotes when it holds what would end it (RFC 5545 3.2): a double
/// quote cannot appear in one and becomes a single quote; a control character (a line break in a
/// name) would end the line and becomes a space.
fn quoted(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| {
            if c == '"' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    if text.contains([',', ';', ':']) {
        format!("\"{text}\"")
    } else {
        text
    }
}

/// The file's content lines folded at 75 octets, a continuation being a space and 74 octets, never
/// inside a character (RFC 5545 3.1).
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 60);
    for line in text.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()) {
        let mut room = 75;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > room {
                out.push_str("\r\n ");
                room = 74;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local(zone: Zone, t: DateTime<Utc>) -> String {
    zone.from_utc_datetime(&t.naive_utc()).format("%Y%m%dT%H%M%S").to_string()
}

fn local_time<'a, P: Into<Property<'a>>>(property: P, tzid: &'a str) -> Property<'a> {
    let mut property: Property = property.into();
    property.add(TzIDParam::new(tzid));
    property
}

/// One change of a zone's clocks.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Change {
    /// The instant of the change.
    at: DateTime<Utc>,
    /// The local time just before the change, as `DTSTART` of the rule it starts says it.
    local_before: NaiveDateTime,
    from: i32,
    to: i32,
    daylight: bool,
    name: String,
}

impl Change {
    /// Which changes recur as one rule: the same offsets and name.
    fn kind(&self) -> (i32, i32, bool, &str) {
        (self.from, self.to, self.daylight, &self.name)
    }
}

/// The offset in effect at `t`, whether it is summer time, and its name (the offset written out
/// where the zone data has no letters for it, such as `+0400`).
fn offset_at(zone: Zone, t: DateTime<Utc>) -> (i32, bool, String) {
    let reading = zone.reading(t);
    let lettered = reading.abbreviation.chars().any(|c| c.is_ascii_alphabetic());
    let name = if lettered { reading.abbreviation } else { offset_text(reading.offset_seconds) };
    (reading.offset_seconds, reading.summer_time, name)
}

/// The changes of `zone`'s clocks from the start of `first_year` to the end of `last_year`:
/// looked for a day at a time, then pinned to the minute.
fn changes(zone: Zone, first_year: i32, last_year: i32) -> Vec<Change> {
    let Some(mut at) = Utc.with_ymd_and_hms(first_year, 1, 1, 0, 0, 0).single() else { return Vec::new() };
    let Some(end) = Utc.with_ymd_and_hms(last_year + 1, 1, 1, 0, 0, 0).single() else { return Vec::new() };
    let mut found = Vec::new();
    let mut before = offset_at(zone, at);
    while at < end {
        let next = at + Duration::days(1);
        let after = offset_at(zone, next);
        if after != before {
            // The change is in (at, next]: halve the span down to the minute.
            let (mut low, mut high) = (at, next);
            while high - low > Duration::minutes(1) {
                let mid = low + (high - low) / 2;
                if offset_at(zone, mid) == before {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            let instant = if offset_at(zone, low) == before { high } else { low };
            let instant = instant - Duration::seconds(instant.timestamp().rem_euclid(60));
            let (to, daylight, name) = offset_at(zone, instant);
            found.push(Change {
                at: instant,
                local_before: (instant + Duration::seconds(before.0 as i64)).naive_utc(),
                from: before.0,
                to,
                daylight,
                name,
            });
        }
        before = after;
        at = next;
    }
    found
}

/// A yearly rule that gives exactly `dates` (local, one a year, in order): the same month, time
/// and weekday, and either the same week of the month or always its last.
fn yearly_rule(dates: &[NaiveDateTime]) -> Option<String> {
    let first = dates.first()?;
    let consecutive = dates.windows(2).all(|w| w[1].year() == w[0].year() + 1);
    let same =
        |d: &NaiveDateTime| d.month() == first.month() && d.time() == first.time() && d.weekday() == first.weekday();
    if dates.len() < 2 || !consecutive || !dates.iter().all(same) {
        return None;
    }
    let week = |d: &NaiveDateTime| (d.day() as i32 - 1) / 7 + 1;
    let last = |d: &NaiveDateTime| (d.date() + Duration::days(7)).month() != d.month();
    let day = byday(first.weekday());
    let which = if dates.iter().all(last) {
        -1
    } else if dates.iter().all(|d| week(d) == week(first)) {
        week(first)
    } else {
        return None;
    };
    Some(format!("FREQ=YEARLY;BYMONTH={};BYDAY={which}{day}", first.month()))
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    match s % 60 {
        0 => format!("{sign}{:02}{:02}", s / 3600, s / 60 % 60),
        rest => format!("{sign}{:02}{:02}{rest:02}", s / 3600, s / 60 % 60),
    }
}

/// `zone` as a `VTIMEZONE` over `first_year..=last_year`: one rule a year for each kind of change
/// that recurs (such as "the last Sunday of March"), each change on its own otherwise, and one
/// fixed offset for a zone whose clocks never change in those years.
fn vtimezone(zone: Zone, first_year: i32, last_year: i32) -> ics::TimeZone<'static> {
    let tzid = zone.name();
    let all = changes(zone, first_year, last_year);
    let mut timezone: Option<ics::TimeZone<'static>> = None;
    // `Daylight` and `Standard` are two types with the same shape: one recipe for both.
    macro_rules! observance {
        ($kind:ident, $add:ident, $first:ident, $dtstart:expr, $from:expr, $to:expr, $name:expr, $rule:expr) => {{
            let mut part = $kind::new($dtstart, $from, $to);
            part.push(TzName::new($name));
            if let Some(rule) = $rule {
                part.push(RRule::new(rule));
            }
            match timezone.as_mut() {
                Some(tz) => tz.$add(part),
                None => timezone = Some(ics::TimeZone::$first(tzid, part)),
            }
        }};
    }
    let mut add = |daylight: bool, dtstart: String, from: i32, to: i32, name: String, rule: Option<String>| {
        let (from, to) = (offset_text(from), offset_text(to));
        if daylight {
            observance!(Daylight, add_daylight, daylight, dtstart, from, to, name, rule)
        } else {
            observance!(Standard, add_standard, standard, dtstart, from, to, name, rule)
        }
    };
    if all.is_empty() {
        let at = Utc.with_ymd_and_hms(first_year, 1, 1, 0, 0, 0).single().unwrap_or_else(Utc::now);
        let (offset, daylight, name) = offset_at(zone, at);
        add(daylight, "19700101T000000".into(), offset, offset, name, None);
    }
    // Kinds in the order they first happen; each as a yearly rule where one fits.
    let mut kinds: Vec<(i32, i32, bool, String)> = Vec::new();
    for c in &all {
        let (from, to, daylight, name) = c.kind();
        if !kinds.iter().any(|k| (k.0, k.1, k.2, k.3.as_str()) == (from, to, daylight, name)) {
            kinds.push((from, to, daylight, name.to_string()));
        }
    }
    for (from, to, daylight, name) in kinds {
        let of_kind: Vec<&Change> = all.iter().filter(|c| c.kind() == (from, to, daylight, name.as_str())).collect();
        let dates: Vec<NaiveDateTime> = of_kind.iter().map(|c| c.local_before).collect();
        match yearly_rule(&dates) {
            Some(rule) => {
                // A rule the zone stopped using before the years covered end (summer time
                // abolished) ends with its last change, so it is not read on for ever.
                let last = of_kind.last().expect("a kind has a change");
                let rule =
                    if last.at.year() < last_year { format!("{rule};UNTIL={}", utc_stamp(last.at)) } else { rule };
                add(daylight, format_local(dates[0]), from, to, name.clone(), Some(rule))
            }
            None => {
                for c in of_kind {
                    add(daylight, format_local(c.local_before), from, to, name.clone(), None);
                }
            }
        }
    }
    timezone.expect("at least one part")
}

fn format_local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

#[cfg(test)]
mod tests;
