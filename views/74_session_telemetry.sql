-- session_telemetry: transcript sessions joined with telemetry sessions by session id
-- (Claude Code uses the same id in both), so the two accounts can be compared and the
-- session's active time comes from the agent's own measure where it sent one.
-- agent           agent
-- session_id      session
-- in_transcripts  1 when the session is in the transcripts (sessions view)
-- in_telemetry    1 when it is in telemetry (otel_sessions view)
-- started_at      earliest start of the two (UTC)
-- ended_at        latest end of the two (UTC)
-- transcript_cost_usd  cost from transcripts (lumo's pricing)
-- telemetry_cost_usd  cost from telemetry (the agent's own figure where sent)
-- transcript_tokens  all five token buckets from transcripts
-- telemetry_tokens  input + output + cache read + cache creation from telemetry
-- active_seconds  telemetry active time where present, else the transcript span (ended - started)
-- active_time_source  telemetry or transcript_span
DROP VIEW IF EXISTS session_telemetry;
CREATE VIEW session_telemetry AS
-- Every transcript session, with its telemetry if any, then the telemetry-only sessions:
-- the transcript side is read once in key order, and only the (few) telemetry sessions
-- are looked up, rather than a union of both sides' ids joined back to each.
WITH o AS MATERIALIZED (SELECT * FROM otel_sessions),
     j AS (SELECT s.agent, s.session_id, 1 AS in_transcripts, o.session_id IS NOT NULL AS in_telemetry,
                  s.started_at AS s_start, s.ended_at AS s_end, s.cost_usd AS s_cost, s.total_tokens AS s_tokens,
                  s.duration_seconds AS s_secs, o.started_at, o.ended_at, o.cost_usd, o.input_tokens, o.output_tokens,
                  o.cache_read_tokens, o.cache_creation_tokens, o.active_seconds
             FROM sessions s LEFT JOIN o ON o.agent IS s.agent AND o.session_id = s.session_id
            WHERE s.session_id IS NOT NULL
           UNION ALL
           SELECT o.agent, o.session_id, 0, 1, NULL, NULL, NULL, NULL, NULL, o.started_at, o.ended_at, o.cost_usd,
                  o.input_tokens, o.output_tokens, o.cache_read_tokens, o.cache_creation_tokens, o.active_seconds
             FROM o WHERE NOT EXISTS (SELECT 1 FROM session_totals t
                               WHERE t.agent = o.agent AND t.session_id = o.session_id AND t.session_id <> ''))
SELECT agent, session_id, in_transcripts, in_telemetry,
       CASE WHEN started_at IS NULL OR s_start < started_at THEN s_start ELSE started_at END AS started_at,
       CASE WHEN ended_at IS NULL OR s_end > ended_at THEN s_end ELSE ended_at END AS ended_at,
       s_cost AS transcript_cost_usd, cost_usd AS telemetry_cost_usd, s_tokens AS transcript_tokens,
       input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens AS telemetry_tokens,
       coalesce(active_seconds, s_secs) AS active_seconds,
       CASE WHEN active_seconds IS NOT NULL THEN 'telemetry' WHEN s_secs IS NOT NULL THEN 'transcript_span' END AS active_time_source
  FROM j;
