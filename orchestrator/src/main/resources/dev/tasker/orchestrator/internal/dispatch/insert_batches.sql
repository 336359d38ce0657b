INSERT INTO tasker.step_execution_batches (batch_id, worker_id, handler, step_count, timeout_ms)
SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::int4[], ?::int8[])
