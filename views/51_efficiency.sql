-- efficiency: is caching working, and what does an hour or a session cost.
-- cache_hit_rate  cache_read / (input + cache_read + cache writes), 0-1
-- cost_per_session  priced cost / sessions
-- cost_per_active_hour  priced cost / active hours
-- cost_per_1k_tokens  priced cost per thousand tokens of priced requests
-- active_hours    active time in hours
DROP VIEW IF EXISTS efficiency;
CREATE VIEW efficiency AS
SELECT 1.0 * sum(cache_read_tokens) / nullif(sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens), 0) AS cache_hit_rate,
       total(cost_usd) / nullif(count(DISTINCT agent || ':' || session_id), 0) AS cost_per_session,
       total(cost_usd) / nullif((SELECT total(active_seconds) FROM activity) / 3600.0, 0) AS cost_per_active_hour,
       1000.0 * total(cost_usd) / nullif(sum(CASE WHEN cost_usd IS NOT NULL THEN total_tokens END), 0) AS cost_per_1k_tokens,
       (SELECT total(active_seconds) FROM activity) / 3600.0 AS active_hours
  FROM usage_local;
