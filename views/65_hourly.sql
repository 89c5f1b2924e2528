-- hourly: when do I code most: per local weekday and hour of day.
-- weekday         0 Sunday ... 6 Saturday
-- hour            local hour, 0-23
-- requests        billed requests
-- total_tokens    all five token buckets
-- cost_usd        priced cost
-- active_minutes  minutes with any activity
DROP VIEW IF EXISTS hourly;
CREATE VIEW hourly AS
WITH u AS (SELECT CAST(strftime('%w', local_time) AS INTEGER) AS weekday, hour, sum(requests) AS requests,
                  sum(total_tokens) AS total_tokens, sum(priced_cost_usd) AS cost_usd
             FROM buckets_local WHERE local_time IS NOT NULL GROUP BY 1, 2),
     a AS (SELECT CAST(strftime('%w', minute, 'localtime') AS INTEGER) AS weekday,
                  CAST(strftime('%H', minute, 'localtime') AS INTEGER) AS hour, count(*) AS active_minutes
             FROM activity_minutes GROUP BY 1, 2),
     k AS (SELECT weekday, hour FROM u UNION SELECT weekday, hour FROM a)
SELECT k.weekday, k.hour, coalesce(u.requests, 0) AS requests, coalesce(u.total_tokens, 0) AS total_tokens,
       coalesce(u.cost_usd, 0) AS cost_usd, coalesce(a.active_minutes, 0) AS active_minutes
  FROM k LEFT JOIN u USING (weekday, hour) LEFT JOIN a USING (weekday, hour);
