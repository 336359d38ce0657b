-- Each completed parent satisfies one dependency of each of its children; a child whose count
-- reaches 0 is ready.
UPDATE tasker.workflow_steps c
   SET unmet_dependencies = c.unmet_dependencies - d.satisfied, updated_at = now()
  FROM (SELECT e.to_step_id, count(*) AS satisfied
          FROM tasker.step_edges e
         WHERE e.from_step_id = ANY(?::uuid[])
         GROUP BY e.to_step_id) d
 WHERE c.step_id = d.to_step_id
RETURNING c.step_id, c.unmet_dependencies
