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
-- both sides read once (materialized, joined through automatic indexes), not once per id
WITH s AS MATERIALIZED (SELECT * FROM sessions WHERE session_id IS NOT NULL),
     o AS MATERIALIZED (SELECT * FROM otel_sessions),
     ids AS (SELECT agent, session_id FROM s UNION SELECT agent, session_id FROM o)
SELECT ids.agent, ids.session_id, s.session_id IS NOT NULL AS in_transcripts, o.session_id IS NOT NULL AS in_telemetry,
       CASE WHEN o.started_at IS NULL OR s.started_at < o.started_at THEN s.started_at ELSE o.started_at END AS started_at,
       CASE WHEN o.ended_at IS NULL OR s.ended_at > o.ended_at THEN s.ended_at ELSE o.ended_at END AS ended_at,
       s.cost_usd AS transcript_cost_usd, o.cost_usd AS telemetry_cost_usd,
       s.total_tokens AS transcript_tokens,
       o.input_tokens + o.output_tokens + o.cache_read_tokens + o.cache_creation_tokens AS telemetry_tokens,
       coalesce(o.active_seconds, s.duration_seconds) AS active_seconds,
       CASE WHEN o.active_seconds IS NOT NULL THEN 'telemetry' WHEN s.duration_seconds IS NOT NULL THEN 'transcript_span' END AS active_time_source
  FROM ids
  LEFT JOIN s ON s.agent = ids.agent AND s.session_id = ids.session_id
  LEFT JOIN o ON o.agent IS ids.agent AND o.session_id = ids.session_id;
