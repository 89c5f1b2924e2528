-- 022_pricing_dated: prices in force on the request's date (pricing spec section 7,
-- issue 17 point 2). lumo_cost's last argument is the request's ISO-8601 time (alone
-- as the 7th argument, after a JSON options object or NULL as the 8th, after the four
-- positional options as the 11th, or "timestamp" inside the JSON object).
-- a11 (Opus 4.6, 500,020 input tokens): $0.8427 before 2026-03-13 (long context
-- 10/37.50), $0.4401 from then on; same for its Bedrock and Vertex names.
SELECT lumo_cost('claude-opus-4-6', 20, 3000, 480000, 20000, 0, '2026-03-12T23:59:59.999Z') AS a11_old,
       lumo_cost('claude-opus-4-6', 20, 3000, 480000, 20000, 0, '2026-03-13T00:00:00Z') AS a11_new,
       lumo_cost('claude-opus-4-6', 20, 3000, 480000, 20000, 0, '{"timestamp":"2026-02-20T10:00:00+01:00"}') AS a11_json,
       lumo_cost('claude-opus-4-6', 20, 3000, 480000, 20000, 0, NULL, '2026-02-20') AS a11_null_opts,
       lumo_cost('claude-opus-4-6', 20, 3000, 480000, 20000, 0, NULL, NULL, NULL, NULL, '2026-02-20') AS a11_positional;
SELECT printf('%.6f', lumo_cost('global.anthropic.claude-opus-4-6-v1', 20, 3000, 480000, 20000, 0, '2026-03-01')) AS bedrock_global_old,
       printf('%.6f', lumo_cost('us.anthropic.claude-opus-4-6-v1', 20, 3000, 480000, 20000, 0, '2026-03-01')) AS bedrock_us_old,
       printf('%.6f', lumo_cost('claude-opus-4-6@default', 20, 3000, 480000, 20000, 0, '2026-03-01')) AS vertex_old;
-- Sonnet 4.6 above 200K before the GA: 6 / 22.50; below 200K no change.
SELECT lumo_cost('claude-sonnet-4-6', 250000, 1000, 0, 0, 0, '2026-03-01') AS sonnet46_long_old,
       lumo_cost('claude-sonnet-4-6', 250000, 1000, 0, 0, 0, '2026-04-01') AS sonnet46_long_new,
       lumo_cost('claude-sonnet-4-6', 1000, 1000, 0, 0, 0, '2026-03-01') = lumo_cost('claude-sonnet-4-6', 1000, 1000, 0, 0, 0, '2026-04-01') AS short_same;
-- GPT-5.6 Sol: $0.24 at list, $0.18 during the promotion (20,000 / 100,000 cached / 3,000).
SELECT lumo_cost('gpt-5.6-sol', 20000, 3000, 100000, 0, 0, '2026-08-01') AS sol_launch,
       lumo_cost('gpt-5.6-sol', 20000, 3000, 100000, 0, 0, '2026-10-01') AS sol_promo,
       lumo_cost('gpt-5.6-sol', 20000, 3000, 100000, 0, 0, '2026-11-21') AS sol_after;
-- Fast mode ends: Opus 4.7 on 2026-07-24, Opus 4.8 on 2026-11-30 (a16: 0.12 with fast).
SELECT lumo_cost('claude-opus-4-8', 2000, 1000, 50000, 0, 0, 'fast', NULL, NULL, NULL, '2026-11-29') AS a16_fast,
       lumo_cost('claude-opus-4-8', 2000, 1000, 50000, 0, 0, 'fast', NULL, NULL, NULL, '2026-11-30') AS a16_after_end,
       lumo_cost('claude-opus-4-7', 1000, 1000, 0, 0, 0, 'fast', NULL, NULL, NULL, '2026-07-23') AS o47_fast,
       lumo_cost('claude-opus-4-7', 1000, 1000, 0, 0, 0, 'fast', NULL, NULL, NULL, '2026-07-24') AS o47_after_end;
-- Gemini 1.5 Pro (Gemini API): $3.50 / $10.50 before Google's 2024-10-01 cut, $1.25 / $5 after.
SELECT lumo_cost('gemini/gemini-1.5-pro', 1000000, 1000000, 0, 0, 0, '2024-09-30') AS g15_before,
       lumo_cost('gemini/gemini-1.5-pro', 1000000, 1000000, 0, 0, 0, '2024-10-01') AS g15_after;
-- The rows behind it: validity ranges in lumo_prices never overlap for a model.
SELECT model, valid_from, valid_to, tier_threshold, input, output, input_above_tier, derived
  FROM lumo_prices WHERE model IN ('claude-opus-4-6', 'gpt-5.6-sol', 'claude-opus-4-8') ORDER BY model, valid_from;
SELECT count(*) AS overlapping_pairs FROM lumo_prices a JOIN lumo_prices b
    ON a.model = b.model AND a.rowid < b.rowid
   AND (a.valid_to IS NULL OR b.valid_from IS NULL OR b.valid_from < a.valid_to)
   AND (b.valid_to IS NULL OR a.valid_from IS NULL OR a.valid_from < b.valid_to);
SELECT lumo_price('claude-opus-4-6', 'tier_threshold', '2026-03-01') AS tier_old,
       lumo_price('claude-opus-4-6', 'tier_threshold', '2026-03-13') AS tier_new;
