-- Steps whose current attempt went out to this worker in a batch made by an earlier orchestrator
-- and that the worker, registering again, does not hold: they never arrived, or the worker
-- restarted.
SELECT bs.batch_id, s.step_id, s.task_id, s.attempts, s.max_attempts
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
  JOIN tasker.workflow_steps s
    ON s.step_id = bs.step_id AND s.attempts = bs.attempt AND s.state = 'in_progress'
 WHERE b.worker_id = ?
   AND b.orchestrator_id IS DISTINCT FROM ?
   AND NOT (b.batch_id = ANY(?::uuid[]))
 ORDER BY s.step_id
   FOR UPDATE OF s
