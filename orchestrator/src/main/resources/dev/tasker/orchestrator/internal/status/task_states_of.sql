SELECT state, count(*)
  FROM tasker.tasks
 WHERE task_id = ANY(?::uuid[])
 GROUP BY state
