-- Locks the steps results refer to, in id order so that concurrent lockers cannot deadlock.
SELECT step_id, task_id, state, attempts, max_attempts, retryable, backoff_base_ms, max_backoff_ms
  FROM tasker.workflow_steps
 WHERE step_id = ANY(?::uuid[])
 ORDER BY step_id
   FOR UPDATE
