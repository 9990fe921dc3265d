//! The frame every action runs in: one write transaction, the directory, the `--as` person (else
//! this laptop's own), the `--at` time (checked against now), then the domain's decision and the
//! append.

use chrono::{DateTime, Utc};
use handoff_domain::directory::Directory;
use handoff_domain::event::EventBody;
use handoff_domain::ids::PersonId;
use handoff_store::Writer;

use crate::dto::Acting;
use crate::{input, ApiError, Ctx};

/// What an action decided: the events to append and what to answer.
pub(crate) struct Decision<T> {
    pub events: Vec<EventBody>,
    pub answer: T,
}

/// The shared frame of every action on an existing agency: one write transaction, the directory,
/// the `--as` person, the `--at` time (checked against now), then the decision and the append.
pub(crate) fn act<T>(
    ctx: &Ctx,
    acting: &Acting,
    decide: impl FnOnce(&mut Writer<'_>, &Directory, Option<PersonId>, DateTime<Utc>) -> Result<Decision<T>, ApiError>,
) -> Result<T, ApiError> {
    act_and_show(ctx, acting, decide, |_, answer| Ok(answer))
}

/// [`act`], then `show` in the same transaction, after the events are folded: for an answer that
/// shows the state the action left. Should `show` fail (a disk failing), the action is undone
/// with it — never recorded while its caller hears that it failed.
pub(crate) fn act_and_show<T, U>(
    ctx: &Ctx,
    acting: &Acting,
    decide: impl FnOnce(&mut Writer<'_>, &Directory, Option<PersonId>, DateTime<Utc>) -> Result<Decision<T>, ApiError>,
    show: impl FnOnce(&mut Writer<'_>, T) -> Result<U, ApiError>,
) -> Result<U, ApiError> {
    let now = ctx.now();
    ctx.store().write(|w| {
        let dir = w.directory()?.clone();
        let cal = dir.calendar()?;
        let at = input::action_time(acting.at.as_deref(), cal, now)?;
        // Who acts: the person named, else whoever uses this laptop (when chosen), as in the app.
        let actor = match acting.actor.as_deref() {
            Some(name) => {
                let person = input::person(&dir, name)?;
                person.check_present("act as someone still in the agency")?;
                Some(person.id)
            }
            None => w.me()?.filter(|me| dir.person(*me).is_some_and(|p| p.retired.is_none())),
        };
        let Decision { events, answer } = decide(w, &dir, actor, at)?;
        w.append(actor, at, now, events)?;
        show(w, answer)
    })
}
