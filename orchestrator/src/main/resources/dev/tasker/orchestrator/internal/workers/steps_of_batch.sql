-- Steps of a batch whose attempt from that batch has not ended.
SELECT bs.batch_id, s.step_id, s.task_id, s.attempts, s.max_attempts
  FROM tasker.step_execution_batch_steps bs
  JOIN tasker.workflow_steps s
    ON s.step_id = bs.step_id AND s.attempts = bs.attempt AND s.state = 'in_progress'
 WHERE bs.batch_id = ?
 ORDER BY s.step_id
   FOR UPDATE OF s
