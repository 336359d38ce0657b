UPDATE tasker.tasks
   SET state = 'in_progress', updated_at = now()
 WHERE task_id = ANY(?::uuid[])
   AND state = 'pending'
RETURNING task_id
