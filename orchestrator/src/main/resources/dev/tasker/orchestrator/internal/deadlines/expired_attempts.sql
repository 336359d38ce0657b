-- Steps whose running attempt has passed its deadline, locked in id order.
SELECT step_id, task_id, attempts, max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_ms, handler
  FROM tasker.workflow_steps
 WHERE attempt_deadline <= now()
   AND state = 'in_progress'
 ORDER BY step_id
 LIMIT 1000
   FOR UPDATE
