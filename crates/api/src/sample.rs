//! The sample agency. [`open_sample`] fills an empty database with "Wayfarer Travel (sample)",
//! caught in the middle of an ordinary week, so that someone new to the desktop app has something
//! to explore: a won deal drifting past one business day and a handoff meeting under way, a trip
//! whose 72-hour service handoff is due, last week's trips waiting for the Tuesday review, ten
//! weeks of dwell history, an earlier review whose follow-up call renewed, cold outreach, and
//! founder escalations.
//!
//! Everything goes through the same public use cases a person would use, each backdated (`--at`)
//! relative to now, so the sample keeps every rule the app enforces and every step happened in
//! the past, in the order it would have happened. Only the dates move with the clock; the people,
//! trips and amounts are always the same.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use handoff_domain::calendar::{parse_zone, Calendar};
use handoff_domain::review::previous_review;
use handoff_domain::RuleError;
use uuid::Uuid;

use crate::dto::*;
use crate::{ApiError, Ctx, ErrorCode};

/// The sample agency's name: "(sample)" so nobody mistakes it for a real one.
const AGENCY: &str = "Wayfarer Travel (sample)";
const TIMEZONE: &str = "Europe/London";

const SAM: &str = "Sam Reyes";
const LEA: &str = "Lea Novak";
const FAY: &str = "Fay Okafor";
const MAYA: &str = "Maya Chen";

/// Everyone, founder first (she sets the agency up): name, department, email.
const PEOPLE: [(&str, &str, &str); 8] = [
    (MAYA, "founder", "maya@wayfarer.example"),
    (SAM, "sales", "sam@wayfarer.example"),
    (LEA, "sales", "lea@wayfarer.example"),
    (FAY, "fulfilment", "fay@wayfarer.example"),
    ("Bo Lind", "fulfilment", "bo@wayfarer.example"),
    ("Cy Adams", "fulfilment", "cy@wayfarer.example"),
    ("Sol Reed", "service", "sol@wayfarer.example"),
    ("Ivy Park", "service", "ivy@wayfarer.example"),
];

/// Each department's lead and named backups, in order.
const STAFFING: [(&str, &str, &[&str]); 3] =
    [("sales", SAM, &[LEA]), ("fulfilment", FAY, &["Bo Lind", "Cy Adams"]), ("service", "Sol Reed", &["Ivy Park"])];

