-- The takeover pass runs every heartbeat interval on one orchestrator: it reads the open batches of
-- orchestrators that are gone, so it must not scan every step or batch ever made to find them.
CREATE INDEX step_execution_batches_open_orchestrator_idx ON step_execution_batches (orchestrator_id)
    WHERE state IN ('created', 'published', 'executing');
