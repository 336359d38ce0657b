-- Open batches of this worker made by this orchestrator or by one that is not alive.
SELECT b.batch_id
  FROM tasker.step_execution_batches b
 WHERE b.worker_id = ?
   AND b.state IN ('created', 'published', 'executing')
   AND (b.orchestrator_id = ? OR NOT tasker.orchestrator_alive(b.orchestrator_id, ?))
