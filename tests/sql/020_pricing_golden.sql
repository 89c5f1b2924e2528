-- 020_pricing_golden: every hand-checked case of tests/fixtures/pricing-golden.csv
-- (tier boundaries at and one above the threshold, cache-heavy requests, 1h writes,
-- fast mode, US geo, Bedrock/Vertex names, Codex cached input, Gemini thoughts,
-- unknown models) gives the expected USD within 1e-9; unknown models give NULL.
-- Priced at 2026-09-26, the date of the vendor pages the cases were checked against:
-- the prices in force then, whatever today's date is (tests/sql/022_pricing_dated.sql
-- covers the dated changes: a11 before 2026-03-13, the end of Opus 4.8 fast mode, ...).
.mode csv
.import tests/fixtures/pricing-golden.csv golden
.mode list
SELECT id,
       CASE WHEN expected_usd = '' THEN (c IS NULL)
            ELSE abs(c - CAST(expected_usd AS REAL)) < 1e-9 END AS ok,
       printf('%.10g', c) AS lumo_usd, expected_usd
  FROM (SELECT id, expected_usd,
               lumo_cost(model, CAST(input AS INT), CAST(output AS INT), CAST(cache_read AS INT),
                         CAST(cache_write_5m AS INT), CAST(cache_write_1h AS INT),
                         speed, geo, service_tier, NULL, '2026-09-26T00:00:00Z') AS c
          FROM golden);
SELECT count(*) AS cases, sum(ok) AS passing FROM (
  SELECT CASE WHEN expected_usd = '' THEN (c IS NULL) ELSE abs(c - CAST(expected_usd AS REAL)) < 1e-9 END AS ok
    FROM (SELECT expected_usd, lumo_cost(model, CAST(input AS INT), CAST(output AS INT),
                 CAST(cache_read AS INT), CAST(cache_write_5m AS INT), CAST(cache_write_1h AS INT),
                 speed, geo, service_tier, NULL, '2026-09-26T00:00:00Z') AS c FROM golden));
