INSERT INTO tasker.namespaces (namespace_id, name)
VALUES (?, ?)
ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
RETURNING namespace_id
