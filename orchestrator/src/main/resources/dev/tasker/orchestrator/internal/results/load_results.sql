-- What results are decided against, in one statement. Parameters: the (batch, step) pairs that
-- partial results name, and the batches that completions name. Rows by kind:
--   batch:    batch_id, worker_id (text1), current state (text2), step_count (int1)
--   member:   batch_id, step_id, attempt (int1): the named steps, and every step of a completed batch
--   step:     step_id, task_id, state (text1), handler (text2, for metrics), attempts, max_attempts,
--             retryable, backoff base and maximum, whether it is locked, kind (text3), backoff (text4)
--   reported: batch_id, step_id, status (text1): terminal statuses partial results already
--             reported for a completed batch, for reconciliation
-- Locked (in id order, so concurrent lockers cannot deadlock) are the batches named, the steps
-- named and the steps of completed batches still in progress: the only ones a decision can change. A step of a completed
-- batch that is neither is read only when no partial result reported it (reconciliation may need
-- it), and not locked. Every lookup is by key (a lateral subquery kept apart with OFFSET 0, or
-- = ANY of an array), so that the cached plan does not scan a table however small it was when the
-- plan was made.
WITH named AS (
    SELECT * FROM unnest(?::uuid[], ?::uuid[]) AS n(batch_id, step_id)
),
completed AS (
    SELECT DISTINCT * FROM unnest(?::uuid[]) AS c(batch_id)
),
members AS (
    SELECT m.batch_id, m.step_id, m.attempt
      FROM named n
     CROSS JOIN LATERAL (SELECT bs.batch_id, bs.step_id, bs.attempt
                           FROM tasker.step_execution_batch_steps bs
                          WHERE bs.batch_id = n.batch_id AND bs.step_id = n.step_id OFFSET 0) m
    UNION
    SELECT m.batch_id, m.step_id, m.attempt
      FROM completed c
     CROSS JOIN LATERAL (SELECT bs.batch_id, bs.step_id, bs.attempt
                           FROM tasker.step_execution_batch_steps bs
                          WHERE bs.batch_id = c.batch_id OFFSET 0) m
),
reported AS (
    SELECT DISTINCT ON (r.batch_id, r.step_id) r.batch_id, r.step_id, r.status
      FROM completed c
     CROSS JOIN LATERAL (SELECT x.batch_id, x.step_id, x.status, x.result_id
                           FROM tasker.step_execution_batch_received_results x
                          WHERE x.batch_id = c.batch_id
                            AND x.message_type = 'partial_result'
                            AND x.status IN ('completed', 'failed', 'checkpoint') OFFSET 0) r
     ORDER BY r.batch_id, r.step_id, r.result_id
),
locked AS (
    SELECT s.step_id, s.task_id, s.state, s.handler, s.attempts, s.max_attempts, s.retryable, s.backoff_base_ms,
           s.max_backoff_ms, s.kind, s.backoff
      FROM tasker.workflow_steps s
     WHERE s.step_id = ANY(ARRAY(SELECT step_id FROM members))
       AND (s.state = 'in_progress' OR s.step_id = ANY(ARRAY(SELECT step_id FROM named)))
     ORDER BY s.step_id
       FOR UPDATE
)
SELECT 'batch' AS kind, k.batch_id, NULL::uuid AS step_id, NULL::uuid AS task_id, b.worker_id AS text1,
       b.state AS text2, b.step_count AS int1, NULL::int4 AS int2, NULL::bool AS bool1,
       NULL::int8 AS long1, NULL::int8 AS long2, NULL::bool AS locked, NULL::text AS text3, NULL::text AS text4
  FROM (SELECT batch_id FROM named UNION SELECT batch_id FROM completed ORDER BY batch_id) k
 CROSS JOIN LATERAL (SELECT worker_id, step_count, state FROM tasker.step_execution_batches
                      WHERE batch_id = k.batch_id
                        FOR UPDATE) b
UNION ALL
SELECT 'member', batch_id, step_id, NULL, NULL, NULL, attempt, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM members
UNION ALL
SELECT 'step', NULL, step_id, task_id, state, handler, attempts, max_attempts, retryable, backoff_base_ms,
       max_backoff_ms, true, kind, backoff
  FROM locked
UNION ALL
SELECT 'step', NULL, s.step_id, s.task_id, s.state, s.handler, s.attempts, s.max_attempts, s.retryable,
       s.backoff_base_ms, s.max_backoff_ms, false, s.kind, s.backoff
  FROM tasker.workflow_steps s
 WHERE s.step_id = ANY(ARRAY(
         SELECT m.step_id FROM members m
          WHERE m.batch_id IN (SELECT batch_id FROM completed)
            AND (m.batch_id, m.step_id) NOT IN (SELECT batch_id, step_id FROM reported)
            AND m.step_id NOT IN (SELECT step_id FROM locked)))
UNION ALL
SELECT 'reported', batch_id, step_id, NULL, status, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM reported
