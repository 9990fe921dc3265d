//! Printing answers: JSON as it is, or a few readable lines with times in the agency's zone.

use std::cell::OnceCell;
use std::io::Write;

use chrono::{DateTime, Utc};
use handoff_api::dto::*;
use handoff_api::{ApiError, Ctx, ErrorCode};
use handoff_domain::deal::SignOff;
use handoff_domain::event::Settlement;
use handoff_domain::metrics::Urgency;
use handoff_domain::trip::PreferenceTopic;
use handoff_domain::zone::Zone;
use serde::Serialize;

/// Where answers go, and how times read.
pub struct Out<'a> {
    json: bool,
    ctx: &'a Ctx,
    /// The agency's zone, read from the log the first time a time is written (most answers
    /// write none, and reading the directory is most of a short command's own work).
    zone: OnceCell<Option<Zone>>,
}

impl<'a> Out<'a> {
    pub fn new(ctx: &'a Ctx, json: bool) -> Out<'a> {
        Out { json, ctx, zone: OnceCell::new() }
    }

    fn zone(&self) -> Option<Zone> {
        *self.zone.get_or_init(|| handoff_api::agency(self.ctx).ok().and_then(|a| a.timezone.parse().ok()))
    }

    /// Prints `value` as JSON, or as the text `human` makes of it.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce(&Out, &T) -> String) -> Result<(), ApiError> {
        let text = if self.json {
            let mut s = serde_json::to_string_pretty(value).expect("answers serialise");
            s.push('\n');
            s
        } else {
            human(self, value)
        };
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| ApiError::new(ErrorCode::Storage, format!("cannot write the answer: {e}")))
    }

    /// An instant in the agency's zone: `2026-03-03 14:12`.
    pub fn time(&self, t: DateTime<Utc>) -> String {
        match self.zone() {
            Some(z) => t.with_timezone(&z).format("%Y-%m-%d %H:%M").to_string(),
            None => t.format("%Y-%m-%d %H:%MZ").to_string(),
        }
    }

    /// A day: `Mon 09 Nov 2026`.
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        d.format("%a %d %b %Y").to_string()
    }

    pub fn person_line(&self, p: &PersonDto) -> String {
        let mut line = format!("{} — {}", p.name, p.dept);
        if let Some(r) = &p.role {
            line.push_str(&format!(", {r}"));
        }
        if let Some(e) = &p.email {
            line.push_str(&format!(" <{e}>"));
        }
        for a in &p.away {
            line.push_str(&format!("; away {} to {}", a.from, a.to));
        }
        match &p.retired {
            Some(r) => line.push_str(&format!("; left the agency {} ({})", r.since, r.reason)),
            None if p.away_today => line.push_str(" (away today)"),
            None => {}
        }
        line.push_str(&format!("  [{}]", p.id));
        line
    }
}

fn hours(h: f64) -> String {
    format!("{h:.1} h")
}

pub fn agency(_: &Out, a: &AgencyDto) -> String {
    let holidays = if a.holidays.is_empty() {
        "none".to_string()
    } else {
        a.holidays.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
    };
    format!(
        "{}\n  time zone     {}\n  working days  {}\n  working hours {} (one business day = {})\n  holidays      {}\n  dates written {}\n  Tuesday review at {}, {} picks\n  database      {}\n  keys          {} ({})\n",
        a.name,
        a.timezone,
        a.workdays,
        a.hours,
        hours(a.one_business_day_hours),
        holidays,
        a.locale.as_str(),
        a.review_time,
        a.review_picks,
        a.database,
        a.keys_folder,
        if a.keychain {
            "the keychain holds the key of this laptop's own person; others' keys are passphrase-protected files"
        } else {
            "no system keychain answers: every key is a passphrase-protected file"
        }
    )
}

fn key_line(o: &Out, k: &KeyDto) -> String {
    let state = match (&k.revoked_at, &k.revoked_reason) {
        (Some(at), reason) => format!("revoked {} ({})", o.time(*at), reason.as_deref().unwrap_or("")),
        (None, _) => format!("since {}", o.time(k.registered_at)),
    };
    let here = match &k.kept {
        Some(kept) => {
            format!("on this laptop: {kept}{}", if k.needs_passphrase { ", passphrase-protected" } else { "" })
        }
        None if k.this_laptop => "made on this laptop, secret no longer here".into(),
        None => format!("made on laptop {}", &k.device[..k.device.len().min(8)]),
    };
    format!("{:<20} {}  {}; {}\n", k.person.name, k.fingerprint, state, here)
}

fn laptop_key_line(o: &Out, k: &LaptopKeyDto) -> String {
    let state = match (&k.revoked_at, &k.revoked_reason) {
        (Some(at), reason) => format!("revoked {} ({})", o.time(*at), reason.as_deref().unwrap_or("")),
        (None, _) => format!("since {}", o.time(k.registered_at)),
    };
    let here = if k.this_laptop { " (this laptop)" } else { "" };
    format!("laptop {}{here}  {}  {}\n", k.device, k.fingerprint, state)
}

pub fn keys(o: &Out, ks: &KeysDto) -> String {
    let mut s = if ks.signing.is_empty() {
        "No signing keys yet: each signer makes one with `handoff key create --as PERSON`.\n".to_string()
    } else {
        ks.signing.iter().map(|k| key_line(o, k)).collect()
    };
    if !ks.laptops.is_empty() {
        s.push_str("\nPDF sealing keys:\n");
        s.extend(ks.laptops.iter().map(|k| laptop_key_line(o, k)));
    }
    s
}

pub fn laptop_keys_revoked(o: &Out, ks: &[LaptopKeyDto]) -> String {
    let mut s = "Revoked (files it sealed no longer verify):\n".to_string();
    s.extend(ks.iter().map(|k| laptop_key_line(o, k)));
    s
}

pub fn key_created(o: &Out, r: &KeyCreateResponse) -> String {
    let mut s = format!("Signing key {} made for {}.\n", r.key.fingerprint, r.key.person.name);
    s.push_str(&format!("  kept in {}\n", r.key.kept.as_deref().unwrap_or("(nowhere)")));
    if let Some(old) = &r.replaced {
        s.push_str(&format!("  replaces {old}, revoked now (its earlier signatures stay valid)\n"));
    }
    s.push_str(&key_line(o, &r.key).replace(&r.key.person.name, "  "));
    s
}

