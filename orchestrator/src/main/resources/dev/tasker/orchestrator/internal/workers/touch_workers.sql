-- Workers heard from in the last heartbeat interval, on the database's clock. A worker is alive
-- while some orchestrator heard from it within the liveness window; one that an orchestrator
-- declared dead but another still hears from is active again. Records the credit each has given
-- this orchestrator (its last CREDIT, or its HELLO's share) and sums the shares of the live
-- orchestrators into concurrency. Rows locked in key order (= ANY), values read by key.
UPDATE tasker.workers w
   SET last_heartbeat_at = now(),
       state = CASE WHEN state = 'dead' THEN 'active' ELSE state END,
       disconnected_at = CASE WHEN state = 'dead' THEN NULL ELSE disconnected_at END,
       (credit_by_orchestrator, concurrency) = (
         SELECT coalesce(jsonb_object_agg(share.key, share.value), '{}'), coalesce(sum(share.value::int), 0)
           FROM jsonb_each(w.credit_by_orchestrator || jsonb_build_object(?, ? -> w.worker_id)) share
          WHERE share.key = ? OR tasker.orchestrator_alive(share.key, ?))
 WHERE worker_id = ANY(?::text[])
