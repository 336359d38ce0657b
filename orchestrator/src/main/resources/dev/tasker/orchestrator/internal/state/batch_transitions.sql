-- Moves each batch to its new state and appends the transition, whose sort key follows the
-- batch's latest one (read by key). The update takes the batch's row lock first.
WITH changes AS (
    SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS x(batch_id, to_state, metadata, event_name)
),
moved AS (
    UPDATE tasker.step_execution_batches b
       SET state = x.to_state
      FROM changes x
     WHERE b.batch_id = x.batch_id
    RETURNING b.batch_id
)
INSERT INTO tasker.step_execution_batch_transitions (batch_id, from_state, to_state, sort_key, metadata, event_name)
SELECT x.batch_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, x.metadata::jsonb, x.event_name
  FROM changes x
  JOIN moved m ON m.batch_id = x.batch_id
  LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key
                       FROM tasker.step_execution_batch_transitions t
                      WHERE t.batch_id = x.batch_id
                      ORDER BY t.sort_key DESC
                      LIMIT 1) p ON true
