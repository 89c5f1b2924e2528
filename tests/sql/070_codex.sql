-- 070_codex: codex_usage over the real Codex fixtures (tests/fixtures/real/codex,
-- PROVENANCE.md), checked by hand from the files:
-- session-multi: (100-20, 50) with o4-mini, (200-40, 70) o4-mini, its two re-emissions and
--   the event whose total does not move skipped, (200-40, 80) gpt-4.1: input 400, output 200;
-- multi-leaf: a replayed 238.7M-token prefix whose turns started on 2026-04-01 is skipped,
--   only the native turn counts: (5000-3000, 500); the non-JSON line is reported;
-- fresh-thread: the fork's own turn starts at the fork instant: all three events count,
--   (1000-600) + (1000-800) + (1000-1000) = 600 input, 50 + 40 + 30 = 120 output;
-- test-ratelimit-session: no turn_context, so model NULL and cost NULL (never guessed);
--   the info:null event carries nothing.
SELECT file, count(*) AS requests, sum(input_tokens) AS input, sum(output_tokens) AS output,
       sum(cache_read_tokens) AS cache_read, group_concat(DISTINCT model) AS models,
       max(is_fork) AS fork, sum(cost_usd IS NULL) AS unpriced
  FROM codex_usage('tests/fixtures/real/codex') GROUP BY file ORDER BY file;
SELECT file, line, kind FROM lumo_diagnostics WHERE source = 'codex_usage';
-- aide-gpt-5 (a custom model name) has no price: NULL, not 0 (T13)
SELECT model, count(*) AS requests, sum(cost_usd IS NULL) AS unpriced, total(cost_usd) AS priced_sum
  FROM codex_usage('tests/fixtures/real/codex') WHERE model = 'aide-gpt-5' GROUP BY model;
SELECT count(*) AS rows FROM codex_usage('tests/fixtures/no/such/dir');
-- codex_messages (tests/check_messages.py checks each item against a json reading): per
-- file, items by role; and a missing root
SELECT file, count(*) AS items, sum(role = 'user') AS user, sum(role = 'assistant') AS assistant,
       sum(role = 'tool') AS tool, sum(is_replay) AS replay
  FROM codex_messages('tests/fixtures/real/codex') GROUP BY file ORDER BY file;
SELECT count(*) AS rows FROM codex_messages('tests/fixtures/no/such/dir');
