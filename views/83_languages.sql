-- languages: lines changed per language (from file extensions), over all time; calls that
-- failed are left out, as in files.
-- language        language (NULL: extension unknown)
-- files           distinct files (project and path)
-- changes         file changes
-- lines_added     lines added (where known)
-- lines_removed   lines removed (where known)
-- unknown_removed  changes whose removed lines are unknown
DROP VIEW IF EXISTS languages;
CREATE VIEW languages AS
SELECT f.language, count(DISTINCT coalesce(f.project, '') || '/' || f.path) AS files, count(*) AS changes,
       coalesce(sum(f.lines_added), 0) AS lines_added, coalesce(sum(f.lines_removed), 0) AS lines_removed,
       count(*) - count(f.lines_removed) AS unknown_removed
  FROM file_changes f LEFT JOIN tool_uses t INDEXED BY tool_uses_outcome ON t.key = f.tool_key
 WHERE coalesce(t.is_error, 0) = 0
 GROUP BY f.language
 ORDER BY coalesce(sum(f.lines_added), 0) + coalesce(sum(f.lines_removed), 0) DESC;
