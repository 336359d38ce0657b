SELECT step_id, task_id, name, handler, state, attempts, max_attempts, results::text, last_error::text,
       next_attempt_at, last_attempted_at, completed_at, created_at, updated_at, kind
  FROM tasker.workflow_steps
 WHERE task_id = ?
 ORDER BY step_id
