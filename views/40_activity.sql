-- activity: runs of activity (any transcript record of any agent, at one-minute
-- resolution): minutes no further apart than lumo_settings idle_gap_seconds (default
-- 300) are one run. Each run counts its span, at least 60 seconds: the same rule as
-- lumo_active_seconds(), so views and the function agree on minute-aligned events.
-- started_at      UTC minute the run started, YYYY-MM-DDTHH:MM
-- ended_at        UTC minute of its last activity
-- day             local day the run started
-- active_seconds  ended_at - started_at in seconds, at least 60
DROP VIEW IF EXISTS activity;
CREATE VIEW activity AS
WITH cfg AS (SELECT coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'idle_gap_seconds'), 300) AS gap),
     m AS (SELECT minute, julianday(minute) AS j, julianday(minute) - lag(julianday(minute)) OVER (ORDER BY minute) AS dj
             FROM activity_minutes),
     g AS (SELECT minute, j, sum(CASE WHEN round(dj * 86400) > cfg.gap THEN 1 ELSE 0 END)
                               OVER (ORDER BY minute ROWS UNBOUNDED PRECEDING) AS run
             FROM m, cfg)
SELECT min(minute) AS started_at, max(minute) AS ended_at, date(min(minute), 'localtime') AS day,
       max(60, CAST(round((max(j) - min(j)) * 86400) AS INTEGER)) AS active_seconds
  FROM g GROUP BY run;
