-- cost_reconciliation: per session, the transcripts' account (usage, priced by lumo) beside
-- telemetry's (Claude Code api_request events, Codex response.completed events, Gemini
-- api_response events: the api_requests view; where a session has no request events,
-- Claude Code's claude_code.cost.usage and claude_code.token.usage metrics), never both
-- telemetry sources added. Tokens are all five buckets on both sides (telemetry's cache
-- creation is both cache-write buckets).
-- agent           claude, codex, gemini, opencode
-- session_id      session id (the same in both for Claude Code; Codex: the thread id)
-- transcript_requests  billed requests in the transcripts (NULL: not in the transcripts)
-- transcript_tokens  their tokens
-- transcript_cost_usd  their priced cost (lumo's prices)
-- transcript_unpriced_tokens  tokens of requests lumo has no price for (their cost is not compared)
-- telemetry_requests  request events (NULL without events: metrics, or not in telemetry)
-- telemetry_tokens  tokens telemetry reports
-- telemetry_cost_usd  cost telemetry reports (the agent's own figure, else lumo's price of its tokens)
-- telemetry_source  events, metrics or NULL (not in telemetry)
-- token_diff_pct  |telemetry - transcripts| tokens as a percentage of the transcripts' (100 when they have none)
-- cost_diff_pct   the same for the cost; NULL when it cannot be compared (unpriced tokens, no cost on a side)
-- confidence      exact (tokens equal and cost within 0.5%), transcript-only, telemetry-only, or 'disagrees by N%' (N: the larger of the two differences)
-- reason          why, in words: the figures that differ, placeholder output counts, what is missing
DROP VIEW IF EXISTS cost_reconciliation;
CREATE VIEW cost_reconciliation AS
WITH ev AS MATERIALIZED (
       SELECT agent, session_id, count(*) AS n,
              sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens) AS tokens,
              sum(cost_usd) AS usd, count(cost_usd) AS priced
         FROM api_requests WHERE session_id IS NOT NULL GROUP BY agent, session_id),
     mt AS MATERIALIZED (
       SELECT agent, session_id,
              total(CASE WHEN metric = 'claude_code.token.usage' AND type IN ('input', 'output', 'cacheRead', 'cacheCreation')
                         THEN increase END) AS tokens,
              count(CASE WHEN metric = 'claude_code.token.usage' THEN 1 END) AS tok_n,
              total(CASE WHEN metric = 'claude_code.cost.usage' THEN increase END) AS usd,
              count(CASE WHEN metric = 'claude_code.cost.usage' THEN 1 END) AS usd_n
         FROM otel_increases
        WHERE metric IN ('claude_code.token.usage', 'claude_code.cost.usage') AND session_id IS NOT NULL
        GROUP BY agent, session_id),
     tel AS MATERIALIZED (
       SELECT coalesce(ev.agent, mt.agent) AS agent, coalesce(ev.session_id, mt.session_id) AS session_id,
              ev.n AS requests,
              CASE WHEN ev.n > 0 THEN ev.tokens WHEN mt.tok_n > 0 THEN CAST(mt.tokens AS INTEGER) END AS tokens,
              CASE WHEN ev.n > 0 THEN CASE WHEN ev.priced = ev.n THEN ev.usd END
                   WHEN mt.usd_n > 0 THEN mt.usd END AS usd,
              CASE WHEN ev.n > 0 THEN 'events' ELSE 'metrics' END AS source
         FROM ev LEFT JOIN mt ON mt.agent IS ev.agent AND mt.session_id = ev.session_id
       UNION ALL
       SELECT mt.agent, mt.session_id, NULL, CASE WHEN mt.tok_n > 0 THEN CAST(mt.tokens AS INTEGER) END,
              CASE WHEN mt.usd_n > 0 THEN mt.usd END, 'metrics'
         FROM mt WHERE NOT EXISTS (SELECT 1 FROM ev WHERE ev.agent IS mt.agent AND ev.session_id = mt.session_id)),
     j AS (
       SELECT s.agent, s.session_id, s.requests AS tr_n, s.total_tokens AS tr_tok, s.priced_cost_usd AS tr_usd,
              s.unpriced_tokens AS tr_unpriced, s.low_confidence, t.requests AS te_n, t.tokens AS te_tok,
              t.usd AS te_usd, t.source
         FROM sessions s LEFT JOIN tel t ON t.agent IS s.agent AND t.session_id = s.session_id
        WHERE s.session_id IS NOT NULL
       UNION ALL
       SELECT t.agent, t.session_id, NULL, NULL, NULL, NULL, 0, t.requests, t.tokens, t.usd, t.source
         FROM tel t WHERE NOT EXISTS (SELECT 1 FROM session_totals s
                                       WHERE s.agent IS t.agent AND s.session_id = t.session_id AND s.session_id <> '')),
     d AS (
       SELECT *,
              CASE WHEN tr_n IS NULL OR source IS NULL OR te_tok IS NULL THEN NULL
                   WHEN tr_tok > 0 THEN 100.0 * abs(te_tok - tr_tok) / tr_tok
                   WHEN te_tok > 0 THEN 100.0 ELSE 0.0 END AS tok_pct,
              CASE WHEN tr_n IS NULL OR source IS NULL OR te_usd IS NULL OR tr_unpriced > 0 THEN NULL
                   WHEN tr_usd > 0 THEN 100.0 * abs(te_usd - tr_usd) / tr_usd
                   WHEN te_usd > 0 THEN 100.0 ELSE 0.0 END AS usd_pct
         FROM j)
