-- Records a worker's state: draining (disconnected_at stays empty), gone or dead (disconnected now,
-- by the database's clock). A worker gone from this orchestrator gives it no credit any more; its
-- concurrency stays the last recorded (the other orchestrators still hearing from it update it).
UPDATE tasker.workers
   SET state = ?,
       disconnected_at = CASE WHEN ? THEN now() END,
       credit_by_orchestrator = CASE WHEN ? THEN credit_by_orchestrator - ?::text ELSE credit_by_orchestrator END
 WHERE worker_id = ?
