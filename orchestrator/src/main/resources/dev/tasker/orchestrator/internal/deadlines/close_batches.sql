-- Batches that will get no completion (failed, timed out): no deadline to watch any more, and the
-- reconciliation status says what is known.
UPDATE tasker.step_execution_batches
   SET deadline = NULL,
       reconciliation_status = CASE WHEN ?::boolean THEN 'discrepancy' ELSE reconciliation_status END
 WHERE batch_id = ANY(?::uuid[])
