-- Registered orchestrators, newest first, with the time since each one's heartbeat on the
-- database's clock.
SELECT orchestrator_id, host, endpoints, started_at, heartbeat_at, stopped_at,
       (extract(epoch FROM now() - heartbeat_at) * 1000)::int8
  FROM tasker.orchestrators
 ORDER BY started_at DESC, orchestrator_id
 LIMIT ?
