-- code_changes: lines changed per local day, agent and project, from transcripts (file_changes
-- of calls that did not fail), beside that day's cost.
-- day             local date (NULL: changes without a time)
-- agent           claude, codex, gemini
-- project         project (NULL when unknown)
-- files           distinct files changed
-- changes         file changes
-- lines_added     lines added (where known)
-- lines_removed   lines removed (where known)
-- unknown_removed  changes whose removed lines are unknown
-- cost_usd        the day's cost of the agent in the project; NULL when a request is unpriced
-- cost_per_line   cost_usd / (lines_added + lines_removed)
-- source          where the figures come from: 'transcript'
DROP VIEW IF EXISTS code_changes;
CREATE VIEW code_changes AS
WITH ch AS (SELECT date(f.timestamp, 'localtime') AS day, f.agent, f.project, count(DISTINCT f.path) AS files,
                   count(*) AS changes, coalesce(sum(f.lines_added), 0) AS lines_added,
                   coalesce(sum(f.lines_removed), 0) AS lines_removed,
                   count(*) - count(f.lines_removed) AS unknown_removed
              FROM file_changes f LEFT JOIN tool_uses t ON t.key = f.tool_key
             WHERE coalesce(t.is_error, 0) = 0
             GROUP BY 1, 2, 3),
     cost AS (SELECT day, agent, nullif(project, '') AS project,
                     CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd
                FROM buckets_local GROUP BY 1, 2, 3)
SELECT ch.*, cost.cost_usd, cost.cost_usd / nullif(ch.lines_added + ch.lines_removed, 0) AS cost_per_line,
       'transcript' AS source
  FROM ch LEFT JOIN cost ON cost.day IS ch.day AND cost.agent = ch.agent AND cost.project IS ch.project;