pub fn keys_revoked(o: &Out, ks: &[KeyDto]) -> String {
    let mut s = format!(
        "Revoked {} key{} (signatures given before stay valid):\n",
        ks.len(),
        if ks.len() == 1 { "" } else { "s" }
    );
    s.extend(ks.iter().map(|k| key_line(o, k)));
    s
}

pub fn whoami(_: &Out, me: &Option<PersonDto>) -> String {
    match me {
        Some(p) => format!("This laptop is {}'s ({}); events recorded here say so.\n", p.name, p.dept),
        None => "Nobody is chosen on this laptop yet: say who with `handoff whoami set PERSON`.\n".into(),
    }
}

pub fn people(o: &Out, ps: &[PersonDto]) -> String {
    if ps.is_empty() {
        return "No people yet: add them with `handoff person add --name NAME --dept DEPT`.\n".into();
    }
    ps.iter().map(|p| format!("{}\n", o.person_line(p))).collect()
}

pub fn dept_line(d: &DeptDto) -> String {
    let backups: Vec<&str> = d.backups.iter().map(|b| b.name.as_str()).collect();
    format!(
        "{:<10} lead: {:<16} backups: {}\n",
        d.dept.as_str(),
        d.lead.as_ref().map(|l| l.name.as_str()).unwrap_or("(none)"),
        if backups.is_empty() { "(none)".to_string() } else { backups.join(", ") }
    )
}

pub fn won(o: &Out, w: &DealWonResponse) -> String {
    let why = match w.assigned_because {
        handoff_domain::assignment::AssignedBecause::Lead => "the fulfilment lead",
        handoff_domain::assignment::AssignedBecause::Backup => "backup: the lead is away that day",
        handoff_domain::assignment::AssignedBecause::Escalated => {
            "FOUNDER ESCALATION: the lead and every backup are away that day"
        }
    };
    format!(
        "Won \"{}\" at {}.\nFulfilment owner: {} ({why}).\nHold the 15-minute handoff meeting the same day; it is due within one business day, by {}.\n",
        w.title,
        o.time(w.closed_at),
        w.fulfilment_owner.name,
        o.time(w.handoff_deadline)
    )
}

pub fn deals(o: &Out, ds: &[DealSummary]) -> String {
    if ds.is_empty() {
        return "No deals.\n".into();
    }
    let mut s = String::new();
    for d in ds {
        let when = match (d.handoff_at, d.closed_at) {
            (Some(h), _) => format!("handed off {}", o.time(h)),
            (None, Some(c)) => format!("closed {}", o.time(c)),
            _ => String::new(),
        };
        s.push_str(&format!(
            "{:<10} {:<32} {:<20} {:>16}  {}  {}  [{}]\n",
            d.status.as_str(),
            d.title,
            d.customer,
            d.value,
            d.fulfilment_owner
                .as_ref()
                .map(|f| format!("→ {}", f.name))
                .unwrap_or_else(|| format!("{} (sales)", d.sales_owner.name)),
            when,
            d.id
        ));
    }
    s
}

fn sign_off(o: &Out, role: &str, s: &SignOffDto) -> String {
    let who = s.signer.as_ref().map(|p| p.name.as_str()).unwrap_or("(nobody)");
    match s.state {
        SignOff::Missing => format!("  {role:<11} {who}: not signed\n"),
        SignOff::Valid { at } => format!("  {role:<11} {who}: signed {} ✓\n", o.time(at)),
        SignOff::Stale { at } => {
            format!("  {role:<11} {who}: STALE — signed {}, the brief changed since; sign again\n", o.time(at))
        }
    }
}

pub fn brief_status(o: &Out, b: &BriefDto) -> String {
    let mut s = format!("Brief of \"{}\" — sha256 {}\n", b.deal.title, &b.sha256[..16]);
    s.push_str(&sign_off(o, "sales", &b.sales));
    s.push_str(&sign_off(o, "fulfilment", &b.fulfilment));
    if b.signed {
        s.push_str("Both signed: end the meeting with `handoff meeting end`.\n");
    }
    s
}

pub fn brief(o: &Out, b: &BriefDto) -> String {
    let mut s = format!("ONE-PAGE BRIEF — {} ({})\n\n", b.deal.title, b.customer);
    for sec in &b.sections {
        s.push_str(&format!("{}\n", sec.title.to_uppercase()));
        for line in sec.text.lines().filter(|l| !l.trim().is_empty()) {
            s.push_str(&format!("  {line}\n"));
        }
        if !sec.written {
            s.push_str(&format!("  (not written — {})\n", sec.prompt));
        }
        s.push('\n');
    }
    let written = b.sections.len() - b.unwritten.len();
    s.push_str(&match b.unwritten.len() {
        0 => format!("Every section written ({written} of {}): ready to sign.\n", b.sections.len()),
        n => format!(
            "{written} of {} sections written: {n} to write before anyone signs (\"none known\" is an answer; an empty box is not).\n",
            b.sections.len()
        ),
    });
    s.push_str(&format!("SHA-256 {}\nSign-off:\n", b.sha256));
    s.push_str(&sign_off(o, "sales", &b.sales));
    s.push_str(&sign_off(o, "fulfilment", &b.fulfilment));
    s
}

pub fn invited(o: &Out, r: &InviteResponse) -> String {
    let when = if r.weekly { "every week from" } else { "on" };
    let mut s = if r.cancelled {
        format!("Wrote {}: it cancels \"{}\" in every calendar it is opened in.\n", r.path, r.summary)
    } else {
        format!(
            "Wrote {}: \"{}\" {when} {} to {}, with {}.\n",
            r.path,
            r.summary,
            o.time(r.start),
            o.time(r.end),
            r.attendees.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(" and ")
        )
    };
    if !r.without_email.is_empty() {
        s.push_str(&format!(
            "No e-mail address for {}: named in the invitation instead (add one with `handoff person email PERSON ADDRESS`).\n",
            r.without_email.join(", ")
        ));
    }
    s.push_str("Open it, or drop it into any calendar; made again after a change, it updates the same meeting.\n");
    s
}

