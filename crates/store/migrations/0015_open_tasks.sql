-- Open tasks by when they are due: Today and the task list read these, never the done tasks of
-- every deal the agency ever had.
CREATE INDEX tasks_open ON tasks (due_at, id) WHERE done_at IS NULL;
