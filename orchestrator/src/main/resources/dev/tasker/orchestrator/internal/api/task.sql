SELECT t.task_id, ns.name, nt.name, nt.version, t.state, t.priority, t.created_at, t.completed_at,
       t.total_steps, t.done_steps, t.context::text, t.initiator, t.source_system, t.reason
  FROM tasker.tasks t
  JOIN tasker.named_tasks nt ON nt.named_task_id = t.named_task_id
  JOIN tasker.namespaces ns ON ns.namespace_id = nt.namespace_id
 WHERE t.task_id = ?
