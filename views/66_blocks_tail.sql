-- blocks_tail: the blocks from blocks_seed's seed on, computed from the usage rows (the
-- part of the blocks view that blocks_cache does not hold yet). lumo_sync stores them in
-- blocks_cache; the blocks view adds them to the cached ones.
-- first_at        first request of the block (UTC)
-- start_at        block start: first_at floored to the hour
-- next_first      first request of the next block (NULL for the last)
-- last_at         last request of the block
-- requests        billed requests
-- input_tokens    uncached input
-- output_tokens   output
-- cache_creation_tokens  cache writes, both TTLs
-- cache_read_tokens  cache reads
-- total_tokens    all five buckets
-- cost_usd        cost of the requests with a price
-- models          models, comma-separated (no order promised)
-- unpriced_tokens  tokens of requests without a price
DROP VIEW IF EXISTS blocks_tail;
CREATE VIEW blocks_tail AS
WITH RECURSIVE
  -- A request opens a new block exactly when it is more than 5 h after the block start
  -- (a gap of more than 5 h after the previous request implies it), so the recursion
  -- steps from block to block with one index lookup each, not from request to request.
  starts(first_at) AS (
    SELECT min(timestamp) FROM usage WHERE timestamp >= (SELECT seed FROM blocks_seed)
    UNION ALL
    SELECT (SELECT u.timestamp FROM usage u
             WHERE u.timestamp >= strftime('%Y-%m-%dT%H', s.first_at, '+5 hours')
               AND round((julianday(u.timestamp) - julianday(strftime('%Y-%m-%dT%H:00:00', s.first_at))) * 86400000) > 18000000
             ORDER BY u.timestamp LIMIT 1)
      FROM starts s WHERE s.first_at IS NOT NULL),
  bl AS (SELECT first_at, strftime('%Y-%m-%dT%H:00:00.000Z', first_at) AS start_at,
                lead(first_at) OVER (ORDER BY first_at) AS next_first
           FROM starts WHERE first_at IS NOT NULL),
  -- A block's sums come from the quarter-hour rollup (usage_buckets), not from its rows:
  -- whole quarter hours from its first one (lo) to before the next block's first one
  -- (hi), plus the rows of hi that precede the next block. The quarter hour lo may hold
  -- the previous block's last rows too (a request exactly 5 h after that block's start):
  -- then lo is read from the rows. A block spans more than 4 hours, so parts never overlap.
  q AS (SELECT first_at, start_at, next_first,
               strftime('%Y-%m-%dT%H:', first_at) || printf('%02d', CAST(strftime('%M', first_at) AS INTEGER) / 15 * 15) AS lo,
               strftime('%Y-%m-%dT%H:', next_first) || printf('%02d', CAST(strftime('%M', next_first) AS INTEGER) / 15 * 15) AS hi
          FROM bl),
  edges AS (SELECT first_at, start_at, next_first, lo || ':00Z' AS lo_bucket, coalesce(hi || ':00Z', '9999') AS hi_bucket,
                   hi || ':00.000Z' AS hi_start, strftime('%Y-%m-%dT%H:%M:%fZ', lo, '+15 minutes') AS lo_end,
                   EXISTS (SELECT 1 FROM usage u WHERE u.timestamp >= lo || ':00.000Z' AND u.timestamp < first_at) AS lo_shared
              FROM q),
  parts AS (
    SELECT e.first_at, k.bucket AS seen, nullif(k.model, '') AS model, k.requests, k.input_tokens, k.output_tokens,
           k.cache_write_5m_tokens + k.cache_write_1h_tokens AS cache_creation_tokens, k.cache_read_tokens,
           k.priced_cost_usd AS cost_usd, k.unpriced_tokens
      FROM edges e JOIN usage_buckets k
        ON k.bucket >= e.lo_bucket AND k.bucket < e.hi_bucket AND (k.bucket > e.lo_bucket OR NOT e.lo_shared)
    UNION ALL
    SELECT e.first_at, u.timestamp, u.model, 1, u.input_tokens, u.output_tokens,
           u.cache_write_5m_tokens + u.cache_write_1h_tokens, u.cache_read_tokens, coalesce(u.cost_usd, 0),
           CASE WHEN u.cost_usd IS NULL THEN u.input_tokens + u.output_tokens + u.cache_read_tokens
                + u.cache_write_5m_tokens + u.cache_write_1h_tokens ELSE 0 END
      FROM edges e JOIN usage u ON e.lo_shared AND u.timestamp >= e.first_at AND u.timestamp < e.lo_end
    UNION ALL
    SELECT e.first_at, u.timestamp, u.model, 1, u.input_tokens, u.output_tokens,
           u.cache_write_5m_tokens + u.cache_write_1h_tokens, u.cache_read_tokens, coalesce(u.cost_usd, 0),
           CASE WHEN u.cost_usd IS NULL THEN u.input_tokens + u.output_tokens + u.cache_read_tokens
                + u.cache_write_5m_tokens + u.cache_write_1h_tokens ELSE 0 END
      FROM edges e JOIN usage u ON u.timestamp >= e.hi_start AND u.timestamp < e.next_first),
  b AS (SELECT e.start_at, e.first_at, e.next_first,
               (SELECT max(u.timestamp) FROM usage u WHERE u.timestamp < coalesce(e.next_first, '9999')) AS last_at,
               p.requests, p.input_tokens, p.output_tokens, p.cache_creation_tokens, p.cache_read_tokens,
               p.total_tokens, p.cost_usd, p.models, p.unpriced_tokens
          FROM (SELECT first_at, sum(requests) AS requests, sum(input_tokens) AS input_tokens,
                       sum(output_tokens) AS output_tokens, sum(cache_creation_tokens) AS cache_creation_tokens,
                       sum(cache_read_tokens) AS cache_read_tokens,
                       sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens) AS total_tokens,
                       sum(cost_usd) AS cost_usd, sum(unpriced_tokens) AS unpriced_tokens,
                       group_concat(DISTINCT CASE WHEN model <> '<synthetic>' THEN model END) AS models
                  FROM parts GROUP BY first_at) p
          JOIN edges e ON e.first_at = p.first_at)
SELECT first_at, start_at, next_first, last_at, requests, input_tokens, output_tokens, cache_creation_tokens,
       cache_read_tokens, total_tokens, cost_usd, models, unpriced_tokens
  FROM b;
