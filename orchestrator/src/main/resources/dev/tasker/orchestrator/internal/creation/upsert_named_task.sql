INSERT INTO tasker.named_tasks (named_task_id, namespace_id, name, version, description, definition)
VALUES (?, ?, ?, ?, ?, ?::jsonb)
ON CONFLICT (namespace_id, name, version) DO UPDATE
   SET definition = EXCLUDED.definition,
       description = EXCLUDED.description,
       updated_at = now()
RETURNING named_task_id