SELECT agent, session_id, tr_n AS transcript_requests, tr_tok AS transcript_tokens,
       CASE WHEN tr_n IS NOT NULL THEN round(tr_usd, 6) END AS transcript_cost_usd, tr_unpriced AS transcript_unpriced_tokens,
       te_n AS telemetry_requests, te_tok AS telemetry_tokens, round(te_usd, 6) AS telemetry_cost_usd,
       source AS telemetry_source, round(tok_pct, 2) AS token_diff_pct, round(usd_pct, 2) AS cost_diff_pct,
       CASE WHEN source IS NULL THEN 'transcript-only'
            WHEN tr_n IS NULL THEN 'telemetry-only'
            WHEN tok_pct = 0 AND coalesce(usd_pct, 0) <= 0.5 THEN 'exact'
            ELSE 'disagrees by ' || printf('%.1f', max(0.1, round(max(coalesce(tok_pct, 0), coalesce(usd_pct, 0)), 1))) || '%'
       END AS confidence,
       CASE WHEN source IS NULL THEN 'no telemetry with this session id (not collected then, or on a machine not merged)'
            WHEN tr_n IS NULL THEN 'no transcript with this session id (removed by the agent before a sync, or not synced)'
            ELSE 'tokens: transcripts ' || tr_tok || ', telemetry ' || coalesce(te_tok, 'not sent')
              || CASE WHEN te_n IS NOT NULL AND te_n <> tr_n
                      THEN '; requests: transcripts ' || tr_n || ', telemetry ' || te_n ELSE '' END
              || '; cost: transcripts $' || printf('%.6f', tr_usd) || ', telemetry '
              || CASE WHEN te_usd IS NULL THEN 'not sent' ELSE '$' || printf('%.6f', te_usd) END
              || CASE WHEN tr_unpriced > 0 THEN ' (not compared: ' || tr_unpriced || ' transcript tokens unpriced)' ELSE '' END
              || CASE WHEN low_confidence > 0 AND te_tok > tr_tok
                      THEN '; ' || low_confidence || ' transcript requests have placeholder output counts (Claude Code 2.1 wrote'
                           || ' no final usage; telemetry has the real counts)' ELSE '' END
              || ' (telemetry: ' || CASE source WHEN 'events' THEN 'request events' ELSE 'cost and token metrics' END || ')'
       END AS reason
  FROM d;
