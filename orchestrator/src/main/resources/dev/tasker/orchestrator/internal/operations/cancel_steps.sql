-- Every step of the task that has not finished is cancelled; results still arriving for them are
-- refused because they are no longer in progress.
UPDATE tasker.workflow_steps
   SET state = 'cancelled', next_attempt_at = NULL, attempt_deadline = NULL, updated_at = now()
 WHERE task_id = ?
   AND state IN ('pending', 'in_progress', 'waiting_for_retry', 'error')
RETURNING step_id
