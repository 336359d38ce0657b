-- Steps ready, waiting for a retry and in progress, by handler. Each branch reads only a partial
-- index holding just its state's steps (workflow_steps_ready_idx, _retry_idx, and for in_progress
-- _attempt_deadline_idx: attempt_deadline is set exactly while a step is in progress), so the cost
-- grows with the steps in that state, never with the table.
SELECT 'ready' AS state, handler, count(*)
  FROM tasker.workflow_steps
 WHERE state = 'pending' AND unmet_dependencies = 0
 GROUP BY handler
UNION ALL
SELECT 'waiting_for_retry', handler, count(*)
  FROM tasker.workflow_steps
 WHERE state = 'waiting_for_retry'
 GROUP BY handler
UNION ALL
SELECT 'in_progress', handler, count(*)
  FROM tasker.workflow_steps
 WHERE attempt_deadline IS NOT NULL AND state = 'in_progress'
 GROUP BY handler
