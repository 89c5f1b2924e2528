-- otel_increases: every OTLP sum point with what it adds. A delta point adds its value;
-- a cumulative point (or a sum sent without temporality) adds the difference to the
-- previous point of its series, and its whole value when it is the series' first point
-- or follows a reset (a new start time, or a drop in a monotonic sum: a restarted
-- process). So a counter exported every minute is never summed once per export.
-- key             the point (otel_points.key)
-- series          its time series
-- agent           claude, codex, gemini
-- machine         machine id of the sync
-- metric          metric name
-- time            end of the point's interval (UTC)
-- start_time      start of the interval (delta) or of the series (cumulative), UTC
-- local_time      time in local time (the views' one local-time expression)
-- session_id      session.id
-- model           model attribute
-- type            type attribute
-- decision        decision attribute
-- source          source attribute
-- tool_name       tool_name attribute
-- language        language attribute
-- temporality     delta, cumulative or NULL
-- value           the value as sent
-- increase        what the point adds
DROP VIEW IF EXISTS otel_increases;
CREATE VIEW otel_increases AS
SELECT p.key, p.series, p.agent, p.machine, p.metric, p.time,
       strftime('%Y-%m-%dT%H:%M:%fZ', p.start_time_unix_nano / 1e9, 'unixepoch') AS start_time,
       datetime(p.time, 'localtime') AS local_time,
       p.session_id, p.model, p.type, p.decision, p.source, p.tool_name, p.language, p.temporality, p.value,
       CASE WHEN p.temporality = 'delta' THEN p.value
            WHEN p.prev_value IS NULL OR p.start_time_unix_nano IS NOT p.prev_start
                 OR (p.is_monotonic AND p.value < p.prev_value) THEN p.value
            ELSE p.value - p.prev_value END AS increase
  FROM (SELECT otel_points.*, lag(value) OVER w AS prev_value, lag(start_time_unix_nano) OVER w AS prev_start
          FROM otel_points WHERE kind = 'sum' AND value IS NOT NULL
        WINDOW w AS (PARTITION BY series ORDER BY time_unix_nano, start_time_unix_nano, value, key)) AS p;
