-- Starts a new attempt of each step (pending -> in_progress) and returns what its worker needs:
-- the task context and the outputs of all the step's ancestors (fixed at creation in
-- ancestor_ids), keyed by step name.
WITH claimed AS (
    UPDATE tasker.workflow_steps s
       SET state = 'in_progress',
           attempts = s.attempts + 1,
           next_attempt_at = NULL,
           last_attempted_at = now(),
           attempt_deadline = now() + s.timeout_ms * interval '1 millisecond',
           updated_at = now()
     WHERE s.step_id = ANY(?::uuid[])
       AND s.state = 'pending'
    RETURNING s.step_id, s.task_id, s.name, s.handler, s.handler_config, s.attempts,
              s.max_attempts, s.timeout_ms, s.ancestor_ids
)
SELECT c.step_id, c.task_id, c.name, c.handler, c.handler_config::text, c.attempts,
       c.max_attempts, c.timeout_ms, t.context::text,
       (SELECT coalesce(jsonb_object_agg(p.name, coalesce(p.results, 'null'::jsonb)), '{}'::jsonb)::text
          FROM tasker.workflow_steps p
         WHERE p.step_id = ANY(c.ancestor_ids))
  FROM claimed c
  JOIN tasker.tasks t ON t.task_id = c.task_id