pub fn ended(o: &Out, e: &MeetingEndResponse) -> String {
    let mut s = format!(
        "Handoff complete for \"{}\" at {}: dwell {} ({} business).\nFirst task: \"{}\" for {}, due {} [{}]\n",
        e.deal.title,
        o.time(e.handoff_at),
        hours(e.dwell_hours),
        hours(e.dwell_business_hours),
        e.first_task.title,
        e.first_task.owner.name,
        o.time(e.first_task.due_at),
        e.first_task.id
    );
    for f in &e.flags {
        s.push_str(&format!("Flag: {}\n", f.message));
    }
    s
}

pub fn tasks(o: &Out, ts: &[TaskDto]) -> String {
    if ts.is_empty() {
        return "No tasks.\n".into();
    }
    ts.iter()
        .map(|t| {
            let state = match (t.done_at, t.overdue) {
                (Some(d), _) => format!("done {}", o.time(d)),
                (None, true) => format!("OVERDUE since {}", o.time(t.due_at)),
                (None, false) => format!("due {}", o.time(t.due_at)),
            };
            format!("{:<30} {:<28} {:<14} {}  [{}]\n", t.title, t.deal.title, t.owner.name, state, t.id)
        })
        .collect()
}

pub fn deal_detail(o: &Out, d: &DealDetail) -> String {
    let s = &d.summary;
    let mut out = format!("{} — {} ({})\n", s.title, s.customer, s.status.as_str());
    out.push_str(&format!("  value         {}\n  sales         {}\n", s.value, s.sales_owner.name));
    if let Some(f) = &d.fulfilment {
        out.push_str(&format!(
            "  fulfilment    {} (named at close: {}, {})\n",
            f.acting.name, f.original.name, f.assigned_because
        ));
        for r in &f.reassignments {
            out.push_str(&format!(
                "                reassigned {} → {} at {}: {}\n",
                r.from.name,
                r.to.name,
                o.time(r.at),
                r.reason
            ));
        }
    }
    let t = &d.trip;
    if t.start.is_some() || t.destination.is_some() {
        out.push_str(&format!(
            "  trip          {} {}–{} {}\n",
            t.destination.as_deref().unwrap_or(""),
            t.start.map(|x| x.to_string()).unwrap_or_default(),
            t.end.map(|x| x.to_string()).unwrap_or_default(),
            t.travellers.map(|n| format!("({n} travellers)")).unwrap_or_default()
        ));
    }
    if let Some(c) = s.closed_at {
        out.push_str(&format!("  closed        {}\n", o.time(c)));
    }
    if let Some(src) = &d.source {
        let how = match &src.channel {
            handoff_domain::crm::SourceChannel::Export { file } => format!("in the export {file}"),
            handoff_domain::crm::SourceChannel::Webhook => "by webhook".to_string(),
        };
        out.push_str(&format!(
            "  from          {}, record {}, {how}, received {}\n",
            src.crm,
            d.external_id.as_deref().unwrap_or("?"),
            o.time(src.received_at)
        ));
        if let Some(note) = &src.note {
            out.push_str(&format!("                {note}\n"));
        }
    }
    if let Some(w) = &d.waiting {
        let label = match w.urgency {
            Urgency::Red => "PAST ONE BUSINESS DAY",
            Urgency::Amber => "past half a business day",
            Urgency::Fresh => "inside half a business day",
        };
        out.push_str(&format!(
            "  waiting       {} ({} business) — {label}; due by {}\n",
            hours(w.hours_waiting),
            hours(w.business_hours_waiting),
            o.time(w.deadline)
        ));
    }
    if let (Some(h), Some(dw), Some(db)) = (s.handoff_at, d.dwell_hours, d.dwell_business_hours) {
        out.push_str(&format!("  handed off    {} — dwell {} ({} business)\n", o.time(h), hours(dw), hours(db)));
    }
    for f in &d.meeting.flags {
        out.push_str(&format!("  flag          {}\n", f.message));
    }
    out.push_str(&format!("\nBrief (sha256 {}):\n", &d.brief.sha256[..16]));
    for sec in d.brief.sections.iter().filter(|x| !x.text.is_empty()) {
        let first = sec.text.lines().next().unwrap_or("");
        out.push_str(&format!("  {:<26} {}\n", sec.title, first));
    }
    out.push_str(&sign_off(o, "sales", &d.brief.sales));
    out.push_str(&sign_off(o, "fulfilment", &d.brief.fulfilment));
    if !d.tasks.is_empty() {
        out.push_str("\nTasks:\n");
        out.push_str(&tasks(o, &d.tasks));
    }
    if !d.conflicts.is_empty() {
        out.push_str("\nWhen the laptops' records met:\n");
        out.push_str(&conflicts(o, &d.conflicts, false));
    }
    out.push_str("\nTimeline:\n");
    for e in &d.timeline {
        let who = match (&e.actor, &e.recorded_by) {
            (Some(a), r) if e.summary.contains(&a.name) && r.as_ref().is_none_or(|r| r.id == a.id) => String::new(),
            _ if e.by.is_empty() => String::new(),
            (None, _) => format!(" ({})", e.by),
            _ => format!(" (by {})", e.by),
        };
        let came = if e.from_another_laptop { " [from another laptop]" } else { "" };
        out.push_str(&format!("  {}  {}{who}{came}\n", o.time(e.at), e.summary));
    }
    out
}

pub fn dwell(o: &Out, r: &DwellReport) -> String {
    let mut s = format!(
        "Dwell time, close → handoff ({} handed off)\n  mean    {} ({} business)\n  median  {} ({} business)\n  p90     {} ({} business)\n  worst   {} ({} business){}\n  past one business day ({}): {}\n",
        r.stats.handed_off,
        hours(r.stats.mean_hours),
        hours(r.stats.mean_business_hours),
        hours(r.stats.median_hours),
        hours(r.stats.median_business_hours),
        hours(r.stats.p90_hours),
        hours(r.stats.p90_business_hours),
        hours(r.stats.worst_hours),
        hours(r.stats.worst_business_hours),
        r.worst_deal_title.as_ref().map(|t| format!(" — \"{t}\"")).unwrap_or_default(),
        hours(r.one_business_day_hours),
        r.stats.over_one_business_day
    );
    s.push_str(&format!(
        "  target: every handoff inside one business day — {}\n",
        verdict(r.on_target, "nothing handed off yet")
    ));
    s.push_str(&format!(
        "  customers who heard from us within one business day: {} of {} ({} later, {} not yet{})\n",
        r.stats.heard_within_one_business_day,
        r.stats.handed_off,
        r.stats.heard_later,
        r.stats.not_heard_yet,
        match r.stats.heard_unknown {
            0 => String::new(),
            n => format!(", {n} imported from the CRM without a first contact"),
        }
    ));
    if r.open.is_empty() {
        s.push_str("Nothing is waiting for a handoff.\n");
    } else {
        s.push_str("Waiting for a handoff now:\n");
        for w in &r.open {
            let mark = match w.waiting.urgency {
                Urgency::Red => "RED  ",
                Urgency::Amber => "AMBER",
                Urgency::Fresh => "     ",
            };
            s.push_str(&format!(
                "  {mark} {:<32} {} ({} business), closed {} — {} should act now\n",
                w.title,
                hours(w.waiting.hours_waiting),
                hours(w.waiting.business_hours_waiting),
                o.time(w.closed_at),
                w.should_act.name
            ));
        }
    }
    s
}

