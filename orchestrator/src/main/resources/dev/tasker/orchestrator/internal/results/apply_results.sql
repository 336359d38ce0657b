-- Writes what the decider decided about a group of results, in one statement: the ledger rows,
-- steps completed, scheduled for retry, failed or yielding a checkpoint, their transitions, the children whose last
-- dependency just completed, the batches' transitions, states and reconciliation, the tasks'
-- progress and the finish of those left with nothing to do. Returns the children made ready
-- (pending with every dependency done) and the steps that yielded, for the caller to claim.
-- Every step changed here was locked by load_results.sql and is checked again to be in progress.
--
-- Rows are found by key (id = ANY of an array, or a lateral lookup), and each changed row reads its
-- new values from a JSON object keyed by its id: no join between a list of values and a table,
-- whose cached plan could scan the table or loop over the list once per row as both grow.
WITH ledger AS (
    INSERT INTO tasker.step_execution_batch_received_results
           (batch_id, step_id, message_type, worker_id, sequence_number, attempt, status,
            execution_time_ms, raw_message, outcome, processing_errors, received_at)
    SELECT x.batch_id, x.step_id, x.message_type, x.worker_id, x.sequence_number, x.attempt, x.status,
           x.execution_time_ms, x.raw_message::json, x.outcome, x.processing_errors::jsonb, x.received_at
      FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int8[], ?::int4[], ?::text[],
                  ?::int8[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
           AS x(batch_id, step_id, message_type, worker_id, sequence_number, attempt, status,
                execution_time_ms, raw_message, outcome, processing_errors, received_at)
),
-- Completed: {id: output}, and ids.
completed AS (
    UPDATE tasker.workflow_steps s
       SET state = 'complete', results = (?::jsonb) -> s.step_id::text, attempt_deadline = NULL,
           completed_at = now(), updated_at = now()
     WHERE s.step_id = ANY(?::uuid[])
       AND s.state = 'in_progress'
    RETURNING s.step_id, s.task_id
),
-- Scheduled for a retry: {id: {"delay_ms": n, "error": {...}}}, and ids. The due time is
-- computed here, on the database's clock, which every orchestrator shares.
retry_values AS (
    SELECT ?::jsonb AS by_id
),
retried AS (
    UPDATE tasker.workflow_steps s
       SET state = 'waiting_for_retry',
           next_attempt_at = now() + ((SELECT by_id FROM retry_values) -> s.step_id::text ->> 'delay_ms')::int8
                                     * interval '1 millisecond',
           last_error = (SELECT by_id FROM retry_values) -> s.step_id::text -> 'error',
           attempt_deadline = NULL, updated_at = now()
     WHERE s.step_id = ANY(?::uuid[])
       AND s.state = 'in_progress'
),
-- Failed for good: {id: error}, and ids.
failed AS (
    UPDATE tasker.workflow_steps s
       SET state = 'error', last_error = (?::jsonb) -> s.step_id::text, attempt_deadline = NULL,
           updated_at = now()
     WHERE s.step_id = ANY(?::uuid[])
       AND s.state = 'in_progress'
    RETURNING s.task_id
),
-- Yielded a checkpoint (batch workers): {id: checkpoint}, and ids. Pending and ready again, to go
-- out with its checkpoint; the yield does not use up an attempt of its retry budget.
yielded AS (
    UPDATE tasker.workflow_steps s
       SET state = 'pending', checkpoint = (?::jsonb) -> s.step_id::text, max_attempts = s.max_attempts + 1,
           attempt_deadline = NULL, updated_at = now()
     WHERE s.step_id = ANY(?::uuid[])
       AND s.state = 'in_progress'
    RETURNING s.step_id, s.task_id, s.handler
),
-- A transition's sort key follows the step's latest one, read by key; transitions are appended,
-- never updated (the current state is the step's own row).
step_transitions AS (
    INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key, metadata)
    SELECT x.step_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, x.metadata::jsonb
      FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(step_id, to_state, metadata)
      LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key FROM tasker.workflow_step_transitions t
                          WHERE t.step_id = x.step_id ORDER BY t.sort_key DESC LIMIT 1) p ON true
),
-- Each completed parent satisfies one dependency of each of its children. The row lock on the
-- child serializes two parents completing in concurrent transactions, so it cannot be missed.
released AS (
    UPDATE tasker.workflow_steps c
       SET unmet_dependencies = c.unmet_dependencies
             - (SELECT count(*) FROM tasker.step_edges e
                 WHERE e.to_step_id = c.step_id
                   AND e.from_step_id = ANY(ARRAY(SELECT step_id FROM completed))),
           updated_at = now()
     WHERE c.step_id = ANY(ARRAY(SELECT e.to_step_id FROM tasker.step_edges e
                                  WHERE e.from_step_id = ANY(ARRAY(SELECT step_id FROM completed))))
    RETURNING c.step_id, c.task_id, c.handler, c.state, c.unmet_dependencies
),
-- A batch may take two transitions here (executing, then completed), each with the next sort key.
batch_transitions AS (
    INSERT INTO tasker.step_execution_batch_transitions (batch_id, from_state, to_state, sort_key,
                                                         metadata, event_name)
    SELECT x.batch_id, coalesce(lag(x.to_state) OVER w, p.to_state), x.to_state,
           coalesce(p.sort_key, 0) + row_number() OVER w, x.metadata::jsonb, x.event_name
      FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
           AS x(batch_id, to_state, metadata, event_name, ord)
      LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key FROM tasker.step_execution_batch_transitions t
                          WHERE t.batch_id = x.batch_id ORDER BY t.sort_key DESC LIMIT 1) p ON true
    WINDOW w AS (PARTITION BY x.batch_id ORDER BY x.ord)
),
-- Each batch's new state: {id: {"state": ..., "reconciliation": ... (when completed)}}, and ids.
batch_values AS (
    SELECT ?::jsonb AS by_id
),
batches_moved AS (
    UPDATE tasker.step_execution_batches b
       SET state = (SELECT by_id FROM batch_values) -> b.batch_id::text ->> 'state',
           reconciliation_status = coalesce((SELECT by_id FROM batch_values) -> b.batch_id::text ->> 'reconciliation',
                                            b.reconciliation_status),
           completed_at = CASE WHEN (SELECT by_id FROM batch_values) -> b.batch_id::text ->> 'reconciliation' IS NULL
                               THEN b.completed_at ELSE now() END
     WHERE b.batch_id = ANY(?::uuid[])
),
-- Task progress (as progress/record_progress.sql does for changes made elsewhere): a completed step
-- is done and no longer active, a failed one no longer active, a child made ready active. The
-- update takes each task's row lock, so two transactions finishing a task's last steps at once are
-- serialized, and the second (which re-reads the row it waited for) sees the counters reach 0.
-- Each task reads its change from a JSON object by its id (no join of a list to the table).
changes AS (
    SELECT jsonb_object_agg(task_id::text, jsonb_build_array(active, done)) AS by_task,
           array_agg(task_id) AS task_ids
      FROM (SELECT task_id, sum(active) AS active, sum(done) AS done
              FROM (SELECT task_id, -1 AS active, 1 AS done FROM completed
                    UNION ALL
                    SELECT task_id, -1, 0 FROM failed
                    UNION ALL
                    SELECT task_id, 1, 0 FROM released WHERE unmet_dependencies = 0 AND state = 'pending') c
             GROUP BY task_id) g
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
     WHERE t.task_id = ANY((SELECT task_ids FROM changes)::uuid[])
    RETURNING t.task_id, t.state
),
-- A finished task's transition. If another transaction finished the task while this one waited for
-- its row, that transaction's transition took the sort key read here as next: the insert gives way.
finished AS (
    INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key)
    SELECT p.task_id, t.to_state, p.state, t.sort_key + 1
      FROM progressed p
     CROSS JOIN LATERAL (SELECT t.to_state, t.sort_key FROM tasker.task_transitions t
                          WHERE t.task_id = p.task_id ORDER BY t.sort_key DESC LIMIT 1) t
     WHERE p.state IN ('complete', 'error')
       AND t.to_state <> p.state
        ON CONFLICT (task_id, sort_key) DO NOTHING
)
SELECT step_id, task_id, handler
  FROM released
 WHERE unmet_dependencies = 0
   AND state = 'pending'
UNION ALL
SELECT step_id, task_id, handler
  FROM yielded
