-- Records a worker's state: draining (disconnected_at stays empty), gone or dead (disconnected now,
-- by the database's clock).
UPDATE tasker.workers
   SET state = ?, disconnected_at = CASE WHEN ? THEN now() END
 WHERE worker_id = ?
