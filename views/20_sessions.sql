-- sessions: one row per agent session.
-- agent           agent
-- session_id      session id
-- project         project of the session (first cwd's last component)
-- machine         machine(s) the rows were synced on, comma-separated
-- started_at      first request (UTC)
-- ended_at        last request (UTC)
-- duration_seconds  ended_at - started_at
-- requests        billed requests
-- messages        transcript records (user, assistant, system, summary)
-- total_tokens    all five token buckets
-- cost_usd        NULL when any request is unpriced
-- models          models used, comma-separated
-- low_confidence  requests whose output count looks like a streaming placeholder
DROP VIEW IF EXISTS sessions;
CREATE VIEW sessions AS
SELECT u.agent, u.session_id, max(u.project) AS project, group_concat(DISTINCT u.machine) AS machine,
       min(u.timestamp) AS started_at, max(u.timestamp) AS ended_at,
       CAST(round((julianday(max(u.timestamp)) - julianday(min(u.timestamp))) * 86400) AS INTEGER) AS duration_seconds,
       count(*) AS requests,
       (SELECT count(*) FROM messages m WHERE m.agent = u.agent AND m.session_id = u.session_id) AS messages,
       sum(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens) AS total_tokens,
       CASE WHEN count(u.cost_usd) = count(*) THEN sum(u.cost_usd) END AS cost_usd,
       group_concat(DISTINCT u.model) AS models,
       sum(u.confidence = 'low') AS low_confidence
  FROM usage u GROUP BY u.session_id, u.agent;
