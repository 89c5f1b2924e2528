-- weekly_summary: this week against last week (local weeks, lumo_settings week_start).
-- week            'this' or 'last'
-- week_start      local date the week starts
-- sessions        sessions (with a known id) with requests in the week
-- requests        billed requests
-- cost_usd        cost of the week's requests; NULL when any of them is unpriced
-- active_seconds  active time, by the active_time view's rule within the week: Claude Code's telemetry where the week has it, plus transcript runs outside the telemetry's span
-- active_time_source  telemetry, telemetry+transcripts or transcripts
-- cost_delta_usd  this week minus last week (on the 'this' row)
-- sessions_delta  this week minus last week (on the 'this' row)
-- active_seconds_delta  this week minus last week (on the 'this' row)
-- priced_cost_usd  cost of the priced requests only
-- unpriced_tokens  tokens of requests without a price
DROP VIEW IF EXISTS weekly_summary;
CREATE VIEW weekly_summary AS
WITH ws AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1) AS d),
     cur AS (SELECT date('now', 'localtime', '-' || ((CAST(strftime('%w', 'now', 'localtime') AS INTEGER) + 7 - ws.d) % 7) || ' days') AS s FROM ws),
     weeks AS (SELECT 'this' AS week, s AS week_start FROM cur UNION ALL SELECT 'last', date(s, '-7 days') FROM cur),
     -- bounds in the stored form of instants (milliseconds, Z), so a request at exactly
     -- local midnight belongs to the week that starts there
     bounds AS (SELECT week, week_start, strftime('%Y-%m-%dT%H:%M:%fZ', week_start, 'utc') AS from_utc,
                       strftime('%Y-%m-%dT%H:%M:%fZ', week_start, '+7 days', 'utc') AS to_utc FROM weeks),
     -- the two weeks' activity runs and telemetry, each read once
     runs AS (SELECT started_at, ended_at, active_seconds FROM activity
               WHERE started_at >= (SELECT substr(min(from_utc), 1, 16) FROM bounds)),
     tel AS (SELECT time, coalesce(start_time, time) AS t0, increase FROM otel_increases
              WHERE metric = 'claude_code.active_time.total' AND time >= (SELECT min(from_utc) FROM bounds)),
     telw AS (SELECT w.week, sum(t.increase) AS secs, min(t.t0) AS t0, max(t.time) AS t1
                FROM bounds w LEFT JOIN tel t ON t.time >= w.from_utc AND t.time < w.to_utc GROUP BY w.week),
     agg AS (SELECT w.week, w.week_start,
                    (SELECT count(DISTINCT agent || ':' || session_id) FROM session_buckets s
                      WHERE s.bucket >= w.from_utc AND s.bucket < w.to_utc AND s.session_id <> '') AS sessions,
                    (SELECT total(requests) FROM usage_buckets b WHERE b.bucket >= w.from_utc AND b.bucket < w.to_utc) AS requests,
                    (SELECT total(priced_cost_usd) FROM usage_buckets b WHERE b.bucket >= w.from_utc AND b.bucket < w.to_utc) AS priced_cost_usd,
                    (SELECT total(requests - priced_requests) FROM usage_buckets b WHERE b.bucket >= w.from_utc AND b.bucket < w.to_utc) AS unpriced_requests,
                    (SELECT total(unpriced_tokens) FROM usage_buckets b WHERE b.bucket >= w.from_utc AND b.bucket < w.to_utc) AS unpriced_tokens,
                    (SELECT total(r.active_seconds) FROM runs r
                      WHERE r.started_at >= substr(w.from_utc, 1, 16) AND r.started_at < substr(w.to_utc, 1, 16)) AS run_seconds,
                    (SELECT total(r.active_seconds) FROM runs r
                      WHERE r.started_at >= substr(w.from_utc, 1, 16) AND r.started_at < substr(w.to_utc, 1, 16)
                        AND (r.ended_at < substr(t.t0, 1, 16) OR r.started_at > substr(t.t1, 1, 16))) AS outside,
                    t.secs AS tel_secs
               FROM bounds w JOIN telw t USING (week)),
     aw AS (SELECT week, week_start, sessions, requests, CASE WHEN unpriced_requests = 0 THEN priced_cost_usd END AS cost_usd,
                   CASE WHEN tel_secs IS NULL THEN run_seconds ELSE tel_secs + outside END AS active_seconds,
                   CASE WHEN tel_secs IS NULL THEN 'transcripts' WHEN outside > 0 THEN 'telemetry+transcripts'
                        ELSE 'telemetry' END AS active_time_source, priced_cost_usd, unpriced_tokens
              FROM agg)
SELECT a.week, a.week_start, a.sessions, a.requests, a.cost_usd, a.active_seconds, a.active_time_source,
       CASE WHEN a.week = 'this' THEN a.cost_usd - l.cost_usd END AS cost_delta_usd,
       CASE WHEN a.week = 'this' THEN a.sessions - l.sessions END AS sessions_delta,
       CASE WHEN a.week = 'this' THEN a.active_seconds - l.active_seconds END AS active_seconds_delta,
       a.priced_cost_usd, a.unpriced_tokens
  FROM aw a, aw l WHERE l.week = 'last';
