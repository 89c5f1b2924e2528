-- 014_pushdown: session_id = ? on claude_messages opens only that session's files,
-- and timestamp >= ? skips files (claude_usage: session directories) last written
-- before the bound. The proof is which files the scan reported: pruned files are not
-- read at all, so their bad lines do not show up in lumo_diagnostics.
SELECT count(*) AS rows FROM claude_messages('tests/fixtures/traps/claude')
 WHERE session_id = 'aaaa1111-0000-4000-8000-000000000001';
SELECT file, line FROM lumo_diagnostics WHERE source = 'claude_messages';
-- session aaaa1111 was last written 2026-03-01 11:00, bbbb2222 2026-03-02 10:00, the
-- gzip session 2026-03-04: a bound of 2026-03-03 reads only the gzip file
SELECT message_id FROM claude_usage('tests/fixtures/traps/claude') WHERE timestamp >= '2026-03-03';
SELECT file, line FROM lumo_diagnostics WHERE source = 'claude_usage';
-- a bound between the two sessions reads bbbb2222 but not aaaa1111; the resumed copy
-- of msg_T1 keeps its original timestamp, so pruning by mtime cannot change the answer
SELECT message_id, session_id FROM claude_usage('tests/fixtures/traps/claude')
 WHERE timestamp >= '2026-03-02' ORDER BY 1;
EXPLAIN QUERY PLAN SELECT * FROM claude_messages('x') WHERE session_id = 's' AND timestamp > '2026';
EXPLAIN QUERY PLAN SELECT * FROM claude_usage('x') WHERE session_id = 's';
-- bounds whose nanoseconds do not fit in int64 (after 2262, before 1677) are clamped, not
-- overflowed (UBSan in the -asan run): year 9999 reads no file and finds no row; year
-- 0001 prunes nothing, the 9 rows of the unbounded scan
SELECT count(*) AS after_9999 FROM claude_usage('tests/fixtures/traps/claude') WHERE timestamp >= '9999-01-01';
SELECT file, line FROM lumo_diagnostics WHERE source = 'claude_usage';
SELECT (SELECT count(*) FROM claude_usage('tests/fixtures/traps/claude') WHERE timestamp >= '0001-01-01') AS since_0001,
       (SELECT count(*) FROM claude_usage('tests/fixtures/traps/claude')) AS unbounded;
