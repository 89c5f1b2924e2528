-- 021_pricing_functions: model-name normalisation (pricing spec section 6), lumo_price,
-- argument errors, NULL handling, loading a LiteLLM file (a changed price is seen; a
-- malformed file is refused naming the problem and the old table stays), overrides.
SELECT column1 AS name, lumo_model(column1) AS key FROM (VALUES ('claude-opus-4-6[1m]'), ('claude-opus-4.6'),
  ('anthropic/claude-sonnet-4-5'), ('claude-sonnet-4-5@20250929'), ('Claude-Sonnet-4-5-20250929'),
  ('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), ('models/gemini-3-flash-preview'),
  ('gpt-5.3-codex'), ('gpt-5-2025-08-07'), ('openrouter/anthropic/claude-sonnet-4.5'),
  ('claude-opus-9-9'), ('gpt-9-turbo'), ('<synthetic>'), (NULL));
SELECT lumo_price('claude-sonnet-4-5', 'input') AS input, lumo_price('claude-sonnet-4-5', 'cache_write_1h') AS w1,
       lumo_price('claude-sonnet-4-5', 'tier_threshold') AS tier, lumo_price('claude-opus-4-6', 'fast_multiplier') AS fast,
       lumo_price('nope', 'input') AS unknown;
SELECT lumo_price('claude-sonnet-4-5', 'bogus');
SELECT lumo_cost('claude-sonnet-4-5', 'abc', 0, 0, 0, 0);
SELECT lumo_cost('claude-sonnet-4-5', -1, 0, 0, 0, 0);
SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0, '{"speed":"fast","bogus":1}');
-- NULL model -> NULL; NULL token counts count as 0; <synthetic> costs 0, unknown is NULL
SELECT lumo_cost(NULL, 1, 1, 1, 1, 1) IS NULL AS null_model, lumo_cost('claude-sonnet-4-5', 1000, 500, NULL, NULL, NULL) AS usd,
       lumo_cost('<synthetic>', 0, 0, 0, 0, 0) AS synthetic, lumo_cost('claude-opus-9-9', 1000, 1000, 0, 0, 0) IS NULL AS unknown_null;
-- options as JSON: web search adds $0.01 a request; fast on opus 4.6 is 6x (a14: 0.21)
SELECT lumo_cost('claude-opus-4-6', 2000, 1000, 0, 0, 0, '{"speed":"fast"}') AS fast,
       lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0, '{"web_search_requests":2}') AS web;
-- a newer price file: sonnet 4.5 input $3 -> $4; 1000 in + 500 out = 0.0115 (was 0.0105)
SELECT lumo_prices_load('tests/fixtures/prices-changed.json') AS models_loaded;
SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0) AS usd_after_load,
       lumo_cost('claude-opus-4-6', 1, 1, 0, 0, 0) IS NULL AS not_in_loaded_file;
SELECT model, source, input, output FROM lumo_prices ORDER BY model;
SELECT lumo_prices_load('tests/fixtures/prices-malformed.json');
SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0) AS usd_still_loaded;
SELECT lumo_prices_load('tests/fixtures/no-such-file.json');
SELECT lumo_prices_load(NULL) > 300 AS builtin_restored, lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0) AS usd;
-- an override wins over every table; NULL rates remove it
SELECT lumo_price_set('my-model', 1, 2, 0.1, 1.25, 2) AS set1;
SELECT lumo_cost('my-model', 1000000, 1000000, 0, 0, 0) AS usd, lumo_model('My-Model') AS key;
SELECT model, source, input FROM lumo_prices WHERE source = 'override';
SELECT lumo_price_set('claude-sonnet-4-5', 2, 10, 0.2, 2.5, 4) AS discount;
SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0) AS usd_discounted;
SELECT lumo_price_set('claude-sonnet-4-5', NULL, NULL, NULL, NULL, NULL) AS removed;
SELECT lumo_cost('claude-sonnet-4-5', 1000, 500, 0, 0, 0) AS usd_list_again;
SELECT count(*) > 300 AS builtin_models, count(DISTINCT source) AS sources FROM lumo_prices;
-- Bad overrides are refused naming the problem, and change nothing (issue 17).
SELECT lumo_price_set('my-model', -1, 2, 0, 0, 0);
SELECT lumo_price_set('my-model', 1, 'two', 0, 0, 0);
SELECT lumo_price_set('my-model', 1, 2, 0, 0, 0, '2026-05-01', '2026-04-01');
SELECT lumo_price_set('my-model', 1, 2, 0, 0, 0, 'May 1st', NULL);
SELECT lumo_price_set('my-model', '1.5', 2, 0, 0, 0) AS numeric_text_ok, lumo_price('my-model', 'input') AS input;
-- Dated overrides: disjoint ranges of one model coexist, an overlap is refused, each
-- request takes the one in force at its time (the unbounded one above first removed).
SELECT lumo_price_set('my-model', NULL, NULL, NULL, NULL, NULL) AS removed_all;
SELECT lumo_price_set('my-model', 1, 2, 0, 0, 0, NULL, '2026-04-01') AS until_april,
       lumo_price_set('my-model', 3, 4, 0, 0, 0, '2026-04-01', NULL) AS from_april;
