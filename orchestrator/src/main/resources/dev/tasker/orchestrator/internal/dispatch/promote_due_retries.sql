-- Steps whose retry backoff has passed become pending again (waiting_for_retry -> pending), by the
-- database's clock, which set their due times.
UPDATE tasker.workflow_steps
   SET state = 'pending', updated_at = now()
 WHERE state = 'waiting_for_retry'
   AND next_attempt_at <= now()
RETURNING step_id
