-- A task whose identity hash exists already is not created again (idempotent creation).
INSERT INTO tasker.tasks (task_id, named_task_id, state, context, identity_hash, priority,
                          initiator, source_system, reason)
VALUES (?, ?, 'pending', ?::jsonb, ?, ?, ?, ?, ?)
ON CONFLICT (identity_hash) DO NOTHING
RETURNING task_id
