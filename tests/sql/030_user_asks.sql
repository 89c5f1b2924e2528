-- 030_user_asks: peers' bug reports with figures (reference: user-asks T-numbers),
-- reproduced with hand-computed expectations. The rest of the T-cases are mapped in
-- tests/T-CASES.md.
-- T10: 1h cache writes are 2x input. Token counts of the report (in 1.9k, out 16.3k,
-- read 4.8M, write 533.8k) on a $10 in / $50 out model: 1,900x10 + 16,300x50 +
-- 4,800,000x1 + 533,800x20 = 16,310,000 micro-USD = $16.31; priced as 5m writes
-- (x12.5) it would be $12.31, the under-count the report measured.
SELECT lumo_price_set('t10-model', 10, 50, 1, 12.5, 20) AS set_rates;
SELECT printf('%.4f', lumo_cost('t10-model', 1900, 16300, 4800000, 0, 533800)) AS t10_1h_usd,
       printf('%.4f', lumo_cost('t10-model', 1900, 16300, 4800000, 533800, 0)) AS t10_as_5m_usd;
-- T11: a 300k-token request on Sonnet 4.5 is priced whole at the long-context rates:
-- 300,000x6 + 1,000x22.50 = 1,822,500 micro-USD (a per-bucket split would give
-- 200,000x3 + 100,000x6 + 1,000x15 = 1,215,000).
SELECT printf('%.6f', lumo_cost('claude-sonnet-4-5', 300000, 1000, 0, 0, 0)) AS t11_usd;
-- T12: fast mode multiplies by the model's own factor: 6x on Opus 4.6, 2x on Opus 4.8
-- (1,000 in + 1,000 out: 0.03 x 6 = 0.18; Opus 4.8 at 5/25: 0.03 x 2 = 0.06).
-- At 2026-09-26: Opus 4.8 fast mode ends 2026-11-30, so "now" would not test it.
SELECT lumo_cost('claude-opus-4-6', 1000, 1000, 0, 0, 0, 'fast', NULL, NULL, NULL, '2026-09-26') AS t12_opus46,
       lumo_cost('claude-opus-4-8', 1000, 1000, 0, 0, 0, 'fast', NULL, NULL, NULL, '2026-09-26') AS t12_opus48;
-- T13: an unknown model is NULL, never 0, and a sum over it stays NULL-aware:
SELECT lumo_cost('glm-5.2', 16097367, 0, 0, 0, 0) IS NULL AS t13_unknown_is_null,
       (SELECT count(*) FROM (SELECT lumo_cost('glm-5.2', 1, 1, 0, 0, 0) AS c) WHERE c IS NULL) AS t13_unpriced_rows;
-- T2: one reply written as several lines gives the same totals whether asked per
-- session or per day (tests/fixtures/traps: msg_T2 is 3 lines, counted once).
SELECT (SELECT sum(output_tokens) FROM claude_usage('tests/fixtures/traps/claude') WHERE session_id LIKE 'aaaa%') AS t2_session_output,
       (SELECT sum(output_tokens) FROM claude_usage('tests/fixtures/traps/claude') WHERE timestamp LIKE '2026-03-01%') AS t2_day_output;
