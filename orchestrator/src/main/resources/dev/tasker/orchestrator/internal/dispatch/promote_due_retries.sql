-- Steps whose retry backoff has passed become pending again (waiting_for_retry -> pending).
UPDATE tasker.workflow_steps
   SET state = 'pending', updated_at = now()
 WHERE state = 'waiting_for_retry'
   AND next_attempt_at <= ?
RETURNING step_id
