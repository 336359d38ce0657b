-- Steps ready, waiting for a retry and in progress, by handler. Each branch reads only the partial
-- index of its state (workflow_steps_ready_idx, _retry_idx, _in_progress_idx), so the cost grows
-- with the steps in that state, never with the table.
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
 WHERE state = 'in_progress'
 GROUP BY handler
