-- The orchestrators alive now (by the database's clock), oldest first.
SELECT orchestrator_id, endpoints
  FROM tasker.orchestrators
 WHERE stopped_at IS NULL
   AND heartbeat_at > now() - ?::int8 * interval '1 millisecond'
 ORDER BY started_at, orchestrator_id
