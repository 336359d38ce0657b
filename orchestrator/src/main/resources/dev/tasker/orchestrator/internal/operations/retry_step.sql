-- An operator gives a failed step a fresh set of attempts.
UPDATE tasker.workflow_steps
   SET state = 'pending', attempts = 0, next_attempt_at = NULL, attempt_deadline = NULL,
       updated_at = now()
 WHERE step_id = ?
   AND state = 'error'