/// A past deal from the CRM export, for the dwell trend: title, customer, value, currency,
/// seller, how many weeks ago, then the close and the handoff as (day of that week counted from
/// Monday, hour, minute) in local time.
type PastDeal =
    (&'static str, &'static str, &'static str, &'static str, &'static str, i64, (i64, i64, i64), (i64, i64, i64));

/// Thirty handed-off deals over the past ten weeks; dwell falls from days to hours as the
/// playbook takes hold.
const PAST_DEALS: [PastDeal; 30] = [
    ("Kyoto cherry blossom tour", "The Hartleys", "14800", "GBP", SAM, 10, (0, 11, 0), (4, 11, 0)),
    ("Marrakech riad weekend", "Priya and Tom Shah", "2650", "GBP", LEA, 10, (1, 14, 30), (3, 16, 0)),
    ("Norwegian fjords cruise", "The Bergströms", "9400", "EUR", SAM, 10, (3, 9, 40), (4, 12, 10)),
    ("Tuscany cooking week", "Delgado party", "7200", "EUR", LEA, 9, (0, 16, 20), (3, 15, 0)),
    ("Banff and the Rockies road trip", "The Whitfields", "11300", "USD", SAM, 9, (2, 11, 0), (3, 17, 0)),
    ("Berlin conference package", "Northwind Ltd", "18500", "EUR", SAM, 9, (4, 10, 0), (4, 15, 30)),
    ("Maldives honeymoon", "Aisha and Daniel Okoro", "16900", "GBP", LEA, 8, (0, 9, 30), (2, 10, 30)),
    ("Edinburgh festival break", "The Morgans", "1980", "GBP", LEA, 8, (1, 15, 45), (2, 17, 15)),
    ("Vienna Christmas markets", "St Albans Choir", "6400", "EUR", SAM, 8, (3, 12, 0), (3, 17, 0)),
    ("Cape Town and the winelands", "Fraser party", "12750", "GBP", SAM, 7, (0, 13, 0), (1, 16, 30)),
    ("Lake Como anniversary", "Mr and Mrs Ricci", "5900", "EUR", LEA, 7, (2, 10, 30), (3, 9, 30)),
    ("Patagonia trek", "Cole and Nakamura", "13200", "USD", SAM, 7, (4, 9, 15), (4, 13, 45)),
    ("Seville flamenco weekend", "The Harper sisters", "1850", "EUR", LEA, 6, (0, 16, 50), (1, 17, 20)),
    ("New York shopping trip", "The Lindqvists", "7600", "USD", SAM, 6, (2, 9, 0), (2, 16, 0)),
    ("Croatia sailing week", "Brightwater Partners", "21400", "EUR", SAM, 6, (3, 14, 0), (3, 17, 10)),
    ("Cornwall family cottage", "The Osei family", "2300", "GBP", LEA, 5, (1, 15, 30), (2, 11, 30)),
    ("Vietnam north to south", "Ellis and Moreau", "9800", "GBP", SAM, 5, (2, 10, 0), (2, 15, 0)),
    ("Prague stag weekend", "Jamie Walsh and friends", "3400", "EUR", LEA, 5, (4, 11, 20), (4, 14, 20)),
    ("Santorini villa week", "The Papadakis family", "8700", "EUR", SAM, 4, (0, 17, 5), (1, 14, 0)),
    ("Swiss rail panorama", "Mrs J. Whitaker", "4950", "GBP", LEA, 4, (2, 9, 45), (2, 14, 30)),
    ("Dubai stopover", "K. Rahman", "2100", "USD", LEA, 4, (3, 13, 30), (3, 16, 30)),
    ("Galápagos expedition", "The Ashworths", "24600", "USD", SAM, 3, (0, 10, 0), (0, 16, 0)),
    ("Amsterdam team offsite", "Fintrail BV", "15800", "EUR", SAM, 3, (1, 11, 30), (1, 15, 30)),
    ("Scottish Highlands golf", "Kingsbridge Golf Society", "8900", "GBP", LEA, 3, (3, 14, 30), (3, 17, 0)),
    ("Bali wellness retreat", "Nadia Petrov", "4300", "USD", LEA, 2, (0, 12, 0), (0, 17, 0)),
    ("Paris Disneyland family break", "The Mahoneys", "3100", "EUR", LEA, 2, (2, 10, 10), (2, 13, 10)),
    ("Rome Easter pilgrimage", "St Mary's Parish", "11900", "EUR", SAM, 2, (4, 9, 30), (4, 11, 30)),
    ("Madeira walking holiday", "Hill and Dale Walkers", "6200", "GBP", SAM, 1, (1, 9, 20), (1, 13, 20)),
    ("Tokyo and Osaka business trip", "Kestrel Robotics", "19400", "USD", SAM, 1, (2, 14, 0), (2, 17, 0)),
    ("Lapland family Christmas", "The Brennans", "9300", "GBP", LEA, 1, (3, 10, 0), (3, 12, 0)),
];

/// When an itinerary item happens on its day.
#[derive(Clone, Copy)]
enum When {
    /// Any time of the day.
    Unset,
    /// At this local hour and minute.
    At(i64, i64),
    /// When the trip starts (the outbound flight).
    Departure,
}

/// A traveller: name and preferences as (topic, text).
type TravellerData = (&'static str, &'static [(&'static str, &'static str)]);

/// An itinerary item: day of the trip (0 is the first), time, kind, title, supplier, contact and
/// confirmation ("" when none).
type ItemData = (i64, When, &'static str, &'static str, &'static str, &'static str, &'static str);

/// What a sample deal is: what was sold to whom, the brief Sales writes, and the trip content
/// Fulfilment builds. The `trip` section of the brief is prefixed with the trip's dates.
struct Story {
    title: &'static str,
    customer: &'static str,
    value: &'static str,
    currency: &'static str,
    seller: &'static str,
    destination: &'static str,
    party: u32,
    brief: &'static [(&'static str, &'static str)],
    travellers: &'static [TravellerData],
    itinerary: &'static [ItemData],
}

/// The base of a deal with nothing written or built yet.
const OPEN: Story = Story {
    title: "",
    customer: "",
    value: "",
    currency: "EUR",
    seller: SAM,
    destination: "",
    party: 2,
    brief: &[],
    travellers: &[],
    itinerary: &[],
};

// ---- the earlier review cycle ----------------------------------------------------------------

const LISBON: Story = Story {
    title: "Lisbon and Sintra break",
    customer: "The Patels",
    value: "4200",
    currency: "GBP",
    seller: SAM,
    destination: "Lisbon",
    party: 3,
    brief: &[
        (
            "customer",
            "Ravi and Meera Patel with their daughter Asha (7); ravi.patel@example.com, +44 7700 900311. Came to \
             us through the Okoro wedding.",
        ),
        ("trip", "A long weekend from London Heathrow."),
        (
            "sold",
            "TAP flights, 3 nights at Memmo Alfama (family room), a private driver for the Sintra palaces; £4,200 \
             paid.",
        ),
        (
            "preferences",
            "Ravi eats no pork. Asha has a nut allergy and carries an EpiPen; she sleeps in her parents' room.",
        ),
        ("first-steps", "Confirm dates with Ravi; ask Memmo for a family room with a sofa bed."),
    ],
    travellers: &[
        ("Ravi Patel", &[("dietary", "No pork")]),
        ("Meera Patel", &[]),
        ("Asha Patel", &[("medical", "Nut allergy; carries an EpiPen"), ("rooming", "Aged 7: in her parents' room")]),
    ],
    itinerary: &[
        (0, When::Departure, "flight", "TP 1351 London Heathrow → Lisbon", "TAP Air Portugal", "", "Q7PL2X"),
        (
            0,
            When::At(14, 0),
            "hotel",
            "Memmo Alfama, family room (3 nights)",
            "Memmo Hotels",
            "+351 210 495 660",
            "MEM-20417",
        ),
        (
            1,
            When::At(9, 30),
            "activity",
            "Sintra palaces with a private driver",
            "Lisbon Private Drivers",
            "+351 912 345 678",
            "",
        ),
        (3, When::At(18, 40), "flight", "TP 1366 Lisbon → London Heathrow", "TAP Air Portugal", "", "Q7PL2X"),
    ],
};

const DORDOGNE: Story = Story {
    title: "Dordogne canoe week",
    customer: "The Hendersons",
    value: "6100",
    currency: "EUR",
    seller: LEA,
    destination: "the Dordogne",
    party: 4,
    brief: &[
        ("customer", "Mark and Claire Henderson with Finn (15) and Isla (13); claire.henderson@example.com."),
        ("trip", "A week in a gîte near Sarlat, flying into Bergerac."),
        ("sold", "easyJet flights, a week in a gîte with a pool, car hire, a guided canoe day; €6,100."),
        ("preferences", "Claire is vegetarian. Mark is a nervous swimmer. The teenagers share a twin room."),
        ("first-steps", "Confirm dates; send the gîte the arrival time."),
    ],
    travellers: &[
        ("Mark Henderson", &[("other", "Nervous swimmer: wants buoyancy aids in the canoes")]),
        ("Claire Henderson", &[("dietary", "Vegetarian")]),
        ("Finn Henderson", &[]),
        ("Isla Henderson", &[("rooming", "Shares a twin room with her brother, next to their parents")]),
    ],
    itinerary: &[
        (0, When::Departure, "flight", "EZY 8411 London Gatwick → Bergerac", "easyJet", "", "EZ4K7TB"),
        (0, When::At(11, 30), "transfer", "Car hire, Bergerac airport", "Europcar", "+33 5 53 22 20 40", "EC-883120"),
        (
            0,
            When::At(16, 0),
            "hotel",
            "Gîte La Roque near Sarlat (7 nights)",
            "Gîtes de France",
            "+33 5 53 35 50 24",
            "GDF-5512",
        ),
        (
            2,
            When::At(10, 0),
            "activity",
            "Guided canoe day, Vitrac to Beynac",
            "Canoës Vallée Dordogne",
            "+33 5 53 29 58 50",
            "",
        ),
        (7, When::At(13, 40), "flight", "EZY 8412 Bergerac → London Gatwick", "easyJet", "", "EZ4K7TB"),
    ],
};

const PORTO: Story = Story {
    title: "Porto at Easter",
    customer: "The Patels",
    value: "3800",
    currency: "GBP",
    destination: "Porto",
    party: 5,
    ..OPEN
};

// ---- the trips of the latest Tuesday review --------------------------------------------------

const KENYA: Story = Story {
    title: "Kenya safari and Zanzibar",
    customer: "The Adeyemis",
    value: "18400",
    currency: "GBP",
    seller: SAM,
    destination: "the Masai Mara and Zanzibar",
    party: 3,
    brief: &[
        (
            "customer",
            "Tunde and Bisi Adeyemi with their daughter Kemi (19); tunde.adeyemi@example.com, +44 7700 900456. \
             Their 25th wedding anniversary.",
        ),
        ("trip", "Safari then beach, from London Heathrow via Nairobi."),
        (
            "sold",
            "Kenya Airways flights; 3 nights at Angama Mara, full board with game drives; 7 nights at Zuri \
             Zanzibar, half board; all transfers and bush flights; £18,400.",
        ),
        ("promises", "A sunrise balloon safari over the Mara; a private anniversary dinner on the beach."),
        (
            "preferences",
            "Tunde is type 1 diabetic: his insulin must be refrigerated in every room. Bisi eats no shellfish.",
        ),
        ("risks", "Yellow fever certificates are needed for Zanzibar; the tail of the rains can ground the balloon."),
        ("first-steps", "Confirm dates; check the yellow fever certificates; tell both lodges about the fridge."),
    ],
    travellers: &[
        ("Tunde Adeyemi", &[("medical", "Type 1 diabetic: insulin needs a fridge in every room")]),
        ("Bisi Adeyemi", &[("dietary", "No shellfish")]),
        ("Kemi Adeyemi", &[]),
    ],
    itinerary: &[
        (0, When::Departure, "flight", "KQ 101 London Heathrow → Nairobi", "Kenya Airways", "", "KQ8FJ2"),
        (
            1,
            When::At(11, 0),
            "flight",
            "Nairobi Wilson → Angama airstrip",
            "Safarilink",
            "+254 20 600 0500",
            "SL-55120",
        ),
        (1, When::At(13, 0), "hotel", "Angama Mara, full board (3 nights)", "Angama", "+254 730 630 630", "ANG-7731"),
        (2, When::At(5, 45), "activity", "Sunrise balloon safari", "Governors' Balloon Safaris", "", "GBS-1142"),
        (4, When::At(12, 0), "flight", "Mara → Zanzibar via Nairobi", "Safarilink", "", "SL-55121"),
        (
            4,
            When::At(18, 0),
            "hotel",
            "Zuri Zanzibar, half board (7 nights)",
            "Zuri Zanzibar",
            "+255 774 700 800",
            "ZURI-3390",
        ),
        (8, When::At(19, 30), "meal", "Private anniversary dinner on the beach", "Zuri Zanzibar", "", ""),
        (
            11,
            When::At(23, 55),
            "flight",
            "KQ 100 Zanzibar → London Heathrow via Nairobi",
            "Kenya Airways",
            "",
            "KQ8FJ2",
        ),
    ],
};

const ANDALUSIA: Story = Story {
    title: "Andalusia road trip",
    customer: "Mr and Mrs Kowalski",
    value: "5400",
    currency: "EUR",
    seller: LEA,
    destination: "Seville, Córdoba and Granada",
    party: 2,
    brief: &[
        ("customer", "Piotr and Anna Kowalski, retired teachers; anna.kowalski@example.com. Their first trip with us."),
        ("trip", "Self-drive, flying into Seville and home from Málaga."),
        ("sold", "Flights; 3 nights in Seville, 1 in Córdoba, 3 in Granada; hire car; Alhambra tickets; €5,400."),
        ("preferences", "Piotr has a bad back: three hours' driving a day at most. Anna is vegetarian."),
        ("first-steps", "Confirm dates; book the Alhambra the day tickets open."),
    ],
    travellers: &[
        ("Piotr Kowalski", &[("mobility", "Bad back: no more than three hours' driving a day")]),
        ("Anna Kowalski", &[("dietary", "Vegetarian")]),
    ],
    itinerary: &[
        (0, When::Departure, "flight", "IB 3163 London Heathrow → Seville via Madrid", "Iberia", "", "IB7TQ9"),
        (0, When::At(14, 0), "transfer", "Hire car, Seville airport", "Hertz", "+34 954 514 720", "HZ-661208"),
        (
            0,
            When::At(16, 0),
            "hotel",
            "Hotel Alfonso XIII, Seville (3 nights)",
            "Hotel Alfonso XIII",
            "+34 954 917 000",
            "AXIII-2281",
        ),
        (
            3,
            When::At(17, 0),
            "hotel",
            "Hospes Palacio del Bailío, Córdoba (1 night)",
            "Hospes",
            "+34 957 498 993",
            "HPB-1170",
        ),
        (4, When::At(16, 0), "hotel", "Parador de Granada (3 nights)", "Paradores", "+34 958 221 440", "PAR-55017"),
        (
            5,
            When::At(10, 0),
            "activity",
            "Alhambra and the Nasrid Palaces, timed entry",
            "Patronato de la Alhambra",
            "",
            "ALH-90321",
        ),
        (7, When::At(19, 20), "flight", "BA 2667 Málaga → London Gatwick", "British Airways", "", "BA5P2K"),
    ],
};

const ROME: Story = Story {
    title: "Rome city break",
    customer: "Greene party",
    value: "3200",
    currency: "GBP",
    seller: SAM,
    destination: "Rome",
    party: 3,
    brief: &[
        ("customer", "Sarah Greene with her daughters Chloe and Liz; sarah.greene@example.com, +44 7700 900789."),
        ("trip", "Three days, flying from London Gatwick."),
        ("sold", "BA flights, 2 nights at Hotel Artemide, a skip-the-line Vatican tour; £3,200."),
        ("preferences", "Sarah walks with a stick: taxis rather than long walks. Liz wants her own room."),
        ("first-steps", "Confirm dates; book the Vatican for a morning slot."),
    ],
    travellers: &[
        ("Sarah Greene", &[("mobility", "Walks with a stick: taxis rather than long walks")]),
        ("Chloe Greene", &[]),
        ("Liz Greene", &[("rooming", "Her own room, not shared")]),
    ],
    itinerary: &[
        (0, When::Departure, "flight", "BA 2548 London Gatwick → Rome Fiumicino", "British Airways", "", "BA9R3W"),
        (0, When::At(14, 0), "hotel", "Hotel Artemide (2 nights)", "Hotel Artemide", "+39 06 489 911", "ART-44120"),
        (
            1,
            When::At(8, 30),
            "activity",
            "Skip-the-line Vatican Museums and Sistine Chapel",
            "Walks of Italy",
            "",
            "WOI-77812",
        ),
        (2, When::At(20, 5), "flight", "BA 2551 Rome Fiumicino → London Gatwick", "British Airways", "", "BA9R3W"),
    ],
};

const BARCELONA: Story = Story {
    title: "Barcelona football weekend",
    customer: "Dan Fletcher and friends",
    value: "2900",
    currency: "EUR",
    seller: LEA,
    destination: "Barcelona",
    party: 4,
    brief: &[
        ("customer", "Dan Fletcher and three friends; dan.fletcher@example.com, +44 7700 900234."),
        ("trip", "A football weekend from London Gatwick."),
        ("sold", "Vueling flights, 2 nights at Casa Camper, 4 match tickets; €2,900."),
        ("promises", "Four seats together for the match."),
        ("preferences", "Rob eats halal."),
        ("first-steps", "Confirm names as on passports; buy the match tickets the day they go on sale."),
    ],
    travellers: &[
        ("Dan Fletcher", &[]),
        ("Rob Hughes", &[("dietary", "Halal")]),
        ("Jon Ortiz", &[]),
        ("Lee Chung", &[]),
    ],
    itinerary: &[
        (0, When::Departure, "flight", "VY 7821 London Gatwick → Barcelona", "Vueling", "", "VY2M8D"),
        (0, When::At(12, 0), "hotel", "Casa Camper (2 nights)", "Casa Camper", "+34 933 426 280", "CC-11873"),
        (
            1,
            When::At(21, 0),
            "activity",
            "FC Barcelona match, 4 seats together (upper tier)",
            "FC Barcelona",
            "",
            "FCB-6602",
        ),
        (2, When::At(21, 10), "flight", "VY 7828 Barcelona → London Gatwick", "Vueling", "", "VY2M8D"),
    ],
};

const BOTSWANA: Story = Story {
    title: "Botswana fly-in safari",
    customer: "The Adeyemis",
    value: "26000",
    currency: "GBP",
    destination: "the Okavango Delta",
    party: 3,
    ..OPEN
};

// ---- this week ---------------------------------------------------------------------------------

const COPENHAGEN: Story = Story {
    title: "Copenhagen design weekend",
    customer: "Studio Brandt",
    value: "3600",
    currency: "EUR",
    seller: SAM,
    destination: "Copenhagen",
    party: 2,
    brief: &[
        ("customer", "Nina and Ole Brandt of Studio Brandt, interior designers; nina@studiobrandt.example."),
        ("trip", "A design weekend from London Heathrow."),
        ("sold", "SAS flights, 3 nights at Hotel Sanders, a curator-led visit to Designmuseum Danmark; €3,600."),
        ("preferences", "Nina is vegan."),
        ("first-steps", "Confirm dates; book the curator."),
    ],
    travellers: &[("Nina Brandt", &[("dietary", "Vegan")]), ("Ole Brandt", &[])],
    itinerary: &[
        (0, When::Departure, "flight", "SK 1500 London Heathrow → Copenhagen", "SAS", "", "SK4H7P"),
        (0, When::At(13, 0), "hotel", "Hotel Sanders (3 nights)", "Hotel Sanders", "+45 46 40 00 40", "SAN-2098"),
        (1, When::At(10, 0), "activity", "Designmuseum Danmark with a curator", "Designmuseum Danmark", "", ""),
        (3, When::At(19, 30), "flight", "SK 1531 Copenhagen → London Heathrow", "SAS", "", "SK4H7P"),
    ],
};

/// Handed off a few days ago; the trip starts in about three days and its service handoff is due.
const TOKYO: Story = Story {
    title: "Tokyo and Kyoto family trip",
    customer: "The Nakamura-Reids",
    value: "16800",
    currency: "GBP",
    seller: SAM,
    destination: "Tokyo and Kyoto",
    party: 4,
    brief: &[
        (
            "customer",
            "Hana Nakamura-Reid (lead booker; hana.nr@example.com, +44 7700 900123) and Ollie Reid, with their \
             daughter Mia (9) and Hana's mother Keiko Nakamura. Third trip with us: Lisbon in 2023, Crete in \
             2024.",
        ),
        ("trip", "From London Heathrow: 4 nights in Tokyo, 4 in Kyoto, 1 by Kansai airport; home from Osaka."),
        (
            "sold",
            "Premium economy flights to Haneda and home from Kansai; 9 nights in family or connecting rooms \
             (Hotel Gracery Shinjuku, The Celestine Kyoto Gion, Hotel Nikko Kansai Airport); 7-day JR passes; a \
             private guide for two days; every airport transfer. £16,800, paid in full.",
        ),
        (
            "promises",
            "A Japanese-speaking guide on both guided days, for Keiko. A kaiseki dinner in Kyoto that Mia can eat \
             safely. Connecting rooms or one family room in every hotel.",
        ),
        (
            "preferences",
            "Hana is pescatarian. Mia has a severe peanut allergy (two EpiPens; needs an allergy card in \
             Japanese). Ollie is ten weeks after knee surgery: no long staircases, taxis rather than long station \
             walks. Keiko uses a folding wheelchair at airports and in big museums.",
        ),
        (
            "risks",
            "Mia's passport expires five months after the return: check Japan's entry rule. Late typhoon season: \
             keep a fallback for the Hakone day. Peanut oil is common in some sauces and sweets.",
        ),
        (
            "first-steps",
            "Confirm dates and passport names with Hana; book wheelchair assistance at Heathrow and Haneda; order \
             the Japanese allergy card; ask both city hotels for rooms near a lift.",
        ),
    ],
    travellers: &[
        ("Hana Nakamura-Reid", &[("dietary", "Pescatarian: fish and seafood yes, no meat or meat stock")]),
        (
            "Ollie Reid",
            &[("mobility", "Ten weeks after knee surgery: no long stairs, taxis for transfers, a room near a lift")],
        ),
        (
            "Mia Reid",
            &[
                ("medical", "Severe peanut allergy: carries two EpiPens; show the Japanese allergy card at every meal"),
                ("rooming", "Aged 9: sleeps in her parents' room or a connecting one"),
            ],
        ),
        (
            "Keiko Nakamura",
            &[
                ("mobility", "Folding wheelchair at airports and in big museums"),
                ("other", "Prefers a Japanese-speaking guide; dislikes being fussed over"),
            ],
        ),
    ],
    itinerary: &[
        (
            0,
            When::Departure,
            "flight",
            "BA 7 London Heathrow → Tokyo Haneda",
            "British Airways",
            "+44 344 493 0787",
            "X7K2QP",
        ),
        (
            1,
            When::At(16, 0),
            "transfer",
            "Private car Haneda → Shinjuku, room for the wheelchair",
            "Tokyo MK",
            "+81 3 5547 5551",
            "MK-88412",
        ),
        (
            1,
            When::At(17, 0),
            "hotel",
            "Hotel Gracery Shinjuku, family room (4 nights)",
            "Hotel Gracery",
            "+81 3 6833 2489",
            "GRC-558201",
        ),
        (
            2,
            When::At(9, 30),
            "activity",
            "Private guided day: Asakusa, Ueno and teamLab (Japanese-speaking guide)",
            "Tokyo Private Guides",
            "+81 90 1234 5678",
            "TPG-2231",
        ),
        (
            5,
            When::At(10, 3),
            "transfer",
            "Shinkansen Nozomi Tokyo → Kyoto, reserved seats",
            "JR Central",
            "",
            "JR-7Q2M",
        ),
        (
            5,
            When::At(15, 0),
            "hotel",
            "The Celestine Kyoto Gion, connecting rooms (4 nights)",
            "Hotel The Celestine",
            "+81 75 532 3111",
            "CKG-90317",
        ),
        (3, When::Unset, "note", "Free day in Tokyo; the Ghibli Museum tickets are on Hana's phone", "", "", ""),
        (
            7,
            When::At(18, 30),
            "meal",
            "Peanut-free kaiseki dinner at Gion Karyo (allergy card sent ahead)",
            "Gion Karyo",
            "+81 75 532 0025",
            "",
        ),
        (
            9,
            When::At(16, 0),
            "hotel",
            "Hotel Nikko Kansai Airport (1 night)",
            "Hotel Nikko",
            "+81 72 455 1111",
            "NKX-4410",
        ),
        (
            10,
            When::At(11, 5),
            "flight",
            "AY 78 Osaka Kansai → Helsinki, AY 1337 → London Heathrow",
            "Finnair",
            "",
            "FN3R8A",
        ),
    ],
};

/// Handed off yesterday by the backup; "Confirm dates with customer" is due today.
const PERU: Story = Story {
    title: "Peru and Machu Picchu",
    customer: "The Lawson family",
    value: "15600",
    currency: "USD",
    seller: SAM,
    destination: "Lima, Cusco and Machu Picchu",
    party: 4,
    brief: &[
        (
            "customer",
            "Grace and Tom Lawson with their sons Ben (16) and Sam (14); grace.lawson@example.com, +1 617 555 \
             0142.",
        ),
        ("trip", "Two weeks in Peru, flying from London via Madrid."),
        (
            "sold",
            "Flights via Madrid; 12 nights in Lima, the Sacred Valley and Cusco; the short Inca Trail with \
             porters; the Vistadome train back; $15,600.",
        ),
        ("preferences", "Tom gets altitude sickness: go up slowly through the Sacred Valley."),
        ("first-steps", "Confirm dates; apply for the Inca Trail permits this week, before they sell out."),
    ],
    ..OPEN
};

/// Won five days ago and still not handed off: red on the Today board.
const ICELAND: Story = Story {
    title: "Iceland northern lights",
    customer: "Smith party",
    value: "7000",
    currency: "EUR",
    destination: "Reykjavík and the south coast",
    party: 4,
    ..OPEN
};

/// Won two hours ago; the handoff meeting is under way.
const AMALFI: Story = Story {
    title: "Amalfi coast honeymoon",
    customer: "Ella and James Carter",
    value: "8900",
    currency: "GBP",
    seller: LEA,
    destination: "the Amalfi coast",
    party: 2,
    brief: &[
        ("customer", "Ella and James Carter, married on the 14th; ella.carter@example.com, +44 7700 900567."),
        ("trip", "A week on the Amalfi coast, flying into Naples."),
        (
            "sold",
            "BA flights, 4 nights at Le Sirenuse in Positano and 3 at Hotel Caruso in Ravello, a private boat day \
             to Capri; £8,900.",
        ),
    ],
    ..OPEN
};

const BORDEAUX: Story = Story {
    title: "Bordeaux wine tour",
    customer: "Halcyon Capital",
    value: "22500",
    currency: "EUR",
    seller: LEA,
    destination: "Bordeaux and Saint-Émilion",
    party: 12,
    ..OPEN
};

const NEW_ENGLAND: Story = Story {
    title: "New England fall foliage",
    customer: "The Brooks family",
    value: "12400",
    currency: "USD",
    seller: LEA,
    destination: "Vermont and Maine",
    party: 5,
    ..OPEN
};

const GREEK_ISLANDS: Story = Story {
    title: "Greek islands sailing",
    customer: "Ridgeway and Co",
    value: "31000",
    currency: "EUR",
    destination: "the Cyclades",
    party: 10,
    ..OPEN
};

const CARIBBEAN: Story = Story {
    title: "Caribbean cruise",
    customer: "Mr and Mrs Dalton",
    value: "9800",
    currency: "USD",
    seller: LEA,
    destination: "the Eastern Caribbean",
    party: 2,
    ..OPEN
};

/// Fills an empty database with a realistic sample agency, "Wayfarer Travel (sample)", for
/// exploring the app. Refused, writing nothing, when the database already holds an agency.
///
/// Each step is its own use case and so its own transaction: should one fail (a full disk), the
/// steps before it stay written, and the database is best deleted and the sample opened again.
pub fn open_sample(ctx: &Ctx) -> Result<AgencyDto, ApiError> {
    let existing = ctx.store().read(handoff_store::query::directory)?.agency;
    if let Some(agency) = existing {
        return Err(RuleError::AgencyExists(agency.name).into());
    }
    let now = ctx.now();
    let cal = Calendar::new(parse_zone(TIMEZONE).map_err(RuleError::from)?);
    let today = cal.local_date(now);
    let sample = Sample { ctx, now, today, review: previous_review(today), cal };
    sample.set_up()?;
    sample.import_history()?;
    sample.earlier_review()?;
    sample.latest_review()?;
    sample.this_week()?;
    crate::agency(ctx)
}

/// Trip dates as a deal carries them.
#[derive(Clone, Copy)]
struct Dates {
    start: NaiveDate,
    /// The local time the trip starts (its outbound flight), when known.
    departs: Option<NaiveTime>,
    end: NaiveDate,
}

/// When each step of a handed-off deal happened.
struct Timeline {
    added: DateTime<Utc>,
    won: DateTime<Utc>,
    /// The live handoff meeting starts; the brief, both signatures and the end follow a minute apart.
    meeting: DateTime<Utc>,
    /// "Confirm dates with customer" is done.
    confirmed: Option<DateTime<Utc>>,
    /// Fulfilment enters the travellers and the itinerary.
    built: Option<DateTime<Utc>>,
    /// The 72-hour service handoff call, once held.
    service_call: Option<DateTime<Utc>>,
}

/// A sample deal once added.
struct Deal {
    id: String,
    story: &'static Story,
    dates: Option<Dates>,
}

/// A sample deal once won, with the person who owns its fulfilment side.
struct WonDeal {
    deal: Deal,
    fulfilment: String,
}

/// The local time `hour:minute`.
fn clock(hour: i64, minute: i64) -> NaiveTime {
    NaiveTime::MIN + Duration::minutes(hour * 60 + minute)
}

fn acting(who: &str, at: DateTime<Utc>) -> Acting {
    Acting { actor: Some(who.to_string()), at: Some(at.to_rfc3339()) }
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// The first 25 December on or after `day`.
fn christmas_from(day: NaiveDate) -> NaiveDate {
    let christmas = |year| NaiveDate::from_ymd_opt(year, 12, 25).expect("25 December exists every year");
    let this_year = christmas(day.year());
    if this_year >= day {
        this_year
    } else {
        christmas(day.year() + 1)
    }
}

/// The sample being written: the clock it is written against and the agency's calendar.
struct Sample<'a> {
    ctx: &'a Ctx,
    now: DateTime<Utc>,
    /// Today in the agency zone.
    today: NaiveDate,
    /// The latest Tuesday review on or before today.
    review: NaiveDate,
    cal: Calendar,
}

impl Sample<'_> {
    /// The date `offset` days from today.
    fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }

    /// The date `offset` days from the latest Tuesday review.
    fn review_day(&self, offset: i64) -> NaiveDate {
        self.review + Duration::days(offset)
    }

    /// The instant the agency's clocks show `hour:minute` on `day`.
    fn at(&self, day: NaiveDate, hour: i64, minute: i64) -> DateTime<Utc> {
        self.cal.to_utc(day.and_time(clock(hour, minute)))
    }

    /// `minutes` minutes ago.
    fn ago(&self, minutes: i64) -> DateTime<Utc> {
        self.now - Duration::minutes(minutes)
    }

    // ---- the agency --------------------------------------------------------------------------

    /// The agency as the founder set it up twelve weeks ago; Fay's leave comes later.
    fn set_up(&self) -> Result<(), ApiError> {
        let day = self.day(-84);
        let mut minute = 0;
        let mut next = || {
            minute += 1;
            self.at(day, 9, minute)
        };
        let init = InitRequest {
            agency: AGENCY.into(),
            timezone: TIMEZONE.into(),
            workdays: None,
            hours: None,
            acting: Acting { actor: None, at: Some(next().to_rfc3339()) },
        };
        crate::init(self.ctx, init)?;
        for (name, dept, email) in PEOPLE {
            // The founder adds herself before anyone can act as her.
            let at = next();
            let by = if name == MAYA { Acting { actor: None, at: Some(at.to_rfc3339()) } } else { acting(MAYA, at) };
            let req = PersonAddRequest { name: name.into(), dept: dept.into(), email: Some(email.into()), acting: by };
            crate::person_add(self.ctx, req)?;
        }
        for (dept, lead, backups) in STAFFING {
            let req = DeptSetRequest {
                dept: dept.into(),
                lead: lead.into(),
                backups: backups.iter().map(|b| b.to_string()).collect(),
                acting: acting(MAYA, next()),
            };
            crate::dept_set(self.ctx, req)?;
        }
        let holiday = HolidayAddRequest {
            date: christmas_from(day).to_string(),
            name: Some("Christmas Day".into()),
            acting: acting(MAYA, next()),
        };
        crate::holiday_add(self.ctx, holiday)?;
        Ok(())
    }

    /// Ten weeks of handed-off deals from the CRM, imported from a CSV export.
    fn import_history(&self) -> Result<(), ApiError> {
        let path = std::env::temp_dir().join(format!("handoff-sample-{}.csv", Uuid::now_v7()));
        let imported = self
            .write_history(&path)
            .and_then(|()| crate::import_deals(self.ctx, &path, acting(MAYA, self.at(self.day(-1), 17, 0))));
        // A leftover file in the temp folder is harmless; the import's own result is what matters.
        std::fs::remove_file(&path).ok();
        imported.map(|_| ())
    }

    fn write_history(&self, path: &std::path::Path) -> Result<(), ApiError> {
        let failed = |e: &dyn std::fmt::Display| {
            ApiError::new(
                ErrorCode::Storage,
                format!("cannot write the sample's deal history to {}: {e}", path.display()),
            )
        };
        let mut csv = csv::Writer::from_path(path).map_err(|e| failed(&e))?;
        csv.write_record(crate::import::COLUMNS).map_err(|e| failed(&e))?;
        let monday = self.today - Duration::days(i64::from(self.today.weekday().num_days_from_monday()));
        let christmas = christmas_from(self.day(-84));
        for (n, (title, customer, value, currency, seller, weeks_ago, closed, handed_off)) in
            PAST_DEALS.into_iter().enumerate()
        {
            let week = monday - Duration::weeks(weeks_ago);
            let (closed_day, handoff_day) = (week + Duration::days(closed.0), week + Duration::days(handed_off.0));
            // Nobody closes or hands off a deal on Christmas Day.
            if closed_day == christmas || handoff_day == christmas {
                continue;
            }
            let closed_at = self.at(closed_day, closed.1, closed.2).to_rfc3339();
            let handoff_at = self.at(handoff_day, handed_off.1, handed_off.2).to_rfc3339();
            let external_id = format!("CRM-{}", 2101 + n);
            let record = [
                external_id.as_str(),
                title,
                customer,
                value,
                currency,
                seller,
                closed_at.as_str(),
                handoff_at.as_str(),
            ];
            csv.write_record(record).map_err(|e| failed(&e))?;
        }
        csv.flush().map_err(|e| failed(&e))
    }

    // ---- the stories -------------------------------------------------------------------------

    /// Two trips back three weeks ago, both picked at that Tuesday's review: one follow-up call
    /// renewed, one went unanswered. And a batch of cold outreach to compare with.
    fn earlier_review(&self) -> Result<(), ApiError> {
        let r = |offset| self.review_day(offset);
        let lisbon = self.hand_off(
            &LISBON,
            Dates { start: r(-20), departs: Some(clock(7, 30)), end: r(-17) },
            Timeline {
                added: self.at(r(-50), 10, 0),
                won: self.at(r(-48), 11, 0),
                meeting: self.at(r(-48), 11, 30),
                confirmed: Some(self.at(r(-47), 10, 0)),
                built: Some(self.at(r(-46), 14, 0)),
                service_call: Some(self.at(r(-24), 10, 0)),
            },
        )?;
        self.signal(
            &lisbon,
            self.at(r(-16), 10, 0),
            "thrilled",
            5,
            "Loved Sintra; Ravi wants Porto at Easter with his parents",
        )?;
        let dordogne = self.hand_off(
            &DORDOGNE,
            Dates { start: r(-26), departs: Some(clock(9, 15)), end: r(-19) },
            Timeline {
                added: self.at(r(-62), 12, 0),
                won: self.at(r(-60), 14, 0),
                meeting: self.at(r(-60), 14, 20),
                confirmed: Some(self.at(r(-59), 9, 45)),
                built: Some(self.at(r(-57), 11, 0)),
                service_call: Some(self.at(r(-30), 11, 0)),
            },
        )?;
        crate::escalation_log(
            self.ctx,
            EscalationLogRequest {
                reason: "The gîte was double-booked for the Hendersons' week; Fay needed the founder to approve \
                         a €900 upgrade to the château next door"
                    .into(),
                deal: Some(dordogne.deal.id.clone()),
                acting: acting(MAYA, self.at(r(-29), 10, 0)),
            },
        )?;
        self.signal(
            &dordogne,
            self.at(r(-17), 11, 30),
            "happy",
            4,
            "The canoe day was the highlight; thinking of Provence next summer",
        )?;
        let earlier = r(-14);
        crate::review_pick(
            self.ctx,
            ReviewPickRequest {
                deals: vec![lisbon.deal.id.clone(), dordogne.deal.id.clone()],
                date: Some(earlier.to_string()),
                acting: acting(SAM, self.at(earlier, 10, 30)),
            },
        )?;
        crate::outreach_cold(
            self.ctx,
            OutreachRequest {
                attempts: 40,
                renewals: 3,
                date: Some(r(-13).to_string()),
                acting: acting(SAM, self.at(r(-13), 17, 0)),
            },
        )?;
        let porto = self.add(&PORTO, None, self.at(r(-11), 14, 50))?;
        let calls = [
            (&lisbon, "renewed", Some(porto.id), self.at(r(-11), 15, 0)),
            (&dordogne, "no-answer", None, self.at(r(-10), 11, 0)),
        ];
        for (deal, outcome, renewed_deal, at) in calls {
            let req = FollowUpDoneRequest {
                deal: deal.deal.id.clone(),
                outcome: outcome.into(),
                renewed_deal,
                acting: acting(SAM, at),
            };
            crate::followup_done(self.ctx, req)?;
        }
        Ok(())
    }

    /// Four trips that ended in the week before the latest Tuesday, each back with a different
    /// signal, none picked yet: the Sales lead's review to do.
    fn latest_review(&self) -> Result<(), ApiError> {
        let r = |offset| self.review_day(offset);
        let kenya = self.hand_off(
            &KENYA,
            Dates { start: r(-16), departs: Some(clock(19, 25)), end: r(-5) },
            Timeline {
                added: self.at(r(-50), 15, 0),
                won: self.at(r(-45), 10, 10),
                meeting: self.at(r(-45), 10, 30),
                confirmed: Some(self.at(r(-44), 9, 40)),
                built: Some(self.at(r(-40), 14, 0)),
                service_call: Some(self.at(r(-20), 10, 30)),
            },
        )?;
        self.ask(
            &kenya,
            self.at(r(-14), 18, 15),
            Some("Tunde"),
            "itinerary",
            "The balloon was grounded by wind: can it move to tomorrow's sunrise?",
            false,
        )?;
        self.signal(
            &kenya,
            self.at(r(-4), 11, 0),
            "thrilled",
            5,
            "Trip of a lifetime; already asking about Botswana next year",
        )?;
        self.add(&BOTSWANA, None, self.at(r(-3), 16, 0))?;

        let andalusia = self.hand_off(
            &ANDALUSIA,
            Dates { start: r(-10), departs: Some(clock(8, 5)), end: r(-3) },
            Timeline {
                added: self.at(r(-40), 12, 0),
                won: self.at(r(-38), 15, 30),
                meeting: self.at(r(-38), 15, 50),
                confirmed: Some(self.at(r(-37), 10, 15)),
                built: Some(self.at(r(-35), 11, 0)),
                service_call: Some(self.at(r(-14), 14, 0)),
            },
        )?;
        self.signal(
            &andalusia,
            self.at(r(-1), 10, 15),
            "happy",
            4,
            "Loved the paradors; Piotr's back held up with the short drives",
        )?;

        // Its service handoff was held late (under 72 hours before the trip), and the brief
        // missed Chloe's coeliac disease.
        let rome = self.hand_off(
            &ROME,
            Dates { start: r(-8), departs: Some(clock(9, 10)), end: r(-6) },
            Timeline {
                added: self.at(r(-24), 11, 0),
                won: self.at(r(-22), 11, 0),
                meeting: self.at(r(-22), 11, 20),
                confirmed: Some(self.at(r(-21), 9, 30)),
                built: Some(self.at(r(-18), 15, 0)),
                service_call: Some(self.at(r(-10), 16, 0)),
            },
        )?;
        self.ask(
            &rome,
            self.at(r(-8), 19, 40),
            Some("Chloe"),
            "dietary",
            "Chloe is coeliac: which restaurants near the hotel are safely gluten-free? Nothing in the brief",
            true,
        )?;
        self.signal(
            &rome,
            self.at(r(-5), 10, 0),
            "unhappy",
            3,
            "The hotel knew nothing of Chloe's coeliac diet; the first dinner was a scramble",
        )?;

        let barcelona = self.hand_off(
            &BARCELONA,
            Dates { start: r(-4), departs: Some(clock(6, 40)), end: r(-2) },
            Timeline {
                added: self.at(r(-30), 13, 0),
                won: self.at(r(-28), 10, 0),
                meeting: self.at(r(-28), 10, 25),
                confirmed: Some(self.at(r(-27), 9, 20)),
                built: Some(self.at(r(-25), 16, 0)),
                service_call: Some(self.at(r(-9), 12, 0)),
            },
        )?;
        self.signal(
            &barcelona,
            self.at(r(-1), 9, 40),
            "neutral",
            3,
            "Fine, but disappointed the match seats were in the upper tier",
        )?;

        crate::outreach_cold(
            self.ctx,
            OutreachRequest {
                attempts: 35,
                renewals: 2,
                date: Some(r(-6).to_string()),
                acting: acting(LEA, self.at(r(-6), 17, 15)),
            },
        )?;
        Ok(())
    }

    /// This week: a trip just back, Fay on leave, a trip about to leave, deals won and waiting,
    /// the pipeline, a lost deal and the founder's escalations.
    fn this_week(&self) -> Result<(), ApiError> {
        let d = |offset| self.day(offset);
        // Back yesterday; Service has not recorded the signal yet.
        self.hand_off(
            &COPENHAGEN,
            Dates { start: d(-4), departs: Some(clock(7, 10)), end: d(-1) },
            Timeline {
                added: self.at(d(-35), 11, 0),
                won: self.at(d(-33), 11, 0),
                meeting: self.at(d(-33), 11, 20),
                confirmed: Some(self.at(d(-32), 9, 30)),
                built: Some(self.at(d(-30), 14, 0)),
                service_call: Some(self.at(d(-9), 10, 0)),
            },
        )?;
        let caribbean =
            self.add(&CARIBBEAN, Some(Dates { start: d(50), departs: None, end: d(60) }), self.at(d(-30), 10, 0))?;
        crate::deal_lost(self.ctx, DealAction { deal: caribbean.id, acting: acting(LEA, self.at(d(-12), 16, 0)) })?;
        let iceland =
            self.add(&ICELAND, Some(Dates { start: d(40), departs: None, end: d(45) }), self.at(d(-14), 15, 0))?;

        // Fay books her leave: from yesterday until a week from now.
        crate::person_away(
            self.ctx,
            AwayRequest {
                person: FAY.into(),
                from: d(-1).to_string(),
                to: d(7).to_string(),
                acting: acting(FAY, self.at(d(-10), 9, 0)),
            },
        )?;

        // Handed off before Fay left; the trip starts in about three days, so its service
        // handoff is due within hours. A morning departure when it is already afternoon.
        let before_two = self.cal.local_datetime(self.now).time() < clock(14, 0);
        let (start, departs) = if before_two { (d(3), clock(16, 45)) } else { (d(4), clock(9, 55)) };
        self.hand_off(
            &TOKYO,
            Dates { start, departs: Some(departs), end: start + Duration::days(10) },
            Timeline {
                added: self.at(d(-10), 12, 0),
                won: self.at(d(-3), 10, 40),
                meeting: self.at(d(-3), 11, 5),
                confirmed: Some(self.at(d(-2), 9, 30)),
                built: Some(self.at(d(-2), 10, 0)),
                service_call: None,
            },
        )?;

        // Won five days ago, when Fay was in; nobody has held the handoff since.
        self.win(iceland, self.at(d(-5), 11, 20))?;
        self.add(&BORDEAUX, Some(Dates { start: d(90), departs: None, end: d(93) }), self.at(d(-4), 11, 30))?;
        self.add(&NEW_ENGLAND, Some(Dates { start: d(120), departs: None, end: d(130) }), self.at(d(-2), 15, 10))?;
        self.add(&GREEK_ISLANDS, Some(Dates { start: d(75), departs: None, end: d(82) }), self.at(d(-1), 12, 0))?;

        // Won yesterday while Fay was away: Bo Lind, her first backup, took it and handed it off.
        self.hand_off(
            &PERU,
            Dates { start: d(45), departs: None, end: d(58) },
            Timeline {
                added: self.at(d(-9), 10, 0),
                won: self.at(d(-1), 10, 5),
                meeting: self.at(d(-1), 10, 30),
                confirmed: None,
                built: None,
                service_call: None,
            },
        )?;
        crate::escalation_log(
            self.ctx,
            EscalationLogRequest {
                reason: "The Smith party rang Maya: nobody has confirmed their dates since they paid the deposit"
                    .into(),
                deal: Some(ICELAND.title.into()),
                acting: acting(MAYA, self.at(d(-1), 16, 30)),
            },
        )?;

        // Won two hours ago; the handoff meeting is under way, two sections written, not signed.
        let amalfi =
            self.add(&AMALFI, Some(Dates { start: d(60), departs: None, end: d(67) }), self.at(d(-6), 14, 0))?;
        let amalfi = self.win(amalfi, self.ago(125))?;
        crate::meeting_start(
            self.ctx,
            DealAction { deal: amalfi.deal.id.clone(), acting: acting(LEA, self.ago(105)) },
        )?;
        self.write_brief(&amalfi, &AMALFI.brief[..2], self.ago(104))?;
        Ok(())
    }

    // ---- the steps of a deal -----------------------------------------------------------------

    fn add(&self, story: &'static Story, dates: Option<Dates>, at: DateTime<Utc>) -> Result<Deal, ApiError> {
        let req = DealAddRequest {
            title: story.title.into(),
            customer: story.customer.into(),
            value: story.value.into(),
            currency: story.currency.into(),
            owner: story.seller.into(),
            trip_start: dates.map(|d| match d.departs {
                Some(t) => format!("{} {}", d.start, t.format("%H:%M")),
                None => d.start.to_string(),
            }),
            trip_end: dates.map(|d| d.end.to_string()),
            destination: some(story.destination),
            travellers: Some(story.party),
            acting: acting(story.seller, at),
        };
        let added = crate::deal_add(self.ctx, req)?;
        Ok(Deal { id: added.id.to_string(), story, dates })
    }

    fn win(&self, deal: Deal, at: DateTime<Utc>) -> Result<WonDeal, ApiError> {
        let won =
            crate::deal_won(self.ctx, DealAction { deal: deal.id.clone(), acting: acting(deal.story.seller, at) })?;
        Ok(WonDeal { deal, fulfilment: won.fulfilment_owner.name })
    }

    /// Adds, wins and hands off a deal along `t`, then whatever of the trip's delivery `t` holds.
    fn hand_off(&self, story: &'static Story, dates: Dates, t: Timeline) -> Result<WonDeal, ApiError> {
        let deal = self.add(story, Some(dates), t.added)?;
        let won = self.win(deal, t.won)?;
        let id = won.deal.id.clone();
        crate::meeting_start(self.ctx, DealAction { deal: id.clone(), acting: acting(story.seller, t.meeting) })?;
        let mut at = self.write_brief(&won, story.brief, t.meeting + Duration::minutes(1))?;
        for signer in [story.seller, won.fulfilment.as_str()] {
            at += Duration::minutes(1);
            crate::brief_sign(self.ctx, DealAction { deal: id.clone(), acting: acting(signer, at) })?;
        }
        let ended = crate::meeting_end(
            self.ctx,
            DealAction { deal: id, acting: acting(story.seller, at + Duration::minutes(1)) },
        )?;
        if let Some(at) = t.confirmed {
            let task = TaskDoneRequest { task: ended.first_task.id.to_string(), acting: acting(&won.fulfilment, at) };
            crate::task_done(self.ctx, task)?;
        }
        if let Some(at) = t.built {
            self.build(&won, at)?;
        }
        if let Some(at) = t.service_call {
            self.service_call(&won, at)?;
        }
        Ok(won)
    }

    /// Writes `sections` of the brief a minute apart from `from`; returns when the last was written.
    fn write_brief(
        &self,
        won: &WonDeal,
        sections: &[(&str, &str)],
        from: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ApiError> {
        let story = won.deal.story;
        let mut at = from;
        for (n, (section, text)) in sections.iter().enumerate() {
            at = from + Duration::minutes(n as i64);
            let text = match (*section, won.deal.dates) {
                ("trip", Some(d)) => format!(
                    "{}, {} to {}, {} travellers. {text}",
                    story.destination,
                    d.start.format("%-d %B"),
                    d.end.format("%-d %B %Y"),
                    story.party
                ),
                _ => text.to_string(),
            };
            let req = BriefSetRequest {
                deal: won.deal.id.clone(),
                section: section.to_string(),
                text,
                acting: acting(story.seller, at),
            };
            crate::brief_set(self.ctx, req)?;
        }
        Ok(at)
    }

    /// Fulfilment enters the travellers with their preferences, then the itinerary, a minute apart.
    fn build(&self, won: &WonDeal, from: DateTime<Utc>) -> Result<(), ApiError> {
        let Deal { id, story, dates } = &won.deal;
        let mut at = from;
        for (name, preferences) in story.travellers {
            let req = TravellerAddRequest {
                deal: id.clone(),
                name: name.to_string(),
                preferences: preferences
                    .iter()
                    .map(|(topic, text)| PreferenceInput { topic: topic.to_string(), text: text.to_string() })
                    .collect(),
                acting: acting(&won.fulfilment, at),
            };
            crate::traveller_add(self.ctx, req)?;
            at += Duration::minutes(1);
        }
        let Some(dates) = dates else { return Ok(()) };
        for (day, when, kind, title, supplier, contact, confirmation) in story.itinerary {
            let time = match when {
                When::Unset => None,
                When::At(hour, minute) => Some(clock(*hour, *minute)),
                When::Departure => dates.departs,
            };
            let req = ItemInput {
                deal: id.clone(),
                item: None,
                day: Some((dates.start + Duration::days(*day)).to_string()),
                time: time.map(|t| t.format("%H:%M").to_string()),
                kind: Some(kind.to_string()),
                title: Some(title.to_string()),
                supplier: some(supplier),
                contact: some(contact),
                confirmation: some(confirmation),
                acting: acting(&won.fulfilment, at),
            };
            crate::itinerary_add(self.ctx, req)?;
            at += Duration::minutes(1);
        }
        Ok(())
    }

    /// The service handoff call: its owner acknowledges every preference item, then completes it.
    fn service_call(&self, won: &WonDeal, from: DateTime<Utc>) -> Result<(), ApiError> {
        let id = &won.deal.id;
        let owner = crate::service_show(self.ctx, id)?.owner.name;
        crate::service_start(self.ctx, DealAction { deal: id.clone(), acting: acting(&owner, from) })?;
        let mut at = from;
        for (name, preferences) in won.deal.story.travellers {
            for (topic, _) in *preferences {
                at += Duration::minutes(1);
                let req = ServiceAckRequest {
                    deal: id.clone(),
                    traveller: name.to_string(),
                    topic: topic.to_string(),
                    acting: acting(&owner, at),
                };
                crate::service_ack(self.ctx, req)?;
            }
        }
        let done = DealAction { deal: id.clone(), acting: acting(&owner, at + Duration::minutes(1)) };
        crate::service_complete(self.ctx, done)?;
        Ok(())
    }

    /// Service logs something it had to ask a traveller on the trip.
    fn ask(
        &self,
        won: &WonDeal,
        at: DateTime<Utc>,
        traveller: Option<&str>,
        topic: &str,
        text: &str,
        brief_should_have_covered: bool,
    ) -> Result<(), ApiError> {
        let owner = crate::service_show(self.ctx, &won.deal.id)?.owner.name;
        let req = AskLogRequest {
            deal: won.deal.id.clone(),
            traveller: traveller.map(str::to_string),
            topic: topic.into(),
            text: text.into(),
            brief_should_have_covered,
            acting: acting(&owner, at),
        };
        crate::ask_log(self.ctx, req)?;
        Ok(())
    }

    /// Service records how the travellers came back.
    fn signal(
        &self,
        won: &WonDeal,
        at: DateTime<Utc>,
        sentiment: &str,
        strength: u8,
        note: &str,
    ) -> Result<(), ApiError> {
        let owner = crate::service_show(self.ctx, &won.deal.id)?.owner.name;
        let req = SignalRequest {
            deal: won.deal.id.clone(),
            sentiment: sentiment.into(),
            strength,
            note: Some(note.into()),
            acting: acting(&owner, at),
        };
        crate::trip_signal(self.ctx, req)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDateTime;
    use handoff_domain::assignment::AssignedBecause;
    use handoff_domain::metrics::Urgency;
    use handoff_domain::trip::Sentiment;

    use super::*;
    use crate::FixedClock;

    /// The instant London's clocks show `local` (`YYYY-MM-DD HH:MM`).
    fn london(local: &str) -> DateTime<Utc> {
        let cal = Calendar::new(parse_zone(TIMEZONE).unwrap());
        cal.to_utc(NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap())
    }

    /// An empty database in a temporary folder whose clock says `now`.
    fn empty_at(now: DateTime<Utc>) -> (tempfile::TempDir, Ctx) {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Ctx::open_with_clock(&dir.path().join("sample.db"), true, Arc::new(FixedClock(now))).unwrap();
        (dir, ctx)
    }

    fn events(ctx: &Ctx) -> i64 {
        ctx.store().read(handoff_store::query::event_count).unwrap()
    }

    /// Opens the sample at `now` (London time) and checks what a new user should find.
    fn sample_shows_every_handoff_at(local_now: &str) -> (tempfile::TempDir, Ctx) {
        let now = london(local_now);
        let (dir, ctx) = empty_at(now);
        let agency = open_sample(&ctx).unwrap();
        assert_eq!(agency.name, "Wayfarer Travel (sample)");
        assert_eq!(agency.timezone, "Europe/London");
        assert_eq!(agency.holidays.len(), 1);
        assert_eq!(crate::person_list(&ctx).unwrap().len(), 8);

        // Every step happened in the past.
        for deal in crate::deal_list(&ctx, None).unwrap() {
            assert!(deal.closed_at.is_none_or(|t| t <= now), "{} closed in the future", deal.title);
            assert!(deal.handoff_at.is_none_or(|t| t <= now), "{} handed off in the future", deal.title);
        }

        // The Today board: the deal won five days ago is red and Bo Lind should act, since Fay
        // (who was named at the close) is away; the one won two hours ago is not late yet.
        let today = crate::today(&ctx, None).unwrap();
        let iceland = today.waiting.iter().find(|w| w.title == "Iceland northern lights").expect("Iceland waits");
        assert!(iceland.waiting.breached, "{iceland:?}");
        assert_eq!(iceland.waiting.urgency, Urgency::Red);
        assert_eq!(iceland.should_act.name, "Bo Lind");
        let amalfi = today.waiting.iter().find(|w| w.title == "Amalfi coast honeymoon").expect("Amalfi waits");
        assert!(!amalfi.waiting.breached, "{amalfi:?}");
        assert_eq!(amalfi.should_act.name, "Bo Lind");
        assert_eq!(today.waiting.len(), 2);
        let amalfi = crate::deal_show(&ctx, "Amalfi coast honeymoon").unwrap();
        let owner = amalfi.fulfilment.expect("won");
        assert_eq!((owner.original.name.as_str(), owner.assigned_because), ("Bo Lind", AssignedBecause::Backup));
        assert!(amalfi.meeting.started_at.is_some() && !amalfi.brief.signed);

        // The service handoff due about 72 hours before the Tokyo trip, not started.
        let tokyo = today
            .service_handoffs
            .iter()
            .find(|s| s.deal.title == "Tokyo and Kyoto family trip")
            .expect("Tokyo's service handoff is on the board");
        assert_eq!(tokyo.owner.name, "Sol Reed");
        assert!(!tokyo.late && !tokyo.started && tokyo.open_items == 6, "{tokyo:?}");
        assert!(tokyo.hours_until_due > 0.0 && tokyo.hours_until_due < 24.0, "{tokyo:?}");

        // Yesterday's handoff by the backup left "Confirm dates with customer" due today.
        let task = today.tasks.iter().find(|t| t.deal.title == "Peru and Machu Picchu").expect("Peru's first task");
        assert_eq!((task.title.as_str(), task.owner.name.as_str()), ("Confirm dates with customer", "Bo Lind"));

        // The latest Tuesday review: four trips (five on a Tuesday, with yesterday's), ranked, none picked.
        let review = crate::review_show(&ctx, None).unwrap();
        assert!(review.trips.len() >= 4, "{review:?}");
        assert_eq!(review.picks, 0);
        let ranked: Vec<Option<Sentiment>> =
            review.trips.iter().take(4).map(|t| t.signal.as_ref().map(|s| s.sentiment)).collect();
        let expected = [Sentiment::Thrilled, Sentiment::Happy, Sentiment::Neutral, Sentiment::Unhappy].map(Some);
        assert_eq!(ranked, expected);
        assert_eq!(review.trips[0].deal.title, "Kenya safari and Zanzibar");
        assert_eq!(review.trips[0].asks.len(), 1);

        // Ten weeks of dwell history.
        let dwell = crate::dwell(&ctx, Default::default()).unwrap();
        assert!(dwell.stats.handed_off >= 30, "{:?}", dwell.stats);
        assert!(dwell.stats.worst_hours <= 97.0 && dwell.stats.over_one_business_day > 0, "{:?}", dwell.stats);

        // The loop: an earlier review's pick renewed; cold outreach to compare with.
        let looped = crate::metrics_loop(&ctx, Default::default()).unwrap();
        assert_eq!((looped.figures.picks, looped.figures.picked_renewals), (2, 1));
        assert_eq!((looped.figures.cold_attempts, looped.figures.cold_renewals), (75, 5));
        assert!(looped.figures.lift_percent.is_some_and(|l| l > 0.0));
        let service = crate::metrics_service(&ctx, Default::default()).unwrap();
        assert_eq!((service.service_handoffs_done, service.on_time), (7, 6));
        assert!(service.asks_per_trip > 0.0);
        let escalations = crate::escalation_list(&ctx).unwrap();
        assert_eq!(escalations.iter().filter(|e| !e.automatic).count(), 2);

        // The log folds again to the same state.
        assert_eq!(crate::rebuild(&ctx).unwrap().integrity, "ok");
        (dir, ctx)
    }

    #[test]
    fn on_a_monday_morning() {
        sample_shows_every_handoff_at("2026-03-02 09:15");
    }

    #[test]
    fn on_a_saturday_night() {
        sample_shows_every_handoff_at("2026-12-12 22:45");
    }

    #[test]
    fn in_the_week_the_clocks_go_forward() {
        sample_shows_every_handoff_at("2026-04-01 15:10");
    }

    #[test]
    fn on_a_review_tuesday_after_christmas() {
        let (_dir, ctx) = sample_shows_every_handoff_at("2026-12-29 10:00");
        // On the Tuesday itself the review also lists the trip back yesterday, without a signal yet.
        let review = crate::review_show(&ctx, None).unwrap();
        assert_eq!(review.review.to_string(), "2026-12-29");
        assert_eq!(review.trips.len(), 5);
        assert_eq!(review.trips[4].deal.title, "Copenhagen design weekend");
        assert!(review.trips[4].signal.is_none());
    }

    #[test]
    fn opens_at_any_hour_of_any_day() {
        // A week across the autumn clock change, at the hours where the sample's choices flip.
        for day in 22..=28 {
            for time in ["00:05", "01:30", "13:59", "14:00", "23:55"] {
                sample_shows_every_handoff_at(&format!("2026-10-{day} {time}"));
            }
        }
    }

    #[test]
    fn a_second_sample_is_refused_and_writes_nothing() {
        let (_dir, ctx) = empty_at(london("2026-06-10 11:00"));
        open_sample(&ctx).unwrap();
        let before = events(&ctx);
        let err = open_sample(&ctx).unwrap_err();
        assert_eq!(err.code, ErrorCode::Refused);
        assert!(err.message.contains("already holds the agency \"Wayfarer Travel (sample)\""), "{}", err.message);
        assert_eq!(events(&ctx), before);
    }

    #[test]
    fn a_database_with_its_own_agency_is_left_alone() {
        let (_dir, ctx) = empty_at(london("2026-06-10 11:00"));
        let init = InitRequest {
            agency: "Acme Travel".into(),
            timezone: "Europe/Paris".into(),
            workdays: None,
            hours: None,
            acting: Acting::default(),
        };
        crate::init(&ctx, init).unwrap();
        let before = events(&ctx);
        let err = open_sample(&ctx).unwrap_err();
        assert_eq!(err.code, ErrorCode::Refused);
        assert!(err.message.contains("Acme Travel"), "{}", err.message);
        assert_eq!(events(&ctx), before);
        assert!(crate::person_list(&ctx).unwrap().is_empty());
        assert_eq!(crate::agency(&ctx).unwrap().name, "Acme Travel");
    }
}
