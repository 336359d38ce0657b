INSERT INTO tasker.step_edges (from_step_id, to_step_id, task_id)
SELECT x.from_step_id, x.to_step_id, ?
  FROM unnest(?::uuid[], ?::uuid[]) AS x(from_step_id, to_step_id)
