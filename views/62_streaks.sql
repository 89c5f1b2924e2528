-- streaks: runs of consecutive local days with activity: the longest, and the current
-- one (ending today or yesterday; 0 when the last active day is older).
-- longest_days    length of the longest run
-- longest_from    its first local day
-- longest_to      its last local day
-- current_days    length of the run ending today or yesterday
-- active_days     local days with any activity
DROP VIEW IF EXISTS streaks;
CREATE VIEW streaks AS
WITH d AS (SELECT DISTINCT date(minute * 60, 'unixepoch', 'localtime') AS day FROM active_minutes),
     i AS (SELECT day, julianday(day) - row_number() OVER (ORDER BY day) AS island FROM d),
     runs AS (SELECT min(day) AS first_day, max(day) AS last_day, count(*) AS days FROM i GROUP BY island)
SELECT (SELECT max(days) FROM runs) AS longest_days,
       (SELECT first_day FROM runs ORDER BY days DESC, last_day DESC LIMIT 1) AS longest_from,
       (SELECT last_day FROM runs ORDER BY days DESC, last_day DESC LIMIT 1) AS longest_to,
       coalesce((SELECT days FROM runs WHERE last_day >= date('now', 'localtime', '-1 day')), 0) AS current_days,
       (SELECT count(*) FROM d) AS active_days;