pub fn trip_line(t: &TripDto) -> String {
    format!(
        "{} {} to {}{}",
        t.destination.as_deref().unwrap_or("(no destination)"),
        t.start.map(|d| d.to_string()).unwrap_or_else(|| "?".into()),
        t.end.map(|d| d.to_string()).unwrap_or_else(|| "?".into()),
        t.travellers.map(|n| format!(", {n} travellers")).unwrap_or_default()
    )
}

pub fn preference_inputs(p: crate::args::PreferenceArgs) -> Vec<PreferenceInput> {
    [
        (PreferenceTopic::Dietary, p.dietary),
        (PreferenceTopic::Mobility, p.mobility),
        (PreferenceTopic::Rooming, p.rooming),
        (PreferenceTopic::Medical, p.medical),
        (PreferenceTopic::Other, p.other),
    ]
    .into_iter()
    .filter_map(|(topic, text)| text.map(|text| PreferenceInput { topic, text }))
    .collect()
}

pub fn traveller(t: &TravellerDto) -> String {
    let mut s = format!("{}  [{}]\n", t.name, t.id);
    if t.preferences.is_empty() {
        s.push_str("  (no preferences)\n");
    }
    for p in &t.preferences {
        s.push_str(&format!("  {:<28} {}\n", p.title, p.text));
    }
    s
}

pub fn item_input(deal: String, item: Option<String>, a: crate::args::ItemArgs, acting: Acting) -> ItemInput {
    ItemInput {
        deal,
        item,
        day: a.day,
        time: a.time,
        kind: a.kind,
        title: a.title,
        supplier: a.supplier,
        contact: a.contact,
        confirmation: a.confirmation,
        acting,
    }
}

pub fn item(i: &ItemDto) -> String {
    let mut s = format!(
        "{} {:>5}  {:<9} {}",
        i.day,
        i.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
        i.kind.as_str(),
        i.title
    );
    for (label, v) in [("supplier", &i.supplier), ("contact", &i.contact), ("ref", &i.confirmation)] {
        if let Some(v) = v {
            s.push_str(&format!("; {label} {v}"));
        }
    }
    s.push_str(&format!("  [{}]\n", &i.id.to_string()[..13]));
    s
}

pub fn itinerary(_: &Out, it: &ItineraryDto) -> String {
    let mut s = format!("Itinerary of \"{}\" — {}\n", it.deal.title, trip_line(&it.trip));
    if let Some(t) = &it.under_way {
        s.push_str(&format!("Under way: today is day {} of {}.\n", t.number, t.of));
    }
    if it.days.is_empty() {
        s.push_str("No items yet: add them with `handoff itinerary add DEAL --day DATE --kind KIND --title TITLE`.\n");
    }
    for d in &it.days {
        s.push_str(&format!(
            "\nDay {} — {}{}\n",
            d.number.map(|n| n.to_string()).unwrap_or_else(|| "?".into()),
            d.day.format("%a %d %b %Y"),
            if d.today { " — today" } else { "" }
        ));
        if d.items.is_empty() {
            s.push_str("  nothing planned\n");
        }
        for i in &d.items {
            s.push_str("  ");
            s.push_str(&item(i)[11..]);
        }
    }
    s
}

pub fn service(o: &Out, sv: &ServiceDto) -> String {
    let mut s = format!(
        "Service handoff of \"{}\" — due {}{} — owner {} ({})\n",
        sv.deal.title,
        o.time(sv.due_at),
        if sv.late { " (LATE)" } else { "" },
        sv.owner.name,
        sv.owner_because.map(|b| b.to_string()).unwrap_or_else(|| "reassigned by hand".into())
    );
    for r in &sv.reassignments {
        s.push_str(&format!("  moved from {} to {} at {}: {}\n", r.from.name, r.to.name, o.time(r.at), r.reason));
    }
    match (sv.started_at, sv.completed_at) {
        (_, Some(done)) => s.push_str(&format!(
            "  complete {} — lead {} ({}){}\n",
            o.time(done),
            sv.lead_hours.map(hours).unwrap_or_default(),
            if sv.on_time == Some(true) { "on time" } else { "under 72 h" },
            match (sv.call_minutes, sv.call_overran) {
                (Some(m), true) => format!("; the call took {m} minutes (over its 15)"),
                (Some(m), false) => format!("; the call took {m} minutes"),
                (None, _) => String::new(),
            }
        )),
        (Some(start), None) => s.push_str(&format!("  call started {}\n", o.time(start))),
        (None, None) => s.push_str("  call not started\n"),
    }
    if sv.checklist.is_empty() {
        s.push_str("  No preference items to walk through.\n");
    }
    for i in &sv.checklist {
        let mark = match i.state {
            handoff_domain::service::AckState::Acknowledged => "[x]",
            handoff_domain::service::AckState::Changed => "[!]",
            handoff_domain::service::AckState::Open => "[ ]",
        };
        let by = match (&i.acknowledged_by, i.acknowledged_at) {
            (Some(p), Some(at)) => format!(" — {} at {}", p.name, o.time(at)),
            (None, Some(at)) => format!(" — at {}", o.time(at)),
            _ => String::new(),
        };
        let note = if i.state == handoff_domain::service::AckState::Changed {
            format!("  (changed since acknowledged{by})")
        } else {
            by
        };
        s.push_str(&format!("  {mark} {:<18} {:<9} {}{note}\n", i.traveller_name, i.topic.as_str(), i.text));
    }
    if sv.completed_at.is_none() && !sv.checklist.is_empty() {
        s.push_str(&format!("  {} of {} still to acknowledge\n", sv.open_items, sv.checklist.len()));
    }
    s
}

