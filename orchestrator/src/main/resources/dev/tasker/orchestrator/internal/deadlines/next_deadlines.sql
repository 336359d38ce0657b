-- Milliseconds from now until the next attempt deadline and the next batch deadline (null: none),
-- measured on the database's clock, which set them.
SELECT (SELECT extract(epoch FROM min(attempt_deadline) - now()) * 1000
          FROM tasker.workflow_steps WHERE attempt_deadline IS NOT NULL),
       (SELECT extract(epoch FROM min(deadline) - now()) * 1000
          FROM tasker.step_execution_batches WHERE reconciliation_status = 'pending')
