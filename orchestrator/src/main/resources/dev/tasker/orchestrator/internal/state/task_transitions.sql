-- Appends one transition per row and makes it the current one. The previous current row (if any)
-- loses most_recent and lends its to_state and sort_key. Safe with the partial unique index on
-- (task_id) WHERE most_recent: within one statement the index check treats the row version this
-- statement has just superseded as gone.
WITH changes AS (
    SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(task_id, to_state, metadata)
),
previous AS (
    UPDATE tasker.task_transitions t
       SET most_recent = false
     WHERE t.task_id IN (SELECT task_id FROM changes)
       AND t.most_recent
    RETURNING t.task_id, t.to_state, t.sort_key
)
INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key, most_recent, metadata)
SELECT x.task_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, true, x.metadata::jsonb
  FROM changes x
  LEFT JOIN previous p ON p.task_id = x.task_id
