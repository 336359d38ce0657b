-- Newest first by task_id (UUIDv7: creation order), keyset-paged: the primary key index read
-- backwards, no OFFSET. A null parameter leaves its filter out.
SELECT t.task_id, ns.name, nt.name, nt.version, t.state, t.priority, t.created_at, t.completed_at,
       t.total_steps, t.done_steps
  FROM tasker.tasks t
  JOIN tasker.named_tasks nt ON nt.named_task_id = t.named_task_id
  JOIN tasker.namespaces ns ON ns.namespace_id = nt.namespace_id
 WHERE (?::uuid IS NULL OR t.task_id < ?::uuid)
   AND (?::text[] IS NULL OR t.state = ANY (?::text[]))
   AND (?::text IS NULL OR ns.name = ?::text)
   AND (?::text IS NULL OR nt.name = ?::text)
 ORDER BY t.task_id DESC
 LIMIT ?
