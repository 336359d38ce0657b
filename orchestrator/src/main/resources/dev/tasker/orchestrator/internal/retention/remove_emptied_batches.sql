-- Retention, second statement: of the batches named, those with no member step left (every task
-- they served is gone), with their transitions, their ledger rows and (by cascade) their
-- discrepancies. A batch that still serves a younger task stays until that task goes.
-- Returns how many batches and ledger rows went. Parameter: the batches.
WITH emptied AS (
    SELECT b.batch_id
      FROM tasker.step_execution_batches b
     WHERE b.batch_id = ANY(?::uuid[])
       AND NOT EXISTS (SELECT 1 FROM tasker.step_execution_batch_steps bs WHERE bs.batch_id = b.batch_id)
       FOR UPDATE SKIP LOCKED
), ledger AS (
    DELETE FROM tasker.step_execution_batch_received_results r
     WHERE r.batch_id IN (SELECT batch_id FROM emptied)
 RETURNING 1
), transitions AS (
    DELETE FROM tasker.step_execution_batch_transitions tr
     WHERE tr.batch_id IN (SELECT batch_id FROM emptied)
 RETURNING 1
), batches AS (
    DELETE FROM tasker.step_execution_batches b
     WHERE b.batch_id IN (SELECT batch_id FROM emptied)
 RETURNING 1
)
SELECT (SELECT count(*) FROM batches), (SELECT count(*) FROM ledger), (SELECT count(*) FROM transitions)