pub fn ask(o: &Out, a: &AskDto) -> String {
    format!(
        "{}  {:<20} {:<10} {}{}{}\n",
        o.time(a.at),
        a.deal.title,
        a.topic.as_str(),
        a.traveller.as_ref().map(|t| format!("{t}: ")).unwrap_or_default(),
        a.text,
        if a.brief_should_have_covered { "  (the brief should have covered it)" } else { "" }
    )
}

pub fn follow_up(o: &Out, f: &FollowUpDto) -> String {
    format!(
        "Follow-up (review of {}): {}{}{}\n",
        f.review,
        f.outcome.map(|x| x.to_string()).unwrap_or_else(|| "not done yet".into()),
        match (f.done_at, f.within_ten_days) {
            (Some(d), Some(w)) => format!(" on {}{}", o.time(d), if w { ", within 10 days" } else { ", AFTER day 10" }),
            _ => f.due_at.map(|d| format!(", due {}", o.time(d))).unwrap_or_default(),
        },
        f.updated_at.map(|u| format!(" (outcome changed {})", o.time(u))).unwrap_or_default()
    )
}

pub fn review(o: &Out, r: &ReviewDto) -> String {
    let mut s = format!(
        "Tuesday review of {} — trips that ended {} to {}; picks {} of {}{}\n",
        r.review,
        r.first,
        r.last,
        r.picks,
        r.picks_allowed,
        r.sales_lead.as_ref().map(|l| format!(" (Sales lead: {})", l.name)).unwrap_or_default()
    );
    match &r.meeting {
        None if r.start_refusal.is_some() => s.push_str("Not recorded as a meeting.\n"),
        None => s.push_str("Not started yet.\n"),
        Some(m) => {
            let by = |p: &Option<PersonRef>| p.as_ref().map(|p| format!(" by {}", p.name)).unwrap_or_default();
            let took = format!(
                "{} min of {}{}",
                m.minutes,
                r.minutes_allowed,
                if m.overran { format!(" — over its {} minutes", r.minutes_allowed) } else { String::new() }
            );
            match m.ended_at {
                None => {
                    s.push_str(&format!("Under way since {}{} ({took}).\n", o.time(m.started_at), by(&m.started_by)))
                }
                Some(end) => s.push_str(&format!(
                    "Held {}{} to {}{} ({took}).\n",
                    o.time(m.started_at),
                    by(&m.started_by),
                    o.time(end),
                    by(&m.ended_by)
                )),
            }
        }
    }
    if r.trips.is_empty() {
        s.push_str("No trips ended in that week.\n");
    } else {
        s.push_str(&format!(
            "{} back: {}.\n",
            count(r.trips.len(), "trip", "trips"),
            count(r.travellers_back, "traveller", "travellers")
        ));
    }
    for t in &r.trips {
        let signal = t
            .signal
            .as_ref()
            .map(|x| {
                format!(
                    "{} {}/5{}",
                    x.sentiment,
                    x.strength,
                    if x.note.is_empty() { String::new() } else { format!(" — {}", x.note) }
                )
            })
            .unwrap_or_else(|| "no signal yet".into());
        s.push_str(&format!("{:>2}. {:<28} ended {}  {}\n", t.rank, t.deal.title, t.trip_end, signal));
        if !t.travellers.is_empty() {
            s.push_str(&format!("    travellers: {}\n", t.travellers.join(", ")));
        }
        let covered = t.asks.iter().filter(|a| a.brief_should_have_covered).count();
        if !t.asks.is_empty() {
            s.push_str(&format!("    {} asks on the trip ({} the brief should have covered)\n", t.asks.len(), covered));
        }
        if let Some(f) = &t.follow_up {
            s.push_str(&format!("    PICKED — {}", follow_up(o, f)));
        }
    }
    s
}

