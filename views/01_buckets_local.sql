-- buckets_local: usage_buckets with local time: the fast base of the period views.
-- Every local field comes from the same expression as usage_local (SQLite's 'localtime').
-- bucket          UTC start of the quarter hour
-- agent           agent
-- machine         machine id
-- model           model (NULL when unknown)
-- project         project (NULL when unknown)
-- requests        billed requests
-- priced_requests  requests with a price
-- input_tokens    uncached input
-- output_tokens   output, reasoning included
-- cache_read_tokens  cache reads
-- cache_write_5m_tokens  5-minute cache writes
-- cache_write_1h_tokens  1-hour cache writes
-- unpriced_tokens  tokens of requests without a price
-- priced_cost_usd  cost of the priced requests
-- local_time      local date and time of the bucket start
-- day             local date
-- week_start      local date the week starts (lumo_settings week_start, default Monday)
-- month           local month, YYYY-MM
-- hour            local hour, 0-23
-- total_tokens    all five buckets
DROP VIEW IF EXISTS buckets_local;
CREATE VIEW buckets_local AS
-- Materialized so that each bucket's local time is computed once (a flattened subquery
-- would repeat the 'localtime' conversion for every column that uses it).
WITH b AS MATERIALIZED (SELECT usage_buckets.*, datetime(nullif(bucket, ''), 'localtime') AS local_time FROM usage_buckets),
     ws AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1) AS d)
SELECT b.bucket, b.agent, b.machine, nullif(b.model, '') AS model, nullif(b.project, '') AS project,
       b.requests, b.priced_requests, b.input_tokens, b.output_tokens, b.cache_read_tokens,
       b.cache_write_5m_tokens, b.cache_write_1h_tokens, b.unpriced_tokens, b.priced_cost_usd,
       b.local_time, date(b.local_time) AS day,
       date(b.local_time, '-' || ((CAST(strftime('%w', b.local_time) AS INTEGER) + 7 - ws.d) % 7) || ' days') AS week_start,
       strftime('%Y-%m', b.local_time) AS month,
       CAST(strftime('%H', b.local_time) AS INTEGER) AS hour,
       b.input_tokens + b.output_tokens + b.cache_read_tokens + b.cache_write_5m_tokens + b.cache_write_1h_tokens AS total_tokens
  FROM b, ws;
