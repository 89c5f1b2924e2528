-- machines: one row per machine the usage was synced on.
-- machine         machine id (hostname, or lumo_settings machine)
-- sessions        sessions whose first stored request came from the machine
-- requests        billed requests
-- total_tokens    all five buckets
-- cost_usd        NULL when any request is unpriced
-- first_at        first request (UTC)
-- last_at         last request (UTC)
-- priced_cost_usd  cost of the priced requests (cost_usd without the NULL rule)
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
DROP VIEW IF EXISTS machines;
CREATE VIEW machines AS
SELECT b.machine, s.sessions, b.requests, b.total_tokens, b.cost_usd, s.first_at, s.last_at,
       b.priced_cost_usd, b.unpriced_tokens
  FROM (SELECT machine, sum(requests) AS requests, sum(total_tokens) AS total_tokens,
               CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd,
               sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens
          FROM buckets_local GROUP BY machine) AS b
  LEFT JOIN (SELECT machine, count(*) AS sessions, min(started_at) AS first_at, max(ended_at) AS last_at
               FROM session_totals GROUP BY machine) AS s
    ON s.machine = b.machine;
