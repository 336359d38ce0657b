-- The hot path at PostgreSQL speed (docs/performance.md, docs/decisions/0006-hot-path-storage.md).
-- Nothing stored is dropped: every transition, batch-step and ledger row is still written; what
-- changes is what each write costs.

-- 1. Progress counters on each task, kept up to date by the statements that change its steps, in
-- the same transaction. Finishing a task reads its own row instead of aggregating its steps, and
-- the row lock those updates take serializes two transactions that finish a task's last steps at
-- the same time (each would otherwise see the other's step still running, and neither finalize).
ALTER TABLE tasks
    ADD COLUMN total_steps  integer NOT NULL DEFAULT 0 CHECK (total_steps >= 0),
    -- Steps that can still make progress: in progress, waiting for a retry, or pending with every
    -- dependency done. The task is finished when this reaches 0.
    ADD COLUMN active_steps integer NOT NULL DEFAULT 0 CHECK (active_steps >= 0),
    -- Steps complete or resolved manually. A finished task is complete when this equals total_steps.
    ADD COLUMN done_steps   integer NOT NULL DEFAULT 0 CHECK (done_steps >= 0);

UPDATE tasks t
   SET total_steps = c.total, active_steps = c.active, done_steps = c.done
  FROM (SELECT s.task_id,
               count(*) AS total,
               count(*) FILTER (WHERE s.state IN ('in_progress', 'waiting_for_retry')
                                   OR (s.state = 'pending' AND s.unmet_dependencies = 0)) AS active,
               count(*) FILTER (WHERE s.state IN ('complete', 'resolved_manually')) AS done
          FROM workflow_steps s
         GROUP BY s.task_id) c
 WHERE t.task_id = c.task_id;

-- 2. A task row changes state twice and its counters once per step: with no index on the columns
-- that change and room left on each page, those are HOT updates (no index entry written).
DROP INDEX tasks_active_idx;
ALTER TABLE tasks SET (fillfactor = 60);

-- 3. A batch keeps its current state on its own row, like tasks and steps.
ALTER TABLE step_execution_batches ADD COLUMN state text NOT NULL DEFAULT 'published'
    CHECK (state IN ('created', 'published', 'executing', 'completed', 'failed', 'timeout', 'cancelled'));
UPDATE step_execution_batches b
   SET state = tr.to_state
  FROM step_execution_batch_transitions tr
 WHERE tr.batch_id = b.batch_id AND tr.most_recent;

-- 4. Transitions are history: appended, never updated. An entity's current state is its own row's
-- state column, and its latest transition is the one with the highest sort_key, which the primary
-- key (entity, sort_key) makes unique. The most_recent flag, its partial unique index and the
-- surrogate id cost a second row version and three index entries per transition.
ALTER TABLE task_transitions DROP CONSTRAINT task_transitions_pkey;
ALTER TABLE task_transitions DROP COLUMN transition_id, DROP COLUMN most_recent;
ALTER TABLE task_transitions DROP CONSTRAINT task_transitions_task_id_sort_key_key;
ALTER TABLE task_transitions ADD PRIMARY KEY (task_id, sort_key);

ALTER TABLE workflow_step_transitions DROP CONSTRAINT workflow_step_transitions_pkey;
ALTER TABLE workflow_step_transitions DROP COLUMN transition_id, DROP COLUMN most_recent;
ALTER TABLE workflow_step_transitions DROP CONSTRAINT workflow_step_transitions_step_id_sort_key_key;
ALTER TABLE workflow_step_transitions ADD PRIMARY KEY (step_id, sort_key);

ALTER TABLE step_execution_batch_transitions DROP CONSTRAINT step_execution_batch_transitions_pkey;
ALTER TABLE step_execution_batch_transitions DROP COLUMN transition_id, DROP COLUMN most_recent;
ALTER TABLE step_execution_batch_transitions DROP CONSTRAINT step_execution_batch_transitions_batch_id_sort_key_key;
ALTER TABLE step_execution_batch_transitions ADD PRIMARY KEY (batch_id, sort_key);

-- Each entity's latest transition, for people and reports.
CREATE VIEW current_task_transitions AS
    SELECT DISTINCT ON (task_id) * FROM task_transitions ORDER BY task_id, sort_key DESC;
CREATE VIEW current_workflow_step_transitions AS
    SELECT DISTINCT ON (step_id) * FROM workflow_step_transitions ORDER BY step_id, sort_key DESC;
CREATE VIEW current_step_execution_batch_transitions AS
    SELECT DISTINCT ON (batch_id) * FROM step_execution_batch_transitions ORDER BY batch_id, sort_key DESC;

-- 5. History and membership rows are written only by the statement that changes their entity, from
-- the rows that statement has just written, and nothing deletes tasks: their foreign keys proved
-- nothing the statement did not know, at a trigger and a key-share lock per row (the largest single
-- cost of a transition). The ledger never had any. Foreign keys stay where rows come from outside
-- input (steps, edges, dead letters, discrepancies).
ALTER TABLE task_transitions DROP CONSTRAINT task_transitions_task_id_fkey;
ALTER TABLE workflow_step_transitions DROP CONSTRAINT workflow_step_transitions_step_id_fkey;
ALTER TABLE step_execution_batch_transitions DROP CONSTRAINT step_execution_batch_transitions_batch_id_fkey;
ALTER TABLE step_execution_batch_steps DROP CONSTRAINT step_execution_batch_steps_batch_id_fkey;
ALTER TABLE step_execution_batch_steps DROP CONSTRAINT step_execution_batch_steps_step_id_fkey;

-- 6. The ledger keeps each message's body as the text it arrived as (json keeps the text, checked
-- to be JSON): nothing reads inside it on the hot path, and decomposing it into jsonb (parsing
-- every number, sorting every object's keys) was the largest single cost of storing a result.
ALTER TABLE step_execution_batch_received_results ALTER COLUMN raw_message TYPE json USING raw_message::json;

-- 7. Keys compared byte by byte: identifiers and digests, whose order means nothing, under the "C"
-- collation (a locale-aware comparison costs several times more on every index insert and lookup).
ALTER TABLE tasks ALTER COLUMN identity_hash TYPE text COLLATE "C";
ALTER TABLE workflow_steps ALTER COLUMN name TYPE text COLLATE "C",
                           ALTER COLUMN handler TYPE text COLLATE "C";

-- 8. Fewer index entries per row written: the ledger is keyed by batch and arrival, which is how it
-- is read (a step's messages: its batches from step_execution_batch_steps, then those batches'),
-- and a batch step's position is unique by construction.
ALTER TABLE step_execution_batch_received_results DROP CONSTRAINT step_execution_batch_received_results_pkey;
DROP INDEX step_execution_batch_received_results_batch_idx;
DROP INDEX step_execution_batch_received_results_step_idx;
ALTER TABLE step_execution_batch_received_results ADD PRIMARY KEY (batch_id, result_id);
ALTER TABLE step_execution_batch_steps DROP CONSTRAINT step_execution_batch_steps_batch_id_sequence_order_key;

-- 9. A running attempt's deadline is set only while it runs, and the index covers exactly those:
-- with the state in its predicate, statements that change steps known to be in progress (by key)
-- could plan to read every running step from it instead.
UPDATE workflow_steps SET attempt_deadline = NULL WHERE state <> 'in_progress' AND attempt_deadline IS NOT NULL;
DROP INDEX workflow_steps_attempt_deadline_idx;
CREATE INDEX workflow_steps_attempt_deadline_idx ON workflow_steps (attempt_deadline)
    WHERE attempt_deadline IS NOT NULL;
