-- Takeover: in-progress steps whose current attempt went out in an open batch of an orchestrator
-- that is not alive (and is not this one), and that nobody will report:
-- - its worker is silent: no orchestrator heard from it within the liveness window; or
-- - its worker said in a HELLO after the batch was made which batches it holds, and this one was
--   not among them: it never arrived (it was on the wire when its orchestrator died).
-- Driven by the open batches (a partial index), a few per worker, never by all steps. A batch that
-- is no longer open timed out or failed: its steps' attempts are the deadline sweep's.
SELECT bs.batch_id, s.step_id, s.task_id, s.attempts, s.max_attempts
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
  JOIN tasker.workflow_steps s
    ON s.step_id = bs.step_id AND s.attempts = bs.attempt AND s.state = 'in_progress'
  LEFT JOIN tasker.workers w ON w.worker_id = b.worker_id
 WHERE b.state IN ('created', 'published', 'executing')
   AND b.orchestrator_id IS DISTINCT FROM ?
   AND NOT tasker.orchestrator_alive(b.orchestrator_id, ?)
   AND (w.worker_id IS NULL
        OR w.last_heartbeat_at <= now() - ?::int8 * interval '1 millisecond'
        OR (w.held_reported_at > b.created_at AND NOT (b.batch_id = ANY(w.held_batches))))
 ORDER BY s.step_id
 LIMIT 10000
   FOR UPDATE OF s SKIP LOCKED
