-- machines: one row per machine the usage was synced on.
-- machine         machine id (hostname, or lumo_settings machine)
-- sessions        sessions
-- requests        billed requests
-- total_tokens    all five buckets
-- cost_usd        NULL when any request is unpriced
-- first_at        first request (UTC)
-- last_at         last request (UTC)
DROP VIEW IF EXISTS machines;
CREATE VIEW machines AS
SELECT machine, count(DISTINCT agent || ':' || session_id) AS sessions, count(*) AS requests,
       sum(total_tokens) AS total_tokens,
       CASE WHEN count(cost_usd) = count(*) THEN sum(cost_usd) END AS cost_usd,
       min(timestamp) AS first_at, max(timestamp) AS last_at
  FROM usage_local GROUP BY machine;
