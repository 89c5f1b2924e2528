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
-- A run starts at an active minute with no other one within the idle gap before it
-- (whole minutes: a gap of d minutes splits when d * 60 > idle_gap_seconds) and ends at
-- the last active minute before the next run starts: rowid probes on active_minutes
-- (integer minutes) rather than window functions over every minute.
WITH cfg AS (SELECT CAST(coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'idle_gap_seconds'), 300) / 60 AS INTEGER) AS gap),
     starts AS (SELECT m.minute FROM active_minutes m, cfg
                 WHERE NOT EXISTS (SELECT 1 FROM active_minutes p WHERE p.minute < m.minute AND p.minute >= m.minute - cfg.gap)),
     runs AS (SELECT minute AS s, lead(minute, 1, 9e18) OVER (ORDER BY minute) AS next_start FROM starts),
     e AS (SELECT s, (SELECT max(p.minute) FROM active_minutes p WHERE p.minute < next_start) AS e FROM runs)
SELECT strftime('%Y-%m-%dT%H:%M', s * 60, 'unixepoch') AS started_at,
       strftime('%Y-%m-%dT%H:%M', e * 60, 'unixepoch') AS ended_at,
       date(s * 60, 'unixepoch', 'localtime') AS day,
       max(60, (e - s) * 60) AS active_seconds
  FROM e;
