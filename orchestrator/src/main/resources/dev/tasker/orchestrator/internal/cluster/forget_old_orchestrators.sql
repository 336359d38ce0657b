-- Rows of orchestrators that stopped or went silent a week ago: they decide nothing any more (a
-- missing row counts as not alive, like a stale one).
DELETE FROM tasker.orchestrators
 WHERE coalesce(stopped_at, heartbeat_at) < now() - interval '7 days'
