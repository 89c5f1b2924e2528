-- otel_dashboard: one row: the telemetry dashboard (spec otlp.md part D). Requests,
-- tokens and cost come from request events (api_requests), else from Claude Code's
-- cost and token metrics; the *_source columns say which.
-- cost_usd        cost of all requests
-- cost_source     events, metrics, or NULL without either
-- api_requests    request events
-- api_errors      error events (claude_code.api_error, gemini_cli.api_error)
-- input_tokens    uncached input
-- output_tokens   output
-- cache_read_tokens  cache reads
-- cache_creation_tokens  cache writes
-- tokens_source   events, metrics, or NULL
-- cache_hit_rate  cache_read / (cache_read + input) x 100 (the reference app's formula)
-- sessions        distinct session ids in events and points
-- active_seconds  claude_code.active_time.total, user + cli
-- active_user_seconds  its user part
-- active_cli_seconds  its cli part
-- lines_added     lines added
-- lines_removed   lines removed
-- commits         claude_code.commit.count
-- pull_requests   claude_code.pull_request.count
-- edit_accepts    code-edit accepts (the accept_rate view)
-- edit_rejects    code-edit rejects
-- accept_rate     edit_accepts / (edit_accepts + edit_rejects) x 100
DROP VIEW IF EXISTS otel_dashboard;
CREATE VIEW otel_dashboard AS
WITH rq AS (SELECT count(*) AS n, sum(cost_usd) AS usd, sum(input_tokens) AS i, sum(output_tokens) AS o,
                   sum(cache_read_tokens) AS cr, sum(cache_creation_tokens) AS cc FROM api_requests),
     m AS (SELECT total(CASE WHEN metric = 'claude_code.cost.usage' THEN increase END) AS usd,
                  count(CASE WHEN metric = 'claude_code.cost.usage' THEN 1 END) AS usd_n,
                  total(CASE WHEN metric = 'claude_code.token.usage' AND type = 'input' THEN increase END) AS i,
                  total(CASE WHEN metric = 'claude_code.token.usage' AND type = 'output' THEN increase END) AS o,
                  total(CASE WHEN metric = 'claude_code.token.usage' AND type = 'cacheRead' THEN increase END) AS cr,
                  total(CASE WHEN metric = 'claude_code.token.usage' AND type = 'cacheCreation' THEN increase END) AS cc,
                  count(CASE WHEN metric = 'claude_code.token.usage' THEN 1 END) AS tok_n,
                  sum(CASE WHEN metric = 'claude_code.active_time.total' THEN increase END) AS active,
                  total(CASE WHEN metric = 'claude_code.active_time.total' AND type = 'user' THEN increase END) AS active_user,
                  total(CASE WHEN metric = 'claude_code.active_time.total' AND type = 'cli' THEN increase END) AS active_cli,
                  total(CASE WHEN metric IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed') AND type = 'added' THEN increase END) AS added,
                  total(CASE WHEN metric IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed') AND type = 'removed' THEN increase END) AS removed,
                  total(CASE WHEN metric = 'claude_code.commit.count' THEN increase END) AS commits,
                  total(CASE WHEN metric = 'claude_code.pull_request.count' THEN increase END) AS prs
             FROM otel_increases),
     t AS (SELECT CASE WHEN rq.n > 0 THEN rq.i ELSE m.i END AS i, CASE WHEN rq.n > 0 THEN rq.o ELSE m.o END AS o,
                  CASE WHEN rq.n > 0 THEN rq.cr ELSE m.cr END AS cr, CASE WHEN rq.n > 0 THEN rq.cc ELSE m.cc END AS cc,
                  CASE WHEN rq.n > 0 THEN 'events' WHEN m.tok_n > 0 THEN 'metrics' END AS src
             FROM rq, m),
     ar AS (SELECT total(accepts) AS a, total(rejects) AS r FROM accept_rate)
SELECT CASE WHEN rq.n > 0 THEN rq.usd WHEN m.usd_n > 0 THEN m.usd END AS cost_usd,
       CASE WHEN rq.n > 0 THEN 'events' WHEN m.usd_n > 0 THEN 'metrics' END AS cost_source,
       rq.n AS api_requests,
       (SELECT count(*) FROM otel_events WHERE event_name IN ('claude_code.api_error', 'gemini_cli.api_error')) AS api_errors,
       t.i AS input_tokens, t.o AS output_tokens, t.cr AS cache_read_tokens, t.cc AS cache_creation_tokens,
       t.src AS tokens_source,
       100.0 * t.cr / nullif(t.cr + t.i, 0) AS cache_hit_rate,
       (SELECT count(*) FROM (SELECT session_id FROM otel_events WHERE session_id IS NOT NULL
                              UNION SELECT session_id FROM otel_points WHERE session_id IS NOT NULL)) AS sessions,
       m.active AS active_seconds, m.active_user AS active_user_seconds, m.active_cli AS active_cli_seconds,
       m.added AS lines_added, m.removed AS lines_removed, m.commits AS commits, m.prs AS pull_requests,
       ar.a AS edit_accepts, ar.r AS edit_rejects, 100.0 * ar.a / nullif(ar.a + ar.r, 0) AS accept_rate
  FROM rq, m, t, ar;
