//! Closed word lists: the enums whose every value a front end offers as a choice (preference and
//! ask topics, itinerary kinds, sentiments, outcomes, departments, brief sections, paper sizes, locales).
//! Each is one enum here; the generated TypeScript has it as a union the app lists from, and the
//! command line takes its values from [`Word::ALL`], so adding a value is one edit in Rust.

use std::fmt::Display;
use std::str::FromStr;

use crate::brief::Section;
use crate::directory::{Department, Locale, Paper};
use crate::trip::{AskTopic, ItemKind, Outcome, PreferenceTopic, Sentiment};

/// A value of a closed word list.
pub trait Word: Copy + Send + Sync + FromStr<Err: Display> + 'static {
    /// Every value, in the order a person meets them.
    const ALL: &'static [Self];
    /// The word for the value, as it is stored and typed.
    fn as_str(self) -> &'static str;
}

macro_rules! words {
    ($($t:ty),* $(,)?) => {$(
        impl Word for $t {
            const ALL: &'static [Self] = &<$t>::ALL;
            fn as_str(self) -> &'static str {
                <$t>::as_str(self)
            }
        }
    )*};
}

words!(PreferenceTopic, AskTopic, ItemKind, Sentiment, Outcome, Department, Section, Paper, Locale);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<W: Word + PartialEq + std::fmt::Debug>() {
        for w in W::ALL {
            assert_eq!(w.as_str().parse::<W>().ok(), Some(*w), "{}", w.as_str());
        }
    }

    #[test]
    fn every_word_parses_back_to_itself() {
        round_trips::<PreferenceTopic>();
        round_trips::<AskTopic>();
        round_trips::<ItemKind>();
        round_trips::<Sentiment>();
        round_trips::<Outcome>();
        round_trips::<Department>();
        round_trips::<Section>();
        round_trips::<Paper>();
        round_trips::<Locale>();
    }
}
