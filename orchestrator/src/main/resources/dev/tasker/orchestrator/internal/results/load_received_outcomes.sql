-- Terminal statuses workers already reported in partial results, for reconciling completions.
SELECT DISTINCT ON (batch_id, step_id) batch_id, step_id, status
  FROM tasker.step_execution_batch_received_results
 WHERE batch_id = ANY(?::uuid[])
   AND message_type = 'partial_result'
   AND status IN ('completed', 'failed')
 ORDER BY batch_id, step_id, result_id
