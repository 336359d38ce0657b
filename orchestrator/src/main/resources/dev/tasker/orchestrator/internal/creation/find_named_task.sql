-- The stored definition of a template; with a null version, the most recently registered one.
SELECT nt.definition::text
  FROM tasker.named_tasks nt
  JOIN tasker.namespaces ns ON ns.namespace_id = nt.namespace_id
 WHERE ns.name = ?
   AND nt.name = ?
   AND (nt.version = ? OR ?::text IS NULL)
 ORDER BY nt.created_at DESC
