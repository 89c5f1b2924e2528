-- hourly: when do I code most: per local weekday and hour of day.
-- weekday         0 Sunday ... 6 Saturday
-- hour            local hour, 0-23
-- requests        billed requests
-- total_tokens    all five token buckets
-- cost_usd        sum of cost_usd; NULL when any request of the row is unpriced
-- active_minutes  minutes with any activity
-- priced_cost_usd  sum of the priced requests only
-- unpriced_tokens  tokens of requests without a price
DROP VIEW IF EXISTS hourly;
CREATE VIEW hourly AS
-- Requests (from buckets_local) and active minutes go through one GROUP BY, rather than
-- a join of two grouped halves on a key list.
WITH -- minutes counted per UTC quarter hour first: every zone offset is a whole number of
     -- quarter hours, so a quarter hour falls in one local hour, and is converted once
     q AS (SELECT datetime(minute / 15 * 900, 'unixepoch', 'localtime') AS lt, count(*) AS n
             FROM active_minutes GROUP BY minute / 15),
     r AS (SELECT CAST(strftime('%w', local_time) AS INTEGER) AS weekday, hour, requests, priced_requests,
                  total_tokens, priced_cost_usd, unpriced_tokens, 0 AS active_minutes
             FROM buckets_local WHERE local_time IS NOT NULL
           UNION ALL
           SELECT CAST(strftime('%w', lt) AS INTEGER), CAST(strftime('%H', lt) AS INTEGER), 0, 0, 0, 0, 0, n FROM q)
SELECT weekday, hour, sum(requests) AS requests, sum(total_tokens) AS total_tokens,
       CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd,
       sum(active_minutes) AS active_minutes, sum(priced_cost_usd) AS priced_cost_usd,
       sum(unpriced_tokens) AS unpriced_tokens
  FROM r GROUP BY weekday, hour;
