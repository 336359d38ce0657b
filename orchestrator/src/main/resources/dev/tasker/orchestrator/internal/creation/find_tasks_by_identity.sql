-- Tasks that exist already, by identity hash, for idempotent creation.
SELECT t.identity_hash, t.task_id, t.total_steps
  FROM tasker.tasks t
 WHERE t.identity_hash = ANY(?::text[])
