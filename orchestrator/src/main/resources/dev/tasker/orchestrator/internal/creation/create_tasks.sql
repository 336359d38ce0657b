-- Creates tasks, their steps, the dependency edges and the first transitions, and notifies the
-- orchestrators, in one statement however many tasks. A task whose identity hash exists already
-- is skipped with everything of it (idempotent creation). Returns the ids of the tasks created.
-- Foreign keys between the rows inserted here are checked at the end of the statement, so the
-- sibling inserts may refer to each other.
WITH task AS (
    INSERT INTO tasker.tasks (task_id, named_task_id, state, context, identity_hash, priority,
                              initiator, source_system, reason, total_steps, active_steps)
    SELECT x.task_id, x.named_task_id, 'pending', x.context::jsonb, x.identity_hash, x.priority,
           x.initiator, x.source_system, x.reason, x.total_steps, x.active_steps
      FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::text[],
                  ?::text[], ?::int4[], ?::int4[])
           AS x(task_id, named_task_id, context, identity_hash, priority, initiator, source_system,
                reason, total_steps, active_steps)
    ON CONFLICT (identity_hash) DO NOTHING
    RETURNING task_id, priority
),
steps AS (
    INSERT INTO tasker.workflow_steps (step_id, task_id, name, handler, handler_config, state,
                                       priority, unmet_dependencies, ancestor_ids, max_attempts,
                                       retryable, backoff_base_ms, max_backoff_ms, timeout_ms, kind,
                                       backoff)
    SELECT x.step_id, t.task_id, x.name, x.handler, x.handler_config::jsonb, 'pending', t.priority,
           x.unmet, string_to_array(x.ancestors, ',')::uuid[], x.max_attempts, x.retryable,
           x.backoff_base_ms, x.max_backoff_ms, x.timeout_ms, x.kind, x.backoff
      FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[],
                  ?::int4[], ?::bool[], ?::int8[], ?::int8[], ?::int8[], ?::text[], ?::text[])
           AS x(step_id, task_id, name, handler, handler_config, unmet, ancestors, max_attempts,
                retryable, backoff_base_ms, max_backoff_ms, timeout_ms, kind, backoff)
      JOIN task t ON t.task_id = x.task_id
    RETURNING step_id
),
edges AS (
    INSERT INTO tasker.step_edges (from_step_id, to_step_id, task_id)
    SELECT e.from_step_id, e.to_step_id, t.task_id
      FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) AS e(from_step_id, to_step_id, task_id)
      JOIN task t ON t.task_id = e.task_id
),
task_transitions AS (
    INSERT INTO tasker.task_transitions (task_id, from_state, to_state, sort_key)
    SELECT task_id, NULL, 'pending', 1 FROM task
),
step_transitions AS (
    INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key)
    SELECT step_id, NULL, 'pending', 1 FROM steps
),
notified AS (
    SELECT pg_notify('tasker_steps_ready', '') WHERE EXISTS (SELECT 1 FROM task)
)
SELECT t.task_id, (SELECT count(*) FROM notified) FROM task t
