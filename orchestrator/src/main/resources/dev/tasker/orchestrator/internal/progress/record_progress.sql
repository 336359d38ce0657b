-- Adds each task's change in active and done steps, and finishes the tasks that can no longer
-- progress: complete when every step is done, else error. The update takes the task's row lock, so
-- two transactions finishing a task's last steps at once are serialized: the second adds to the
-- first one's committed counters (an UPDATE re-reads a row it had to wait for) and is the one that
-- sees them reach 0. A task that finishes gets its transition in the same statement.
-- Parameters: {task id: [change in active steps, change in done steps]}, and the task ids. Each
-- row reads its change from the JSON object by its id (no join of a list of values to the table).
WITH changes AS (
    SELECT ?::jsonb AS by_task
),
progressed AS (
    UPDATE tasker.tasks t
       SET active_steps = t.active_steps + ((SELECT by_task FROM changes) -> t.task_id::text ->> 0)::int4,
           done_steps = t.done_steps + ((SELECT by_task FROM changes) -> t.task_id::text ->> 1)::int4,
           state = CASE WHEN t.state NOT IN ('pending', 'in_progress')
                          OR t.active_steps + ((SELECT by_task FROM changes) -> t.task_id::text ->> 0)::int4 > 0
                        THEN t.state
                        WHEN t.done_steps + ((SELECT by_task FROM changes) -> t.task_id::text ->> 1)::int4
                             = t.total_steps
                        THEN 'complete'
                        ELSE 'error' END,
           completed_at = CASE WHEN t.state IN ('pending', 'in_progress')
                                AND t.active_steps + ((SELECT by_task FROM changes) -> t.task_id::text ->> 0)::int4 = 0
                               THEN now() ELSE t.completed_at END,
           updated_at = now()
     WHERE t.task_id = ANY(?::uuid[])
    RETURNING t.task_id, t.state
),
-- The latest transition says what the state was: a task it shows finished already is left alone.
-- If another transaction finished the task while this one waited for the row, its transition took
-- the sort key this one reads as next (the read predates the wait): the insert gives way.
previous AS (
    SELECT p.task_id, p.state AS new_state, t.to_state, t.sort_key
      FROM progressed p
     CROSS JOIN LATERAL (SELECT t.to_state, t.sort_key FROM tasker.task_transitions t
                          WHERE t.task_id = p.task_id ORDER BY t.sort_key DESC LIMIT 1) t
     WHERE p.state IN ('complete', 'error')
       AND t.to_state <> p.state
)
INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key)
SELECT task_id, to_state, new_state, sort_key + 1 FROM previous
    ON CONFLICT (task_id, sort_key) DO NOTHING
RETURNING task_id, from_state, to_state
