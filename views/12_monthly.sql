-- monthly: one row per local month, agent and model (local time from TZ, via buckets_local).
-- month           local month, YYYY-MM
-- agent           claude, codex, gemini, opencode
-- model           model as logged
-- requests        billed requests
-- input_tokens    uncached input
-- output_tokens   output, reasoning included
-- cache_read_tokens      cache reads
-- cache_write_5m_tokens  5-minute cache writes
-- cache_write_1h_tokens  1-hour cache writes
-- total_tokens    all five buckets
-- cost_usd        sum of cost_usd; NULL when any request of the row is unpriced
-- priced_cost_usd  sum of the priced requests only
-- unpriced_tokens  tokens of requests without a price
DROP VIEW IF EXISTS monthly;
CREATE VIEW monthly AS
SELECT month, agent, model, sum(requests) AS requests,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_5m_tokens) AS cache_write_5m_tokens,
       sum(cache_write_1h_tokens) AS cache_write_1h_tokens, sum(total_tokens) AS total_tokens,
       CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd,
       sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens
  FROM buckets_local GROUP BY month, agent, model;
