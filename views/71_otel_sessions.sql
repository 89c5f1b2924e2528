-- otel_sessions: one row per session seen in telemetry (events or metric points).
-- agent           claude, codex, gemini
-- session_id      session
-- started_at      first event or point (UTC)
-- ended_at        last event or point (UTC)
-- api_requests    model requests (the api_requests view)
-- cost_usd        their cost (reported, else lumo's)
-- input_tokens    uncached input of those requests
-- output_tokens   output of those requests
-- cache_read_tokens  cache reads
-- cache_creation_tokens  cache writes
-- prompts         user prompts
-- tool_results    tool results
-- active_seconds  Claude Code active time (claude_code.active_time.total), NULL without it
-- lines_added     lines added (claude_code.lines_of_code.count, gemini_cli.lines.changed)
-- lines_removed   lines removed
DROP VIEW IF EXISTS otel_sessions;
CREATE VIEW otel_sessions AS
WITH ev AS (SELECT agent, session_id, min(time) AS t0, max(time) AS t1,
                   sum(event_name IN ('claude_code.user_prompt', 'codex.user_prompt', 'gemini_cli.user_prompt')) AS prompts,
                   sum(event_name IN ('claude_code.tool_result', 'codex.tool_result', 'gemini_cli.tool_call')) AS tool_results
              FROM otel_events WHERE session_id IS NOT NULL GROUP BY agent, session_id),
     rq AS (SELECT agent, session_id, count(*) AS n, sum(cost_usd) AS usd, sum(input_tokens) AS i, sum(output_tokens) AS o,
                   sum(cache_read_tokens) AS cr, sum(cache_creation_tokens) AS cc
              FROM api_requests WHERE session_id IS NOT NULL GROUP BY agent, session_id),
     pt AS (SELECT agent, session_id, min(coalesce(start_time, time)) AS t0, max(time) AS t1,
                   sum(CASE WHEN metric = 'claude_code.active_time.total' THEN increase END) AS active,
                   total(CASE WHEN metric IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed') AND type = 'added' THEN increase END) AS added,
                   total(CASE WHEN metric IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed') AND type = 'removed' THEN increase END) AS removed
              FROM otel_increases WHERE session_id IS NOT NULL GROUP BY agent, session_id),
     ids AS (SELECT agent, session_id FROM ev UNION SELECT agent, session_id FROM pt)
SELECT ids.agent, ids.session_id,
       CASE WHEN pt.t0 IS NULL OR ev.t0 < pt.t0 THEN ev.t0 ELSE pt.t0 END AS started_at,
       CASE WHEN pt.t1 IS NULL OR ev.t1 > pt.t1 THEN ev.t1 ELSE pt.t1 END AS ended_at,
       coalesce(rq.n, 0) AS api_requests, rq.usd AS cost_usd,
       coalesce(rq.i, 0) AS input_tokens, coalesce(rq.o, 0) AS output_tokens,
       coalesce(rq.cr, 0) AS cache_read_tokens, coalesce(rq.cc, 0) AS cache_creation_tokens,
       coalesce(ev.prompts, 0) AS prompts, coalesce(ev.tool_results, 0) AS tool_results,
       pt.active AS active_seconds, coalesce(pt.added, 0) AS lines_added, coalesce(pt.removed, 0) AS lines_removed
  FROM ids
  LEFT JOIN ev ON ev.agent IS ids.agent AND ev.session_id = ids.session_id
  LEFT JOIN rq ON rq.agent IS ids.agent AND rq.session_id = ids.session_id
  LEFT JOIN pt ON pt.agent IS ids.agent AND pt.session_id = ids.session_id;
