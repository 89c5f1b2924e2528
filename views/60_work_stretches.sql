-- work_stretches: runs of activity (any agent) without a break; a break is a gap of at
-- least lumo_settings rest_gap_minutes (default 15) between active minutes.
-- stretch         1-based number, in time order
-- started_at      UTC minute the stretch started
-- ended_at        UTC minute of its last activity
-- minutes         ended_at - started_at, in minutes
-- level           highest rest level reached: rested, heads_up (from rest_heads_up_minutes, default 60) or take_a_break (from rest_break_minutes, default 120)
DROP VIEW IF EXISTS work_stretches;
CREATE VIEW work_stretches AS
WITH cfg AS (SELECT coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_gap_minutes'), 15) AS gap,
                    coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_heads_up_minutes'), 60) AS heads_up,
                    coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_break_minutes'), 120) AS brk),
     m AS (SELECT minute, julianday(minute) AS j, julianday(minute) - lag(julianday(minute)) OVER (ORDER BY minute) AS dj
             FROM activity_minutes),
     g AS (SELECT minute, j, sum(CASE WHEN dj * 1440 >= cfg.gap THEN 1 ELSE 0 END) OVER (ORDER BY minute ROWS UNBOUNDED PRECEDING) + 1 AS stretch
             FROM m, cfg)
SELECT stretch, min(minute) AS started_at, max(minute) AS ended_at,
       CAST(round((max(j) - min(j)) * 1440) AS INTEGER) AS minutes,
       CASE WHEN (max(j) - min(j)) * 1440 >= cfg.brk THEN 'take_a_break'
            WHEN (max(j) - min(j)) * 1440 >= cfg.heads_up THEN 'heads_up' ELSE 'rested' END AS level
  FROM g, cfg GROUP BY stretch;
