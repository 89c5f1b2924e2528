-- top_sessions.sql: the ten most expensive sessions of a lumo database.
--   sqlite3 ~/.lumo/lumo.db '.read examples/top_sessions.sql'
.mode box
SELECT agent, substr(session_id, 1, 8) AS session, project, started_at,
       round(duration_seconds / 60.0) AS minutes, requests, printf('$%.2f', cost_usd) AS cost
  FROM sessions ORDER BY cost_usd DESC LIMIT 10;
