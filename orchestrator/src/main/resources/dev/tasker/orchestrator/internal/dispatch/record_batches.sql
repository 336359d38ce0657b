-- Records new batches, which step (at which attempt) went in which batch, and each batch's first
-- two transitions (created, then published: handed to the transport), in one statement.
WITH batches AS (
    INSERT INTO tasker.step_execution_batches (batch_id, worker_id, handler, step_count, timeout_ms,
                                               orchestrator_id, deadline)
    SELECT x.batch_id, x.worker_id, x.handler, x.step_count, x.timeout_ms, ?,
           now() + x.timeout_ms * interval '1 millisecond'
      FROM unnest(?::uuid[], ?::text[], ?::text[], ?::int4[], ?::int8[])
           AS x(batch_id, worker_id, handler, step_count, timeout_ms)
    RETURNING batch_id
),
members AS (
    INSERT INTO tasker.step_execution_batch_steps (batch_id, step_id, sequence_order, expected_handler, attempt)
    SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::int4[], ?::text[], ?::int4[])
)
INSERT INTO tasker.step_execution_batch_transitions (batch_id, from_state, to_state, event_name, sort_key, most_recent)
SELECT batch_id, NULL, 'created', 'batch_created', 1, false FROM batches
UNION ALL
SELECT batch_id, 'created', 'published', 'batch_published', 2, true FROM batches
