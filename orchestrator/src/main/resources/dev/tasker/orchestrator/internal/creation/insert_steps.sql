INSERT INTO tasker.workflow_steps (step_id, task_id, name, handler, handler_config, state, priority,
                                   unmet_dependencies, max_attempts, retryable, backoff_base_ms,
                                   max_backoff_ms, timeout_ms)
SELECT x.step_id, ?, x.name, x.handler, x.handler_config::jsonb, 'pending', ?, x.unmet,
       x.max_attempts, x.retryable, x.backoff_base_ms, x.max_backoff_ms, x.timeout_ms
  FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::bool[],
              ?::int8[], ?::int8[], ?::int8[])
       AS x(step_id, name, handler, handler_config, unmet, max_attempts, retryable,
            backoff_base_ms, max_backoff_ms, timeout_ms)
