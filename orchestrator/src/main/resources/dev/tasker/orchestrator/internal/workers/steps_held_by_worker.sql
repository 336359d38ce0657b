-- Steps whose current attempt went out to this worker and has not ended, in batches of this
-- orchestrator or of one that is not alive. A live orchestrator's batches are its own: it notices
-- by itself when it loses the worker.
SELECT bs.batch_id, s.step_id, s.task_id, s.attempts, s.max_attempts
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
  JOIN tasker.workflow_steps s
    ON s.step_id = bs.step_id AND s.attempts = bs.attempt AND s.state = 'in_progress'
 WHERE b.worker_id = ?
   AND (b.orchestrator_id = ? OR NOT tasker.orchestrator_alive(b.orchestrator_id, ?))
 ORDER BY s.step_id
   FOR UPDATE OF s
