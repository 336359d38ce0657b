-- A worker registered (HELLO): the HELLO's concurrency is its share of credit for this
-- orchestrator until its CREDITs are recorded (every heartbeat, touch_workers.sql); concurrency is
-- the sum of the shares of the live orchestrators.
INSERT INTO tasker.workers AS w (worker_id, language, sdk_version, protocol_version, encoding,
                                 capabilities, concurrency, credit_by_orchestrator, state, connected_at,
                                 last_heartbeat_at, disconnected_at)
VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, jsonb_build_object(?, ?), 'active', now(), now(), NULL)
ON CONFLICT (worker_id) DO UPDATE
   SET language = EXCLUDED.language,
       sdk_version = EXCLUDED.sdk_version,
       protocol_version = EXCLUDED.protocol_version,
       encoding = EXCLUDED.encoding,
       capabilities = EXCLUDED.capabilities,
       (credit_by_orchestrator, concurrency) = (
         SELECT coalesce(jsonb_object_agg(share.key, share.value), '{}'), coalesce(sum(share.value::int), 0)
           FROM jsonb_each(w.credit_by_orchestrator || EXCLUDED.credit_by_orchestrator) share
          WHERE share.key = ? OR tasker.orchestrator_alive(share.key, ?)),
       state = 'active',
       last_heartbeat_at = now(),
       disconnected_at = NULL
