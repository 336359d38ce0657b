-- created_by: the first transition of a step created at run time names the step that created it;
-- one primary key lookup (step_id, sort_key).
SELECT s.step_id, s.task_id, s.name, s.handler, s.state, s.attempts, s.max_attempts, s.results::text,
       s.last_error::text, s.next_attempt_at, s.last_attempted_at, s.completed_at, s.created_at, s.updated_at,
       s.kind, s.inputs::text, s.checkpoint::text,
       (SELECT (t.metadata ->> 'created_by')::uuid
          FROM tasker.workflow_step_transitions t
         WHERE t.step_id = s.step_id AND t.sort_key = 1)
  FROM tasker.workflow_steps s
 WHERE s.step_id = ?
