-- top_sessions.sql: the ten most expensive sessions of a lumo database.
--   sqlite3 ~/.lumo/lumo.db '.read examples/top_sessions.sql'
.mode box
SELECT agent, substr(session_id, 1, 8) AS session, project, started_at,
       round(duration_seconds / 60.0) AS minutes, requests,
       -- a session with unpriced requests: its priced part and the tokens left unpriced, never $0.00
       printf('$%.2f', priced_cost_usd) || CASE WHEN unpriced_tokens > 0
         THEN printf(' + unpriced (%,d tokens)', unpriced_tokens) ELSE '' END AS cost
  FROM sessions ORDER BY priced_cost_usd DESC LIMIT 10;
