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
-- active_seconds  time between activity events no further apart than the idle gap
-- first_at        first request (UTC)
-- last_at         last request (UTC)
-- model_breakdown  JSON object: model -> priced cost in USD
DROP VIEW IF EXISTS dashboard;
CREATE VIEW dashboard AS
SELECT total(cost_usd) AS cost_usd, sum(unpriced_tokens) AS unpriced_tokens,
       (SELECT group_concat(DISTINCT model) FROM usage WHERE cost_usd IS NULL) AS unpriced_models,
       count(*) AS requests, count(DISTINCT agent || ':' || session_id) AS sessions,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_tokens) AS cache_read_tokens,
       sum(cache_write_5m_tokens + cache_write_1h_tokens) AS cache_write_tokens,
       sum(total_tokens) AS total_tokens,
       (SELECT CAST(round(total(active_seconds)) AS INTEGER) FROM activity) AS active_seconds,
       min(timestamp) AS first_at, max(timestamp) AS last_at,
       (SELECT json_group_object(model, round(c, 6)) FROM
          (SELECT model, total(cost_usd) AS c FROM usage GROUP BY model ORDER BY c DESC)) AS model_breakdown
  FROM usage_local;
