-- Batches of steps sent to workers, the append-only ledger of every message received about them,
-- their state transitions, reconciliation discrepancies, and the workers themselves.

CREATE TABLE workers (
    worker_id         text PRIMARY KEY,
    language          text NOT NULL,
    sdk_version       text NOT NULL,
    protocol_version  text NOT NULL,
    encoding          text NOT NULL,
    -- {"handlers": [...]} as announced in HELLO.
    capabilities      jsonb NOT NULL,
    concurrency       integer NOT NULL,
    state             text NOT NULL CHECK (state IN ('active', 'draining', 'gone', 'dead')),
    connected_at      timestamptz NOT NULL,
    last_heartbeat_at timestamptz NOT NULL,
    disconnected_at   timestamptz
);

CREATE TABLE step_execution_batches (
    batch_id              uuid PRIMARY KEY,
    worker_id             text NOT NULL,
    handler               text NOT NULL,
    step_count            integer NOT NULL CHECK (step_count >= 1),
    timeout_ms            bigint NOT NULL,
    -- pending until the BatchCompletion is reconciled; then consistent or discrepancy.
    reconciliation_status text NOT NULL DEFAULT 'pending'
        CHECK (reconciliation_status IN ('pending', 'consistent', 'discrepancy')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    completed_at          timestamptz
);

CREATE INDEX step_execution_batches_unreconciled_idx ON step_execution_batches (created_at)
    WHERE reconciliation_status = 'pending';

-- Which steps (at which attempt) went out in which batch. A step retried is in several batches.
CREATE TABLE step_execution_batch_steps (
    batch_id         uuid NOT NULL REFERENCES step_execution_batches ON DELETE CASCADE,
    step_id          uuid NOT NULL REFERENCES workflow_steps ON DELETE CASCADE,
    sequence_order   integer NOT NULL,
    expected_handler text NOT NULL,
    attempt          integer NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, step_id),
    UNIQUE (batch_id, sequence_order)
);

CREATE INDEX step_execution_batch_steps_step_idx ON step_execution_batch_steps (step_id);

-- Append-only ledger: every PartialResult and BatchCompletion received, as it was received, and
-- what was done with it. No foreign keys: a message about an unknown batch or step is kept too.
CREATE TABLE step_execution_batch_received_results (
    result_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id          uuid NOT NULL,
    step_id           uuid,
    message_type      text NOT NULL CHECK (message_type IN ('partial_result', 'batch_completion')),
    worker_id         text,
    sequence_number   bigint,
    attempt           integer,
    status            text,
    execution_time_ms bigint,
    raw_message       jsonb NOT NULL,
    -- applied: changed step state; recorded: kept without a state change (progress reports,
    -- completions); rejected: refused, with the reason in processing_errors.
    outcome           text NOT NULL CHECK (outcome IN ('applied', 'recorded', 'rejected')),
    processing_errors jsonb,
    received_at       timestamptz NOT NULL,
    processed_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX step_execution_batch_received_results_batch_idx
    ON step_execution_batch_received_results (batch_id);
CREATE INDEX step_execution_batch_received_results_step_idx
    ON step_execution_batch_received_results (step_id);

CREATE TABLE step_execution_batch_transitions (
    transition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      uuid NOT NULL REFERENCES step_execution_batches ON DELETE CASCADE,
    from_state    text,
    to_state      text NOT NULL
        CHECK (to_state IN ('created', 'published', 'executing', 'completed', 'failed', 'timeout',
                            'cancelled')),
    event_name    text,
    sort_key      integer NOT NULL,
    most_recent   boolean NOT NULL,
    metadata      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch_id, sort_key)
);

-- At most one current transition per batch.
CREATE UNIQUE INDEX step_execution_batch_transitions_most_recent_idx
    ON step_execution_batch_transitions (batch_id) WHERE most_recent;

-- A difference between a BatchCompletion and the partial results received for its batch.
CREATE TABLE step_execution_batch_discrepancies (
    discrepancy_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id       uuid NOT NULL REFERENCES step_execution_batches ON DELETE CASCADE,
    step_id        uuid,
    kind           text NOT NULL,
    detail         jsonb NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX step_execution_batch_discrepancies_batch_idx
    ON step_execution_batch_discrepancies (batch_id);
