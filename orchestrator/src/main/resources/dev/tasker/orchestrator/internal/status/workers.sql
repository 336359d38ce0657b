SELECT worker_id, language, sdk_version, state, capabilities::text, concurrency, last_heartbeat_at
  FROM tasker.workers
 ORDER BY connected_at
