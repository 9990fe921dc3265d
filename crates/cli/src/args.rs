//! The command line's shape: every verb, its arguments and its help text.

use std::path::PathBuf;

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use handoff_domain::brief::Section;
use handoff_domain::directory::{Department, Locale, Paper};
use handoff_domain::trip::{AskTopic, ItemKind, Outcome, PreferenceTopic, Sentiment};
use handoff_domain::word::Word;

/// Handoff: nothing a travel agency has promised falls between its departments.
///
/// Runs the Sales→Fulfilment handoff (a 15-minute live meeting the day a deal closes, a one-page
/// brief signed by both leads, a named owner — never a queue) and measures dwell time from close
/// to handoff. Works on a local database; every action is recorded as an event.
#[derive(Debug, Parser)]
#[command(name = "handoff", version, max_term_width = 100)]
#[command(
    after_help = "A PERSON, DEAL or TASK accepts an id, a unique id prefix (6+ characters), or a unique name or deal title.\n\
TIME is RFC 3339 (2026-03-03T14:00:00Z) or YYYY-MM-DD HH:MM in the agency's time zone. DATE is YYYY-MM-DD.\n\
Start with: handoff init --agency \"Wayfarer Travel\" --timezone Europe/London"
)]
pub struct Cli {
    /// The database file [default: $HANDOFF_DB, else the desktop app's own database]
    #[arg(long, global = true, value_name = "PATH", help_heading = "Global options")]
    pub db: Option<PathBuf>,

    /// Print exactly one JSON document on stdout (errors as {"code","message"} on stderr)
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,

    /// Who acts: a person's id or unique name (recorded on the event) [default: this laptop's
    /// person, once chosen with `handoff whoami set`]
    #[arg(long = "as", global = true, value_name = "PERSON", help_heading = "Global options")]
    pub actor: Option<String>,

