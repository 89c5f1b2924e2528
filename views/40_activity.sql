-- activity: every activity event (a request or a transcript record) with the gap to the
-- previous one, over all agents: the base of active time. A gap counts as active when
-- it is at most lumo_settings idle_gap_seconds (default 300).
-- timestamp       UTC instant
-- day             local day
-- session_id      session of the event
-- gap_seconds     seconds since the previous event (NULL for the first)
-- active_seconds  gap_seconds when it is at most the idle gap, else 0
DROP VIEW IF EXISTS activity;
CREATE VIEW activity AS
SELECT timestamp, date(timestamp, 'localtime') AS day, session_id, gap_seconds,
       CASE WHEN gap_seconds <= coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'idle_gap_seconds'), 300)
            THEN gap_seconds ELSE 0 END AS active_seconds
  FROM (SELECT timestamp, session_id,
               (julianday(timestamp) - julianday(lag(timestamp) OVER (ORDER BY timestamp))) * 86400 AS gap_seconds
          FROM messages WHERE timestamp IS NOT NULL);
