//! The script that plays the sample's stories through the same public use cases a person would
//! use, each backdated (`--at`) relative to now: the set-up twelve weeks ago, the CRM history,
//! the earlier review, the latest review and this week, in the order they would have happened.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use handoff_domain::calendar::{parse_zone, Calendar};
use handoff_domain::review::previous_review;
use handoff_domain::RuleError;

use super::stories::{
    Story, When, AGENCY, AMALFI, ANDALUSIA, BARCELONA, BORDEAUX, BOTSWANA, CARIBBEAN, COPENHAGEN, DORDOGNE, FAY,
    GREEK_ISLANDS, ICELAND, KENYA, LEA, LISBON, MAYA, NEW_ENGLAND, PAST_DEALS, PEOPLE, PERU, PORTO, ROME, SAM,
    STAFFING, TIMEZONE, TOKYO,
};
use crate::dto::*;
use crate::{ApiError, Ctx};

/// Plays the whole sample into an empty database, against the context's clock.
pub(super) fn play(ctx: &Ctx) -> Result<(), ApiError> {
    let now = ctx.now();
    let cal = Calendar::new(parse_zone(TIMEZONE).map_err(RuleError::from)?);
    let today = cal.local_date(now);
    let sample = Sample { ctx, now, today, review: previous_review(today), cal, keys: Default::default() };
    sample.set_up()?;
    sample.import_history()?;
    sample.earlier_review()?;
    sample.latest_review()?;
    sample.this_week()?;
    sample.retire_keys()
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
    /// Each person's signing key while the sample is written; never kept anywhere, so nobody can
    /// sign as a sample person afterwards without making their own key.
    keys: std::cell::RefCell<std::collections::HashMap<&'static str, zeroize::Zeroizing<[u8; 32]>>>,
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
            let req = PersonAddRequest {
                name: name.into(),
                dept: word(dept),
                email: Some(email.into()),
                confirmed_different: false,
                acting: by,
            };
            let person = crate::person_add(self.ctx, req)?;
            let secret = zeroize::Zeroizing::new(rand::random::<[u8; 32]>());
            crate::keys::register_unkept_key(self.ctx, person.id, &secret, &acting(name, next()))?;
            self.keys.borrow_mut().insert(name, secret);
        }
        for (dept, lead, backups) in STAFFING {
            let req = DeptSetRequest {
                dept: word(dept),
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

    /// The keys the sample's people signed with were never kept anywhere: the founder revokes
    /// them, so the key list says so and anyone who signs in the sample makes their own key.
    fn retire_keys(&self) -> Result<(), ApiError> {
        let mut names: Vec<&'static str> = self.keys.borrow().keys().copied().collect();
        names.sort_unstable();
        for name in names {
            let req = KeyRevokeRequest {
                person: name.into(),
                fingerprint: None,
                reason: "a key of the sample agency, never kept on a laptop".into(),
                acting: acting(MAYA, self.now),
            };
            crate::key_revoke(self.ctx, req)?;
        }
        self.keys.borrow_mut().clear();
        Ok(())
    }

    /// Ten weeks of handed-off deals from the agency's CRM (HubSpot), imported from an export.
    fn import_history(&self) -> Result<(), ApiError> {
        let csv = self.history_csv();
        let acting = acting(MAYA, self.at(self.day(-1), 17, 0));
        let options = ImportOptions {
            map: MappingChange { crm: Some("HubSpot".into()), ..Default::default() },
            ..Default::default()
        };
        crate::import_deals_from(self.ctx, "hubspot-deals-history.csv", csv.as_slice(), &options, acting)?;
        Ok(())
    }

    /// The CRM's export of the past deals, dated back from this week.
    fn history_csv(&self) -> Vec<u8> {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(crate::import::COLUMNS).expect("a CSV in memory takes every record");
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
            csv.write_record(record).expect("a CSV in memory takes every record");
        }
        csv.into_inner().expect("a CSV in memory is always written out")
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
        // The earlier review, held 10:00 to 10:24: Sam picks both trips.
        let earlier = r(-14);
        let held = |at| ReviewMeetingRequest { date: Some(earlier.to_string()), acting: acting(SAM, at) };
        crate::review_start(self.ctx, held(self.at(earlier, 10, 0)))?;
        crate::review_pick(
            self.ctx,
            ReviewPickRequest {
                deals: vec![lisbon.deal.id.clone(), dordogne.deal.id.clone()],
                date: Some(earlier.to_string()),
                acting: acting(SAM, self.at(earlier, 10, 12)),
            },
        )?;
        crate::review_end(self.ctx, held(self.at(earlier, 10, 24)))?;
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
                outcome: word(outcome),
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
        // And these last days, call by call.
        for (customer, outcome, note, (day, hour)) in [
            ("Hartmann family", "no-answer", "", (-2, 11)),
            ("Greta Olsen", "renewed", "Norway again next summer, with her sister", (-2, 14)),
            ("The Patels", "no-interest", "Staying home this year", (-1, 10)),
        ] {
            let day = self.day(day);
            crate::outreach_call(
                self.ctx,
                ColdCallRequest {
                    customer: customer.into(),
                    outcome: outcome.parse().map_err(ApiError::invalid)?,
                    note: Some(note.into()),
                    date: Some(day.to_string()),
                    acting: acting(LEA, self.at(day, hour, 0)),
                },
            )?;
        }
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
            let keys = self.keys.borrow();
            let secret = keys.get(signer).ok_or_else(|| ApiError::invalid(format!("no sample key for {signer}")))?;
            crate::handoff::sign_with(self.ctx, &id, &acting(signer, at), secret)?;
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
                section: word(section),
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
                    .map(|(topic, text)| PreferenceInput { topic: word(topic), text: text.to_string() })
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
                kind: Some(word(kind)),
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
                    topic: word(topic),
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
            topic: word(topic),
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
            sentiment: word(sentiment),
            strength,
            note: Some(note.into()),
            acting: acting(&owner, at),
        };
        crate::trip_signal(self.ctx, req)?;
        Ok(())
    }
}

/// A word of the stories, as the closed list it belongs to (the stories are checked by the
/// sample's tests, so a mistyped word fails them rather than a user).
fn word<W: handoff_domain::word::Word>(text: &str) -> W {
    text.parse().unwrap_or_else(|e| panic!("the sample's stories: \"{text}\": {e}"))
}
