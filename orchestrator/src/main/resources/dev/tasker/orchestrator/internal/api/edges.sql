-- By the parents' primary key prefix: step_edges has no index on task_id.
SELECT p.name, c.name
  FROM tasker.step_edges e
  JOIN tasker.workflow_steps p ON p.step_id = e.from_step_id
  JOIN tasker.workflow_steps c ON c.step_id = e.to_step_id
 WHERE e.from_step_id = ANY (?::uuid[])
 ORDER BY p.name, c.name
