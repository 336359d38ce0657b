-- Appends one transition per row and makes it the current one. The previous current row (if any)
-- loses most_recent and lends its to_state and sort_key. Safe with the partial unique index on
-- (step_id) WHERE most_recent: within one statement the index check treats the row version this
-- statement has just superseded as gone.
WITH changes AS (
    SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(step_id, to_state, metadata)
),
previous AS (
    UPDATE tasker.workflow_step_transitions t
       SET most_recent = false
     WHERE t.step_id IN (SELECT step_id FROM changes)
       AND t.most_recent
    RETURNING t.step_id, t.to_state, t.sort_key
)
INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key, most_recent, metadata)
SELECT x.step_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, true, x.metadata::jsonb
  FROM changes x
  LEFT JOIN previous p ON p.step_id = x.step_id
