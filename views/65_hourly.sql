-- hourly: when do I code most: per local weekday and hour of day.
-- weekday         0 Sunday ... 6 Saturday
-- hour            local hour, 0-23
-- requests        billed requests
-- total_tokens    all five token buckets
-- cost_usd        priced cost
-- active_minutes  minutes with any activity
DROP VIEW IF EXISTS hourly;
CREATE VIEW hourly AS
-- Requests (from buckets_local) and active minutes go through one GROUP BY, rather than
-- a join of two grouped halves on a key list.
WITH -- minutes counted per UTC quarter hour first: every zone offset is a whole number of
     -- quarter hours, so a quarter hour falls in one local hour, and is converted once
     q AS (SELECT datetime(minute / 15 * 900, 'unixepoch', 'localtime') AS lt, count(*) AS n
             FROM active_minutes GROUP BY minute / 15),
     r AS (SELECT CAST(strftime('%w', local_time) AS INTEGER) AS weekday, hour, requests, total_tokens,
                  priced_cost_usd AS cost_usd, 0 AS active_minutes
             FROM buckets_local WHERE local_time IS NOT NULL
           UNION ALL
           SELECT CAST(strftime('%w', lt) AS INTEGER), CAST(strftime('%H', lt) AS INTEGER), 0, 0, 0, n FROM q)
SELECT weekday, hour, sum(requests) AS requests, sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd,
       sum(active_minutes) AS active_minutes
  FROM r GROUP BY weekday, hour;
