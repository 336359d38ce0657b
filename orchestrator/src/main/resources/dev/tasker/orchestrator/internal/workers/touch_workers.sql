UPDATE tasker.workers SET last_heartbeat_at = ? WHERE worker_id = ANY(?::text[])
