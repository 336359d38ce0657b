SELECT 'state:' || state, count(*)
  FROM tasker.step_execution_batches
 GROUP BY state
UNION ALL
SELECT 'reconciliation:' || reconciliation_status, count(*)
  FROM tasker.step_execution_batches
 GROUP BY reconciliation_status
UNION ALL
SELECT 'discrepancies', count(*) FROM tasker.step_execution_batch_discrepancies
