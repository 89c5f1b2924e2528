-- work_stretches: runs of activity (any agent) without a break; a break is a gap of at
-- least lumo_settings rest_gap_minutes (default 15) between active minutes.
-- stretch         1-based number, in time order
-- started_at      UTC minute the stretch started
-- ended_at        UTC minute of its last activity
-- minutes         ended_at - started_at, in minutes
-- level           highest rest level reached: rested, heads_up (from rest_heads_up_minutes, default 60) or take_a_break (from rest_break_minutes, default 120)
DROP VIEW IF EXISTS work_stretches;
CREATE VIEW work_stretches AS
-- Minutes are whole, so "a gap of at least G minutes before it" is "no active minute in
-- the G - 1 minutes before it" (G rounded up to a whole minute): one rowid probe per
-- active minute finds the stretch starts, and one per stretch its end. Exact integer
-- minutes (julianday differences once made some gaps of exactly 15 minutes 14.9999998).
WITH cfg AS (SELECT CAST(g AS INTEGER) + (g > CAST(g AS INTEGER)) AS gap, heads_up, brk
               FROM (SELECT coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_gap_minutes'), 15) AS g,
                            coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_heads_up_minutes'), 60) AS heads_up,
                            coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_break_minutes'), 120) AS brk)),
     starts AS (SELECT m.minute FROM active_minutes m, cfg
                 WHERE NOT EXISTS (SELECT 1 FROM active_minutes p WHERE p.minute < m.minute AND p.minute > m.minute - cfg.gap)),
     -- a stretch ends at the last active minute before the next one starts
     numbered AS (SELECT row_number() OVER (ORDER BY minute) AS stretch, minute AS s,
                         lead(minute, 1, 9e18) OVER (ORDER BY minute) AS next_start
                    FROM starts),
     e AS (SELECT stretch, s, (SELECT max(p.minute) FROM active_minutes p WHERE p.minute < next_start) AS e
             FROM numbered)
SELECT stretch, strftime('%Y-%m-%dT%H:%M', s * 60, 'unixepoch') AS started_at,
       strftime('%Y-%m-%dT%H:%M', e * 60, 'unixepoch') AS ended_at, e - s AS minutes,
       CASE WHEN e - s >= cfg.brk THEN 'take_a_break' WHEN e - s >= cfg.heads_up THEN 'heads_up' ELSE 'rested' END AS level
  FROM e, cfg;
