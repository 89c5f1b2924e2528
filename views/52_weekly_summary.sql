-- weekly_summary: this week against last week (local weeks, lumo_settings week_start).
-- week            'this' or 'last'
-- week_start      local date the week starts
-- sessions        sessions with requests in the week
-- requests        billed requests
-- cost_usd        priced cost
-- active_seconds  active time
-- cost_delta_usd  this week minus last week (on the 'this' row)
-- sessions_delta  this week minus last week (on the 'this' row)
DROP VIEW IF EXISTS weekly_summary;
CREATE VIEW weekly_summary AS
WITH ws AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1) AS d),
     cur AS (SELECT date('now', 'localtime', '-' || ((CAST(strftime('%w', 'now', 'localtime') AS INTEGER) + 7 - ws.d) % 7) || ' days') AS s FROM ws),
     weeks AS (SELECT 'this' AS week, s AS week_start FROM cur UNION ALL SELECT 'last', date(s, '-7 days') FROM cur),
     bounds AS (SELECT week, week_start, strftime('%Y-%m-%dT%H:%M:%SZ', week_start, 'utc') AS from_utc,
                       strftime('%Y-%m-%dT%H:%M:%SZ', week_start, '+7 days', 'utc') AS to_utc FROM weeks),
     agg AS (SELECT w.week, w.week_start,
                    (SELECT count(DISTINCT agent || ':' || session_id) FROM usage u
                      WHERE u.timestamp >= w.from_utc AND u.timestamp < w.to_utc) AS sessions,
                    (SELECT total(requests) FROM usage_buckets b WHERE b.bucket >= w.from_utc AND b.bucket < w.to_utc) AS requests,
                    (SELECT total(priced_cost_usd) FROM usage_buckets b WHERE b.bucket >= w.from_utc AND b.bucket < w.to_utc) AS cost_usd,
                    (SELECT total(active_seconds) FROM activity a
                      WHERE a.started_at >= substr(w.from_utc, 1, 16) AND a.started_at < substr(w.to_utc, 1, 16)) AS active_seconds
               FROM bounds w)
SELECT a.*, CASE WHEN a.week = 'this' THEN a.cost_usd - l.cost_usd END AS cost_delta_usd,
       CASE WHEN a.week = 'this' THEN a.sessions - l.sessions END AS sessions_delta
  FROM agg a, agg l WHERE l.week = 'last';
