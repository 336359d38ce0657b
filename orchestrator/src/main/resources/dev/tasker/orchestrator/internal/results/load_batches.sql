SELECT b.batch_id, b.worker_id, b.step_count, tr.to_state
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_transitions tr
    ON tr.batch_id = b.batch_id AND tr.most_recent
 WHERE b.batch_id = ANY(?::uuid[])
