UPDATE tasker.dead_letters
   SET resolved_at = now(), resolution = ?
 WHERE step_id = ANY(?::uuid[])
   AND resolved_at IS NULL
