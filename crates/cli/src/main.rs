//! # handoff-cli
//!
//! The `handoff` command line. It parses arguments, calls the `handoff-api` use case for each
//! verb (the same ones the desktop app calls), and prints the answer for a person or, with
//! `--json`, as exactly one JSON document. It holds no rules of its own.

mod args;
mod passphrase;
mod render;

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use handoff_api::dto::*;
use handoff_api::{ApiError, Ctx, ErrorCode};
use handoff_domain::event::Settlement;

use crate::args::*;
use crate::render::Out;

/// The most a `--file` may hold before it is refused unread (the section limit is far below).
const MAX_FILE_BYTES: u64 = 1 << 20;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // With --json, a refused argument is a JSON error like any other: one object on stderr.
        Err(e) if std::env::args().any(|a| a == "--json") && e.use_stderr() => {
            let text = e.to_string();
            let lines: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
            let message = lines.join(" ").trim_start_matches("error: ").to_string();
            let error = ApiError::new(ErrorCode::InvalidInput, message);
            let _ = writeln!(std::io::stderr(), "{}", serde_json::to_string(&error).expect("errors serialise"));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut stderr = std::io::stderr();
            if json {
                let _ = writeln!(stderr, "{}", serde_json::to_string(&e).expect("errors serialise"));
            } else {
                let message = for_terminal(&e.message);
                match hint(e.code) {
                    Some(hint) => {
                        let _ = writeln!(stderr, "error: {message}; {hint}");
                    }
                    None => {
                        let _ = writeln!(stderr, "error: {message}");
                    }
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// Creates the database and the agency in it. A failed `init` leaves no new file behind.
fn init(db: &Path, a: InitArgs, acting: Acting, json: bool) -> Result<(), ApiError> {
    creating(db, |ctx| {
        let req = InitRequest { agency: a.agency, timezone: a.timezone, workdays: a.workdays, hours: a.hours, acting };
        let r = handoff_api::init(ctx, req)?;
        Out::new(ctx, json).print(&r, render::agency)
    })
}

/// Takes an exported log into a new database (made when missing). A failed import leaves no new
/// file behind.
fn import_events(db: &Path, file: &Path, json: bool) -> Result<(), ApiError> {
    creating(db, |ctx| {
        let r = handoff_api::import_events(ctx, file)?;
        Out::new(ctx, json).print(&r, |_, r| {
            format!("Took in {} events: {} deals. Check them with `handoff deal list`.\n", r.events, r.deals)
        })
    })
}

/// Runs `f` on the database at `db`, made when missing; when `f` fails, a database it made is
/// removed again.
fn creating(db: &Path, f: impl FnOnce(&Ctx) -> Result<(), ApiError>) -> Result<(), ApiError> {
    let existed = db.exists();
    let result = open(db, true).and_then(|ctx| f(&ctx));
    if result.is_err() && !existed {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = db.as_os_str().to_owned();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

fn open(path: &Path, create: bool) -> Result<Ctx, ApiError> {
    Ctx::open(path, create)
}

fn read_text_file(path: &Path) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    let result = if path == Path::new("-") {
        std::io::stdin().take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
    };
    result.map_err(|e| ApiError::invalid(format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!("{} is over 1 MiB; a brief section holds at most 20000 characters", path.display()),
        ));
    }
    String::from_utf8(bytes).map_err(|_| ApiError::invalid(format!("{} is not UTF-8 text", path.display())))
}

/// The longest error line printed: a message quoting a huge input is cut, and says so.
const MAX_ERROR_CHARS: usize = 2_000;

/// An error message as a terminal may show it: control characters (escape codes included) as
/// visible `\u{…}` escapes, line breaks as spaces, and at most [`MAX_ERROR_CHARS`] characters.
fn for_terminal(message: &str) -> String {
    let mut out = String::new();
    for (n, c) in message.chars().enumerate() {
        if n == MAX_ERROR_CHARS {
            out.push_str(&format!("… ({} characters in all)", message.chars().count()));
            break;
        }
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// What to run next, in this command line's own words, for the refusals that have one. The core's
/// messages never name a command or a flag; the desktop app gives its own hints.
fn hint(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::NoDatabase => {
            Some("create one with `handoff init --agency NAME --timezone ZONE`, or point --db at an existing file")
        }
        ErrorCode::NotAHandoffDatabase => Some("point --db at a Handoff database"),
        ErrorCode::NoFounder => Some("add one with `handoff person add --dept founder`"),
        ErrorCode::SignaturesMissing => Some("sign with `handoff brief sign DEAL --as PERSON`"),
        ErrorCode::NotInMeeting => Some("start it with `handoff meeting start DEAL`"),
        ErrorCode::AlreadyInMeeting => Some("end it with `handoff meeting end DEAL` once both have signed"),
        ErrorCode::NotInServiceCall => Some("start it with `handoff service start DEAL`"),
        ErrorCode::NoTripDates => Some("set them with `handoff trip set DEAL --start DATE --end DATE`"),
        ErrorCode::NothingToAcknowledge => Some("see the checklist with `handoff service show DEAL`"),
        ErrorCode::NotPicked => Some("pick it with `handoff review pick DEAL`"),
        ErrorCode::NoSalesLead => Some("name one with `handoff dept set sales --lead PERSON`"),
        ErrorCode::FileExists => Some("use --force to replace it"),
        ErrorCode::NoDataFolder => Some("give the database with --db PATH"),
        ErrorCode::NoSigningKey => Some("make one with `handoff key create --as PERSON` on the laptop they sign on"),
        ErrorCode::PassphraseNeeded => {
            Some("type it when asked, or give --passphrase-file FILE (- for standard input)")
        }
        ErrorCode::WrongPassphrase => Some("try again; a forgotten passphrase means a new key (`handoff key create`)"),
        ErrorCode::KeyRevoked => Some("make a new key with `handoff key create --as PERSON`"),
        ErrorCode::LooksLikeSomeone => Some("if they are someone else, add --different-person"),
        ErrorCode::ClockAhead => Some("set both laptops to take their time from the network, then try again"),
        ErrorCode::NotJoined => Some("join with `handoff sync join URL --token TOKEN`"),
        ErrorCode::Offline => {
            Some("check the network and the hub's address (`handoff sync status`), then `handoff sync now`")
        }
        ErrorCode::TokenRefused => Some(
            "ask the founder for a new token (`handoff-hub token create`), then `handoff sync leave` and join again",
        ),
        ErrorCode::HubRefused => None,
        ErrorCode::MappingNeeded => Some(
            "give what is missing with --map: a column for each field (title=\"Deal Name\",closed_at=\"Close Date\",…), dates=dmy or dates=mdy, decimal=dot or decimal=comma, currency=EUR; add --mapping NAME to save it for next time",
        ),
        ErrorCode::OtherAgency => Some("join with a new database: `handoff --db NEW.db sync join URL --token TOKEN`"),
        ErrorCode::LogsDisagree => {
            Some("this database may be a copy of another laptop's: keep one of the two, or ask the founder")
        }
        ErrorCode::NotFound
        | ErrorCode::Ambiguous
        | ErrorCode::InvalidInput
        | ErrorCode::FutureTime
        | ErrorCode::TooLarge
        | ErrorCode::Refused
        | ErrorCode::IncompatibleDatabase
        | ErrorCode::Busy
        | ErrorCode::ReadOnlyDatabase
        | ErrorCode::Storage => None,
    }
}

/// `--from` and `--to` in order, said in this command line's words (the use case checks it too).
fn check_range(from: Option<&str>, to: Option<&str>) -> Result<(), ApiError> {
    let date = |d: Option<&str>| d.and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    match (date(from), date(to)) {
        (Some(f), Some(t)) if t < f => {
            Err(ApiError::invalid(format!("--to {t} is before --from {f}: give the range in order")))
        }
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> Result<(), ApiError> {
    let db = handoff_api::database_path(cli.db.clone())?;
    let acting = Acting { actor: cli.actor.clone(), at: cli.at.clone() };
    // An invitation's --at is when the meeting starts, not when an action happened.
    if cli.command.only_reads() && cli.at.is_some() && !matches!(cli.command, Command::Invite(_)) {
        return Err(ApiError::invalid("--at is for actions; this command only reads"));
    }
    // What the use cases also check, said first in this command line's own words.
    match &cli.command {
        Command::Brief(BriefCommand::Sign { .. }) if cli.actor.is_none() => {
            return Err(ApiError::invalid("say who signs with --as PERSON (the Sales author or the Fulfilment owner)"));
        }
        Command::Key(KeyCommand::Create { .. }) if cli.actor.is_none() => {
            return Err(ApiError::invalid("say whose key with --as PERSON: a person makes their own key"));
        }
        Command::Key(KeyCommand::Revoke { .. }) if cli.actor.is_none() => {
            return Err(ApiError::invalid("say who revokes with --as PERSON: the key's holder or the founder"));
        }
        Command::Agency {
            command:
                Some(AgencyCommand::Set {
                    review_picks: None,
                    review_time: None,
                    paper: None,
                    locale: None,
                    workdays: None,
                    hours: None,
                }),
        } => {
            return Err(ApiError::invalid(
                "nothing to change: give --review-picks N, --review-time HH:MM, --paper a4|letter, --locale en-GB, --workdays mon,tue,… or --hours 09:00-17:30",
            ));
        }
        Command::Traveller(TravellerCommand::Edit { name: None, preferences, .. })
            if render::preference_inputs(preferences.clone()).is_empty() =>
        {
            return Err(ApiError::invalid("nothing to change: give --name or a preference such as --dietary TEXT"));
        }
        Command::Metrics(MetricsCommand::Dwell { from, to }) => check_range(from.as_deref(), to.as_deref())?,
        Command::Metrics(MetricsCommand::Service(r) | MetricsCommand::Loop(r) | MetricsCommand::Escalations(r)) => {
            check_range(r.from.as_deref(), r.to.as_deref())?
        }
        _ => {}
    }
    if let Command::Init(a) = cli.command {
        return init(&db, a, acting, cli.json);
    }
    if let Command::Import(ImportCommand::Events { file }) = &cli.command {
        return import_events(&db, file, cli.json);
    }
    if let Command::Sync(SyncCommand::Join { url, token }) = &cli.command {
        let req = SyncJoinRequest { url: url.clone(), token: token.clone() };
        return creating(&db, |ctx| {
            let r = handoff_api::sync_join(ctx, req)?;
            Out::new(ctx, cli.json).print(&r, render::sync_report)
        });
    }
    if let Command::Sample = cli.command {
        return creating(&db, |ctx| {
            let r = handoff_api::open_sample(ctx)?;
            Out::new(ctx, cli.json).print(&r, render::agency)
        });
    }
    let ctx = if cli.command.writes() { open(&db, false)? } else { Ctx::open_read_only(&db)? };
    let out = Out::new(&ctx, cli.json);
    match cli.command {
        Command::Init(_) | Command::Sample | Command::Sync(SyncCommand::Join { .. }) => unreachable!("handled above"),
        Command::Sync(SyncCommand::Now) => out.print(&handoff_api::sync_now(&ctx)?, render::sync_report),
        Command::Sync(SyncCommand::Preview { url }) => {
            out.print(&handoff_api::sync_join_preview(&ctx, url.as_deref())?, render::sync_preview)
        }
        Command::Sync(SyncCommand::Status) => out.print(&handoff_api::sync_status(&ctx)?, render::sync_status),
        Command::Sync(SyncCommand::Leave) => out.print(&handoff_api::sync_leave(&ctx)?, render::sync_status),
        Command::Sync(SyncCommand::Webhooks) => out.print(&handoff_api::webhook_log(&ctx)?, render::webhook_log),
        Command::Agency { command: None | Some(AgencyCommand::Show) } => {
            out.print(&handoff_api::agency(&ctx)?, render::agency)
        }
        Command::Agency {
            command: Some(AgencyCommand::Set { review_picks, review_time, paper, locale, workdays, hours }),
        } => {
            let req = AgencySetRequest { review_picks, review_time, paper, locale, workdays, hours, acting };
            out.print(&handoff_api::agency_set(&ctx, req)?, render::agency)
        }
        Command::Today { person } => out.print(&handoff_api::today(&ctx, person.as_deref())?, render::today),
        Command::Trip(TripCommand::Set { deal, start, end, destination, travellers }) => {
            let r = handoff_api::trip_set(&ctx, TripSetRequest { deal, start, end, destination, travellers, acting })?;
            out.print(&r, |_, t| format!("Trip: {}\n", render::trip_line(t)))
        }
        Command::Trip(TripCommand::Signal { deal, sentiment, strength, note }) => {
            let r = handoff_api::trip_signal(&ctx, SignalRequest { deal, sentiment, strength, note, acting })?;
            out.print(&r, |_, s| format!("Signal for \"{}\": {}, strength {}\n", s.deal.title, s.sentiment, s.strength))
        }
        Command::Traveller(TravellerCommand::Add { deal, name, preferences }) => {
            let preferences = render::preference_inputs(preferences);
            let r = handoff_api::traveller_add(&ctx, TravellerAddRequest { deal, name, preferences, acting })?;
            out.print(&r, |_, t| format!("Added {}", render::traveller(t)))
        }
        Command::Traveller(TravellerCommand::Edit { deal, traveller, name, preferences }) => {
            let preferences = render::preference_inputs(preferences);
            let r =
                handoff_api::traveller_edit(&ctx, TravellerEditRequest { deal, traveller, name, preferences, acting })?;
            out.print(&r, |_, t| render::traveller(t))
        }
        Command::Traveller(TravellerCommand::List { deal }) => {
            out.print(&handoff_api::traveller_list(&ctx, &deal)?, |_, ts| {
                if ts.is_empty() {
                    "No travellers yet.\n".into()
                } else {
                    ts.iter().map(render::traveller).collect()
                }
            })
        }
        Command::Itinerary(ItineraryCommand::Add { deal, item }) => {
            let r = handoff_api::itinerary_add(&ctx, render::item_input(deal, None, item, acting))?;
            out.print(&r, |_, i| format!("Added {}", render::item(i)))
        }
        Command::Itinerary(ItineraryCommand::Edit { deal, item, fields }) => {
            let r = handoff_api::itinerary_edit(&ctx, render::item_input(deal, Some(item), fields, acting))?;
            out.print(&r, |_, i| format!("Changed {}", render::item(i)))
        }
        Command::Itinerary(ItineraryCommand::Remove { deal, item }) => {
            let empty = ItemArgs {
                day: None,
                time: None,
                kind: None,
                title: None,
                supplier: None,
                contact: None,
                confirmation: None,
            };
            let r = handoff_api::itinerary_remove(&ctx, render::item_input(deal, Some(item), empty, acting))?;
            out.print(&r, |_, i| format!("Removed {}", render::item(i)))
        }
        Command::Itinerary(ItineraryCommand::Show { deal }) => {
            out.print(&handoff_api::itinerary_show(&ctx, &deal)?, render::itinerary)
        }
        Command::Service(ServiceCommand::Show { deal }) => {
            out.print(&handoff_api::service_show(&ctx, &deal)?, render::service)
        }
        Command::Service(ServiceCommand::Start { deal }) => {
            out.print(&handoff_api::service_start(&ctx, DealAction { deal, acting })?, render::service)
        }
        Command::Service(ServiceCommand::Ack { deal, traveller, topic }) => {
            let r = handoff_api::service_ack(&ctx, ServiceAckRequest { deal, traveller, topic, acting })?;
            out.print(&r, render::service)
        }
        Command::Service(ServiceCommand::Complete { deal }) => {
            out.print(&handoff_api::service_complete(&ctx, DealAction { deal, acting })?, render::service)
        }
        Command::Service(ServiceCommand::Reassign { deal, to, reason }) => {
            let r = handoff_api::service_reassign(&ctx, ReassignRequest { deal, to, reason, acting })?;
            out.print(&r, render::service)
        }
        Command::Ask(AskCommand::Log { deal, topic, text, traveller, covered }) => {
            let r = handoff_api::ask_log(
                &ctx,
                AskLogRequest { deal, traveller, topic, text, brief_should_have_covered: covered, acting },
            )?;
            out.print(&r, |o, a| format!("Logged {}", render::ask(o, a)))
        }
        Command::Ask(AskCommand::List { deal }) => {
            out.print(&handoff_api::ask_list(&ctx, deal.as_deref())?, |o, asks| {
                if asks.is_empty() {
                    "No asks logged.\n".into()
                } else {
                    asks.iter().map(|a| render::ask(o, a)).collect()
                }
            })
        }
        Command::Review(ReviewCommand::Show { date }) => {
            out.print(&handoff_api::review_show(&ctx, date.as_deref())?, render::review)
        }
        Command::Review(ReviewCommand::Start { date }) => {
            out.print(&handoff_api::review_start(&ctx, ReviewMeetingRequest { date, acting })?, render::review)
        }
        Command::Review(ReviewCommand::End { date }) => {
            out.print(&handoff_api::review_end(&ctx, ReviewMeetingRequest { date, acting })?, render::review)
        }
        Command::Review(ReviewCommand::Pick { deals, date }) => {
            out.print(&handoff_api::review_pick(&ctx, ReviewPickRequest { deals, date, acting })?, render::review)
        }
        Command::Followup(FollowupCommand::Done { deal, outcome, renewed_deal }) => {
            let r = handoff_api::followup_done(&ctx, FollowUpDoneRequest { deal, outcome, renewed_deal, acting })?;
            out.print(&r, render::follow_up)
        }
        Command::Outreach(OutreachCommand::Cold { attempts, renewals, date }) => {
            let r = handoff_api::outreach_cold(&ctx, OutreachRequest { attempts, renewals, date, acting })?;
            out.print(&r, |_, o| {
                format!("Cold outreach on {}: {} calls, {} renewals\n", o.date, o.attempts, o.renewals)
            })
        }
        Command::Outreach(OutreachCommand::Call { customer, outcome, note, date }) => {
            let outcome = outcome.parse().map_err(ApiError::invalid)?;
            let r = handoff_api::outreach_call(&ctx, ColdCallRequest { customer, outcome, note, date, acting })?;
            out.print(&r, render::outreach_entry)
        }
        Command::Outreach(OutreachCommand::List(r)) => out
            .print(&handoff_api::outreach_list(&ctx, RangeRequest { from: r.from, to: r.to })?, render::outreach_list),
        Command::Escalation(EscalationCommand::Log { reason, deal }) => {
            let r = handoff_api::escalation_log(&ctx, EscalationLogRequest { reason, deal, acting })?;
            out.print(&r, render::escalation)
        }
        Command::Escalation(EscalationCommand::List) => out.print(&handoff_api::escalation_list(&ctx)?, |o, es| {
            if es.is_empty() {
                "No founder escalations.\n".into()
            } else {
                es.iter().map(|e| render::escalation(o, e)).collect()
            }
        }),
        Command::Metrics(MetricsCommand::Service(r)) => out.print(
            &handoff_api::metrics_service(&ctx, RangeRequest { from: r.from, to: r.to })?,
            render::service_metrics,
        ),
        Command::Metrics(MetricsCommand::Loop(r)) => {
            out.print(&handoff_api::metrics_loop(&ctx, RangeRequest { from: r.from, to: r.to })?, render::loop_metrics)
        }
        Command::Metrics(MetricsCommand::Escalations(r)) => out.print(
            &handoff_api::metrics_escalations(&ctx, RangeRequest { from: r.from, to: r.to })?,
            render::escalation_metrics,
        ),
        Command::Holiday(HolidayCommand::Add { date, name }) => {
            let r = handoff_api::holiday_add(&ctx, HolidayAddRequest { date, name, acting })?;
            out.print(&r, |_, h| {
                format!("Holiday added: {}{}\n", h.date, h.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default())
            })
        }
        Command::Holiday(HolidayCommand::Remove { date, reason }) => {
            let r = handoff_api::holiday_remove(&ctx, HolidayRemoveRequest { date, reason, acting })?;
            out.print(&r, |_, h| format!("Holiday removed: {}\n", h.date))
        }
        Command::Person(PersonCommand::AwayCorrect { person, from, to, cancel: _, reason }) => {
            let r = handoff_api::away_correct(&ctx, AwayCorrectRequest { person, from, to, reason, acting })?;
            out.print(&r, |o, p| format!("{}\n", o.person_line(p)))
        }
        Command::Person(PersonCommand::Email { person, address, remove: _ }) => {
            let r = handoff_api::person_email(&ctx, PersonEmailRequest { person, email: address, acting })?;
            out.print(&r, |o, p| format!("{}\n", o.person_line(p)))
        }
        Command::Person(PersonCommand::Retire { person, reason }) => {
            let r = handoff_api::person_retire(&ctx, RetireRequest { person, reason, acting })?;
            out.print(&r, |o, p| format!("{}\n", o.person_line(p)))
        }
        Command::Person(PersonCommand::Add { name, dept, email, different_person }) => {
            let req = PersonAddRequest { name, dept, email, confirmed_different: different_person, acting };
            let r = handoff_api::person_add(&ctx, req)?;
            out.print(&r, |o, p| format!("Added {}\n", o.person_line(p)))
        }
        Command::Person(PersonCommand::Away { person, from, to }) => {
            let r = handoff_api::person_away(&ctx, AwayRequest { person, from, to, acting })?;
            out.print(&r, |o, p| format!("{}\n", o.person_line(p)))
        }
        Command::Person(PersonCommand::List) => {
            out.print(&handoff_api::person_list(&ctx)?, |o, v| render::people(o, v))
        }
        Command::Dept(DeptCommand::Set { dept, lead, backups }) => {
            let r = handoff_api::dept_set(&ctx, DeptSetRequest { dept, lead, backups, acting })?;
            out.print(&r, |_, d| render::dept_line(d))
        }
        Command::Dept(DeptCommand::List) => {
            out.print(&handoff_api::dept_list(&ctx)?, |_, ds| ds.iter().map(render::dept_line).collect())
        }
        Command::Deal(DealCommand::Add(a)) => {
            let r = handoff_api::deal_add(
                &ctx,
                DealAddRequest {
                    title: a.title,
                    customer: a.customer,
                    value: a.value,
                    currency: a.currency,
                    owner: a.owner,
                    trip_start: a.trip_start,
                    trip_end: a.trip_end,
                    destination: a.destination,
                    travellers: a.travellers,
                    acting,
                },
            )?;
            out.print(&r, |_, d| {
                format!(
                    "Added deal \"{}\" ({}) for {}, {} — id {}\n",
                    d.title, d.value, d.customer, d.sales_owner.name, d.id
                )
            })
        }
        Command::Deal(DealCommand::Won { deal }) => {
            out.print(&handoff_api::deal_won(&ctx, DealAction { deal, acting })?, render::won)
        }
        Command::Deal(DealCommand::Lost { deal }) => out
            .print(&handoff_api::deal_lost(&ctx, DealAction { deal, acting })?, |_, d| {
                format!("Deal \"{}\" is lost.\n", d.title)
            }),
        Command::Deal(DealCommand::Contacted { deal }) => {
            let r = handoff_api::deal_contacted(&ctx, DealAction { deal, acting })?;
            out.print(&r, |o, c| {
                let verdict = if c.within_one_business_day {
                    "within one business day".to_string()
                } else {
                    format!("later than one business day (by {})", o.time(c.deadline))
                };
                format!("The customer of \"{}\" heard from us {}: {verdict}.\n", c.deal.title, o.time(c.contacted_at))
            })
        }
        Command::Deal(DealCommand::Correct { deal, title, customer, value, currency, closed_at, reason }) => {
            let req = DealCorrectRequest { deal, title, customer, value, currency, closed_at, reason, acting };
            out.print(&handoff_api::deal_correct(&ctx, req)?, |_, d| {
                format!("Corrected deal \"{}\" ({}) for {}.\n", d.title, d.value, d.customer)
            })
        }
        Command::Deal(DealCommand::Reopen { deal, reason }) => out
            .print(&handoff_api::deal_reopen(&ctx, DealReopenRequest { deal, reason, acting })?, |_, d| {
                format!("Deal \"{}\" is open again.\n", d.title)
            }),
        Command::Deal(DealCommand::Show { deal }) => {
            out.print(&handoff_api::deal_show(&ctx, &deal)?, render::deal_detail)
        }
        Command::Deal(DealCommand::List { status, search: None }) => {
            out.print(&handoff_api::deal_list(&ctx, status.as_deref())?, |o, v| render::deals(o, v))
        }
        Command::Deal(DealCommand::List { status, search: Some(text) }) => {
            let status =
                status.map(|s| s.parse::<handoff_domain::deal::DealStatus>().map_err(ApiError::invalid)).transpose()?;
            let found = handoff_api::deal_search(&ctx, &text)?;
            let found: Vec<_> = found.into_iter().filter(|d| status.is_none_or(|s| d.status == s)).collect();
            out.print(&found, |o, v| render::deals(o, v))
        }
        Command::Meeting(MeetingCommand::Start { deal }) => {
            let r = handoff_api::meeting_start(&ctx, DealAction { deal, acting })?;
            out.print(&r, |o, m| {
                format!(
                    "Handoff meeting started at {}. Write the brief (handoff brief set), both sign (handoff brief sign), then handoff meeting end — 15 minutes.\n",
                    m.started_at.map(|t| o.time(t)).unwrap_or_default()
                )
            })
        }
        Command::Meeting(MeetingCommand::End { deal }) => {
            out.print(&handoff_api::meeting_end(&ctx, DealAction { deal, acting })?, render::ended)
        }
        Command::Brief(BriefCommand::Set { deal, section, text, file }) => {
            let text = match (text, file) {
                (Some(t), _) => t,
                (None, Some(f)) => read_text_file(&f)?,
                (None, None) => {
                    return Err(ApiError::invalid("give the section's text with --text TEXT or --file PATH"))
                }
            };
            let r = handoff_api::brief_set(&ctx, BriefSetRequest { deal, section, text, acting })?;
            out.print(&r, render::brief_status)
        }
        Command::Brief(BriefCommand::Fit { deal }) => out.print(&handoff_api::brief_fit(&ctx, &deal)?, render::fit),
        Command::Export(ExportCommand::All { dir, force }) => {
            let r = handoff_api::export_all(&ctx, ExportAllRequest { dir, force })?;
            out.print(&r, render::exported_all)
        }
        Command::Backup { file, force } => {
            let r = handoff_api::backup(&ctx, BackupRequest { out: file, force })?;
            out.print(&r, |_, b| format!("Backed up {} events to {} ({} bytes).\n", b.events, b.path, b.bytes))
        }
        Command::Restore { file } => {
            let r = handoff_api::restore(&ctx, &file)?;
            out.print(&r, |_, r| {
                format!(
                    "Restored {} events from {}. The database as it was is kept as {}.\n",
                    r.events, r.restored_from, r.kept_as
                )
            })
        }
        Command::Invite(command) => {
            let (kind, deal, file) = match command {
                InviteCommand::Meeting { deal, file } => (InviteKindDto::Meeting, Some(deal), file),
                InviteCommand::Service { deal, file } => (InviteKindDto::Service, Some(deal), file),
                InviteCommand::Review { file } => (InviteKindDto::Review, None, file),
                InviteCommand::Followup { deal, file } => (InviteKindDto::Followup, Some(deal), file),
            };
            let req = InviteRequest {
                kind,
                deal,
                at: cli.at.clone(),
                from: cli.actor.clone(),
                out: file.out,
                force: file.force,
            };
            let r = handoff_api::invite(&ctx, req)?;
            out.print(&r, render::invited)
        }
        Command::Export(ExportCommand::Brief { deal, out: file, force }) => {
            let r = handoff_api::export_brief(&ctx, ExportRequest { deal, out: file, force })?;
            out.print(&r, render::exported)
        }
        Command::Export(ExportCommand::ServicePack { deal, out: file, force }) => {
            let r = handoff_api::export_service_pack(&ctx, ExportRequest { deal, out: file, force })?;
            out.print(&r, render::exported)
        }
        Command::Verify(command) => {
            let r = match command {
                VerifyCommand::Brief { file, deal } => handoff_api::verify_brief(&ctx, VerifyRequest { file, deal })?,
                VerifyCommand::Pack { file, deal } => handoff_api::verify_pack(&ctx, VerifyRequest { file, deal })?,
            };
            out.print(&r, render::verified)?;
            if r.ok {
                Ok(())
            } else {
                Err(ApiError::new(
                    ErrorCode::Refused,
                    format!("the {} does not verify: {}", r.kind, r.problems.join("; ")),
                ))
            }
        }
        Command::Brief(BriefCommand::Show { deal }) => out.print(&handoff_api::brief_show(&ctx, &deal)?, render::brief),
        Command::Brief(BriefCommand::Sign { deal, passphrase_file }) => {
            let sign = |passphrase| {
                handoff_api::brief_sign(
                    &ctx,
                    BriefSignRequest { deal: deal.clone(), acting: acting.clone(), passphrase },
                )
            };
            let signed = match passphrase_file {
                Some(file) => sign(Some(passphrase::from_file(&file)?)),
                None => match sign(None) {
                    Err(e) if e.code == ErrorCode::PassphraseNeeded => sign(Some(passphrase::ask(&e.message, false)?)),
                    other => other,
                },
            };
            out.print(&signed?, render::brief_status)
        }
        Command::Key(KeyCommand::Create { passphrase_file, work_factor }) => {
            let create = |passphrase| {
                handoff_api::key_create(&ctx, KeyCreateRequest { acting: acting.clone(), passphrase, work_factor })
            };
            let created = match passphrase_file {
                Some(file) => create(Some(passphrase::from_file(&file)?)),
                None => match create(None) {
                    Err(e) if e.code == ErrorCode::PassphraseNeeded => create(Some(passphrase::ask(&e.message, true)?)),
                    other => other,
                },
            };
            out.print(&created?, render::key_created)
        }
        Command::Key(KeyCommand::List) => out.print(&handoff_api::key_list(&ctx)?, render::keys),
        Command::Key(KeyCommand::Revoke { person: Some(person), reason, key, laptop: None }) => {
            let r = handoff_api::key_revoke(&ctx, KeyRevokeRequest { person, fingerprint: key, reason, acting })?;
            out.print(&r, |o, ks| render::keys_revoked(o, ks))
        }
        Command::Key(KeyCommand::Revoke { laptop: Some(device), reason, .. }) => {
            let r = handoff_api::laptop_key_revoke(&ctx, LaptopKeyRevokeRequest { device, reason, acting })?;
            out.print(&r, |o, ks| render::laptop_keys_revoked(o, ks))
        }
        Command::Key(KeyCommand::Revoke { person: None, laptop: None, .. }) => {
            Err(ApiError::invalid("say whose keys to revoke (PERSON), or which laptop's (--laptop ID)"))
        }
        Command::Whoami { command: None } => out.print(&handoff_api::whoami(&ctx)?, render::whoami),
        Command::Whoami { command: Some(WhoamiCommand::Set { person }) } => {
            out.print(&Some(handoff_api::whoami_set(&ctx, &person)?), render::whoami)
        }
        Command::Reassign(a) => {
            let r = handoff_api::reassign(&ctx, ReassignRequest { deal: a.deal, to: a.to, reason: a.reason, acting })?;
            out.print(&r, |_, f| {
                format!(
                    "{} now owns the fulfilment side (originally {}, {}).\n",
                    f.acting.name, f.original.name, f.assigned_because
                )
            })
        }
        Command::Task(TaskCommand::List { owner, open, overdue }) => out
            .print(&handoff_api::task_list(&ctx, TaskListRequest { owner, open, overdue })?, |o, v| {
                render::tasks(o, v)
            }),
        Command::Conflict(ConflictCommand::List { all }) => {
            out.print(&handoff_api::conflict_list(&ctx, all)?, |o, list| render::conflict_list(o, list))
        }
        Command::Conflict(ConflictCommand::Settle { conflict, keep: _, take_other }) => {
            let how = if take_other { Settlement::TookOther } else { Settlement::Kept };
            let r = handoff_api::conflict_settle(&ctx, ConflictSettleRequest { conflict, how, acting })?;
            out.print(&r, render::settled)
        }
        Command::Task(TaskCommand::Done { task }) => {
            let r = handoff_api::task_done(&ctx, TaskDoneRequest { task, acting })?;
            out.print(&r, |_, t| format!("Done: {} ({})\n", t.title, t.deal.title))
        }
        Command::Metrics(MetricsCommand::Dwell { from, to }) => {
            out.print(&handoff_api::dwell(&ctx, DwellRequest { from, to })?, render::dwell)
        }
        Command::Metrics(MetricsCommand::Compare { on, weeks_before, weeks_after }) => out.print(
            &handoff_api::dwell_before_after(&ctx, BeforeAfterRequest { on, weeks_before, weeks_after })?,
            render::before_after,
        ),
        Command::Import(ImportCommand::Events { .. }) => unreachable!("handled above"),
        Command::Import(ImportCommand::Deals { file, map, mapping, with_open, preview }) => {
            let mut change = handoff_api::dto::MappingChange::default();
            for text in &map {
                let more = handoff_api::mapping_change(text)?;
                change.columns.extend(more.columns);
                change.won = more.won.or(change.won);
                change.lost = more.lost.or(change.lost);
                change.dates = more.dates.or(change.dates);
                change.decimal = more.decimal.or(change.decimal);
                change.currency = more.currency.or(change.currency);
                change.crm = more.crm.or(change.crm);
                change.whole |= more.whole;
            }
            let options = handoff_api::dto::ImportOptions { map: change, mapping, with_open };
            if preview {
                let p = handoff_api::import_preview(&ctx, &file, &options)?;
                if let Some(problem) = &p.mapping_problem {
                    return Err(ApiError::new(ErrorCode::MappingNeeded, problem.clone()));
                }
                return out.print(&p, render::import_preview);
            }
            out.print(&handoff_api::import_deals(&ctx, &file, &options, acting)?, render::import_response)
        }
        Command::Import(ImportCommand::Mappings) => {
            out.print(&handoff_api::import_mappings(&ctx)?, render::import_mappings)
        }
        Command::Admin(AdminCommand::Rebuild) => {
            let r = handoff_api::rebuild(&ctx)?;
            out.print(&r, |_, r| {
                format!("Rebuilt the read tables from {} events; integrity check: {}\n", r.events, r.integrity)
            })
        }
        Command::Admin(AdminCommand::Check) => {
            let r = handoff_api::integrity_check(&ctx)?;
            let ok = r == "ok";
            out.print(&serde_json::json!({ "integrity": r }), |_, v| {
                format!("integrity check: {}\n", v["integrity"].as_str().unwrap_or(""))
            })?;
            if ok {
                Ok(())
            } else {
                Err(ApiError::new(ErrorCode::Storage, format!("the database failed its integrity check: {r}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_reaches_the_terminal_without_escape_codes_on_one_bounded_line() {
        assert_eq!(
            for_terminal("no deal \"\u{1b}[31mRed\u{1b}[0m\"\nnext"),
            "no deal \"\\u{1b}[31mRed\\u{1b}[0m\" next"
        );
        let long = for_terminal(&"x".repeat(700_000));
        assert!(long.chars().count() < MAX_ERROR_CHARS + 40 && long.ends_with("(700000 characters in all)"), "{long}");
    }
}
