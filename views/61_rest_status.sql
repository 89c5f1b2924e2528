-- rest_status: one row: where you are now in the current work stretch, and hints from
-- your own pattern. If the latest activity is more than rest_gap_minutes ago you are
-- rested (0 minutes). Uses the clock ('now'), so it changes while you read it.
-- last_activity_at  UTC minute of the latest activity
-- minutes_since_activity  minutes since then
-- stretch_started_at  UTC minute the current stretch started (NULL when rested)
-- continuous_minutes  minutes of work without a break, up to now (0 when rested)
-- level           rested, heads_up or take_a_break
-- progress_percent  continuous_minutes / break threshold, capped at 100
-- minutes_to_next_level  minutes until heads_up or take_a_break (0 at take_a_break)
-- hints           comma-separated: night_owl (last activity at or after 23:00 local) or evening_coder (21:00), marathon (a stretch of 180+ minutes) or long_stretch (90+), long_sessions (average session over an hour), else healthy_rhythm
DROP VIEW IF EXISTS rest_status;
CREATE VIEW rest_status AS
WITH RECURSIVE
     cfg AS (SELECT coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_gap_minutes'), 15) AS gap,
                    coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_heads_up_minutes'), 60) AS heads_up,
                    coalesce((SELECT CAST(value AS REAL) FROM lumo_settings WHERE key = 'rest_break_minutes'), 120) AS brk),
     last AS (SELECT max(minute) AS m, strftime('%Y-%m-%dT%H:%M', max(minute) * 60, 'unixepoch') AS minute FROM active_minutes),
     -- the current stretch's start: walk back from the latest minute while the previous
     -- active minute is less than the gap (rounded up to whole minutes) before it
     back(m) AS (
       SELECT m FROM last
       UNION ALL
       SELECT (SELECT max(p.minute) FROM active_minutes p, cfg
                WHERE p.minute < back.m
                  AND p.minute > back.m - (CAST(cfg.gap AS INTEGER) + (cfg.gap > CAST(cfg.gap AS INTEGER))))
         FROM back WHERE back.m IS NOT NULL),
     -- minutes as unixepoch / 60: julianday('now') counts from 2440587.5 (1970-01-01)
     cur AS (SELECT last.minute AS last_minute, (julianday('now') - 2440587.5) * 1440 - last.m AS since,
                    (SELECT min(m) FROM back) AS started_m
               FROM last),
     st AS (SELECT cur.*, CASE WHEN cur.since > cfg.gap OR cur.last_minute IS NULL THEN 0
                               ELSE (julianday('now') - 2440587.5) * 1440 - cur.started_m END AS mins,
                    strftime('%Y-%m-%dT%H:%M', cur.started_m * 60, 'unixepoch') AS started, cfg.*
              FROM cur, cfg),
     longest AS (SELECT max(minutes) AS minutes FROM work_stretches),
     hints AS (SELECT
       CASE WHEN CAST(strftime('%H', (SELECT minute FROM last), 'localtime') AS INTEGER) >= 23 THEN 'night_owl'
            WHEN CAST(strftime('%H', (SELECT minute FROM last), 'localtime') AS INTEGER) >= 21 THEN 'evening_coder' END AS late,
       CASE WHEN longest.minutes >= 180 THEN 'marathon' WHEN longest.minutes >= 90 THEN 'long_stretch' END AS long,
       CASE WHEN (SELECT avg(duration_seconds) FROM sessions) > 3600 THEN 'long_sessions' END AS sess
       FROM longest)
SELECT st.last_minute AS last_activity_at, CAST(round(st.since) AS INTEGER) AS minutes_since_activity,
       CASE WHEN st.mins > 0 THEN st.started END AS stretch_started_at,
       CAST(round(st.mins) AS INTEGER) AS continuous_minutes,
       CASE WHEN st.mins >= st.brk THEN 'take_a_break' WHEN st.mins >= st.heads_up THEN 'heads_up' ELSE 'rested' END AS level,
       CAST(round(min(100.0, 100.0 * st.mins / st.brk)) AS INTEGER) AS progress_percent,
       CAST(round(CASE WHEN st.mins < st.heads_up THEN st.heads_up - st.mins
                       WHEN st.mins < st.brk THEN st.brk - st.mins ELSE 0 END) AS INTEGER) AS minutes_to_next_level,
       coalesce(nullif(trim(coalesce(h.late, '') || ',' || coalesce(h.long, '') || ',' || coalesce(h.sess, ''), ','), ''), 'healthy_rhythm') AS hints
  FROM st, hints h;
