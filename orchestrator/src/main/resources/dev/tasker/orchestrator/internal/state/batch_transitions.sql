-- Appends one transition per row and makes it the current one. The previous current row (if any)
-- loses most_recent and lends its to_state and sort_key. Safe with the partial unique index on
-- (batch_id) WHERE most_recent: within one statement the index check treats the row version this
-- statement has just superseded as gone.
WITH changes AS (
    SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS x(batch_id, to_state, metadata, event_name)
),
previous AS (
    UPDATE tasker.step_execution_batch_transitions t
       SET most_recent = false
     WHERE t.batch_id IN (SELECT batch_id FROM changes)
       AND t.most_recent
    RETURNING t.batch_id, t.to_state, t.sort_key
)
INSERT INTO tasker.step_execution_batch_transitions (batch_id, from_state, to_state, sort_key, most_recent, metadata, event_name)
SELECT x.batch_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, true, x.metadata::jsonb, x.event_name
  FROM changes x
  LEFT JOIN previous p ON p.batch_id = x.batch_id
