-- 080_opencode: opencode_usage over the OpenCode fixtures (tests/fixtures/real/opencode),
-- checked by hand: msg_001 (1000 in, 500 out, cache read 100, write 50; stored cost 0.05)
-- costs 1000x3 + 500x15 + 100x0.30 + 50x3.75 = 10,717.5 micro-USD on Sonnet 4; the
-- aborted message still bills its 120 + 16 tokens (gpt-4o-mini: 120x0.15 + 16x0.60 = 27.6
-- micro-USD) and its object-valued cost is not taken as a stored cost; msg_003 has no
-- tokens: no row; output adds reasoning (0 here).
SELECT message_id, session_id, project, model, input_tokens, output_tokens, cache_read_tokens,
       cache_write_5m_tokens, is_aborted, stored_cost_usd, round(cost_usd, 7) AS cost_usd, source, timestamp
  FROM opencode_usage('tests/fixtures/real/opencode') ORDER BY message_id;
SELECT count(*) AS rows FROM opencode_usage('tests/fixtures/no/such/dir');
