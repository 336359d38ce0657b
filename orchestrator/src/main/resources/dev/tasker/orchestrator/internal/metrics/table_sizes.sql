-- Tasker's tables: bytes on disk with indexes and TOAST, and the planner's row estimate (as of the
-- last VACUUM or ANALYZE; -1 before the first). Catalog reads only: no table is scanned.
SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::int8
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'tasker' AND c.relkind IN ('r', 'p')
