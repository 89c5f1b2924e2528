-- activity_heatmap: one row per local day of the last 365 days with activity.
-- day             local date
-- sessions        sessions that started that day
-- active_minutes  minutes with any activity
-- requests        billed requests
-- cost_usd        cost of the day's requests; NULL when any of them is unpriced
-- priced_cost_usd  cost of the priced requests only
-- unpriced_tokens  tokens of requests without a price
DROP VIEW IF EXISTS activity_heatmap;
CREATE VIEW activity_heatmap AS
WITH since AS (SELECT date('now', 'localtime', '-364 days') AS d),
     a AS (SELECT date(minute * 60, 'unixepoch', 'localtime') AS day, count(*) AS active_minutes FROM active_minutes
            WHERE minute >= unixepoch((SELECT d FROM since), 'utc') / 60 GROUP BY 1),
     s AS (SELECT date(started_at, 'localtime') AS day, count(*) AS sessions FROM session_totals GROUP BY 1),
     u AS (SELECT day, sum(requests) AS requests, sum(priced_requests) AS priced_requests,
                  sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens
             FROM buckets_local GROUP BY day)
SELECT a.day, coalesce(s.sessions, 0) AS sessions, a.active_minutes, coalesce(u.requests, 0) AS requests,
       CASE WHEN u.day IS NULL THEN 0 WHEN u.priced_requests = u.requests THEN u.priced_cost_usd END AS cost_usd,
       coalesce(u.priced_cost_usd, 0) AS priced_cost_usd, coalesce(u.unpriced_tokens, 0) AS unpriced_tokens
  FROM a LEFT JOIN s ON s.day = a.day LEFT JOIN u ON u.day = a.day;
