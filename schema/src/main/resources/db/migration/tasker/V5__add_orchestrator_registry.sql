-- Several orchestrators on one database (docs/decisions/0008-several-orchestrators.md): each
-- registers here and beats its heart on the database's clock; the others judge it alive or dead by
-- that clock alone, never by their own.

CREATE TABLE orchestrators (
    orchestrator_id text PRIMARY KEY,
    -- The endpoints workers can connect to, as it advertises them (sent to workers in WELCOME).
    endpoints       text[] NOT NULL,
    host            text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    heartbeat_at    timestamptz NOT NULL DEFAULT now(),
    -- Set on a clean stop; a crashed orchestrator's row just stops beating.
    stopped_at      timestamptz
);

-- Alive: not stopped, and a heartbeat within the liveness window, by the database's clock. A batch
-- whose orchestrator is not alive (or never registered: made before this table existed) can be
-- taken over by any other.
CREATE FUNCTION orchestrator_alive(id text, liveness_ms bigint) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM tasker.orchestrators o
                    WHERE o.orchestrator_id = id
                      AND o.stopped_at IS NULL
                      AND o.heartbeat_at > now() - liveness_ms * interval '1 millisecond')
$$;


-- The batches a worker said it holds in its latest HELLO, and when (database clock). A batch made
-- before that HELLO by an orchestrator that is now gone, and not in the list, never reached the
-- worker: the takeover runs its steps again, also when the orchestrator died after the HELLO.
ALTER TABLE workers ADD COLUMN held_batches uuid[], ADD COLUMN held_reported_at timestamptz;
