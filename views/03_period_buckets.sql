-- period_buckets: usage_buckets with their local day and hour, for reading one period:
-- a plain (not materialized) view, so a condition on bucket (UTC) uses the table's key
-- and only that period's buckets get their local time computed (buckets_local converts
-- every bucket first). The dashboard's panels read their range through it.
-- bucket          UTC start of the quarter hour, YYYY-MM-DDTHH:MM:00Z
-- agent           agent
-- machine         machine id
-- model           model (NULL when unknown)
-- project         project (NULL when unknown)
-- requests        billed requests
-- priced_requests  requests with a price
-- input_tokens    uncached input
-- output_tokens   output, reasoning included
-- cache_read_tokens  cache reads
-- cache_write_tokens  cache writes, both TTLs
-- total_tokens    all five buckets
-- unpriced_tokens  tokens of requests without a price
-- priced_cost_usd  cost of the priced requests
-- day             local date
-- hour            local hour, 0-23
DROP VIEW IF EXISTS period_buckets;
CREATE VIEW period_buckets AS
SELECT bucket, agent, machine, nullif(model, '') AS model, nullif(project, '') AS project, requests, priced_requests,
       input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens + cache_write_1h_tokens AS cache_write_tokens,
       input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens AS total_tokens,
       unpriced_tokens, priced_cost_usd,
       date(bucket, 'localtime') AS day, CAST(strftime('%H', bucket, 'localtime') AS INTEGER) AS hour
  FROM usage_buckets WHERE bucket <> '';
