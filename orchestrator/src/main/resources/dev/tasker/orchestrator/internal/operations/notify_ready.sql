SELECT pg_notify('tasker_steps_ready', '')
