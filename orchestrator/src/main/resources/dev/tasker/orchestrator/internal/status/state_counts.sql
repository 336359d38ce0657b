SELECT 'task', state, count(*) FROM tasker.tasks GROUP BY state
UNION ALL
SELECT 'step', state, count(*) FROM tasker.workflow_steps GROUP BY state
