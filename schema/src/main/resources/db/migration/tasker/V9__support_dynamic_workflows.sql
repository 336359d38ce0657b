-- Dynamic workflows: decision points, deferred convergence, batch fan-out with checkpoints, and the
-- retry forms upstream templates write. Every new column has a constant default or none, so adding
-- it rewrites no table.

-- The step's kind from its template: standard, decision, deferred_convergence, batchable or
-- batch_worker (a created batch worker; the template step itself is never a row).
ALTER TABLE workflow_steps
    ADD COLUMN kind       text NOT NULL DEFAULT 'standard'
        CHECK (kind IN ('standard', 'decision', 'deferred_convergence', 'batchable', 'batch_worker')),
    -- How the retry delay grows: exponential, linear or none.
    ADD COLUMN backoff    text NOT NULL DEFAULT 'exponential'
        CHECK (backoff IN ('exponential', 'linear', 'none')),
    -- What the orchestrator gave a step it created at run time: a batch worker's
    -- {"cursor": {"batch_id", "start_cursor", "end_cursor", "batch_size"}}. NULL for the others.
    ADD COLUMN inputs     jsonb,
    -- The last checkpoint a batch worker yielded ({"cursor", "items_processed",
    -- "accumulated_results"}), sent with every later attempt so the handler resumes from it.
    ADD COLUMN checkpoint jsonb;
