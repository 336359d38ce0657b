UPDATE tasker.workflow_steps s
   SET state = 'complete', results = x.output::jsonb, completed_at = now(), updated_at = now()
  FROM unnest(?::uuid[], ?::text[]) AS x(step_id, output)
 WHERE s.step_id = x.step_id
   AND s.state = 'in_progress'
