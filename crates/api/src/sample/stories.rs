//! The sample agency's stories, as data: the agency, its people and departments, the CRM's
//! history of past deals, and each deal's story (what was sold to whom, the brief Sales writes,
//! the travellers and the itinerary Fulfilment builds). When each step happens is the script's.

/// The sample agency's name: "(sample)" so nobody mistakes it for a real one.
pub(super) const AGENCY: &str = "Wayfarer Travel (sample)";
pub(super) const TIMEZONE: &str = "Europe/London";

pub(super) const SAM: &str = "Sam Reyes";
pub(super) const LEA: &str = "Lea Novak";
pub(super) const FAY: &str = "Fay Okafor";
pub(super) const MAYA: &str = "Maya Chen";

/// Everyone, founder first (she sets the agency up): name, department, email.
pub(super) const PEOPLE: [(&str, &str, &str); 8] = [
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
pub(super) const STAFFING: [(&str, &str, &[&str]); 3] =
    [("sales", SAM, &[LEA]), ("fulfilment", FAY, &["Bo Lind", "Cy Adams"]), ("service", "Sol Reed", &["Ivy Park"])];

/// A past deal from the CRM export, for the dwell trend: title, customer, value, currency,
/// seller, how many weeks ago, then the close and the handoff as (day of that week counted from
/// Monday, hour, minute) in local time.
pub(super) type PastDeal =
    (&'static str, &'static str, &'static str, &'static str, &'static str, i64, (i64, i64, i64), (i64, i64, i64));

/// Thirty handed-off deals over the past ten weeks; dwell falls from days to hours as the
/// playbook takes hold.
pub(super) const PAST_DEALS: [PastDeal; 30] = [
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
pub(super) enum When {
    /// Any time of the day.
    Unset,
    /// At this local hour and minute.
    At(i64, i64),
    /// When the trip starts (the outbound flight).
    Departure,
}

/// A traveller: name and preferences as (topic, text).
pub(super) type TravellerData = (&'static str, &'static [(&'static str, &'static str)]);

/// An itinerary item: day of the trip (0 is the first), time, kind, title, supplier, contact and
/// confirmation ("" when none).
pub(super) type ItemData = (i64, When, &'static str, &'static str, &'static str, &'static str, &'static str);

/// What a sample deal is: what was sold to whom, the brief Sales writes, and the trip content
/// Fulfilment builds. The `trip` section of the brief is prefixed with the trip's dates.
pub(super) struct Story {
    pub(super) title: &'static str,
    pub(super) customer: &'static str,
    pub(super) value: &'static str,
    pub(super) currency: &'static str,
    pub(super) seller: &'static str,
    pub(super) destination: &'static str,
    pub(super) party: u32,
    pub(super) brief: &'static [(&'static str, &'static str)],
    pub(super) travellers: &'static [TravellerData],
    pub(super) itinerary: &'static [ItemData],
}

/// The base of a deal with nothing written or built yet.
pub(super) const OPEN: Story = Story {
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

pub(super) const LISBON: Story = Story {
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
        ("promises", "A child seat in the Sintra car; the family room looks over the river, as shown in the proposal."),
        (
            "preferences",
            "Ravi eats no pork. Asha has a nut allergy and carries an EpiPen; she sleeps in her parents' room.",
        ),
        ("risks", "Asha's passport expires in the autumn: check it is valid for the whole trip."),
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

pub(super) const DORDOGNE: Story = Story {
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
        ("promises", "Buoyancy aids for everyone on the canoe day; the gîte's pool is fenced."),
        ("preferences", "Claire is vegetarian. Mark is a nervous swimmer. The teenagers share a twin room."),
        ("risks", "None known: repeat customers, easy dates."),
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

pub(super) const PORTO: Story = Story {
    title: "Porto at Easter",
    customer: "The Patels",
    value: "3800",
    currency: "GBP",
    destination: "Porto",
    party: 5,
    ..OPEN
};

// ---- the trips of the latest Tuesday review --------------------------------------------------

pub(super) const KENYA: Story = Story {
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

pub(super) const ANDALUSIA: Story = Story {
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
        ("promises", "No day's drive longer than three hours; Alhambra tickets for the Nasrid Palaces."),
        ("preferences", "Piotr has a bad back: three hours' driving a day at most. Anna is vegetarian."),
        ("risks", "Alhambra tickets sell out the day they open: book that morning."),
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

pub(super) const ROME: Story = Story {
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
        ("promises", "A morning Vatican slot; taxis booked for every transfer."),
        ("preferences", "Sarah walks with a stick: taxis rather than long walks. Liz wants her own room."),
        ("risks", "None known."),
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

pub(super) const BARCELONA: Story = Story {
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
        ("risks", "Match tickets are not on sale yet: the date could move with the fixture list."),
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

pub(super) const BOTSWANA: Story = Story {
    title: "Botswana fly-in safari",
    customer: "The Adeyemis",
    value: "26000",
    currency: "GBP",
    destination: "the Okavango Delta",
    party: 3,
    ..OPEN
};

// ---- this week ---------------------------------------------------------------------------------

pub(super) const COPENHAGEN: Story = Story {
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
        ("promises", "The curator in person, not a guide reading notes."),
        ("preferences", "Nina is vegan."),
        ("risks", "None known."),
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
pub(super) const TOKYO: Story = Story {
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
pub(super) const PERU: Story = Story {
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
        ("promises", "Porters for the Inca Trail; the Vistadome, not the Expedition train."),
        ("preferences", "Tom gets altitude sickness: go up slowly through the Sacred Valley."),
        ("risks", "Inca Trail permits are limited: confirm passport numbers this week."),
        ("first-steps", "Confirm dates; apply for the Inca Trail permits this week, before they sell out."),
    ],
    ..OPEN
};

/// Won five days ago and still not handed off: red on the Today board.
pub(super) const ICELAND: Story = Story {
    title: "Iceland northern lights",
    customer: "Smith party",
    value: "7000",
    currency: "EUR",
    destination: "Reykjavík and the south coast",
    party: 4,
    ..OPEN
};

/// Won two hours ago; the handoff meeting is under way.
pub(super) const AMALFI: Story = Story {
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

pub(super) const BORDEAUX: Story = Story {
    title: "Bordeaux wine tour",
    customer: "Halcyon Capital",
    value: "22500",
    currency: "EUR",
    seller: LEA,
    destination: "Bordeaux and Saint-Émilion",
    party: 12,
    ..OPEN
};

pub(super) const NEW_ENGLAND: Story = Story {
    title: "New England fall foliage",
    customer: "The Brooks family",
    value: "12400",
    currency: "USD",
    seller: LEA,
    destination: "Vermont and Maine",
    party: 5,
    ..OPEN
};

pub(super) const GREEK_ISLANDS: Story = Story {
    title: "Greek islands sailing",
    customer: "Ridgeway and Co",
    value: "31000",
    currency: "EUR",
    destination: "the Cyclades",
    party: 10,
    ..OPEN
};

pub(super) const CARIBBEAN: Story = Story {
    title: "Caribbean cruise",
    customer: "Mr and Mrs Dalton",
    value: "9800",
    currency: "USD",
    seller: LEA,
    destination: "the Eastern Caribbean",
    party: 2,
    ..OPEN
};
