SELECT step_id, name, handler, state, attempts, max_attempts, results::text, last_error::text,
       next_attempt_at
  FROM tasker.workflow_steps
 WHERE task_id = ?
 ORDER BY step_id
