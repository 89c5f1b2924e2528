-- projects: one row per project (last path component of the working directory), across
-- agents and machines.
-- project         project name
-- sessions        sessions
-- requests        billed requests
-- total_tokens    all five buckets
-- cost_usd        NULL when any request is unpriced
-- first_at        first request (UTC)
-- last_at         last request (UTC)
-- priced_cost_usd  cost of the priced requests (cost_usd without the NULL rule)
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
DROP VIEW IF EXISTS projects;
CREATE VIEW projects AS
SELECT b.project, s.sessions, b.requests, b.total_tokens, b.cost_usd, s.first_at, s.last_at,
       b.priced_cost_usd, b.unpriced_tokens
  FROM (SELECT project, sum(requests) AS requests, sum(total_tokens) AS total_tokens,
               CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd,
               sum(priced_cost_usd) AS priced_cost_usd, sum(unpriced_tokens) AS unpriced_tokens
          FROM buckets_local GROUP BY project) AS b
  LEFT JOIN (SELECT project, count(*) AS sessions, min(started_at) AS first_at, max(ended_at) AS last_at
               FROM session_totals GROUP BY project) AS s
    ON s.project IS b.project;
