SELECT min(next_attempt_at) FROM tasker.workflow_steps WHERE state = 'waiting_for_retry'
