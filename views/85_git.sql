-- git: git and gh operations the agents ran in shell commands (git_ops), per local day,
-- agent, project and operation; success is the shell call's outcome.
-- day             local date (NULL: calls without a time)
-- agent           claude, codex, gemini, opencode
-- project         project (NULL when unknown)
-- operation       git subcommand (commit, push, pull, checkout, ...) or 'gh <group> <command>'
-- runs            operations run
-- succeeded       in calls that succeeded
-- failed          in calls that failed
-- unknown         in calls whose outcome is not known
DROP VIEW IF EXISTS git;
CREATE VIEW git AS
SELECT date(g.timestamp, 'localtime') AS day, g.agent, g.project, g.operation, count(*) AS runs,
       count(CASE WHEN t.is_error = 0 THEN 1 END) AS succeeded, count(CASE WHEN t.is_error = 1 THEN 1 END) AS failed,
       count(CASE WHEN t.is_error IS NULL THEN 1 END) AS unknown
  FROM git_ops g LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = g.tool_key
 GROUP BY 1, 2, 3, 4;
