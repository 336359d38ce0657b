-- Retention deletes finished tasks in bounded batches (tasker.tasks rows and, by cascade, their
-- steps, edges and dead letters). A cascade runs one query per deleted row on the referencing
-- table: without an index on the referencing column each is a full scan of that table.
--
-- dead_letters.step_id: only open ones were indexed (V3; task_id has its index). Dead letters are
-- written only when a step fails for good, so one more index costs nothing on the hot path.
CREATE INDEX dead_letters_step_idx ON dead_letters (step_id);

-- step_edges.task_id: the edges already go with their steps (from_step_id and to_step_id cascade,
-- both indexed), so the task key adds nothing but a lookup per edge written at creation and a
-- scan per task deleted. Dropped, as V4 dropped the history tables' keys; the column stays.
ALTER TABLE step_edges DROP CONSTRAINT step_edges_task_id_fkey;
