-- How far each task's counters are from its steps' states, for tasks the caller has locked (so
-- every change committed before is counted): the change to record with record_progress.sql.
SELECT t.task_id,
       count(*) FILTER (WHERE s.state IN ('in_progress', 'waiting_for_retry')
                           OR (s.state = 'pending' AND s.unmet_dependencies = 0)) - t.active_steps,
       count(*) FILTER (WHERE s.state IN ('complete', 'resolved_manually')) - t.done_steps
  FROM tasker.tasks t
  JOIN tasker.workflow_steps s ON s.task_id = t.task_id
 WHERE t.task_id = ANY(?::uuid[])
 GROUP BY t.task_id, t.active_steps, t.done_steps
