-- The batches a step went out in, oldest first, with what the worker reported for this step in
-- each (the newest partial result the ledger recorded or applied for it; null when none came).
SELECT b.batch_id, b.worker_id, b.orchestrator_id, b.state, b.created_at, bs.attempt,
       (SELECT r.status
          FROM tasker.step_execution_batch_received_results r
         WHERE r.batch_id = b.batch_id AND r.step_id = bs.step_id
           AND r.message_type = 'partial_result' AND r.outcome <> 'rejected'
         ORDER BY r.result_id DESC
         LIMIT 1)
  FROM tasker.step_execution_batch_steps bs
  JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
 WHERE bs.step_id = ?
 ORDER BY b.created_at, b.batch_id
