-- Workers heard from in the last heartbeat interval, on the database's clock. A worker is alive
-- while some orchestrator heard from it within the liveness window; one that an orchestrator
-- declared dead but another still hears from is active again.
UPDATE tasker.workers
   SET last_heartbeat_at = now(),
       state = CASE WHEN state = 'dead' THEN 'active' ELSE state END,
       disconnected_at = CASE WHEN state = 'dead' THEN NULL ELSE disconnected_at END
 WHERE worker_id = ANY(?::text[])
