-- dashboard.sql: a small dashboard straight from the Claude Code transcripts.
--   CLAUDE_CONFIG_DIR=~/.claude sqlite3 -cmd '.load dist/lumo' :memory: '.read examples/dashboard.sql'
-- Days are UTC here; the synced views (lumo database) use local time. A cost that
-- includes unpriced responses shows the priced part and the tokens left unpriced, never $0.00.
.mode box
.print 'Totals'
SELECT count(*) AS responses, count(DISTINCT session_id) AS sessions,
       sum(input_tokens) AS input, sum(output_tokens) AS output,
       sum(cache_read_tokens) AS cache_read,
       sum(cache_write_5m_tokens + cache_write_1h_tokens) AS cache_write,
       printf('$%.2f', total(cost_usd)) || CASE WHEN sum(cost_usd IS NULL) > 0 THEN printf(' + unpriced (%,d tokens)', sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens END)) ELSE '' END AS cost,
       sum(cost_usd IS NULL) AS unpriced_responses
  FROM claude_usage;
.print 'By day (UTC)'
SELECT substr(timestamp, 1, 10) AS day, count(*) AS responses,
       sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens,
       printf('$%.2f', total(cost_usd)) || CASE WHEN sum(cost_usd IS NULL) > 0 THEN printf(' + unpriced (%,d tokens)', sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens END)) ELSE '' END AS cost
  FROM claude_usage GROUP BY 1 ORDER BY 1;
.print 'By model'
SELECT coalesce(lumo_model(model), model || ' (unpriced)') AS model, count(*) AS responses,
       sum(output_tokens) AS output, printf('$%.2f', total(cost_usd)) || CASE WHEN sum(cost_usd IS NULL) > 0 THEN printf(' + unpriced (%,d tokens)', sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens END)) ELSE '' END AS cost,
       printf('%.1f%%', 100.0 * sum(cache_read_tokens) /
              nullif(sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens), 0)) AS cache_hit
  FROM claude_usage GROUP BY 1 ORDER BY total(cost_usd) DESC;
.print 'By project'
SELECT project, count(DISTINCT session_id) AS sessions, count(*) AS responses,
       printf('$%.2f', total(cost_usd)) || CASE WHEN sum(cost_usd IS NULL) > 0 THEN printf(' + unpriced (%,d tokens)', sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens END)) ELSE '' END AS cost
  FROM claude_usage GROUP BY 1 ORDER BY total(cost_usd) DESC;
.print 'Sessions'
SELECT substr(session_id, 1, 8) AS session, project, min(timestamp) AS started,
       count(*) AS responses, printf('$%.2f', total(cost_usd)) || CASE WHEN sum(cost_usd IS NULL) > 0 THEN printf(' + unpriced (%,d tokens)', sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens END)) ELSE '' END AS cost,
       sum(confidence = 'low') AS low_confidence
  FROM claude_usage GROUP BY session_id ORDER BY started;
.print 'Skipped lines (lumo_diagnostics)'
SELECT file, line, kind, detail FROM lumo_diagnostics;
.print 'Unpriced models (cost NULL, never $0: add a price with lumo_price_set or lumo_prices_load)'
SELECT model, count(*) AS responses, sum(input_tokens + output_tokens) AS tokens
  FROM claude_usage WHERE cost_usd IS NULL GROUP BY model;
