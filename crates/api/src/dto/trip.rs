//! Trip content built by Fulfilment: dates, travellers with their preferences, the itinerary day
//! by day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Acting, DealRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TripDto {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TripSetRequest {
    pub deal: String,
    /// `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM` when the start time is known.
    pub start: Option<String>,
    pub end: Option<String>,
    pub destination: Option<String>,
    pub travellers: Option<u32>,
    pub acting: Acting,
}

/// One traveller preference as given: topic and text ("" clears it on edit).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreferenceInput {
    pub topic: handoff_domain::trip::PreferenceTopic,
    pub text: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TravellerAddRequest {
    pub deal: String,
    pub name: String,
    pub preferences: Vec<PreferenceInput>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TravellerEditRequest {
    pub deal: String,
    /// The traveller's name (or a unique start of it) or id.
    pub traveller: String,
    pub name: Option<String>,
    pub preferences: Vec<PreferenceInput>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreferenceDto {
    pub topic: handoff_domain::trip::PreferenceTopic,
    pub title: String,
    pub text: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TravellerDto {
    pub id: handoff_domain::ids::TravellerId,
    pub name: String,
    pub preferences: Vec<PreferenceDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemInput {
    pub deal: String,
    /// For edits and removals: the item's id or a unique id prefix.
    pub item: Option<String>,
    /// Editing, a field not given keeps its value; a time or detail (supplier, contact,
    /// confirmation) given empty is cleared.
    pub day: Option<String>,
    pub time: Option<String>,
    pub kind: Option<handoff_domain::trip::ItemKind>,
    pub title: Option<String>,
    pub supplier: Option<String>,
    pub contact: Option<String>,
    pub confirmation: Option<String>,
    pub acting: Acting,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemDto {
    pub id: handoff_domain::ids::ItemId,
    pub day: NaiveDate,
    pub time: Option<chrono::NaiveTime>,
    pub kind: handoff_domain::trip::ItemKind,
    pub title: String,
    pub supplier: Option<String>,
    pub contact: Option<String>,
    pub confirmation: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItineraryDay {
    pub day: NaiveDate,
    /// 1 for the trip's first day.
    pub number: Option<i64>,
    /// The trip is under way and this is its day today (agency time).
    pub today: bool,
    pub items: Vec<ItemDto>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItineraryDto {
    pub deal: DealRef,
    pub trip: TripDto,
    /// While the trip is under way: today's day of it ("day 3 of 6"); today is in `days` even
    /// when nothing is planned for it.
    pub under_way: Option<handoff_domain::deal::TripDay>,
    pub days: Vec<ItineraryDay>,
}
