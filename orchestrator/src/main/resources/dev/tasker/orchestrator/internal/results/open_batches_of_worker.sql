SELECT b.batch_id
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_transitions tr ON tr.batch_id = b.batch_id AND tr.most_recent
 WHERE b.worker_id = ?
   AND tr.to_state IN ('created', 'published', 'executing')
