INSERT INTO tasker.step_execution_batch_discrepancies (batch_id, step_id, kind, detail)
SELECT x.batch_id, x.step_id, x.kind, x.detail::jsonb
  FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[]) AS x(batch_id, step_id, kind, detail)
