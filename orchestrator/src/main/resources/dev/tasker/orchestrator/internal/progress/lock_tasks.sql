-- Locks tasks in id order (concurrent lockers cannot deadlock), so that counting their steps next
-- sees every change committed before.
SELECT task_id FROM tasker.tasks WHERE task_id = ANY(?::uuid[]) ORDER BY task_id FOR UPDATE
