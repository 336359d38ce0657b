INSERT INTO tasker.workers (worker_id, language, sdk_version, protocol_version, encoding,
                            capabilities, concurrency, state, connected_at, last_heartbeat_at,
                            disconnected_at)
VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, 'active', now(), now(), NULL)
ON CONFLICT (worker_id) DO UPDATE
   SET language = EXCLUDED.language,
       sdk_version = EXCLUDED.sdk_version,
       protocol_version = EXCLUDED.protocol_version,
       encoding = EXCLUDED.encoding,
       capabilities = EXCLUDED.capabilities,
       concurrency = EXCLUDED.concurrency,
       state = 'active',
       last_heartbeat_at = now(),
       disconnected_at = NULL
