-- Milliseconds until the next retry comes due (null: none), on the database's clock.
SELECT extract(epoch FROM min(next_attempt_at) - now()) * 1000
  FROM tasker.workflow_steps
 WHERE state = 'waiting_for_retry'