    /// When the action really happened, for backfills [default: now; at most 5 minutes ahead]
    #[arg(long, global = true, value_name = "TIME", help_heading = "Global options")]
    pub at: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the agency in a new database: name, time zone, working days and hours
    Init(InitArgs),
    /// Fill a new, empty database with the sample agency, "Wayfarer Travel (sample)", to explore:
    /// all of it or, should anything fail, nothing
    Sample,
    /// Show the agency, its calendar and where its data lives; change its settings
    Agency {
        #[command(subcommand)]
        command: Option<AgencyCommand>,
    },
    /// What needs attention now: waiting deals, tasks, service handoffs, the review, follow-ups
    Today {
        /// Only what this person should act on
        #[arg(long)]
        person: Option<String>,
    },
    /// Holidays: days business time skips
    #[command(subcommand)]
    Holiday(HolidayCommand),
    /// People: add them, list them, mark them away
    #[command(subcommand)]
    Person(PersonCommand),
    /// Departments: each one's lead and ordered named backups
    #[command(subcommand)]
    Dept(DeptCommand),
    /// Deals: add, won, lost, show, list
    #[command(subcommand)]
    Deal(DealCommand),
    /// The 15-minute live handoff meeting: start it, end it
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// The one-page brief: write a section, show it, sign it
    #[command(subcommand)]
    Brief(BriefCommand),
    /// Hand a deal's fulfilment side to someone else, with a reason
    Reassign(ReassignArgs),
    /// Tasks: list them, mark them done
    #[command(subcommand)]
    Task(TaskCommand),
    /// Conflicts met when laptops' records merged: list them, settle one (keep, or take the other version)
    #[command(subcommand)]
    Conflict(ConflictCommand),
    /// Signing keys: each person's own, made on the laptop they sign on
    #[command(subcommand)]
    Key(KeyCommand),
    /// Sync with the agency's hub (optional: a laptop that never joins one never touches a network)
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Who uses this laptop (recorded on every event made here); `whoami set PERSON` to say
    Whoami {
        #[command(subcommand)]
        command: Option<WhoamiCommand>,
    },
    /// The trip: its dates, and the signal when the travellers are back
    #[command(subcommand)]
    Trip(TripCommand),
    /// Travellers and their preferences (dietary, mobility, rooming, medical, other)
    #[command(subcommand)]
    Traveller(TravellerCommand),
    /// The itinerary: days and items (flights, hotels, transfers, activities, meals, notes)
    #[command(subcommand)]
    Itinerary(ItineraryCommand),
    /// The Fulfilment→Service handoff, 72 hours before the trip
    #[command(subcommand)]
    Service(ServiceCommand),
    /// Questions Service had to ask travellers on the trip
    #[command(subcommand)]
    Ask(AskCommand),
    /// The Tuesday review: trips back last week, strongest signal first; pick three
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Follow-up calls picked at the review
    #[command(subcommand)]
    Followup(FollowupCommand),
    /// Cold-list outreach, recorded to compare renewal rates
    #[command(subcommand)]
    Outreach(OutreachCommand),
    /// Founder escalations
    #[command(subcommand)]
    Escalation(EscalationCommand),
    /// The numbers that say whether handoffs work
    #[command(subcommand)]
    Metrics(MetricsCommand),
    /// Bring in history from a CRM export
    #[command(subcommand)]
    Import(ImportCommand),
    /// PDFs for the trip file: the one-page brief and the 72-hour service pack
    #[command(subcommand)]
    Export(ExportCommand),
    /// Calendar invitations (.ics) for the playbook's meetings, for any calendar; `--at TIME`
    /// sets when the meeting starts (else Handoff plans it)
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Check an exported PDF: its own digital signature, the brief it carries, every sign-off
    #[command(subcommand)]
    Verify(VerifyCommand),
    /// Maintenance: rebuild the read tables from the event log, check the file
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Copy the whole database to FILE, consistent even while the app is open; `restore` takes it back
    Backup {
        /// The backup file to write
        file: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Replace the whole database with a backup (checked first); the database as it was is kept
    /// beside it as NAME.before-restore-DATE.db
    Restore {
        /// The backup file (never changed)
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The agency's name
    #[arg(long)]
    pub agency: String,
    /// IANA time zone, e.g. Europe/London or America/New_York
    #[arg(long)]
    pub timezone: String,
    /// Working days, comma-separated [default: mon,tue,wed,thu,fri]
    #[arg(long)]
    pub workdays: Option<String>,
    /// Working hours as HH:MM-HH:MM [default: 09:00-17:30]
    #[arg(long)]
    pub hours: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum HolidayCommand {
    /// Add a holiday (a whole local day off)
    Add {
        /// The day, YYYY-MM-DD
        date: String,
        /// What it is, e.g. "Christmas Day"
        #[arg(long)]
        name: Option<String>,
    },
    /// Take a holiday off the calendar (business time counts the day again)
    Remove {
        /// The day, YYYY-MM-DD
        date: String,
        /// Why (kept in the history)
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person to a department
    Add {
        /// Their name (unique in the agency)
        #[arg(long)]
        name: String,
        /// The person's department
        #[arg(long, value_parser = word::<Department>())]
        dept: Department,
        #[arg(long)]
        email: Option<String>,
        /// Their name looks like someone's already here, and they really are someone else
        #[arg(long)]
        different_person: bool,
    },
    /// Mark a person away for whole days (inclusive)
    Away {
        /// The person: their name, id, or a unique id prefix
        person: String,
        /// First day away, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Last day away, YYYY-MM-DD
        #[arg(long)]
        to: String,
    },
    /// Correct an away period, named by its first day: end it on another day, or cancel it
    AwayCorrect {
        /// The person: their name, id, or a unique id prefix
        person: String,
        /// The first day of the away period, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Its new last day, YYYY-MM-DD
        #[arg(long, required_unless_present = "cancel", conflicts_with = "cancel")]
        to: Option<String>,
        /// Cancel the period altogether
        #[arg(long)]
        cancel: bool,
        /// Why (kept in the history)
        #[arg(long)]
        reason: String,
    },
    /// Set the person's e-mail address, where their calendar invitations go
    Email {
        /// The person: their name, id, or a unique id prefix
        person: String,
        /// The address (name@example.com)
        #[arg(required_unless_present = "remove")]
        address: Option<String>,
        /// Remove the address instead
        #[arg(long, conflicts_with = "address")]
        remove: bool,
    },
    /// The person has left the agency: kept in the history, never assigned again
    Retire {
        /// The person: their name, id, or a unique id prefix
        person: String,
        /// Why (kept in the history)
        #[arg(long)]
        reason: String,
    },
    /// Everyone, with department, role and away periods
    List,
}

#[derive(Debug, Subcommand)]
pub enum DeptCommand {
    /// Name a department's lead and its ordered backups
    Set {
        /// The department
        #[arg(value_parser = word::<Department>())]
        dept: Department,
        #[arg(long)]
        lead: String,
        /// Backups in the order they step in: A,B,C
        #[arg(long, value_delimiter = ',')]
        backups: Vec<String>,
    },
    /// Each department with its lead and backups
    List,
}

#[derive(Debug, Subcommand)]
pub enum DealCommand {
    /// Add an open deal owned by a Sales person
    Add(DealAddArgs),
    /// The deal is won: names its fulfilment owner now (lead, else backup, else founder)
    Won {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// The deal is lost
    Lost {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// The customer heard from us (a call, an e-mail): the first contact after the close counts
    /// against "within one business day" (done automatically by "Confirm dates with customer")
    Contacted {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Correct a mistake: the title, customer or value, or when a won deal really closed
    Correct {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        customer: Option<String>,
        /// The amount, e.g. 4800 or 4800.50 (in the deal's currency unless --currency is given)
        #[arg(long)]
        value: Option<String>,
        /// ISO 4217 code, with --value
        #[arg(long, requires = "value")]
        currency: Option<String>,
        /// When it really closed: RFC 3339 or "YYYY-MM-DD HH:MM" in the agency's zone
        #[arg(long)]
        closed_at: Option<String>,
        /// Why (kept in the history, shown in the timeline)
        #[arg(long)]
        reason: String,
    },
    /// A deal marked lost by mistake is open again
    Reopen {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// Why (kept in the history, shown in the timeline)
        #[arg(long)]
        reason: String,
    },
    /// Everything about a deal: owners, brief, signatures, tasks and the event timeline
    Show {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Deals, most recent first
    List {
        /// open, won, handed-off or lost
        #[arg(long)]
        status: Option<String>,
        /// Only deals whose title, customer, travellers' names or brief hold every word
        #[arg(long)]
        search: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DealAddArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub customer: String,
    /// The amount, e.g. 60000 or 60000.00
    #[arg(long)]
    pub value: String,
    /// ISO 4217 code, e.g. EUR
    #[arg(long)]
    pub currency: String,
    /// The Sales person who sold it
    #[arg(long)]
    pub owner: String,
    /// First day of the trip, YYYY-MM-DD
    #[arg(long)]
    pub trip_start: Option<String>,
    /// Last day of the trip, YYYY-MM-DD
    #[arg(long)]
    pub trip_end: Option<String>,
    #[arg(long)]
    pub destination: Option<String>,
    /// How many travellers
    #[arg(long)]
    pub travellers: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Start the live handoff meeting (on the close day, 15 minutes)
    Start {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// End it: completes the handoff; refused without both valid signatures
    End {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BriefCommand {
    /// Write one section of the brief (signatures given before become stale)
    Set {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The section to write
        #[arg(long, value_parser = word::<Section>())]
        section: Section,
        /// The section's text (may start with "-", e.g. a bullet list)
        #[arg(long, conflicts_with = "file", required_unless_present = "file", allow_hyphen_values = true)]
        text: Option<String>,
        /// Read the text from a file (- for standard input)
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Show the brief, its hash and its sign-offs
    Show {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Whether the brief fits its one page, and if not by how much
    Fit {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Sign the brief as it is now (--as the Sales author or the Fulfilment owner), with the
    /// signer's own key on this laptop
    Sign {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// Read the signer's passphrase from FILE (- for standard input) [default: ask on the
        /// terminal when their key needs it]
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Join the agency's hub with the token the founder made for you, then sync at once (a new
    /// database takes in the whole agency)
    Join {
        /// The hub's address (http://HOST:PORT or https://HOST), or the join code the founder
        /// sent (handoff://join?hub=…&token=…)
        url: String,
        /// The token from `handoff-hub token create` (a join code carries it already)
        #[arg(long, default_value = "")]
        token: String,
    },
    /// What joining a hub would do to what this laptop holds (before joining)
    Preview {
        /// The join code (or the hub's address) to join with: says which hub, and whether it is
        /// reached encrypted
        url: Option<String>,
    },
    /// Sync now: take in what other laptops recorded, then send what this one recorded
    Now,
    /// Where this laptop syncs, its last success, what waits to go, the last error, clock drift
    Status,
    /// Stop syncing with the hub (this laptop keeps everything it holds)
    Leave,
    /// The agency's webhook log on the hub: the won deals the CRM sent, accepted or refused and why
    Webhooks,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make --as PERSON's own signing key on this laptop and register it (replaces their key here)
    Create {
        /// Read the passphrase that protects the key from FILE (- for standard input) [default:
        /// the system keychain for this laptop's own person, else ask on the terminal]
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// The key file's scrypt work factor, log2 N (10–22; lower is faster to open and weaker)
        #[arg(long, value_name = "N", hide = true)]
        work_factor: Option<u8>,
    },
    /// Every signing key: whose, since when, revoked or not, and where this laptop keeps it
    List,
    /// Revoke PERSON's keys (by them or the founder): signatures given before stay valid
    Revoke {
        /// Whose keys: a person's id or unique name
        #[arg(required_unless_present = "laptop", conflicts_with = "laptop")]
        person: Option<String>,
        /// Why (they left, a laptop was lost, …)
        #[arg(long)]
        reason: String,
        /// Only the key with this fingerprint [default: all of PERSON's keys that still count]
        #[arg(long, value_name = "FINGERPRINT")]
        key: Option<String>,
        /// Instead, revoke this laptop's PDF sealing key (by the founder): its id or a 6+ prefix,
        /// from `key list`
        #[arg(long, value_name = "LAPTOP")]
        laptop: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WhoamiCommand {
    /// Say who uses this laptop: their name goes on every event recorded here
    Set {
        /// A person's id or unique name
        person: String,
    },
}

#[derive(Debug, Args)]
pub struct ReassignArgs {
    /// The deal: its title, id, or a unique id prefix
    pub deal: String,
    /// The new fulfilment owner
    #[arg(long)]
    pub to: String,
    /// Why (kept in the deal's history)
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Tasks by due time
    List {
        /// Only this person's
        #[arg(long)]
        owner: Option<String>,
        /// Only those not done
        #[arg(long)]
        open: bool,
        /// Only those not done and past due
        #[arg(long)]
        overdue: bool,
    },
    /// Mark a task done (TASK: its id, or a deal with one open task)
    Done {
        /// The task's id (or a unique prefix), or a deal that has exactly one open task
        task: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConflictCommand {
    /// The conflicts nobody has settled yet, newest first
    List {
        /// Settled ones too
        #[arg(long)]
        all: bool,
    },
    /// Settle a conflict (a department lead or the founder): keep what stands, or take the other version
    Settle {
        /// The conflict's id (or its first 6 or more characters), as `conflict list` shows it
        conflict: String,
        /// Keep what stands
        #[arg(long, required_unless_present = "take_other", conflicts_with = "take_other")]
        keep: bool,
        /// Take the other version, recorded as new events
        #[arg(long)]
        take_other: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Show the agency (the default)
    Show,
    /// Change the agency's settings
    Set {
        /// How many trips the Sales lead may pick at one Tuesday review [default: 3]
        #[arg(long)]
        review_picks: Option<u8>,
        /// When the Tuesday review starts, HH:MM [default: 10:00]
        #[arg(long)]
        review_time: Option<String>,
        /// The paper PDFs are laid out for [default: a4]
        #[arg(long, value_parser = word::<Paper>())]
        paper: Option<Paper>,
        /// How dates and numbers are written in the app, e.g. en-GB, en-US, de-DE [default: from the time zone]
        #[arg(long, value_parser = word::<Locale>())]
        locale: Option<Locale>,
        /// Working days, e.g. mon,tue,wed,thu,fri (business time of past deals is counted again)
        #[arg(long)]
        workdays: Option<String>,
        /// Working hours, e.g. 09:00-17:30
        #[arg(long)]
        hours: Option<String>,
    },
}

/// The text of each traveller preference.
#[derive(Clone, Debug, Args)]
pub struct PreferenceArgs {
    /// Dietary needs, e.g. "vegetarian, no nuts"
    #[arg(long)]
    pub dietary: Option<String>,
    /// Mobility, e.g. "wheelchair; step-free rooms"
    #[arg(long)]
    pub mobility: Option<String>,
    /// Rooming and family dynamics, e.g. "not next to her parents"
    #[arg(long)]
    pub rooming: Option<String>,
    /// Medical, e.g. "carries an EpiPen"
    #[arg(long)]
    pub medical: Option<String>,
    /// Anything else the on-trip team should know
    #[arg(long)]
    pub other: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TripCommand {
    /// Set the trip's dates, destination and size (reschedules the service handoff)
    Set {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// First day, YYYY-MM-DD, or "YYYY-MM-DD HH:MM" when the start time is known
        #[arg(long)]
        start: Option<String>,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        destination: Option<String>,
        /// How many travellers
        #[arg(long)]
        travellers: Option<u32>,
    },
    /// Record how the travellers came back (after the trip ended)
    Signal {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// How the travellers came back
        #[arg(long, value_parser = word::<Sentiment>())]
        sentiment: Sentiment,
        /// 1 (faint) to 5 (strong)
        #[arg(long)]
        strength: u8,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TravellerCommand {
    /// Add a traveller with their preferences
    Add {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        preferences: PreferenceArgs,
    },
    /// Change a traveller's name or preferences ("" clears one)
    Edit {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The traveller: their name (or its unique start) or id
        traveller: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        preferences: PreferenceArgs,
    },
    /// The travellers and their preferences
    List {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
}

/// The fields of an itinerary item.
#[derive(Debug, Args)]
pub struct ItemArgs {
    /// The local day, YYYY-MM-DD
    #[arg(long)]
    pub day: Option<String>,
    /// The local time, HH:MM (an empty one clears it when editing)
    #[arg(long)]
    pub time: Option<String>,
    /// What the item is
    #[arg(long, value_parser = word::<ItemKind>())]
    pub kind: Option<ItemKind>,
    #[arg(long)]
    pub title: Option<String>,
    /// The supplier (an empty one clears it when editing)
    #[arg(long)]
    pub supplier: Option<String>,
    /// The supplier's contact, phone or e-mail (an empty one clears it when editing)
    #[arg(long)]
    pub contact: Option<String>,
    /// The confirmation reference (an empty one clears it when editing)
    #[arg(long)]
    pub confirmation: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ItineraryCommand {
    /// Add an item (--day, --kind and --title are needed)
    Add {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[command(flatten)]
        item: ItemArgs,
    },
    /// Change an item; what is not given stays
    Edit {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The item's id or a unique id prefix
        item: String,
        #[command(flatten)]
        fields: ItemArgs,
    },
    /// Remove an item
    Remove {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The item's id or a unique id prefix
        item: String,
    },
    /// The itinerary, day by day
    Show {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// The service handoff: due time, owner and the preference checklist
    Show {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Start the 15-minute service handoff call
    Start {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Acknowledge one traveller's preference item
    Ack {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The traveller: their name (or its unique start) or id
        #[arg(long)]
        traveller: String,
        /// The preference's topic
        #[arg(long, value_parser = word::<PreferenceTopic>())]
        topic: PreferenceTopic,
    },
    /// Complete the service handoff (refused while any item is not acknowledged)
    Complete {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
    },
    /// Hand the service side to someone else, with a reason
    Reassign {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AskCommand {
    /// Log a question Service had to ask a traveller (only once the trip has started)
    Log {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// What the ask was about
        #[arg(long, value_parser = word::<AskTopic>())]
        topic: AskTopic,
        /// What had to be asked
        #[arg(long, allow_hyphen_values = true)]
        text: String,
        /// The traveller asked (name or id)
        #[arg(long)]
        traveller: Option<String>,
        /// The brief should have covered it (counts toward asks per trip)
        #[arg(long)]
        covered: bool,
    },
    /// Asks logged, on one trip or all
    List {
        /// The deal: its title, id, or a unique id prefix
        deal: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// The review: trips that ended Tuesday to Monday before it, strongest signal first
    Show {
        /// The review's Tuesday [default: the latest on or before today]
        #[arg(long)]
        date: Option<String>,
    },
    /// Start the review, a 30-minute meeting (held from its Tuesday until the next review's)
    Start {
        /// The review's Tuesday [default: the latest on or before today]
        #[arg(long)]
        date: Option<String>,
    },
    /// End the review (held even when nothing was picked)
    End {
        /// The review's Tuesday [default: the latest on or before today]
        #[arg(long)]
        date: Option<String>,
    },
    /// Pick trips for the Sales lead's follow-up calls (up to the agency's limit)
    Pick {
        /// The deals picked
        #[arg(required = true)]
        deals: Vec<String>,
        /// The review's Tuesday [default: the latest on or before today]
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// Record how a follow-up call went
    Done {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// How the call went
        #[arg(long, value_parser = word::<Outcome>())]
        outcome: Outcome,
        /// For renewed: the new deal it became
        #[arg(long)]
        renewed_deal: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutreachCommand {
    /// Record a batch of cold-list calls
    Cold {
        #[arg(long)]
        attempts: u32,
        #[arg(long)]
        renewals: u32,
        /// The day of the batch [default: today]
        #[arg(long)]
        date: Option<String>,
    },
    /// Record one call to a customer on the cold list, and how it went
    Call {
        /// Who was called
        #[arg(long)]
        customer: String,
        /// renewed, referral, no-interest or no-answer
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        note: Option<String>,
        /// The day of the call [default: today]
        #[arg(long)]
        date: Option<String>,
    },
    /// The cold outreach of a span, calls and batches, with the totals [default: the last four weeks]
    List(RangeArgs),
}

#[derive(Debug, Subcommand)]
pub enum EscalationCommand {
    /// Log something that reached the founder
    Log {
        /// What happened
        #[arg(long)]
        reason: String,
        /// The deal it was about
        #[arg(long)]
        deal: Option<String>,
    },
    /// Every founder escalation
    List,
}

#[derive(Debug, Subcommand)]
pub enum MetricsCommand {
    /// Dwell time from close to handoff: mean, median, p90, worst, breaches, and who is waiting now
    Dwell {
        /// Deals closed on or after this day
        #[arg(long)]
        from: Option<String>,
        /// Deals closed on or before this day
        #[arg(long)]
        to: Option<String>,
    },
    /// Service handoffs done and on time (≥ 72 h), mean lead, asks per delivered trip, by topic
    Service(RangeArgs),
    /// Trips back, reviews, picks, follow-ups within 10 days, renewal rate vs cold outreach, lift
    Loop(RangeArgs),
    /// Founder escalations per ISO week and per quarter
    Escalations(RangeArgs),
    /// Dwell before and after a change ("the week before the contract, three weeks after")
    Compare {
        /// The day the change was made, YYYY-MM-DD
        #[arg(long)]
        on: String,
        /// Whole weeks before it (1 to 26)
        #[arg(long, default_value_t = 1)]
        weeks_before: u32,
        /// Whole weeks from it (1 to 26)
        #[arg(long, default_value_t = 3)]
        weeks_after: u32,
    },
}

#[derive(Debug, Args)]
pub struct RangeArgs {
    /// From this day, YYYY-MM-DD
    #[arg(long)]
    pub from: Option<String>,
    /// To this day (inclusive), YYYY-MM-DD
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import deals from a CRM export as it comes out of the CRM: a HubSpot deals export, a
    /// Pipedrive deals export or a Salesforce opportunities report (known by their columns),
    /// Handoff's own columns external_id,title,customer,value,currency,owner,closed_at,handoff_at,
    /// or any other CSV through --map. Won deals come in won at the CRM's close; lost ones stay
    /// out. All rows or none; re-importing the same rows adds nothing.
    Deals {
        /// The CSV file
        file: PathBuf,
        /// Which column holds each field, and what the numbers alone cannot say:
        /// external_id=, title=, customer=, value=, currency= (a column, or a code such as EUR),
        /// owner=, stage=, closed_at=, created_at=, handoff_at=, won="Closed Won|Won",
        /// lost="Closed Lost", dates=dmy|mdy|ymd, decimal=dot|comma, crm=NAME.
        /// Comma-separated; quote a column name with a comma in it
        #[arg(long, value_name = "FIELD=\"Column\",…")]
        map: Vec<String>,
        /// A saved column mapping to read the file with; the mapping is saved under this name
        /// when the import changes it or it is new
        #[arg(long, value_name = "NAME")]
        mapping: Option<String>,
        /// Bring deals still open in the CRM in as open deals (won by a later import)
        #[arg(long)]
        with_open: bool,
        /// Show what importing would do, row by row, and write nothing
        #[arg(long)]
        preview: bool,
    },
    /// The agency's saved column mappings for CRM exports
    Mappings,
    /// Take the log of an `export all` (its events.jsonl) into a new, empty database: every
    /// event as it was written, folded into the read tables, all or nothing
    Events {
        /// The events.jsonl file
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// The 15-minute live handoff meeting of a won deal, the day it closed, with the Sales owner
    /// and the Fulfilment owner (a cancellation once the deal is lost)
    Meeting {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[command(flatten)]
        file: InviteFile,
    },
    /// The 15-minute service call before the 72-hour mark, with the Fulfilment and Service owners
    Service {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[command(flatten)]
        file: InviteFile,
    },
    /// The weekly 30-minute Tuesday review, with the Service and Sales leads (a recurring event)
    Review {
        #[command(flatten)]
        file: InviteFile,
    },
    /// A follow-up call picked at the review, for the Sales lead, before day 10
    Followup {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        #[command(flatten)]
        file: InviteFile,
    },
}

/// Where an invitation goes.
#[derive(Debug, clap::Args)]
pub struct InviteFile {
    /// The calendar file to write (FILE.ics)
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Everything the agency holds, as plain files in DIR: every read table as TABLE.csv (with a
    /// header) and the whole event log as events.jsonl (one JSON event per line)
    All {
        /// The folder to write into (made when missing)
        #[arg(long)]
        dir: PathBuf,
        /// Replace files of the same names if they exist
        #[arg(long)]
        force: bool,
    },
    /// The signed one-page brief (marked DRAFT until both signatures are valid)
    Brief {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The PDF file to write
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// The 72-hour service handoff pack
    ServicePack {
        /// The deal: its title, id, or a unique id prefix
        deal: String,
        /// The PDF file to write
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// Is the file sealed by one of the agency's laptops, unchanged, the brief as signed, and
    /// does each sign-off verify? Exit 1 if not.
    Brief {
        /// The brief PDF
        file: PathBuf,
        /// The deal it should be the brief of [default: found from the file's hash]
        #[arg(long)]
        deal: Option<String>,
    },
    /// Is the service pack sealed by one of the agency's laptops, unchanged, and made from the
    /// brief as it is now? Exit 1 if not.
    Pack {
        /// The service pack PDF
        file: PathBuf,
        /// The deal it should be the pack of [default: found from the file's brief hash]
        #[arg(long)]
        deal: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Empty the read tables and fold the whole event log into them again
    Rebuild,
    /// Check the database file (PRAGMA integrity_check)
    Check,
}

impl Command {
    /// Whether the command may write to the database; the others open it read-only. PDF exports
    /// write the laptop's sealing key the first time, and `admin` rebuilds the read tables.
    pub fn writes(&self) -> bool {
        !self.only_reads()
            || matches!(
                self,
                Command::Export(ExportCommand::Brief { .. } | ExportCommand::ServicePack { .. })
                    | Command::Admin(_)
                    | Command::Invite(_)
            )
    }

    /// Whether this command only reads (so `--at` makes no sense for it). No wildcard: a new
    /// command does not compile until it is said here whether it reads or acts.
    pub fn only_reads(&self) -> bool {
        match self {
            Command::Init(_) | Command::Sample => false,
            Command::Agency { command } => match command {
                None | Some(AgencyCommand::Show) => true,
                Some(AgencyCommand::Set { .. }) => false,
            },
            Command::Today { .. } => true,
            Command::Holiday(HolidayCommand::Add { .. } | HolidayCommand::Remove { .. }) => false,
            Command::Person(c) => match c {
                PersonCommand::List => true,
                PersonCommand::Add { .. }
                | PersonCommand::Away { .. }
                | PersonCommand::AwayCorrect { .. }
                | PersonCommand::Email { .. }
                | PersonCommand::Retire { .. } => false,
            },
            Command::Dept(c) => match c {
                DeptCommand::List => true,
                DeptCommand::Set { .. } => false,
            },
            Command::Deal(c) => match c {
                DealCommand::Show { .. } | DealCommand::List { .. } => true,
                DealCommand::Add(_)
                | DealCommand::Won { .. }
                | DealCommand::Lost { .. }
                | DealCommand::Contacted { .. }
                | DealCommand::Correct { .. }
                | DealCommand::Reopen { .. } => false,
            },
            Command::Meeting(MeetingCommand::Start { .. } | MeetingCommand::End { .. }) => false,
            Command::Brief(c) => match c {
                BriefCommand::Show { .. } | BriefCommand::Fit { .. } => true,
                BriefCommand::Set { .. } | BriefCommand::Sign { .. } => false,
            },
            Command::Reassign(_) => false,
            Command::Key(c) => match c {
                KeyCommand::List => true,
                KeyCommand::Create { .. } | KeyCommand::Revoke { .. } => false,
            },
            Command::Whoami { command } => command.is_none(),
            Command::Sync(c) => match c {
                SyncCommand::Status | SyncCommand::Preview { .. } | SyncCommand::Webhooks => true,
                SyncCommand::Join { .. } | SyncCommand::Now | SyncCommand::Leave => false,
            },
            Command::Task(c) => match c {
                TaskCommand::List { .. } => true,
                TaskCommand::Done { .. } => false,
            },
            Command::Conflict(c) => match c {
                ConflictCommand::List { .. } => true,
                ConflictCommand::Settle { .. } => false,
            },
            Command::Trip(TripCommand::Set { .. } | TripCommand::Signal { .. }) => false,
            Command::Traveller(c) => match c {
                TravellerCommand::List { .. } => true,
                TravellerCommand::Add { .. } | TravellerCommand::Edit { .. } => false,
            },
            Command::Itinerary(c) => match c {
                ItineraryCommand::Show { .. } => true,
                ItineraryCommand::Add { .. } | ItineraryCommand::Edit { .. } | ItineraryCommand::Remove { .. } => false,
            },
            Command::Service(c) => match c {
                ServiceCommand::Show { .. } => true,
                ServiceCommand::Start { .. }
                | ServiceCommand::Ack { .. }
                | ServiceCommand::Complete { .. }
                | ServiceCommand::Reassign { .. } => false,
            },
            Command::Ask(c) => match c {
                AskCommand::List { .. } => true,
                AskCommand::Log { .. } => false,
            },
            Command::Review(c) => match c {
                ReviewCommand::Show { .. } => true,
                ReviewCommand::Start { .. } | ReviewCommand::End { .. } | ReviewCommand::Pick { .. } => false,
            },
            Command::Followup(FollowupCommand::Done { .. }) => false,
            Command::Outreach(OutreachCommand::Cold { .. } | OutreachCommand::Call { .. }) => false,
            Command::Outreach(OutreachCommand::List(_)) => true,
            Command::Escalation(c) => match c {
                EscalationCommand::List => true,
                EscalationCommand::Log { .. } => false,
            },
            Command::Metrics(_) | Command::Export(_) | Command::Verify(_) | Command::Admin(_) => true,
            Command::Invite(_) => true,
            Command::Import(ImportCommand::Deals { preview, .. }) => *preview,
            Command::Import(ImportCommand::Mappings) => true,
            Command::Import(ImportCommand::Events { .. }) => false,
            Command::Backup { .. } => true,
            Command::Restore { .. } => false,
        }
    }
}

/// Reads a value of one of the domain's closed word lists by the domain's own rules (aliases and
/// messages included), and offers [`Word::ALL`] as its possible values in `--help`: the list is
/// the enum's, never a copy.
#[derive(Clone, Copy)]
pub struct WordParser<W>(PhantomData<W>);

/// The parser of the closed word list `W`.
pub fn word<W: Word>() -> WordParser<W> {
    WordParser(PhantomData)
}

impl<W: Word> TypedValueParser for WordParser<W> {
    type Value = W;

    fn parse_ref(&self, _cmd: &clap::Command, _arg: Option<&clap::Arg>, value: &OsStr) -> Result<W, clap::Error> {
        let text = value.to_string_lossy();
        text.parse::<W>().map_err(|e| clap::Error::raw(ErrorKind::InvalidValue, format!("{e}\n")))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(W::ALL.iter().map(|w| PossibleValue::new(w.as_str()))))
    }
}
