-- Retention, first statement: up to a limit of tasks that finished (complete, error, cancelled)
-- before the cutoff, with their steps' batch memberships and transitions, their own transitions,
-- and (by cascade) their steps, edges and dead letters. A task with an open dead letter stays: an
-- operator has yet to decide about it. Task ids are UUIDv7, so only ids below the cutoff's (the
-- ceiling) can have finished before it: the scan walks the primary key, no index on completion
-- time is needed (one would make every task's finishing update a non-HOT one). Rows another
-- transaction holds (an operator acting on the task) are skipped until the next pass.
-- Returns how many tasks went, and the batches whose members went (emptied ones go next).
-- Parameters: ceiling, cutoff, limit.
WITH doomed_tasks AS (
    SELECT t.task_id
      FROM tasker.tasks t
     WHERE t.task_id < ?::uuid
       AND t.state IN ('complete', 'error', 'cancelled')
       AND t.completed_at < ?::timestamptz
       AND NOT EXISTS (SELECT 1
                         FROM tasker.workflow_steps s
                         JOIN tasker.dead_letters d ON d.step_id = s.step_id AND d.resolved_at IS NULL
                        WHERE s.task_id = t.task_id)
     ORDER BY t.task_id
     LIMIT ?
       FOR UPDATE SKIP LOCKED
), doomed_steps AS (
    SELECT s.step_id FROM tasker.workflow_steps s WHERE s.task_id IN (SELECT task_id FROM doomed_tasks)
), memberships AS (
    DELETE FROM tasker.step_execution_batch_steps bs
     WHERE bs.step_id IN (SELECT step_id FROM doomed_steps)
 RETURNING bs.batch_id
), step_transitions AS (
    DELETE FROM tasker.workflow_step_transitions tr
     WHERE tr.step_id IN (SELECT step_id FROM doomed_steps)
 RETURNING 1
), task_transitions AS (
    DELETE FROM tasker.task_transitions tr
     WHERE tr.task_id IN (SELECT task_id FROM doomed_tasks)
 RETURNING 1
), tasks AS (
    DELETE FROM tasker.tasks t
     WHERE t.task_id IN (SELECT task_id FROM doomed_tasks)
 RETURNING 1
)
SELECT (SELECT count(*) FROM tasks),
       (SELECT count(*) FROM doomed_steps),
       (SELECT count(*) FROM step_transitions) + (SELECT count(*) FROM task_transitions),
       ARRAY(SELECT DISTINCT batch_id FROM memberships)
