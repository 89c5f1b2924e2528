-- project_groups: the groups of project_group_members (a product made of several
-- repositories), matched by project name so they work across machines and agents.
-- group_name      group
-- projects        member projects with usage, comma-separated
-- sessions        sessions
-- requests        billed requests
-- total_tokens    all five buckets
-- cost_usd        NULL when any request is unpriced
-- priced_cost_usd  cost of the priced requests (cost_usd without the NULL rule)
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
DROP VIEW IF EXISTS project_groups;
CREATE VIEW project_groups AS
SELECT g.group_name, group_concat(DISTINCT p.project) AS projects, sum(p.sessions) AS sessions,
       sum(p.requests) AS requests, sum(p.total_tokens) AS total_tokens,
       CASE WHEN count(p.cost_usd) = count(*) THEN sum(p.cost_usd) END AS cost_usd,
       sum(p.priced_cost_usd) AS priced_cost_usd, sum(p.unpriced_tokens) AS unpriced_tokens
  FROM project_group_members g JOIN projects p ON p.project = g.project
 GROUP BY g.group_name;
