-- Appends one transition per row. Its sort key follows the step's latest transition (read by
-- key), whose to_state it names as from_state. Transitions are never updated: the step's current
-- state is its own row's. The caller has changed (and so locked) each step earlier in its
-- transaction, so no other transaction appends to it meanwhile.
INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key, metadata)
SELECT x.step_id, p.to_state, x.to_state, coalesce(p.sort_key, 0) + 1, x.metadata::jsonb
  FROM unnest(?::uuid[], ?::text[], ?::text[]) AS x(step_id, to_state, metadata)
  LEFT JOIN LATERAL (SELECT t.to_state, t.sort_key
                       FROM tasker.workflow_step_transitions t
                      WHERE t.step_id = x.step_id
                      ORDER BY t.sort_key DESC
                      LIMIT 1) p ON true
