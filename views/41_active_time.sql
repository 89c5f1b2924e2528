-- active_time: one row: how long you were actively working, from the best source. Where
-- Claude Code's own claude_code.active_time.total telemetry exists it is preferred (it
-- counts keyboard and CLI time exactly), and transcript activity runs outside the
-- telemetry's time span are added; without telemetry, transcript runs alone.
-- active_seconds  the figure the dashboard and efficiency views use
-- source          telemetry, telemetry+transcripts or transcripts
-- telemetry_seconds  sum of claude_code.active_time.total (user + cli), NULL without telemetry
-- telemetry_user_seconds  its type = user part (keyboard interaction)
-- telemetry_cli_seconds  its type = cli part (tools and model responses running)
-- transcript_seconds  activity runs from transcripts (the activity view), all of them
-- telemetry_from  start of the telemetry's span (UTC)
-- telemetry_to    end of the telemetry's span (UTC)
DROP VIEW IF EXISTS active_time;
CREATE VIEW active_time AS
WITH tel AS (SELECT sum(increase) AS secs, total(CASE WHEN type = 'user' THEN increase END) AS user_secs,
                    total(CASE WHEN type = 'cli' THEN increase END) AS cli_secs,
                    min(coalesce(start_time, time)) AS t0, max(time) AS t1
               FROM otel_increases WHERE metric = 'claude_code.active_time.total'),
     act AS (SELECT total(active_seconds) AS all_secs,
                    total(CASE WHEN tel.t0 IS NULL OR ended_at < substr(tel.t0, 1, 16) OR started_at > substr(tel.t1, 1, 16)
                               THEN active_seconds END) AS outside
               FROM activity, tel)
SELECT CASE WHEN tel.secs IS NULL THEN act.all_secs ELSE tel.secs + act.outside END AS active_seconds,
       CASE WHEN tel.secs IS NULL THEN 'transcripts' WHEN act.outside > 0 THEN 'telemetry+transcripts'
            ELSE 'telemetry' END AS source,
       tel.secs AS telemetry_seconds,
       CASE WHEN tel.secs IS NOT NULL THEN tel.user_secs END AS telemetry_user_seconds,
       CASE WHEN tel.secs IS NOT NULL THEN tel.cli_secs END AS telemetry_cli_seconds,
       act.all_secs AS transcript_seconds, tel.t0 AS telemetry_from, tel.t1 AS telemetry_to
  FROM tel, act;
