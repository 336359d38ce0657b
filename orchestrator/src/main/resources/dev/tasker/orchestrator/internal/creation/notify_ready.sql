-- Wakes the orchestrator's dispatcher when the transaction commits (LISTEN tasker_steps_ready).
SELECT pg_notify('tasker_steps_ready', '')
