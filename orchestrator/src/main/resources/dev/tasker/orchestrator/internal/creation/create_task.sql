-- Creates a task, its steps, their dependency edges and their first transitions, and notifies the
-- orchestrator, in one statement. When a task with the same identity hash exists, nothing is
-- inserted and the statement returns NULL (idempotent creation). Foreign keys between the rows
-- inserted here are checked at the end of the statement, so the sibling inserts may refer to each
-- other.
WITH task AS (
    INSERT INTO tasker.tasks (task_id, named_task_id, state, context, identity_hash, priority,
                              initiator, source_system, reason)
    VALUES (?, ?, 'pending', ?::jsonb, ?, ?, ?, ?, ?)
    ON CONFLICT (identity_hash) DO NOTHING
    RETURNING task_id, priority
),
steps AS (
    INSERT INTO tasker.workflow_steps (step_id, task_id, name, handler, handler_config, state,
                                       priority, unmet_dependencies, ancestor_ids, max_attempts,
                                       retryable, backoff_base_ms, max_backoff_ms, timeout_ms)
    SELECT x.step_id, t.task_id, x.name, x.handler, x.handler_config::jsonb, 'pending', t.priority,
           x.unmet, string_to_array(x.ancestors, ',')::uuid[], x.max_attempts, x.retryable,
           x.backoff_base_ms, x.max_backoff_ms, x.timeout_ms
      FROM task t
     CROSS JOIN unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::int4[],
                       ?::bool[], ?::int8[], ?::int8[], ?::int8[])
           AS x(step_id, name, handler, handler_config, unmet, ancestors, max_attempts, retryable,
                backoff_base_ms, max_backoff_ms, timeout_ms)
    RETURNING step_id
),
edges AS (
    INSERT INTO tasker.step_edges (from_step_id, to_step_id, task_id)
    SELECT e.from_step_id, e.to_step_id, t.task_id
      FROM task t
     CROSS JOIN unnest(?::uuid[], ?::uuid[]) AS e(from_step_id, to_step_id)
),
task_transition AS (
    INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key, most_recent)
    SELECT task_id, NULL, 'pending', 1, true FROM task
),
step_transitions AS (
    INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key, most_recent)
    SELECT step_id, NULL, 'pending', 1, true FROM steps
),
notified AS (
    SELECT pg_notify('tasker_steps_ready', '') FROM task
)
SELECT (SELECT task_id FROM task), (SELECT count(*) FROM notified)
