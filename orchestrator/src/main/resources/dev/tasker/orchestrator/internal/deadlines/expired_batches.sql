-- Batches still waiting for their completion after their deadline: orphans.
SELECT b.batch_id, b.worker_id, b.timeout_ms
  FROM tasker.step_execution_batches b
 WHERE b.reconciliation_status = 'pending'
   AND b.deadline <= now()
   AND b.state IN ('published', 'executing')
 ORDER BY b.batch_id
 LIMIT 1000
   FOR UPDATE OF b
