-- Dead letters for steps that have just failed for good.
INSERT INTO tasker.dead_letters (step_id, task_id, reason, attempts, last_error)
SELECT s.step_id, s.task_id, x.reason, s.attempts, x.error::jsonb
  FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(step_id, reason, error)
  JOIN tasker.workflow_steps s ON s.step_id = x.step_id
