SELECT s.step_id, s.task_id, s.name, s.state, t.state
  FROM tasker.workflow_steps s
  JOIN tasker.tasks t ON t.task_id = s.task_id
 WHERE s.step_id = ?
   FOR UPDATE OF s, t
