-- A task in error gets work again after an operator action.
UPDATE tasker.tasks SET state = 'in_progress', completed_at = NULL, updated_at = now()
 WHERE task_id = ? AND state = 'error'
RETURNING task_id
