-- Appends one transition per row. Its sort key follows the task's latest transition (read by
-- key), whose to_state it names as from_state. Transitions are never updated: the task's current
-- state is its own row's. The caller has changed (and so locked) each task earlier in its
-- transaction, so no other transaction appends to it meanwhile.
INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key, metadata)
SELECT x.task_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, x.metadata::jsonb
  FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(task_id, to_state, metadata)
  LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key
                       FROM tasker.task_transitions t
                      WHERE t.task_id = x.task_id
                      ORDER BY t.sort_key DESC
                      LIMIT 1) p ON true
