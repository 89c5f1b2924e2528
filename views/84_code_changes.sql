-- code_changes: lines changed per local day, agent and project, beside that day's cost, one
-- row per source: 'transcript' (file_changes of calls that did not fail) and 'telemetry'
-- (OTLP claude_code.lines_of_code.count and gemini_cli.lines.changed increases, where
-- collected). The two count the same edits: compare them, never add them.
-- day             local date (NULL: changes without a time)
-- agent           claude, codex, gemini, opencode
-- project         project (telemetry: the project of the session in usage; NULL when unknown)
-- files           distinct files changed (transcript rows; NULL for telemetry)
-- changes         file changes (transcript rows; NULL for telemetry)
-- lines_added     lines added (transcript: where known)
-- lines_removed   lines removed (transcript: where known)
-- unknown_removed  changes whose removed lines are unknown (transcript rows; NULL for telemetry)
-- cost_usd        the day's cost of the agent in the project; NULL when a request is unpriced (repeated on each source's row)
-- cost_per_line   cost_usd / (lines_added + lines_removed)
-- source          transcript or telemetry
DROP VIEW IF EXISTS code_changes;
CREATE VIEW code_changes AS
WITH ch AS (SELECT date(f.timestamp, 'localtime') AS day, f.agent, f.project, count(DISTINCT f.path) AS files,
                   count(*) AS changes, coalesce(sum(f.lines_added), 0) AS lines_added,
                   coalesce(sum(f.lines_removed), 0) AS lines_removed,
                   count(*) - count(f.lines_removed) AS unknown_removed, 'transcript' AS source
              FROM file_changes f LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = f.tool_key
             WHERE coalesce(t.is_error, 0) = 0
             GROUP BY 1, 2, 3),
     tel AS (SELECT date(o.time, 'localtime') AS day, o.agent,
                    (SELECT u.project FROM usage u WHERE u.session_id = o.session_id AND u.project IS NOT NULL
                      LIMIT 1) AS project,
                    NULL AS files, NULL AS changes,
                    CAST(total(CASE WHEN o.type = 'added' THEN o.increase END) AS INTEGER) AS lines_added,
                    CAST(total(CASE WHEN o.type = 'removed' THEN o.increase END) AS INTEGER) AS lines_removed,
                    NULL AS unknown_removed, 'telemetry' AS source
               FROM otel_increases o
              WHERE o.metric IN ('claude_code.lines_of_code.count', 'gemini_cli.lines.changed')
              GROUP BY 1, 2, 3),
     cost AS (SELECT day, agent, nullif(project, '') AS project,
                     CASE WHEN sum(priced_requests) = sum(requests) THEN sum(priced_cost_usd) END AS cost_usd
                FROM buckets_local GROUP BY 1, 2, 3),
     rows AS (SELECT * FROM ch UNION ALL SELECT * FROM tel)
SELECT r.day, r.agent, r.project, r.files, r.changes, r.lines_added, r.lines_removed, r.unknown_removed,
       cost.cost_usd, cost.cost_usd / nullif(r.lines_added + r.lines_removed, 0) AS cost_per_line, r.source
  FROM rows r LEFT JOIN cost ON cost.day IS r.day AND cost.agent = r.agent AND cost.project IS r.project;
