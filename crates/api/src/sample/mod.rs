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
//!
//! In two parts: `stories` holds who and what as data (the people, the deals with their briefs,
//! travellers and itineraries, the CRM history); `script` plays them through the use cases and
//! decides when each step happened.

mod script;
mod stories;

use handoff_domain::RuleError;

use crate::dto::AgencyDto;
use crate::{ApiError, Ctx};

/// Fills an empty database with a realistic sample agency, "Wayfarer Travel (sample)", for
/// exploring the app. Refused, writing nothing, when the database already holds an agency.
///
/// All or nothing: the stories are played through the public use cases into a scratch database
/// beside this one, which then replaces this one's content in one step. Should a step fail (a full
/// disk), this database is left as it was.
pub fn open_sample(ctx: &Ctx) -> Result<AgencyDto, ApiError> {
    let existing = ctx.store().read(handoff_store::query::directory)?.agency;
    if let Some(agency) = existing {
        return Err(RuleError::AgencyExists(agency.name).into());
    }
    let db = ctx.store().path().to_path_buf();
    let folder = crate::safe_file::folder_of_file(&db);
    let scratch = |what| crate::safe_file::ScratchDatabase::in_folder(folder, what);
    let (played, checked) = (scratch("sample")?, scratch("sample-checked")?);
    {
        let sample = ctx.beside(played.path())?;
        script::play(&sample)?;
    }
    ctx.store().restore_from(played.path(), checked.path(), |_| Ok::<_, ApiError>(()))?;
    crate::agency(ctx)
}

#[cfg(test)]
mod tests;
