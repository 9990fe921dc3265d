//! Never to a queue. When a handoff needs a receiving owner, one is named at that moment: the
//! department lead if not away that day; else the first named backup not away; else the founder,
//! which is a founder escalation. There is no fourth outcome.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::directory::{Department, Directory};
use crate::ids::PersonId;
use crate::RuleError;

/// Why this person was named.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssignedBecause {
    /// The department lead was in.
    Lead,
    /// The lead was away; the first named backup who was in.
    Backup,
    /// Everyone was away (or nobody was named): the founder.
    Escalated,
}

impl AssignedBecause {
    /// The lower-case word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignedBecause::Lead => "lead",
            AssignedBecause::Backup => "backup",
            AssignedBecause::Escalated => "escalated",
        }
    }
}

impl fmt::Display for AssignedBecause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The named owner of a handoff and why.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub person: PersonId,
    pub because: AssignedBecause,
}

/// Names the receiving owner in `dept` for a handoff on `day` (agency-local date).
pub fn assign(directory: &Directory, dept: Department, day: NaiveDate) -> Result<Assignment, RuleError> {
    let staffing = directory.staffing(dept);
    let present = |id: &PersonId| directory.person(*id).is_some_and(|p| !p.is_away(day));
    if let Some(lead) = staffing.lead.filter(present) {
        return Ok(Assignment { person: lead, because: AssignedBecause::Lead });
    }
    if let Some(backup) = staffing.backups.iter().copied().find(present) {
        return Ok(Assignment { person: backup, because: AssignedBecause::Backup });
    }
    let founder = directory.founder().ok_or(RuleError::NoFounder { dept: dept.to_string(), day })?;
    Ok(Assignment { person: founder.id, because: AssignedBecause::Escalated })
}

/// Who should act on a handoff `owner` holds in `dept`, on `day`: the owner, unless they are away
/// that day — then whoever the never-to-a-queue rule names (usually a backup who has not stepped
/// in yet). Falls back to the owner when the rule names nobody.
pub fn who_acts(directory: &Directory, dept: Department, owner: PersonId, day: NaiveDate) -> PersonId {
    let away = directory.person(owner).is_some_and(|p| p.is_away(day));
    if !away {
        return owner;
    }
    assign(directory, dept, day).map(|a| a.person).unwrap_or(owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{AwayPeriod, Person, Staffing};
    use uuid::Uuid;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(n: u128, name: &str, dept: Department) -> Person {
        Person { id: PersonId(Uuid::from_u128(n)), name: name.into(), dept, email: None, away: vec![], retired: None }
    }

    /// Fay leads fulfilment, Bo then Cy are the backups, Max is the founder.
    fn agency() -> Directory {
        let mut d = Directory {
            people: vec![
                person(1, "Fay", Department::Fulfilment),
                person(2, "Bo", Department::Fulfilment),
                person(3, "Cy", Department::Fulfilment),
                person(4, "Max", Department::Founder),
            ],
            ..Directory::default()
        };
        d.staffing.insert(
            Department::Fulfilment,
            Staffing { lead: Some(d.people[0].id), backups: vec![d.people[1].id, d.people[2].id] },
        );
        d
    }

    fn away(d: &mut Directory, idx: usize, from: &str, to: &str) {
        d.people[idx].away.push(AwayPeriod { from: day(from), to: day(to) });
    }

    #[test]
    fn the_lead_when_in() {
        let d = agency();
        let a = assign(&d, Department::Fulfilment, day("2026-03-03")).unwrap();
        assert_eq!((a.person, a.because), (d.people[0].id, AssignedBecause::Lead));
    }

    #[test]
    fn the_first_backup_not_away_when_the_lead_is_away() {
        let mut d = agency();
        away(&mut d, 0, "2026-03-02", "2026-03-06");
        away(&mut d, 1, "2026-03-03", "2026-03-03");
        let a = assign(&d, Department::Fulfilment, day("2026-03-03")).unwrap();
        assert_eq!((a.person, a.because), (d.people[2].id, AssignedBecause::Backup));
        let a = assign(&d, Department::Fulfilment, day("2026-03-04")).unwrap();
        assert_eq!((a.person, a.because), (d.people[1].id, AssignedBecause::Backup));
    }

    #[test]
    fn the_founder_when_everyone_is_away() {
        let mut d = agency();
        for i in 0..3 {
            away(&mut d, i, "2026-03-01", "2026-03-10");
        }
        let a = assign(&d, Department::Fulfilment, day("2026-03-03")).unwrap();
        assert_eq!((a.person, a.because), (d.people[3].id, AssignedBecause::Escalated));
        // The day after the away periods end, the lead is back.
        let a = assign(&d, Department::Fulfilment, day("2026-03-11")).unwrap();
        assert_eq!(a.because, AssignedBecause::Lead);
    }

    #[test]
    fn who_acts_is_the_owner_unless_they_are_away_that_day() {
        let mut d = agency();
        let fay = d.people[0].id;
        assert_eq!(who_acts(&d, Department::Fulfilment, fay, day("2026-03-03")), fay);
        away(&mut d, 0, "2026-03-03", "2026-03-04");
        assert_eq!(who_acts(&d, Department::Fulfilment, fay, day("2026-03-03")), d.people[1].id);
    }

    #[test]
    fn an_unstaffed_department_goes_to_the_founder() {
        let d = agency();
        let a = assign(&d, Department::Service, day("2026-03-03")).unwrap();
        assert_eq!((a.person, a.because), (d.people[3].id, AssignedBecause::Escalated));
    }

    #[test]
    fn no_founder_is_a_clear_refusal_never_an_ownerless_handoff() {
        let mut d = agency();
        d.people.pop();
        for i in 0..3 {
            away(&mut d, i, "2026-03-01", "2026-03-10");
        }
        let err = assign(&d, Department::Fulfilment, day("2026-03-03")).unwrap_err();
        assert_eq!(err, RuleError::NoFounder { dept: "fulfilment".into(), day: day("2026-03-03") });
        assert!(err.to_string().contains("the agency has no founder"), "{err}");
    }
}