pub fn escalation(o: &Out, e: &EscalationDto) -> String {
    format!(
        "{}  {}{} → {}: {}\n",
        o.time(e.at),
        e.deal.as_ref().map(|d| format!("\"{}\" ", d.title)).unwrap_or_default(),
        e.dept.as_ref().map(|d| format!("({d} assignment)")).unwrap_or_else(|| "(logged by hand)".into()),
        e.founder.name,
        e.reason
    )
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

pub fn service_metrics(_: &Out, m: &ServiceMetrics) -> String {
    let mut s = format!(
        "Fulfilment → Service\n  service handoffs done  {}\n  on time (≥ 72 h)       {} ({})\n  mean lead              {}\n  delivered trips        {}\n  asks per trip          {:.2} (asks the brief should have covered; target under {}: {})\n",
        m.service_handoffs_done,
        m.on_time,
        pct(m.on_time_share),
        hours(m.mean_lead_hours),
        m.delivered_trips,
        m.asks_per_trip,
        m.asks_target_below,
        verdict(m.asks_on_target, "no trip delivered yet")
    );
    for t in &m.asks_by_topic {
        s.push_str(&format!(
            "    {:<10} {} asks, {} should have been covered\n",
            t.topic.as_str(),
            t.asks,
            t.brief_should_have_covered
        ));
    }
    s
}

pub fn loop_metrics(_: &Out, m: &LoopMetrics) -> String {
    format!(
        "Service → Sales\n  trips back             {}\n  reviews held           {}\n  picks                  {}\n  follow-ups done        {} ({} within 10 days of the trip end, {} of picks)\n  picked renewal rate    {} ({} renewed)\n  cold renewal rate      {} ({} of {} calls)\n  lift                   {}\n",
        m.trips_back,
        m.reviews_held,
        m.figures.picks,
        m.figures.follow_ups_done,
        m.figures.follow_ups_within_ten_days,
        pct(m.figures.within_ten_days_share),
        pct(m.figures.picked_renewal_rate),
        m.figures.picked_renewals,
        pct(m.figures.cold_renewal_rate),
        m.figures.cold_renewals,
        m.figures.cold_attempts,
        match m.figures.lift_percent {
            Some(l) => format!("{l:+.0}% (target +{:.0}%: {})", m.lift_target_percent, verdict(m.lift_on_target, "")),
            None => "— (no cold outreach or no follow-ups yet)".into(),
        }
    )
}

pub fn outreach_entry(o: &Out, e: &OutreachDto) -> String {
    match (&e.customer, e.outcome) {
        (Some(customer), Some(outcome)) => format!(
            "{}  call to {customer}: {}{}\n",
            o.date(e.date),
            outcome.as_str(),
            e.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default()
        ),
        _ => format!("{}  batch: {} calls, {} renewed\n", o.date(e.date), e.attempts, e.renewals),
    }
}

pub fn outreach_list(o: &Out, l: &OutreachList) -> String {
    let mut s = format!(
        "Cold outreach {} – {}: {} calls ({} one by one), {} renewed\n",
        o.date(l.from),
        o.date(l.to),
        l.attempts,
        l.calls,
        l.renewals
    );
    if l.entries.is_empty() {
        s.push_str("  Nothing recorded.\n");
    }
    for e in &l.entries {
        s.push_str("  ");
        s.push_str(&outreach_entry(o, e));
    }
    s
}

/// "met", "not met", or why nothing can be judged yet.
fn verdict(on_target: Option<bool>, nothing_yet: &str) -> String {
    match on_target {
        Some(true) => "met".into(),
        Some(false) => "not met".into(),
        None => nothing_yet.into(),
    }
}

pub fn before_after(o: &Out, c: &BeforeAfter) -> String {
    let span = |name: &str, s: &DwellSpan| {
        format!(
            "  {name} {} – {}{}: {} handed off; mean {} ({} business), worst {}{}; {}\n",
            o.date(s.from),
            o.date(s.to),
            if s.so_far { " (so far)" } else { "" },
            s.stats.handed_off,
            hours(s.stats.mean_hours),
            hours(s.stats.mean_business_hours),
            hours(s.stats.worst_hours),
            s.worst_deal_title.as_ref().map(|t| format!(" (\"{t}\")")).unwrap_or_default(),
            match s.on_target {
                Some(true) => "every one inside one business day".to_string(),
                Some(false) => format!("{} past one business day", s.stats.over_one_business_day),
                None => "nothing to judge".to_string(),
            }
        )
    };
    format!(
        "Dwell before and after {} (one business day is {}):\n{}{}",
        o.date(c.on),
        hours(c.one_business_day_hours),
        span("before", &c.before),
        span("after ", &c.after)
    )
}

pub fn escalation_metrics(_: &Out, m: &EscalationMetrics) -> String {
    let mut s = format!("Founder escalations: {} from {} to {}\n", m.total, m.first, m.last);
    s.push_str(&format!(
        "  last 13 weeks: {} (the playbook's aim: about {} a quarter; it began at {} a week) — {}\n",
        m.last_13_weeks,
        m.target_per_quarter,
        m.before_per_week,
        if m.on_target { "on target" } else { "above target" }
    ));
    s.push_str("  per quarter: ");
    s.push_str(&m.per_quarter.iter().map(|p| format!("{} {}", p.period, p.escalations)).collect::<Vec<_>>().join(", "));
    s.push_str("\n  per week:    ");
    s.push_str(&m.per_week.iter().map(|p| format!("{} {}", p.period, p.escalations)).collect::<Vec<_>>().join(", "));
    s.push('\n');
    s
}

pub fn today(o: &Out, t: &TodayDto) -> String {
    let mut s = format!(
        "Today, {}{}\n",
        o.time(t.now),
        t.person.as_ref().map(|p| format!(" — for {}", p.name)).unwrap_or_default()
    );
    s.push_str("\nWon, waiting for the handoff:\n");
    if t.waiting.is_empty() {
        s.push_str("  nothing waiting\n");
    }
    for w in &t.waiting {
        let mark = match w.waiting.urgency {
            Urgency::Red => "RED  ",
            Urgency::Amber => "AMBER",
            Urgency::Fresh => "     ",
        };
        s.push_str(&format!(
            "  {mark} {:<28} {} business waiting — {} should act now\n",
            w.title,
            hours(w.waiting.business_hours_waiting),
            w.should_act.name
        ));
    }
    s.push_str("\nTasks due or overdue:\n");
    if t.tasks.is_empty() {
        s.push_str("  none\n");
    }
    s.push_str(
        &tasks(o, &t.tasks)
            .lines()
            .filter(|l| !l.starts_with("No tasks"))
            .map(|l| format!("  {l}\n"))
            .collect::<String>(),
    );
    s.push_str("\nService handoffs in the next 96 hours:\n");
    if t.service_handoffs.is_empty() {
        s.push_str("  none\n");
    }
    for sv in &t.service_handoffs {
        s.push_str(&format!(
            "  {}{:<28} due {} — {}, {} items open{}\n",
            if sv.late { "LATE " } else { "" },
            sv.deal.title,
            o.time(sv.due_at),
            sv.owner.name,
            sv.open_items,
            if sv.started { ", call under way" } else { "" }
        ));
    }
    let r = &t.next_review;
    s.push_str(&format!(
        "\nNext Tuesday review: {} — {} trips back ({} with a signal), {} of {} picked\n",
        r.date, r.trips, r.with_signal, r.picks, r.picks_allowed
    ));
    s.push_str("\nFollow-up calls nearing day 10:\n");
    if t.follow_ups.is_empty() {
        s.push_str("  none\n");
    }
    for f in &t.follow_ups {
        s.push_str(&format!(
            "  {:<28} {} — due {}{}\n",
            f.deal.title,
            f.owner.name,
            o.time(f.due_at),
            if f.overdue { " (OVERDUE)".to_string() } else { format!(" ({} days left)", f.days_left) }
        ));
    }
    if !t.conflicts.is_empty() {
        s.push_str("\nWhen the laptops' records met (until a lead settles each: `handoff conflict settle`):\n");
        s.push_str(&conflicts(o, &t.conflicts, true));
    }
    s
}

/// Conflicts, one paragraph each: what stood, what did not, and with the deal when asked.
fn conflicts(o: &Out, list: &[ConflictDto], with_deal: bool) -> String {
    let mut s = String::new();
    for c in list {
        let deal = match (&c.deal, with_deal) {
            (Some(d), true) => format!("{}: ", d.title),
            _ => String::new(),
        };
        let mark = if c.skipped { "NOT APPLIED" } else { "REPLACED" };
        s.push_str(&format!("  {mark} {}  {deal}{}\n", o.time(c.at), c.note));
        s.push_str(&format!("      conflict {}: {}\n", short_id(&c.id), settlement(o, c)));
    }
    s
}

/// How a conflict stands: settled by whom and how, else what settling it can do.
fn settlement(o: &Out, c: &ConflictDto) -> String {
    match (&c.settled, &c.take_other) {
        (Some(done), _) => format!(
            "settled by {} at {}: {}",
            done.by.as_ref().map(|p| p.name.as_str()).unwrap_or("someone"),
            o.time(done.at),
            match done.how {
                Settlement::Kept => "kept what stood",
                Settlement::TookOther => "took the other version",
            }
        ),
        (None, Some(other)) => format!("open — keep what stands, or take the other version ({other})"),
        (None, None) => "open — keep what stands (nothing else to take)".into(),
    }
}

/// The conflicts nobody has settled yet (or all of them), newest first.
pub fn conflict_list(o: &Out, list: &[ConflictDto]) -> String {
    if list.is_empty() {
        return "No conflicts to settle.\n".into();
    }
    conflicts(o, list, true)
}

/// A conflict just settled.
pub fn settled(o: &Out, c: &ConflictDto) -> String {
    format!("Conflict {} {}.\n", short_id(&c.id), settlement(o, c))
}

/// The first characters of an id: enough to name it again.
fn short_id(id: &str) -> &str {
    &id[..id.len().min(18)]
}

pub fn fit(_: &Out, f: &FitDto) -> String {
    if f.fits {
        format!("Fits one page (body text {:.1} pt).\n", f.body_size_pt)
    } else {
        let longest: Vec<String> = f.longest_sections.iter().map(|(t, n)| format!("{t} ({n} characters)")).collect();
        format!(
            "Does not fit one page: {:.0}% over at the smallest text size. Longest sections: {}.\n",
            f.over_percent,
            longest.join(", ")
        )
    }
}

pub fn exported(_: &Out, e: &ExportResponse) -> String {
    let mut s = format!(
        "Wrote {} — {} page{}, {} KB{}\nBrief SHA-256 {}\n",
        e.path,
        e.pages,
        if e.pages == 1 { "" } else { "s" },
        e.bytes.div_ceil(1024),
        if e.draft { ", marked DRAFT — not signed" } else { "" },
        e.brief_sha256
    );
    if !e.replaced.is_empty() {
        s.push_str(&format!(
            "Note: the font cannot draw {}; shown as \u{fffd} in the PDF.\n",
            e.replaced.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
        ));
    }
    s
}

pub fn verified(o: &Out, v: &VerifyReport) -> String {
    let verdict = match (v.ok, v.kind.as_str()) {
        (true, "brief") => "VERIFIED — sealed by the agency, unchanged, the brief as signed by both leads",
        (true, _) => "VERIFIED — sealed by the agency, unchanged, made from the brief as it is now",
        (false, _) => "NOT VERIFIED",
    };
    let mut s = format!("{}: {verdict}\n", v.file);
    if let Some(d) = &v.deal {
        s.push_str(&format!("  deal          {} ({})\n", d.title, v.kind));
    }
    match &v.seal {
        Some(seal) => {
            let when = seal.exported_at.map(|t| o.time(t)).unwrap_or_else(|| "at an unknown time".into());
            s.push_str(&format!("  exported by   {} on {when}\n", seal.exported_by));
            let laptop = match (&seal.device, &seal.key_revoked) {
                (Some(_), Some(revoked)) => format!("a registered laptop key, {revoked}"),
                (Some(d), None) => format!("laptop {}", &d[..d.len().min(8)]),
                (None, _) => "a key this agency's log does not know".into(),
            };
            s.push_str(&format!("  sealed with   key {} — {laptop}\n", seal.key_fingerprint));
        }
        None => s.push_str("  sealed with   (no valid PDF signature)\n"),
    }
    s.push_str(&format!("  file hash     {}\n", v.file_sha256.as_deref().unwrap_or("(none)")));
    if let Some(c) = &v.current_sha256 {
        let since = if v.matches_current { " (same: not edited since)" } else { " (DIFFERENT: edited since)" };
        s.push_str(&format!("  brief now     {c}{since}\n"));
    }
    for sig in &v.signatures {
        let state = if sig.verifies { "signature valid".to_string() } else { sig.problem.clone().unwrap_or_default() };
        let revoked = sig.key_revoked_since.as_ref().map(|r| format!("; key {r} since")).unwrap_or_default();
        s.push_str(&format!(
            "  signed by     {} ({}) {} with key {} — {state}{revoked}\n",
            sig.signer.name,
            sig.role.as_str(),
            o.time(sig.at),
            sig.key_fingerprint,
        ));
    }
    for p in &v.problems {
        s.push_str(&format!("  problem       {p}\n"));
    }
    s
}

pub fn exported_all(_: &Out, e: &ExportAllResponse) -> String {
    let mut s = format!("Wrote everything the agency holds to {}:\n", e.dir);
    for f in &e.files {
        let what = if f.name.ends_with(".jsonl") { "events" } else { "rows" };
        s.push_str(&format!("  {:<22} {} {what}\n", f.name, f.rows));
    }
    s
}

/// The line saying `HANDOFF_CLOCK_OFFSET` moves this laptop's clock, when it does.
fn clock_offset_line(s: &SyncStatusDto) -> String {
    s.clock_offset_says.as_ref().map(|says| format!("Clock: {says}\n")).unwrap_or_default()
}

pub fn sync_status(o: &Out, s: &SyncStatusDto) -> String {
    if !s.joined {
        return format!(
            "Sync is off: this laptop (device {}) has joined no hub and touches no network.{}\n{}",
            s.device,
            if s.waiting > 0 { format!(" {} of its changes have never been sent.", s.waiting) } else { String::new() },
            clock_offset_line(s)
        );
    }
    let mut out = format!(
        "Syncing with {} — {} as {}.\nThis laptop: device {}.\n",
        s.hub.as_deref().unwrap_or("?"),
        s.agency.as_deref().unwrap_or("?"),
        s.person.as_deref().unwrap_or("?"),
        s.device
    );
    out.push_str(&match s.last_success {
        Some(t) => format!("Last synced: {}.\n", o.time(t)),
        None => "Not synced yet.\n".into(),
    });
    out.push_str(&format!("Waiting to go: {} change{}.\n", s.waiting, if s.waiting == 1 { "" } else { "s" }));
    match &s.last_error {
        Some(e) if s.offline => out.push_str(&format!(
            "Offline: the hub could not be reached ({e}). This laptop works as usual; what waits goes when the hub answers.\n"
        )),
        Some(e) => out.push_str(&format!("Last error: {e}\n")),
        None => {}
    }
    if let Some(ms) = s.clock_drift_ms {
        let secs = ms as f64 / 1000.0;
        out.push_str(&format!(
            "Clock: {:.1} s {} the hub's{}.\n",
            secs.abs(),
            if ms > 0 { "behind" } else { "ahead of" },
            if ms.abs() > 60_000 { " — set this laptop to take its time from the network" } else { "" }
        ));
    }
    out.push_str(&clock_offset_line(s));
    out
}

pub fn sync_preview(_: &Out, p: &SyncJoinPreviewDto) -> String {
    p.says.iter().map(|line| format!("{line}\n")).collect()
}

pub fn sync_report(o: &Out, r: &SyncReportDto) -> String {
    let mut out = format!(
        "Took in {} event{} from other laptops; sent {}.{}\n",
        r.received,
        if r.received == 1 { "" } else { "s" },
        r.sent,
        if r.conflicts > 0 {
            format!(" {} conflict(s) met so far: see `handoff today`.", r.conflicts)
        } else {
            String::new()
        }
    );
    out.push_str(&sync_status(o, &r.status));
    out
}

/// `n` with its noun in the right number: "1 trip", "2 trips".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn import_action(a: ImportAction) -> &'static str {
    match a {
        ImportAction::New => "comes in won",
        ImportAction::Open => "comes in open",
        ImportAction::Won => "won now",
        ImportAction::Lost => "marked lost",
        ImportAction::Updated => "corrected",
        ImportAction::Unchanged => "unchanged",
        ImportAction::Skipped => "left out",
        ImportAction::Refused => "REFUSED",
    }
}

