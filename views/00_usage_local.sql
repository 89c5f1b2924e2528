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
-- A row's local day is its quarter-hour bucket's (every zone offset and DST shift is a
-- multiple of 15 minutes, so a quarter hour never straddles local midnight): the local
-- days are read from the buckets, and each day's rows through the timestamp index, so a
-- query for one day touches that day's rows only. Rows without a time come last.
WITH days AS MATERIALIZED (
       SELECT date(datetime(bucket, 'localtime')) AS day,
              substr(min(bucket), 1, 16) || ':00.000Z' AS from_ts,
              strftime('%Y-%m-%dT%H:%M:%fZ', substr(max(bucket), 1, 16), '+15 minutes') AS to_ts
         FROM (SELECT DISTINCT bucket FROM usage_buckets WHERE bucket <> '')
        GROUP BY 1)
SELECT usage.*, datetime(usage.timestamp, 'localtime') AS local_time, days.day,
       date(days.day, '-' || ((CAST(strftime('%w', days.day) AS INTEGER) + 7 -
             coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1)) % 7) || ' days') AS week_start,
       substr(days.day, 1, 7) AS month,
       CAST(strftime('%H', usage.timestamp, 'localtime') AS INTEGER) AS hour,
       CAST(strftime('%w', days.day) AS INTEGER) AS weekday,
       usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_5m_tokens
         + usage.cache_write_1h_tokens AS total_tokens,
       CASE WHEN usage.cost_usd IS NULL THEN usage.input_tokens + usage.output_tokens + usage.cache_read_tokens
            + usage.cache_write_5m_tokens + usage.cache_write_1h_tokens ELSE 0 END AS unpriced_tokens
  FROM days JOIN usage ON usage.timestamp >= days.from_ts AND usage.timestamp < days.to_ts
UNION ALL
SELECT usage.*, NULL, NULL, NULL, NULL, NULL, NULL,
       usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_5m_tokens
         + usage.cache_write_1h_tokens,
       CASE WHEN usage.cost_usd IS NULL THEN usage.input_tokens + usage.output_tokens + usage.cache_read_tokens
            + usage.cache_write_5m_tokens + usage.cache_write_1h_tokens ELSE 0 END
  FROM usage WHERE usage.timestamp IS NULL;
