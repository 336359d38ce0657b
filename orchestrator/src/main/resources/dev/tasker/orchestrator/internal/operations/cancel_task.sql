UPDATE tasker.tasks SET state = 'cancelled', completed_at = now(), updated_at = now()
 WHERE task_id = ? AND state IN ('pending', 'in_progress', 'error')
