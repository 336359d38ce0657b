UPDATE tasker.workers SET held_batches = ?::uuid[], held_reported_at = now() WHERE worker_id = ?
