SELECT state FROM tasker.tasks WHERE task_id = ? FOR UPDATE