/// What the import would do, row by row.
pub fn import_preview(_: &Out, p: &ImportPreview) -> String {
    let mut s = format!("{} is {}.\n", p.file, p.format);
    match p.dates {
        Some(handoff_domain::crm::DateOrder::MonthDayYear) => s.push_str("Dates read month first (11/24/2026).\n"),
        Some(handoff_domain::crm::DateOrder::DayMonthYear) => s.push_str("Dates read day first (24/11/2026).\n"),
        _ => {}
    }
    for r in &p.rows {
        s.push_str(&format!("  line {:>4}  {:<14} {:<28} {}", r.line, import_action(r.action), r.title, r.external_id));
        if let Some(owner) = &r.owner_matched {
            s.push_str(&format!(" · owner {owner}"));
        }
        if let Some(value) = &r.value_read {
            s.push_str(&format!(" · {value}"));
        }
        if let Some(closed) = &r.closed_read {
            s.push_str(&format!(" · closed {closed}"));
        }
        if let Some(note) = &r.note {
            s.push_str(&format!(" — {note}"));
        }
        if let Some(problem) = &r.problem {
            s.push_str(&format!("\n             {problem}"));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "{} won, {} open, {} won now, {} lost now, {} corrected, {} unchanged, {} left out, {} refused. Nothing was written.\n",
        p.new, p.open, p.won, p.lost, p.updated, p.unchanged, p.skipped, p.refused
    ));
    s
}

