-- 013_diagnostics: bad lines are skipped, counted and listed with file and line;
-- a missing root is an empty result, not an error; a NULL argument gives no rows;
-- the file-reading tables cannot be used from a persistent view (DIRECTONLY).
SELECT count(*) AS rows FROM claude_usage('tests/fixtures/traps/claude');
SELECT source, file, line, kind, detail FROM lumo_diagnostics ORDER BY source, file, line;
SELECT count(*) AS rows FROM claude_usage('tests/fixtures/no/such/dir');
SELECT count(*) AS diagnostics FROM lumo_diagnostics WHERE source = 'claude_usage';
SELECT count(*) AS rows FROM claude_messages(NULL);
SELECT count(*) AS rows FROM claude_usage;
CREATE TEMP VIEW t AS SELECT count(*) AS n FROM claude_usage('tests/fixtures/traps/claude');
SELECT n AS temp_view_rows FROM t;
-- a source table scanned inside a scan of lumo_diagnostics (a correlated subquery, run
-- once per row) resets the connection's diagnostics each time: the scan reads the copy
-- it took in xFilter (ASan build: no use after free). 3 diagnostics x 9 trap rows.
SELECT count(*) AS diag_rows, sum(n) AS usage_rows FROM (SELECT d.line,
  (SELECT count(*) FROM claude_usage('tests/fixtures/traps/claude') WHERE d.line IS NOT NULL) AS n
  FROM lumo_diagnostics AS d);
CREATE VIEW v AS SELECT count(*) FROM claude_usage('tests/fixtures/traps/claude');
SELECT * FROM v;
