SELECT d.batch_id, d.step_id, d.kind, d.detail->>'detail', d.recorded_at, b.worker_id
  FROM tasker.step_execution_batch_discrepancies d
  JOIN tasker.step_execution_batches b ON b.batch_id = d.batch_id
 ORDER BY d.discrepancy_id DESC
 LIMIT ?
