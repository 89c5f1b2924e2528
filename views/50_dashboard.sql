-- dashboard: one row: the totals a dashboard opens with.
-- cost_usd        priced cost of all requests
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
-- unpriced_models  models without a price, comma-separated
-- requests        billed requests
-- sessions        sessions
-- input_tokens    uncached input
-- output_tokens   output, reasoning included
-- cache_read_tokens  cache reads
-- cache_write_tokens  cache writes, both TTLs
-- total_tokens    all five buckets
-- active_seconds  active time (the active_time view: Claude Code telemetry where present, else transcript activity)
-- active_time_source  telemetry, telemetry+transcripts or transcripts
-- first_at        first request (UTC)
-- last_at         last request (UTC)
-- model_breakdown  JSON object: model -> priced cost in USD
DROP VIEW IF EXISTS dashboard;
CREATE VIEW dashboard AS
WITH totals AS (
  SELECT sum(priced_cost_usd) AS cost_usd, sum(unpriced_tokens) AS unpriced_tokens,
         (SELECT group_concat(DISTINCT nullif(model, '')) FROM usage_buckets WHERE priced_requests < requests) AS unpriced_models,
         sum(requests) AS requests, (SELECT count(*) FROM session_totals) AS sessions,
         sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
         sum(cache_read_tokens) AS cache_read_tokens,
         sum(cache_write_5m_tokens + cache_write_1h_tokens) AS cache_write_tokens,
         sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS total_tokens
    FROM usage_buckets)
-- active_time is read once (it always has one row)
SELECT t.cost_usd, t.unpriced_tokens, t.unpriced_models, t.requests, t.sessions, t.input_tokens, t.output_tokens,
       t.cache_read_tokens, t.cache_write_tokens, t.total_tokens,
       a.active_seconds, a.source AS active_time_source,
       (SELECT min(timestamp) FROM usage) AS first_at, (SELECT max(timestamp) FROM usage) AS last_at,
       (SELECT json_group_object(model, round(c, 6)) FROM
          (SELECT nullif(model, '') AS model, sum(priced_cost_usd) AS c FROM usage_buckets GROUP BY model ORDER BY c DESC)) AS model_breakdown
  FROM totals t, active_time a;
