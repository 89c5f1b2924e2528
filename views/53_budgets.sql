-- budgets: spending against each row of budget_limits in its current local period.
-- name            budget name
-- period          day, week or month
-- period_start    local date the current period started
-- amount_usd      the budget
-- spent_usd       cost of the priced requests in the period (agent and project filters applied): with
--                 unpriced_tokens above 0 the real spending is higher, by an unknown amount
-- remaining_usd   amount_usd - spent_usd
-- percent_used    100 * spent / amount
-- status          over (>= 100 %), near (>= 80 %) or ok, of spent_usd
-- unpriced_tokens  tokens in the period of requests without a price (never counted as $0)
DROP VIEW IF EXISTS budgets;
CREATE VIEW budgets AS
WITH ws AS (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM lumo_settings WHERE key = 'week_start'), 1) AS d),
     b AS (SELECT bl.*, CASE bl.period
                  WHEN 'day' THEN date('now', 'localtime')
                  WHEN 'week' THEN date('now', 'localtime', '-' || ((CAST(strftime('%w', 'now', 'localtime') AS INTEGER) + 7 - ws.d) % 7) || ' days')
                  ELSE date('now', 'localtime', 'start of month') END AS period_start
             FROM budget_limits bl, ws),
     spent AS (SELECT b.*, (SELECT total(priced_cost_usd) FROM usage_buckets u
                             WHERE u.bucket >= strftime('%Y-%m-%dT%H:%M:%SZ', b.period_start, 'utc')
                               AND (b.agent IS NULL OR u.agent = b.agent)
                               AND (b.project IS NULL OR u.project = b.project)) AS spent_usd,
                           (SELECT total(unpriced_tokens) FROM usage_buckets u
                             WHERE u.bucket >= strftime('%Y-%m-%dT%H:%M:%SZ', b.period_start, 'utc')
                               AND (b.agent IS NULL OR u.agent = b.agent)
                               AND (b.project IS NULL OR u.project = b.project)) AS unpriced_tokens
                 FROM b)
SELECT name, period, period_start, amount_usd, spent_usd, amount_usd - spent_usd AS remaining_usd,
       100.0 * spent_usd / amount_usd AS percent_used,
       CASE WHEN spent_usd >= amount_usd THEN 'over' WHEN spent_usd >= 0.8 * amount_usd THEN 'near'
            ELSE 'ok' END AS status, CAST(unpriced_tokens AS INTEGER) AS unpriced_tokens
  FROM spent;
