-- Workers that hold the current attempt of an in-progress step.
SELECT DISTINCT b.worker_id
  FROM tasker.workflow_steps s
  JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id AND bs.attempt = s.attempts
  JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
 WHERE s.state = 'in_progress'
