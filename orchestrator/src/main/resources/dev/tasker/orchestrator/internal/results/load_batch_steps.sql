SELECT batch_id, step_id, attempt
  FROM tasker.step_execution_batch_steps
 WHERE batch_id = ANY(?::uuid[])
