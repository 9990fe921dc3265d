//! Printing answers: JSON as it is, or a few readable lines with times in the agency's zone.

use std::io::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use handoff_api::dto::*;
use handoff_api::{ApiError, Ctx, ErrorCode};
use handoff_domain::deal::SignOff;
use handoff_domain::metrics::Urgency;
use serde::Serialize;

/// Where answers go, and how times read.
pub struct Out {
    json: bool,
    zone: Option<Tz>,
}

impl Out {
    pub fn new(ctx: &Ctx, json: bool) -> Out {
        let zone = handoff_api::agency(ctx).ok().and_then(|a| a.timezone.parse().ok());
        Out { json, zone }
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
        match self.zone {
            Some(z) => t.with_timezone(&z).format("%Y-%m-%d %H:%M").to_string(),
            None => t.format("%Y-%m-%d %H:%MZ").to_string(),
        }
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
        if p.away_today {
            line.push_str(" (away today)");
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
        "{}\n  time zone     {}\n  working days  {}\n  working hours {} (one business day = {})\n  holidays      {}\n  database      {}\n",
        a.name,
        a.timezone,
        a.workdays,
        a.hours,
        hours(a.one_business_day_hours),
        holidays,
        a.database
    )
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
        handoff_domain::assignment::AssignedBecause::Backup => "backup: the lead is away today",
        handoff_domain::assignment::AssignedBecause::Escalated => {
            "FOUNDER ESCALATION: the lead and every backup are away today"
        }
    };
    format!(
        "Won \"{}\" at {}.\nFulfilment owner: {} ({why}).\nHold the 15-minute handoff meeting today; it is due within one business day, by {}.\n",
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
        if sec.text.is_empty() {
            s.push_str(&format!("  (empty — {})\n\n", sec.prompt));
        } else {
            for line in sec.text.lines() {
                s.push_str(&format!("  {line}\n"));
            }
            s.push('\n');
        }
    }
    s.push_str(&format!("SHA-256 {}\nSign-off:\n", b.sha256));
    s.push_str(&sign_off(o, "sales", &b.sales));
    s.push_str(&sign_off(o, "fulfilment", &b.fulfilment));
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
    out.push_str("\nTimeline:\n");
    for e in &d.timeline {
        let who = match &e.actor {
            Some(a) if !e.summary.contains(&a.name) => format!(" (by {})", a.name),
            _ => String::new(),
        };
        out.push_str(&format!("  {}  {}{who}\n", o.time(e.at), e.summary));
    }
    out
}

pub fn dwell(o: &Out, r: &DwellReport) -> String {
    let mut s = format!(
        "Dwell time, close → handoff ({} handed off)\n  mean    {} ({} business)\n  median  {} ({} business)\n  p90     {} ({} business)\n  worst   {} ({} business){}\n  past one business day ({}): {}\n",
        r.handed_off,
        hours(r.mean_hours),
        hours(r.mean_business_hours),
        hours(r.median_hours),
        hours(r.median_business_hours),
        hours(r.p90_hours),
        hours(r.p90_business_hours),
        hours(r.worst_hours),
        hours(r.worst_business_hours),
        r.worst_deal_title.as_ref().map(|t| format!(" — \"{t}\"")).unwrap_or_default(),
        hours(r.one_business_day_hours),
        r.over_one_business_day
    );
    if r.open.is_empty() {
        s.push_str("Nothing is waiting for a handoff.\n");
    } else {
        s.push_str("Waiting for a handoff now:\n");
        for w in &r.open {
            let mark = match w.urgency {
                Urgency::Red => "RED  ",
                Urgency::Amber => "AMBER",
                Urgency::Fresh => "     ",
            };
            s.push_str(&format!(
                "  {mark} {:<32} {} ({} business), closed {} — {} should act now\n",
                w.title,
                hours(w.hours_waiting),
                hours(w.business_hours_waiting),
                o.time(w.closed_at),
                w.should_act.name
            ));
        }
    }
    s
}
