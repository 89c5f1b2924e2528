-- session_lengths: how long sessions last, in five buckets (first to last request).
-- length          <5m, 5-15m, 15-30m, 30-60m or 1h+
-- sessions        sessions in the bucket
-- cost_usd        their priced cost
DROP VIEW IF EXISTS session_lengths;
CREATE VIEW session_lengths AS
WITH b(ord, length, lo, hi) AS (VALUES (1, '<5m', 0, 300), (2, '5-15m', 300, 900), (3, '15-30m', 900, 1800),
                                       (4, '30-60m', 1800, 3600), (5, '1h+', 3600, 1e18))
SELECT b.length, count(s.session_id) AS sessions, total(s.cost_usd) AS cost_usd
  FROM b LEFT JOIN sessions s ON s.duration_seconds >= b.lo AND s.duration_seconds < b.hi
 GROUP BY b.ord ORDER BY b.ord;
