-- Makes steps ready again (in_progress -> pending). An attempt that never reached a worker is
-- given back (refund 1); one that a lost worker held counts (refund 0).
UPDATE tasker.workflow_steps s
   SET state = 'pending', attempts = s.attempts - x.refund, attempt_deadline = NULL, updated_at = now()
  FROM unnest(?::uuid[], ?::int4[]) AS x(step_id, refund)
 WHERE s.step_id = x.step_id
   AND s.state = 'in_progress'
