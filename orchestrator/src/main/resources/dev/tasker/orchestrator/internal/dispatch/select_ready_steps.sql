-- Ready steps (pending, every dependency done) for each handler up to its quota, highest priority
-- first, then oldest (UUIDv7 ids sort by creation time). SKIP LOCKED: rows another transaction is
-- claiming or changing are left to it instead of waiting, so concurrent claimers never block or
-- take a step twice.
SELECT c.step_id, h.handler
  FROM unnest(?::text[], ?::int4[]) AS h(handler, quota)
 CROSS JOIN LATERAL (
       SELECT s.step_id
         FROM tasker.workflow_steps s
        WHERE s.handler = h.handler
          AND s.state = 'pending'
          AND s.unmet_dependencies = 0
        ORDER BY s.priority DESC, s.step_id
        LIMIT h.quota
          FOR UPDATE SKIP LOCKED) c
