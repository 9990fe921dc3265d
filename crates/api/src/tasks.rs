//! Tasks: listing and marking done.

use handoff_domain::deal::FoldContext;
use handoff_store::query;

use crate::dto::*;
use crate::{act, input, view, ApiError, Ctx, Decision};

/// Tasks by due time; optionally one owner's, only open ones, or only overdue ones.
pub fn task_list(ctx: &Ctx, req: TaskListRequest) -> Result<Vec<TaskDto>, ApiError> {
    let now = ctx.now();
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        dir.agency()?;
        let owner = req.owner.as_deref().map(|o| input::person(&dir, o).map(|p| p.id)).transpose()?;
        let rows = query::tasks(c, owner, req.open || req.overdue, req.overdue.then_some(now))?;
        Ok(rows.iter().map(|r| view::task_from_row(&dir, r, now)).collect())
    })
}

/// Marks a task done.
pub fn task_done(ctx: &Ctx, req: TaskDoneRequest) -> Result<TaskDto, ApiError> {
    act(ctx, &req.acting, |w, dir, _, at| {
        let (task, deal_id) = input::task(w.connection(), &req.task)?;
        let deal = query::deal(w.connection(), deal_id)?.expect("a task's deal exists");
        let events = deal.complete_task(dir, task)?;
        let after = deal.after(&events, at, &FoldContext::new(dir))?;
        let t = after.tasks.iter().find(|t| t.id == task).expect("complete_task found it");
        let answer = view::task(dir, &after, t, at);
        Ok(Decision { events, answer })
    })
}
