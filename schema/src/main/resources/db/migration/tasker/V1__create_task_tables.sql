-- Namespaces, task templates, tasks, workflow steps, the dependency graph and the state-transition
-- history of tasks and steps. Every id is a UUIDv7 created by the application.

CREATE TABLE namespaces (
    namespace_id uuid PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- A versioned task template. `definition` holds the whole template, so that a process without the
-- template files (`tasker submit`) can create tasks from it.
CREATE TABLE named_tasks (
    named_task_id uuid PRIMARY KEY,
    namespace_id  uuid NOT NULL REFERENCES namespaces,
    name          text NOT NULL,
    version       text NOT NULL,
    description   text,
    definition    jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (namespace_id, name, version)
);

CREATE TABLE tasks (
    task_id       uuid PRIMARY KEY,
    named_task_id uuid NOT NULL REFERENCES named_tasks,
    state         text NOT NULL
        CHECK (state IN ('pending', 'in_progress', 'complete', 'error', 'cancelled')),
    context       jsonb NOT NULL,
    -- sha-256 of template identity and canonical context (or of an explicit idempotency key):
    -- creating the same task twice returns the first one.
    identity_hash text NOT NULL UNIQUE,
    priority      integer NOT NULL DEFAULT 0,
    initiator     text,
    source_system text,
    reason        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz
);

CREATE INDEX tasks_active_idx ON tasks (state) WHERE state IN ('pending', 'in_progress');

CREATE TABLE workflow_steps (
    step_id            uuid PRIMARY KEY,
    task_id            uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
    name               text NOT NULL,
    handler            text NOT NULL,
    handler_config     jsonb NOT NULL DEFAULT '{}',
    state              text NOT NULL
        CHECK (state IN ('pending', 'in_progress', 'waiting_for_retry', 'complete', 'error',
                         'cancelled', 'resolved_manually')),
    -- Copied from the task at creation so the ready-step index can order by it without a join.
    priority           integer NOT NULL DEFAULT 0,
    -- Dependencies not yet complete. Kept as a counter, decremented in the same statement that
    -- completes a parent, so readiness is an index lookup and two parents finishing in concurrent
    -- transactions cannot both miss that the child became ready (the row lock serializes them).
    unmet_dependencies integer NOT NULL DEFAULT 0 CHECK (unmet_dependencies >= 0),
    -- Every step this one depends on, directly or transitively, fixed by the template at creation:
    -- a step's previous_results are these steps' results, read by primary key instead of walking
    -- step_edges recursively for every dispatched step.
    ancestor_ids       uuid[] NOT NULL DEFAULT '{}',
    attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts       integer NOT NULL CHECK (max_attempts >= 1),
    retryable          boolean NOT NULL DEFAULT true,
    backoff_base_ms    bigint NOT NULL CHECK (backoff_base_ms >= 0),
    max_backoff_ms     bigint NOT NULL CHECK (max_backoff_ms >= 0),
    -- When a step waiting for retry becomes due.
    next_attempt_at    timestamptz,
    timeout_ms         bigint NOT NULL CHECK (timeout_ms >= 1),
    results            jsonb,
    last_error         jsonb,
    last_attempted_at  timestamptz,
    completed_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_id, name)
);

-- The dispatcher's claim query reads only this index: pending steps whose dependencies are done.
CREATE INDEX workflow_steps_ready_idx ON workflow_steps (handler, priority DESC, step_id)
    WHERE state = 'pending' AND unmet_dependencies = 0;
CREATE INDEX workflow_steps_retry_idx ON workflow_steps (next_attempt_at)
    WHERE state = 'waiting_for_retry';
CREATE INDEX workflow_steps_in_progress_idx ON workflow_steps (last_attempted_at)
    WHERE state = 'in_progress';

CREATE TABLE step_edges (
    from_step_id uuid NOT NULL REFERENCES workflow_steps ON DELETE CASCADE,
    to_step_id   uuid NOT NULL REFERENCES workflow_steps ON DELETE CASCADE,
    task_id      uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
    PRIMARY KEY (from_step_id, to_step_id),
    CHECK (from_step_id <> to_step_id)
);

CREATE INDEX step_edges_to_step_idx ON step_edges (to_step_id);

CREATE TABLE task_transitions (
    transition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id       uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
    from_state    text,
    to_state      text NOT NULL,
    sort_key      integer NOT NULL,
    most_recent   boolean NOT NULL,
    metadata      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_id, sort_key)
);

-- At most one current transition per task.
CREATE UNIQUE INDEX task_transitions_most_recent_idx ON task_transitions (task_id) WHERE most_recent;

CREATE TABLE workflow_step_transitions (
    transition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    step_id       uuid NOT NULL REFERENCES workflow_steps ON DELETE CASCADE,
    from_state    text,
    to_state      text NOT NULL,
    sort_key      integer NOT NULL,
    most_recent   boolean NOT NULL,
    metadata      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (step_id, sort_key)
);

-- At most one current transition per step.
CREATE UNIQUE INDEX workflow_step_transitions_most_recent_idx
    ON workflow_step_transitions (step_id) WHERE most_recent;
