//! Typed identifiers. Every id is a UUIDv7: time-ordered, so devices that work offline never
//! collide and the SQLite indexes stay append-mostly. Ids are minted by the caller (the store or
//! the use cases) and passed in; this module only gives them types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps an existing UUID.
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The UUID inside.
            pub fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A person of the agency.
    PersonId
);
id_type!(
    /// A deal, from proposal to handoff.
    DealId
);
id_type!(
    /// A task, such as "Confirm dates with customer".
    TaskId
);
id_type!(
    /// One immutable event of the log.
    EventId
);
id_type!(
    /// One installation of Handoff (a laptop's database).
    DeviceId
);
id_type!(
    /// One founder escalation.
    EscalationId
);

id_type!(
    /// A traveller on a deal's trip.
    TravellerId
);
id_type!(
    /// An item of a trip's itinerary.
    ItemId
);
id_type!(
    /// A question Service had to ask a traveller on the trip.
    AskId
);
id_type!(
    /// A batch of cold-list outreach calls.
    OutreachId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = DealId::from_uuid(Uuid::now_v7());
        assert_eq!(id.to_string().parse::<DealId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<DealId>(&json).unwrap(), id);
    }
}
