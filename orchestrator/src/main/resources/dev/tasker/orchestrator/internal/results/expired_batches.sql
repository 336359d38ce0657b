-- Batches still waiting for their completion after their deadline: orphans.
SELECT b.batch_id, b.worker_id, b.timeout_ms
  FROM tasker.step_execution_batches b
  JOIN tasker.step_execution_batch_transitions tr ON tr.batch_id = b.batch_id AND tr.most_recent
 WHERE b.reconciliation_status = 'pending'
   AND b.deadline <= now()
   AND tr.to_state IN ('published', 'executing')
 ORDER BY b.batch_id
 LIMIT 1000
   FOR UPDATE OF b
