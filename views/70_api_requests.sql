-- api_requests: one row per model request the agents reported in telemetry: Claude Code
-- api_request events, Codex sse_event events of kind response.completed, Gemini CLI
-- api_response events. Tokens are lumo's buckets (input without cached input, output
-- with reasoning). Cost is the agent's own figure where it sends one (Claude Code), else
-- lumo's price of the tokens at sync time.
-- time            UTC
-- local_time      local time
-- agent           claude, codex, gemini
-- machine         machine id of the sync
-- session_id      session
-- model           model
-- request_id      request id
-- input_tokens    uncached input
-- output_tokens   output with reasoning
-- cache_read_tokens  cache reads
-- cache_creation_tokens  cache writes
-- reasoning_tokens  reasoning (inside output)
-- cost_usd        the agent's cost, else lumo's; NULL when neither is known
-- cost_source     reported, lumo, or NULL
-- lumo_cost_usd   lumo's price of the tokens (for comparison with the reported cost)
-- duration_ms     request duration
DROP VIEW IF EXISTS api_requests;
CREATE VIEW api_requests AS
SELECT time, datetime(time, 'localtime') AS local_time, agent, machine, session_id, model, request_id,
       coalesce(input_tokens, 0) AS input_tokens, coalesce(output_tokens, 0) AS output_tokens,
       coalesce(cache_read_tokens, 0) AS cache_read_tokens, coalesce(cache_creation_tokens, 0) AS cache_creation_tokens,
       coalesce(reasoning_tokens, 0) AS reasoning_tokens,
       coalesce(cost_usd, lumo_cost_usd) AS cost_usd,
       CASE WHEN cost_usd IS NOT NULL THEN 'reported' WHEN lumo_cost_usd IS NOT NULL THEN 'lumo' END AS cost_source,
       lumo_cost_usd, duration_ms
  FROM otel_events
 WHERE event_name IN ('claude_code.api_request', 'gemini_cli.api_response')
    OR (event_name = 'codex.sse_event' AND json_extract(attributes, '$."event.kind"') = 'response.completed');
