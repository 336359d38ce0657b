-- One dispatch in one statement: starts a new attempt of each planned step that is still pending
-- (pending -> in_progress), records its batch (with the batch's first two transitions: created,
-- then published), which step went in which batch at which attempt, the steps' transitions, and
-- tasks starting (pending -> in_progress), and returns what each worker needs: the task context
-- and the outputs of all the step's ancestors (fixed at creation in ancestor_ids), by step name,
-- with the step's inputs (a batch worker's cursor) and last checkpoint.
-- A planned step that is no longer pending is left out, and so is a batch left with no step.
-- Parameters: the plan ({step id: [batch id, position in the batch]}) and its step ids, the batches
-- (id, worker, handler), the orchestrator id, and the grace added to a batch's slowest step timeout
-- for its deadline.
-- Rows are found by key (id = ANY of an array, or a lateral lookup) and a changed row reads its
-- plan from a JSON object keyed by its id: no join between a list of values and a table, whose
-- cached plan could scan the table or loop over the list once per row as both grow.
WITH plan AS (
    SELECT ?::jsonb AS by_step
),
claimed AS (
    UPDATE tasker.workflow_steps s
       SET state = 'in_progress',
           attempts = s.attempts + 1,
           next_attempt_at = NULL,
           last_attempted_at = now(),
           attempt_deadline = now() + s.timeout_ms * interval '1 millisecond',
           updated_at = now()
     WHERE s.step_id = ANY(?::uuid[])
       AND s.state = 'pending'
    RETURNING s.step_id, s.task_id, s.name, s.handler, s.handler_config, s.attempts, s.max_attempts,
              s.timeout_ms, s.ancestor_ids, s.inputs, s.checkpoint,
              ((SELECT by_step FROM plan) -> s.step_id::text ->> 0)::uuid AS batch_id,
              ((SELECT by_step FROM plan) -> s.step_id::text ->> 1)::int4 AS sequence_order
),
planned_batches AS (
    SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[]) AS b(batch_id, worker_id, handler)
),
batches AS (
    INSERT INTO tasker.step_execution_batches (batch_id, worker_id, handler, step_count, timeout_ms,
                                               orchestrator_id, deadline, state)
    SELECT b.batch_id, b.worker_id, b.handler, n.steps, n.longest + ?::int8, ?,
           now() + (n.longest + ?::int8) * interval '1 millisecond', 'published'
      FROM planned_batches b
      JOIN (SELECT batch_id, count(*) AS steps, max(timeout_ms) AS longest
              FROM claimed GROUP BY batch_id) n ON n.batch_id = b.batch_id
    RETURNING batch_id, worker_id
),
batch_transitions AS (
    INSERT INTO tasker.step_execution_batch_transitions (batch_id, from_state, to_state, event_name, sort_key)
    SELECT batch_id, NULL, 'created', 'batch_created', 1 FROM batches
    UNION ALL
    SELECT batch_id, 'created', 'published', 'batch_published', 2 FROM batches
),
members AS (
    INSERT INTO tasker.step_execution_batch_steps (batch_id, step_id, sequence_order, expected_handler, attempt)
    SELECT batch_id, step_id, sequence_order, handler, attempts FROM claimed
),
-- A transition's sort key follows the entity's latest one, read by key; transitions are appended,
-- never updated (the current state is the entity's own row).
step_transitions AS (
    INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key, metadata)
    SELECT c.step_id, p.to_state, 'in_progress', coalesce(p.sort_key, 0) + 1,
           jsonb_build_object('batch_id', c.batch_id, 'worker_id', b.worker_id)
      FROM claimed c
      JOIN planned_batches b ON b.batch_id = c.batch_id
      LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key FROM tasker.workflow_step_transitions t
                          WHERE t.step_id = c.step_id ORDER BY t.sort_key DESC LIMIT 1) p ON true
),
started AS (
    UPDATE tasker.tasks t
       SET state = 'in_progress', updated_at = now()
     WHERE t.task_id = ANY(ARRAY(SELECT task_id FROM claimed))
       AND t.state = 'pending'
    RETURNING t.task_id
),
task_transitions AS (
    INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key)
    SELECT s.task_id, p.to_state, 'in_progress', coalesce(p.sort_key, 0) + 1
      FROM started s
      LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key FROM tasker.task_transitions t
                          WHERE t.task_id = s.task_id ORDER BY t.sort_key DESC LIMIT 1) p ON true
)
SELECT c.batch_id, c.step_id, c.task_id, c.name, c.handler, c.handler_config::text, c.attempts,
       c.max_attempts, c.timeout_ms, t.context,
       (SELECT coalesce(jsonb_object_agg(a.name, coalesce(a.results, 'null'::jsonb)), '{}'::jsonb)::text
          FROM tasker.workflow_steps a
         WHERE a.step_id = ANY(c.ancestor_ids)),
       c.inputs::text, c.checkpoint::text
  FROM claimed c
 CROSS JOIN LATERAL (SELECT context::text FROM tasker.tasks WHERE task_id = c.task_id OFFSET 0) t
 ORDER BY c.batch_id, c.sequence_order
