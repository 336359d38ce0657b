UPDATE tasker.step_execution_batches b
   SET reconciliation_status = x.status, completed_at = now()
  FROM unnest(?::uuid[], ?::text[]) AS x(batch_id, status)
 WHERE b.batch_id = x.batch_id
