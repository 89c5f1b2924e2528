-- models: model comparison over all time.
-- agent           agent
-- model           model as logged
-- requests        billed requests
-- total_tokens    all five buckets
-- cost_usd        NULL when the model is unpriced
-- share_of_cost   this model's share of all priced cost, 0-1
-- cost_per_1k_tokens  cost per thousand tokens
-- cache_hit_rate  cache_read / (input + cache_read + cache writes)
-- priced_cost_usd  cost of the priced requests (cost_usd without the NULL rule)
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
DROP VIEW IF EXISTS models;
CREATE VIEW models AS
SELECT agent, model, sum(requests) AS requests, sum(total_tokens) AS total_tokens,
       CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd,
       sum(priced_cost_usd) / nullif((SELECT sum(priced_cost_usd) FROM usage_buckets), 0) AS share_of_cost,
       CASE WHEN sum(priced_requests) = sum(requests) THEN 1000.0 * sum(priced_cost_usd) / nullif(sum(total_tokens), 0) END AS cost_per_1k_tokens,
       1.0 * sum(cache_read_tokens) / nullif(sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens), 0) AS cache_hit_rate,
       sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens
  FROM buckets_local GROUP BY agent, model;
