-- work_events: one row per tool call, file change and git operation of the transcripts,
-- with the time, agent, project and machine a period's panels filter on (the
-- dashboard's session page). The dashboard's period panels read the same rows and outcome
-- rule from the rollups tool_buckets and change_buckets (git operations from git_ops by
-- its git_ops_time index). The outcome comes from the tool_uses_outcome index (key,
-- is_error): a call's row keeps is_error after its whole input.
-- kind            tool_call, file_change or git
-- timestamp       UTC instant of the call
-- agent           claude, codex, gemini, opencode
-- project         project (NULL when unknown)
-- machine         machine id
-- session_id      session id
-- name            tool name (tool_call), file path (file_change) or operation (git: commit, push, 'gh pr create', ...)
-- is_error        the call's outcome: 1 failed, 0 succeeded, NULL not known
-- lines_added     lines added (file_change, where known)
-- lines_removed   lines removed (file_change, where known)
DROP VIEW IF EXISTS work_events;
CREATE VIEW work_events AS
SELECT 'tool_call' AS kind, t.timestamp, t.agent, t.project, t.machine, t.session_id, t.tool_name AS name, t.is_error,
       NULL AS lines_added, NULL AS lines_removed
  FROM tool_uses t
UNION ALL
SELECT 'file_change', f.timestamp, f.agent, f.project, f.machine, f.session_id, f.path, t.is_error, f.lines_added, f.lines_removed
  FROM file_changes f LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = f.tool_key
UNION ALL
SELECT 'git', g.timestamp, g.agent, g.project, g.machine, g.session_id, g.operation, t.is_error, NULL, NULL
  FROM git_ops g LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = g.tool_key;