/// What an import did.
pub fn import_response(_: &Out, r: &ImportResponse) -> String {
    let mut parts = vec![format!("{} imported", r.imported)];
    for (n, what) in [
        (r.opened, "open deals brought in"),
        (r.won, "won now"),
        (r.lost, "marked lost"),
        (r.updated, "open deals corrected to the CRM"),
        (r.skipped, "left out (lost, or open in the CRM)"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.push(format!("{} already there unchanged", r.unchanged));
    let mut s = format!("{} rows of {}: {}", r.rows, r.format, parts.join(", "));
    if r.escalated > 0 {
        s.push_str(&format!(", {} assigned to the founder (escalations recorded)", r.escalated));
    }
    s.push_str(".\n");
    if let Some(name) = &r.mapping_saved {
        s.push_str(&format!("The column mapping was saved as \"{name}\".\n"));
    }
    s
}

/// The agency's saved column mappings.
pub fn import_mappings(_: &Out, list: &Vec<SavedMappingDto>) -> String {
    if list.is_empty() {
        return "No saved column mappings yet.\n".to_string();
    }
    let mut s = String::new();
    for m in list {
        let columns: Vec<String> = m.mapping.columns.iter().map(|(f, c)| format!("{}=\"{c}\"", f.key())).collect();
        s.push_str(&format!("{} ({}): {}", m.name, m.mapping.crm, columns.join(",")));
        if !m.mapping.won.is_empty() {
            s.push_str(&format!(",won=\"{}\"", m.mapping.won.join("|")));
        }
        if !m.mapping.lost.is_empty() {
            s.push_str(&format!(",lost=\"{}\"", m.mapping.lost.join("|")));
        }
        if let Some(d) = m.mapping.dates {
            s.push_str(&format!(",dates={}", d.key()));
        }
        if let Some(d) = m.mapping.decimal {
            s.push_str(&format!(",decimal={}", d.key()));
        }
        if let Some(c) = &m.mapping.currency {
            s.push_str(&format!(",currency={c}"));
        }
        s.push('\n');
    }
    s
}

/// The agency's webhook log.
pub fn webhook_log(o: &Out, lines: &Vec<WebhookLogLineDto>) -> String {
    if lines.is_empty() {
        return "No webhook deliveries yet: the hub has received nothing from the CRM.\n".to_string();
    }
    let mut s = String::new();
    for l in lines {
        s.push_str(&format!(
            "{}  {:<9} {} {:<8} {}\n",
            l.received_at.map(|t| o.time(t)).unwrap_or_default(),
            l.crm,
            l.status,
            if l.accepted { "accepted" } else { "refused" },
            l.detail
        ));
    }
    s
}
