-- The batches that results name, with their current state and every step they carried (at which
-- attempt). The steps are locked, in id order so that concurrent lockers cannot deadlock.
SELECT b.batch_id, b.worker_id, b.step_count, tr.to_state,
       s.step_id, bs.attempt, s.task_id, s.state, s.attempts, s.max_attempts, s.retryable,
       s.backoff_base_ms, s.max_backoff_ms
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_transitions tr ON tr.batch_id = b.batch_id AND tr.most_recent
  JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
  JOIN tasker.workflow_steps s ON s.step_id = bs.step_id
 WHERE b.batch_id = ANY(?::uuid[])
 ORDER BY s.step_id
   FOR UPDATE OF s
