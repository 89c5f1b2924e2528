-- sessions: one row per agent session.
-- agent           agent
-- session_id      session id
-- project         project of the session (first cwd's last component)
-- machine         machine of the first request stored for the session
-- started_at      first request (UTC)
-- ended_at        last request (UTC)
-- duration_seconds  ended_at - started_at
-- requests        billed requests
-- messages        transcript records (user, assistant, system, summary)
-- total_tokens    all five token buckets
-- cost_usd        NULL when any request is unpriced
-- models          models used, comma-separated
-- low_confidence  requests whose output count looks like a streaming placeholder
-- priced_cost_usd  cost of the priced requests (cost_usd without the NULL rule)
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
DROP VIEW IF EXISTS sessions;
CREATE VIEW sessions AS
SELECT s.agent, nullif(s.session_id, '') AS session_id, s.project,
       s.machine,
       s.started_at, s.ended_at,
       CAST(round((julianday(s.ended_at) - julianday(s.started_at)) * 86400) AS INTEGER) AS duration_seconds,
       s.requests,
       coalesce((SELECT c.messages FROM session_message_counts c
                  WHERE c.agent = s.agent AND c.session_id = s.session_id), 0) AS messages,
       s.total_tokens,
       CASE WHEN s.priced_requests = s.requests THEN s.priced_cost_usd END AS cost_usd,
       (SELECT group_concat(nullif(model, '')) FROM session_models sm
         WHERE sm.agent = s.agent AND sm.session_id = s.session_id) AS models,
       s.low_confidence, s.priced_cost_usd,
       -- only a session with an unpriced request reads its rows (by the session index)
       CASE WHEN s.priced_requests = s.requests THEN 0 ELSE
         (SELECT coalesce(sum(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_5m_tokens
                       + u.cache_write_1h_tokens), 0)
            FROM usage u WHERE u.session_id IS nullif(s.session_id, '') AND u.agent = s.agent AND u.cost_usd IS NULL)
       END AS unpriced_tokens
  FROM session_totals s;
