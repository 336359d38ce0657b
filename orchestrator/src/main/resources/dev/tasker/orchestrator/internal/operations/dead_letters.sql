SELECT d.dead_letter_id, d.step_id, d.task_id, s.name, d.reason, d.attempts, d.last_error::text,
       d.created_at, d.resolved_at, d.resolution
  FROM tasker.dead_letters d
  JOIN tasker.workflow_steps s ON s.step_id = d.step_id
 WHERE (d.resolved_at IS NULL OR NOT ?::boolean)
 ORDER BY d.dead_letter_id
 LIMIT ?
