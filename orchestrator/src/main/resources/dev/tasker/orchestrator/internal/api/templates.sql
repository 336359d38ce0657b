SELECT ns.name, nt.name, nt.version, nt.description, nt.created_at, nt.definition::text
  FROM tasker.named_tasks nt
  JOIN tasker.namespaces ns ON ns.namespace_id = nt.namespace_id
 WHERE (?::text IS NULL OR ns.name = ?::text)
   AND (?::text IS NULL OR nt.name = ?::text)
 ORDER BY ns.name, nt.name, nt.created_at DESC
