-- blocks: 5-hour billing blocks with ccusage's semantics (ccusage `blocks`): a block starts
-- at its first request floored to the UTC hour and ends 5 hours later; a request more
-- than 5 hours after the block start or after the previous request opens a new block,
-- and a silence of more than 5 hours between requests is a gap row (times compared in whole
-- milliseconds: exactly 5 hours does not split). These are estimates:
-- the real window starts at the first message, up to 59 minutes later than shown.
-- block_id        block start (ISO), or gap-<start> for gaps
-- is_gap          1 for a gap row
-- start_at        block start: first request floored to the hour (UTC)
-- end_at          start_at + 5 hours (for a gap: the next request)
-- actual_end_at   last request in the block
-- is_active       1 when the block is still open now
-- requests        billed requests
-- input_tokens    uncached input
-- output_tokens   output
-- cache_creation_tokens  cache writes, both TTLs
-- cache_read_tokens  cache reads
-- total_tokens    all five buckets
-- cost_usd        cost of the block's requests; NULL when any of them is unpriced
-- models          models, comma-separated (no order promised)
-- tokens_per_minute  burn rate of the active block (total tokens / minutes between first and last request)
-- cost_per_hour   burn rate of the active block in USD per hour
-- projected_tokens  active block: tokens at the block end at the current rate
-- projected_cost_usd  active block: cost at the block end at the current rate
-- priced_cost_usd  cost of the requests with a price
-- unpriced_tokens  tokens of requests without a price (never counted as $0)
DROP VIEW IF EXISTS blocks;
CREATE VIEW blocks AS
-- The blocks lumo_sync cached (blocks_cache) before the seed, then the ones computed
-- from it on (blocks_tail): after an appended message only the last blocks are computed.
WITH b AS (SELECT first_at, start_at, next_first, last_at, requests, input_tokens, output_tokens,
                  cache_creation_tokens, cache_read_tokens, total_tokens, cost_usd, models, unpriced_tokens
             FROM blocks_cache
            WHERE (SELECT seed FROM blocks_seed) IS NULL OR first_at < (SELECT seed FROM blocks_seed)
           UNION ALL
           SELECT * FROM blocks_tail),
  -- cost_usd is the block's whole cost, NULL when a request has no price; priced_cost_usd
  -- the priced part
  full AS (SELECT first_at, start_at, next_first, last_at, requests, input_tokens, output_tokens,
                  cache_creation_tokens, cache_read_tokens, total_tokens,
                  CASE WHEN unpriced_tokens = 0 THEN cost_usd END AS cost_usd, models,
                  cost_usd AS priced_cost_usd, unpriced_tokens,
                  strftime('%Y-%m-%dT%H:%M:%fZ', start_at, '+5 hours') AS end_at FROM b)
SELECT start_at AS block_id, 0 AS is_gap, start_at, end_at, last_at AS actual_end_at,
       (julianday('now') - julianday(last_at)) * 24 < 5 AND julianday('now') < julianday(end_at) AS is_active,
       requests, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_tokens, cost_usd, models,
       CASE WHEN (julianday('now') - julianday(last_at)) * 24 < 5 AND julianday('now') < julianday(end_at) AND last_at > first_at
            THEN total_tokens / ((julianday(last_at) - julianday(first_at)) * 1440) END AS tokens_per_minute,
       CASE WHEN (julianday('now') - julianday(last_at)) * 24 < 5 AND julianday('now') < julianday(end_at) AND last_at > first_at
            THEN cost_usd / ((julianday(last_at) - julianday(first_at)) * 1440) * 60 END AS cost_per_hour,
       CASE WHEN (julianday('now') - julianday(last_at)) * 24 < 5 AND julianday('now') < julianday(end_at) AND last_at > first_at
            THEN round(total_tokens + total_tokens / ((julianday(last_at) - julianday(first_at)) * 1440)
                       * round((julianday(end_at) - julianday('now')) * 1440)) END AS projected_tokens,
       CASE WHEN (julianday('now') - julianday(last_at)) * 24 < 5 AND julianday('now') < julianday(end_at) AND last_at > first_at
            THEN round(cost_usd + cost_usd / ((julianday(last_at) - julianday(first_at)) * 1440)
                       * round((julianday(end_at) - julianday('now')) * 1440), 2) END AS projected_cost_usd,
       priced_cost_usd, unpriced_tokens
  FROM full
UNION ALL
SELECT 'gap-' || strftime('%Y-%m-%dT%H:%M:%fZ', last_at, '+5 hours'), 1, strftime('%Y-%m-%dT%H:%M:%fZ', last_at, '+5 hours'),
       next_first, NULL, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0
  FROM full WHERE next_first IS NOT NULL AND round((julianday(next_first) - julianday(last_at)) * 86400000) > 18000000;
