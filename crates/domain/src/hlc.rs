//! A hybrid logical clock. Every event carries a stamp made of the wall-clock milliseconds and a
//! counter; a device never issues a stamp lower than one it has seen, even when its clock steps
//! back, so ordering events by (stamp, event id) is the same order on every device.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A hybrid logical clock stamp.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (the largest seen).
    pub wall_ms: i64,
    /// Orders stamps issued within the same millisecond.
    pub counter: u32,
}

impl Hlc {
    /// The next stamp to issue after `last`, given the local clock reading `now_ms`.
    pub fn next(last: Hlc, now_ms: i64) -> Hlc {
        if now_ms > last.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0 }
        } else {
            Hlc { wall_ms: last.wall_ms, counter: last.counter + 1 }
        }
    }

    /// Takes in a stamp received from another device: the last stamp becomes the larger of the
    /// two, so whatever this device stamps next sorts after everything it has seen. A stamp more
    /// than [`MAX_DRIFT_MS`] ahead of the local clock `now_ms` is refused: one of the two clocks
    /// is wrong, and taking it in would drag every later stamp here into the future.
    pub fn observe(last: Hlc, received: Hlc, now_ms: i64) -> Result<Hlc, ClockAhead> {
        let ahead_ms = received.wall_ms.saturating_sub(now_ms);
        if ahead_ms > MAX_DRIFT_MS {
            return Err(ClockAhead { ahead_ms });
        }
        Ok(last.max(received))
    }

    /// The stamp `parts` stamps before this one within the same millisecond: where the action
    /// this stamp belongs to began (see [`crate::event::Event::part`]).
    pub fn back(self, parts: u32) -> Option<Hlc> {
        Some(Hlc { wall_ms: self.wall_ms, counter: self.counter.checked_sub(parts)? })
    }
}

/// How far ahead of this device's clock a received stamp may be: five minutes.
pub const MAX_DRIFT_MS: i64 = 5 * 60 * 1000;

/// A received stamp too far ahead of the local clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an event is stamped {} ahead of this laptop's clock (more than 5 minutes): one of the two clocks is wrong; nothing was taken in", minutes(*ahead_ms))]
pub struct ClockAhead {
    pub ahead_ms: i64,
}

fn minutes(ms: i64) -> String {
    let m = (ms + 59_999) / 60_000;
    if m == 1 {
        "1 minute".into()
    } else {
        format!("{m} minutes")
    }
}

/// Fixed-width text that sorts like the stamp: `0001764000000000-0000000003`.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016}-{:010}", self.wall_ms, self.counter)
    }
}

/// The text of a stamp that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a clock stamp")]
pub struct BadHlc(pub String);

impl FromStr for Hlc {
    type Err = BadHlc;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadHlc(s.to_string());
        let (ms, counter) = s.split_once('-').ok_or_else(bad)?;
        Ok(Hlc { wall_ms: ms.parse().map_err(|_| bad())?, counter: counter.parse().map_err(|_| bad())? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_goes_backwards_when_the_clock_does() {
        let a = Hlc::next(Hlc::default(), 1_000);
        let b = Hlc::next(a, 900);
        let c = Hlc::next(b, 900);
        let d = Hlc::next(c, 2_000);
        assert!(a < b && b < c && c < d);
        assert_eq!(b, Hlc { wall_ms: 1_000, counter: 1 });
        assert_eq!(d, Hlc { wall_ms: 2_000, counter: 0 });
    }

    #[test]
    fn a_received_stamp_moves_the_clock_forward_never_back() {
        let last = Hlc { wall_ms: 1_000, counter: 4 };
        assert_eq!(Hlc::observe(last, Hlc { wall_ms: 900, counter: 9 }, 1_000).unwrap(), last);
        let ahead = Hlc { wall_ms: 5_000, counter: 2 };
        let seen = Hlc::observe(last, ahead, 1_000).unwrap();
        assert_eq!(seen, ahead);
        // A slow clock still stamps after what it has seen.
        assert!(Hlc::next(seen, 1_000) > ahead);
    }

    #[test]
    fn a_stamp_more_than_five_minutes_ahead_is_refused() {
        let now = 10_000_000;
        let just = Hlc { wall_ms: now + MAX_DRIFT_MS, counter: 0 };
        assert!(Hlc::observe(Hlc::default(), just, now).is_ok());
        let err = Hlc::observe(Hlc::default(), Hlc { wall_ms: now + MAX_DRIFT_MS + 1, counter: 0 }, now).unwrap_err();
        assert_eq!(err.ahead_ms, MAX_DRIFT_MS + 1);
        assert!(err.to_string().contains("6 minutes ahead"), "{err}");
        assert!(err.to_string().contains("one of the two clocks is wrong"), "{err}");
    }

    #[test]
    fn text_sorts_like_the_stamp_and_round_trips() {
        let a = Hlc { wall_ms: 999, counter: 12 };
        let b = Hlc { wall_ms: 1_000, counter: 1 };
        assert!(a.to_string() < b.to_string());
        assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
        assert!("nonsense".parse::<Hlc>().is_err());
    }
}
