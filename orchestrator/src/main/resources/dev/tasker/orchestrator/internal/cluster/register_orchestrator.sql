INSERT INTO tasker.orchestrators (orchestrator_id, endpoints, host)
VALUES (?, ?::text[], ?)
ON CONFLICT (orchestrator_id) DO UPDATE
   SET endpoints = EXCLUDED.endpoints, heartbeat_at = now(), stopped_at = NULL
