-- Takeover: in-progress steps whose current attempt went out in a batch of an orchestrator that is not
-- alive (and is not this one), to a worker no orchestrator has heard from within the liveness
-- window. Nobody will report them: they run again.
SELECT bs.batch_id, s.step_id, s.task_id, s.attempts, s.max_attempts
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
  JOIN tasker.workflow_steps s
    ON s.step_id = bs.step_id AND s.attempts = bs.attempt AND s.state = 'in_progress'
 WHERE b.orchestrator_id IS DISTINCT FROM ?
   AND NOT tasker.orchestrator_alive(b.orchestrator_id, ?)
   AND NOT EXISTS (SELECT 1 FROM tasker.workers w
                    WHERE w.worker_id = b.worker_id
                      AND w.last_heartbeat_at > now() - ?::int8 * interval '1 millisecond')
 ORDER BY s.step_id
 LIMIT 10000
   FOR UPDATE OF s SKIP LOCKED
