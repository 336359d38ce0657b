-- Deadlines for running attempts and batches, the orchestrator that created each batch, and the
-- dead-letter queue of steps that failed for good.

-- When the current attempt of an in-progress step times out (set when it is dispatched).
ALTER TABLE workflow_steps ADD COLUMN attempt_deadline timestamptz;

DROP INDEX workflow_steps_in_progress_idx;
CREATE INDEX workflow_steps_attempt_deadline_idx ON workflow_steps (attempt_deadline)
    WHERE state = 'in_progress';

-- Which orchestrator process created the batch, and when it stops waiting for the completion.
ALTER TABLE step_execution_batches
    ADD COLUMN orchestrator_id text,
    ADD COLUMN deadline timestamptz;

DROP INDEX step_execution_batches_unreconciled_idx;
CREATE INDEX step_execution_batches_open_deadline_idx ON step_execution_batches (deadline)
    WHERE reconciliation_status = 'pending';

-- A step that failed for good (no attempts left, a permanent failure, or its worker lost on the
-- last attempt). Open while resolved_at is null; an operator retries or resolves it.
CREATE TABLE dead_letters (
    dead_letter_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    step_id        uuid NOT NULL REFERENCES workflow_steps ON DELETE CASCADE,
    task_id        uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
    reason         text NOT NULL
        CHECK (reason IN ('permanent_failure', 'attempts_exhausted', 'worker_lost', 'timeout')),
    attempts       integer NOT NULL,
    last_error     jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at    timestamptz,
    resolution     text CHECK (resolution IN ('retried', 'resolved_manually', 'cancelled'))
);

-- At most one open dead letter per step.
CREATE UNIQUE INDEX dead_letters_open_idx ON dead_letters (step_id) WHERE resolved_at IS NULL;
CREATE INDEX dead_letters_task_idx ON dead_letters (task_id);
