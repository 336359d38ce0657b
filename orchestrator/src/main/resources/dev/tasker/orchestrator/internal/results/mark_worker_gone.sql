UPDATE tasker.workers SET state = ?, disconnected_at = ? WHERE worker_id = ?
