-- A task is finished when none of its steps can make progress: none in progress, none waiting for
-- a retry, none pending with its dependencies done. It is complete when every step completed (or
-- was resolved manually), otherwise error. Runs in the transaction that changed the steps, so the
-- decision and the last step change commit together.
WITH status AS (
    SELECT s.task_id,
           bool_and(s.state IN ('complete', 'resolved_manually')) AS all_complete,
           bool_or(s.state IN ('in_progress', 'waiting_for_retry')
                   OR (s.state = 'pending' AND s.unmet_dependencies = 0)) AS can_progress
      FROM tasker.workflow_steps s
     WHERE s.task_id = ANY(?::uuid[])
     GROUP BY s.task_id
)
UPDATE tasker.tasks t
   SET state = CASE WHEN st.all_complete THEN 'complete' ELSE 'error' END,
       completed_at = now(), updated_at = now()
  FROM status st
 WHERE t.task_id = st.task_id
   AND NOT st.can_progress
   AND t.state IN ('pending', 'in_progress')
RETURNING t.task_id, t.state
