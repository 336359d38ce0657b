INSERT INTO tasker.step_execution_batch_steps (batch_id, step_id, sequence_order, expected_handler, attempt)
SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::int4[], ?::text[], ?::int4[])
