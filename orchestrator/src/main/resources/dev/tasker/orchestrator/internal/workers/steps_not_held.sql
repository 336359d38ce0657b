-- Steps whose current attempt went out to this worker in a batch of an orchestrator that is not
-- alive (an earlier run of this one, or another that died) and that the worker, registering
-- again, does not hold: they never arrived, or the worker restarted. Batches of live
-- orchestrators are theirs to judge.
SELECT bs.batch_id, s.step_id, s.task_id, s.attempts, s.max_attempts
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
  JOIN tasker.workflow_steps s
    ON s.step_id = bs.step_id AND s.attempts = bs.attempt AND s.state = 'in_progress'
 WHERE b.worker_id = ?
   AND b.orchestrator_id IS DISTINCT FROM ?
   AND NOT tasker.orchestrator_alive(b.orchestrator_id, ?)
   AND NOT (b.batch_id = ANY(?::uuid[]))
 ORDER BY s.step_id
   FOR UPDATE OF s
