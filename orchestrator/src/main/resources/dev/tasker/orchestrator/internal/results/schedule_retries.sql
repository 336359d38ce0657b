UPDATE tasker.workflow_steps s
   SET state = 'waiting_for_retry', next_attempt_at = x.due, last_error = x.error::jsonb,
       updated_at = now()
  FROM unnest(?::uuid[], ?::timestamptz[], ?::text[]) AS x(step_id, due, error)
 WHERE s.step_id = x.step_id
   AND s.state = 'in_progress'