SELECT lumo_price_set('my-model', 5, 6, 0, 0, 0, '2026-03-01', '2026-05-01');
SELECT lumo_cost('my-model', 1000000, 0, 0, 0, 0, '2026-03-31T23:59:59Z') AS march,
       lumo_cost('my-model', 1000000, 0, 0, 0, 0, '2026-04-01T00:00:00Z') AS april,
       lumo_price('my-model', 'output', '2026-01-01') AS jan_output;
SELECT model, source, valid_from, valid_to, input FROM lumo_prices WHERE source = 'override' ORDER BY valid_from;
SELECT lumo_price_set('my-model', NULL, NULL, NULL, NULL, NULL, NULL, '2026-04-01') AS removed_first,
       lumo_cost('my-model', 1000000, 0, 0, 0, 0, '2026-03-01') IS NULL AS march_unpriced_again;
SELECT lumo_price_set('my-model', NULL, NULL, NULL, NULL, NULL);
-- A bad time argument is an error, not "now".
SELECT lumo_cost('claude-sonnet-4-5', 1, 1, 0, 0, 0, NULL, 'yesterday');
-- lumo_prices reads the tables it started with: loading a file or setting an override
-- while the scan runs neither crashes nor changes the rows it returns (issue 16.3).
SELECT count(*) AS rows_seen, count(DISTINCT model) > 2000 AS builtin_models_seen, sum(x) AS loaded,
       sum(y) AS overridden, sum(model = 'scan-model') AS override_seen FROM (
  SELECT CASE WHEN rowid = 5 THEN lumo_prices_load('tests/fixtures/prices-changed.json') END AS x,
         CASE WHEN rowid = 7 THEN lumo_price_set('scan-model', 1, 1, 0, 0, 0) END AS y, model FROM lumo_prices);
SELECT count(*) AS rows_after, sum(source = 'override') AS overrides_after FROM lumo_prices;
SELECT lumo_prices_load(NULL) > 2000 AS restored, lumo_price_set('scan-model', NULL, NULL, NULL, NULL, NULL) AS removed;
-- Not deterministic (issue 16.4): an index on lumo_cost(...) would go stale when an
-- override changes its result; SQLite refuses such an index, so integrity_check stays ok.
CREATE TABLE req(model TEXT, i INT, o INT);
INSERT INTO req VALUES ('claude-sonnet-4-5', 1000, 500), ('claude-opus-4-6', 10, 10);
CREATE INDEX req_cost ON req(lumo_cost(model, i, o, 0, 0, 0));
SELECT lumo_price_set('claude-sonnet-4-5', 30, 150, 0, 0, 0) AS override;
SELECT count(*) AS dear FROM req WHERE lumo_cost(model, i, o, 0, 0, 0) > 0.1;
PRAGMA integrity_check;
SELECT lumo_price_set('claude-sonnet-4-5', NULL, NULL, NULL, NULL, NULL) AS removed;
