INSERT INTO tasker.step_execution_batch_received_results
       (batch_id, step_id, message_type, worker_id, sequence_number, attempt, status,
        execution_time_ms, raw_message, outcome, processing_errors, received_at)
SELECT x.batch_id, x.step_id, x.message_type, x.worker_id, x.sequence_number, x.attempt, x.status,
       x.execution_time_ms, x.raw_message::jsonb, x.outcome, x.processing_errors::jsonb, x.received_at
  FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int8[], ?::int4[], ?::text[],
              ?::int8[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
       AS x(batch_id, step_id, message_type, worker_id, sequence_number, attempt, status,
            execution_time_ms, raw_message, outcome, processing_errors, received_at)
