-- Records a worker's state: draining (disconnected_at stays empty), gone or dead.
UPDATE tasker.workers SET state = ?, disconnected_at = ? WHERE worker_id = ?
