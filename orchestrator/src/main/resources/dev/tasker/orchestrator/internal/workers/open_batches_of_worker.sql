SELECT b.batch_id
  FROM tasker.step_execution_batches b
 WHERE b.worker_id = ?
   AND b.state IN ('created', 'published', 'executing')
