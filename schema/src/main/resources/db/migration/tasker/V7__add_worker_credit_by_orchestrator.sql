-- A worker with sessions to several orchestrators splits its credit among them: HELLO announces a
-- provisional share, CREDIT messages set the real one, and each orchestrator knows only its own.
-- Each records its share here, {"<orchestrator_id>": credit}, on HELLO and then every heartbeat;
-- concurrency becomes the sum over the orchestrators alive (the worker's credit), no longer the
-- last HELLO's share.
ALTER TABLE workers ADD COLUMN credit_by_orchestrator jsonb NOT NULL DEFAULT '{}';
