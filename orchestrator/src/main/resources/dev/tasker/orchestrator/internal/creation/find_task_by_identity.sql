SELECT t.task_id,
       (SELECT count(*) FROM tasker.workflow_steps s WHERE s.task_id = t.task_id)
  FROM tasker.tasks t
 WHERE t.identity_hash = ?
