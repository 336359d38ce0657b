-- An operator supplies a step's output instead of running it.
UPDATE tasker.workflow_steps
   SET state = 'resolved_manually', results = ?::jsonb, next_attempt_at = NULL,
       attempt_deadline = NULL, completed_at = now(), updated_at = now()
 WHERE step_id = ?
   AND state IN ('pending', 'waiting_for_retry', 'error')
