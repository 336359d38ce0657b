UPDATE tasker.orchestrators SET stopped_at = now() WHERE orchestrator_id = ?
