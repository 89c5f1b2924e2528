-- files: the files the agents changed, most changed first (file_changes of calls that did
-- not fail; a call whose outcome is unknown counts).
-- project         project of the session
-- path            file path as the calls name it
-- language        from the extension (NULL: unknown)
-- changes         calls that changed it
-- lines_added     lines added (the changes whose count is known)
-- lines_removed   lines removed (the changes whose count is known)
-- unknown_removed  changes whose removed lines the transcript cannot tell (Write over a file, a deleted file)
-- sessions        sessions that changed it
-- agents          agents that changed it, comma-separated
-- last_touched    UTC instant of the last change
DROP VIEW IF EXISTS files;
CREATE VIEW files AS
SELECT f.project, f.path, max(f.language) AS language, count(*) AS changes,
       coalesce(sum(f.lines_added), 0) AS lines_added, coalesce(sum(f.lines_removed), 0) AS lines_removed,
       count(*) - count(f.lines_removed) AS unknown_removed, count(DISTINCT f.session_id) AS sessions,
       group_concat(DISTINCT f.agent) AS agents, max(f.timestamp) AS last_touched
  FROM file_changes f LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = f.tool_key
 WHERE coalesce(t.is_error, 0) = 0
 GROUP BY f.project, f.path
 ORDER BY count(*) DESC, coalesce(sum(f.lines_added), 0) + coalesce(sum(f.lines_removed), 0) DESC, f.path;
