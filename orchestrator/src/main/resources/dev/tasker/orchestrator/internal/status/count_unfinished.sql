SELECT count(*)
  FROM tasker.tasks
 WHERE task_id = ANY(?::uuid[])
   AND state IN ('pending', 'in_progress')
