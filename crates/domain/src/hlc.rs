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
    fn text_sorts_like_the_stamp_and_round_trips() {
        let a = Hlc { wall_ms: 999, counter: 12 };
        let b = Hlc { wall_ms: 1_000, counter: 1 };
        assert!(a.to_string() < b.to_string());
        assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
        assert!("nonsense".parse::<Hlc>().is_err());
    }
}
