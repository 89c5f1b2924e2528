-- efficiency: is caching working, and what does an hour or a session cost.
-- cache_hit_rate  cache_read / (input + cache_read + cache writes), 0-1
-- cost_per_session  priced cost / sessions
-- cost_per_active_hour  priced cost / active hours
-- cost_per_1k_tokens  priced cost per thousand tokens of priced requests
-- active_hours    active time in hours (the active_time view)
DROP VIEW IF EXISTS efficiency;
CREATE VIEW efficiency AS
WITH a AS (SELECT active_seconds AS secs FROM active_time),
     t AS (SELECT sum(cache_read_tokens) AS cr, sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS prompt,
                  sum(priced_cost_usd) AS usd,
                  sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) - sum(unpriced_tokens) AS priced_tokens
             FROM usage_buckets)
SELECT 1.0 * t.cr / nullif(t.prompt, 0) AS cache_hit_rate,
       t.usd / nullif((SELECT count(*) FROM session_totals), 0) AS cost_per_session,
       t.usd / nullif(a.secs / 3600.0, 0) AS cost_per_active_hour,
       1000.0 * t.usd / nullif(t.priced_tokens, 0) AS cost_per_1k_tokens,
       a.secs / 3600.0 AS active_hours
  FROM t, a;
