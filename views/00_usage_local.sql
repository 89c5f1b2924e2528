-- usage_local: every usage row with its local time, the ONE local-time expression all
-- views use (SQLite's 'localtime', which honours TZ), so day, week, month and hour agree.
-- local_time      local date and time, YYYY-MM-DD HH:MM:SS
-- day             local date, YYYY-MM-DD
-- week_start      local date of the first day of the week (lumo_settings week_start, default Monday)
-- month           local month, YYYY-MM
-- hour            local hour, 0-23
-- weekday         0 Sunday ... 6 Saturday
-- total_tokens    input + output + cache read + cache writes
-- unpriced_tokens  total_tokens when cost_usd is NULL, else 0
-- (and every column of usage)
DROP VIEW IF EXISTS usage_local;
CREATE VIEW usage_local AS
SELECT u.*, date(u.timestamp, 'localtime') AS day,
       date(u.local_time, '-' || ((CAST(strftime('%w', u.local_time) AS INTEGER) + 7 -
             coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1)) % 7) || ' days') AS week_start,
       strftime('%Y-%m', u.local_time) AS month,
       CAST(strftime('%H', u.local_time) AS INTEGER) AS hour,
       CAST(strftime('%w', u.local_time) AS INTEGER) AS weekday,
       u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens AS total_tokens,
       CASE WHEN u.cost_usd IS NULL THEN u.input_tokens + u.output_tokens + u.cache_read_tokens
            + u.cache_write_5m_tokens + u.cache_write_1h_tokens ELSE 0 END AS unpriced_tokens
  FROM (SELECT usage.*, datetime(timestamp, 'localtime') AS local_time FROM usage) AS u;
