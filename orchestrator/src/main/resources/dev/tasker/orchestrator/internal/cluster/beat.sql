-- One heartbeat, on the database's clock. Returns how long ago the previous one was, in
-- milliseconds, so an orchestrator can tell that it was silent long enough for others to think it
-- gone.
UPDATE tasker.orchestrators o
   SET heartbeat_at = now()
  FROM (SELECT heartbeat_at FROM tasker.orchestrators WHERE orchestrator_id = ?) previous
 WHERE o.orchestrator_id = ?
RETURNING extract(epoch FROM now() - previous.heartbeat_at) * 1000
