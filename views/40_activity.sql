-- activity: the UTC minutes with activity (any transcript record of any agent), with the
-- gap to the previous one: the base of active time. A gap counts as active when it is
-- at most lumo_settings idle_gap_seconds (default 300); resolution is one minute.
-- minute          UTC minute, YYYY-MM-DDTHH:MM
-- day             local day of the minute
-- gap_seconds     seconds since the previous active minute (NULL for the first)
-- active_seconds  gap_seconds when it is at most the idle gap, else 0
DROP VIEW IF EXISTS activity;
CREATE VIEW activity AS
SELECT minute, date(minute, 'localtime') AS day, gap_seconds,
       CASE WHEN gap_seconds <= coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'idle_gap_seconds'), 300)
            THEN gap_seconds ELSE 0 END AS active_seconds
  FROM (SELECT minute, CAST(round((julianday(minute) - julianday(lag(minute) OVER (ORDER BY minute))) * 86400) AS INTEGER) AS gap_seconds
          FROM activity_minutes);
