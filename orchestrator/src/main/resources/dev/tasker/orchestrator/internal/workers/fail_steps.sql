UPDATE tasker.workflow_steps s
   SET state = 'error', last_error = x.error::jsonb, attempt_deadline = NULL, updated_at = now()
  FROM unnest(?::uuid[], ?::text[]) AS x(step_id, error)
 WHERE s.step_id = x.step_id
   AND s.state = 'in_progress'
