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
     agg AS (SELECT w.week, w.week_start,
                    (SELECT count(DISTINCT agent || ':' || session_id) FROM usage_local u WHERE u.week_start = w.week_start) AS sessions,
                    (SELECT count(*) FROM usage_local u WHERE u.week_start = w.week_start) AS requests,
                    (SELECT total(cost_usd) FROM usage_local u WHERE u.week_start = w.week_start) AS cost_usd,
                    (SELECT CAST(round(total(active_seconds)) AS INTEGER) FROM activity a
                      WHERE a.day >= w.week_start AND a.day < date(w.week_start, '+7 days')) AS active_seconds
               FROM weeks w)
SELECT a.*, CASE WHEN a.week = 'this' THEN a.cost_usd - l.cost_usd END AS cost_delta_usd,
       CASE WHEN a.week = 'this' THEN a.sessions - l.sessions END AS sessions_delta
  FROM agg a, agg l WHERE l.week = 'last';
