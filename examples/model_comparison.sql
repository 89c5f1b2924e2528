-- model_comparison.sql: cost share, cost per 1K tokens and cache hit rate per model.
--   sqlite3 ~/.lumo/lumo.db '.read examples/model_comparison.sql'
.mode box
-- A model with unpriced requests shows its priced part and the tokens left unpriced, never $0.00.
SELECT agent, model, requests,
       printf('$%.2f', priced_cost_usd) || CASE WHEN unpriced_tokens > 0
         THEN printf(' + unpriced (%,d tokens)', unpriced_tokens) ELSE '' END AS cost,
       printf('%.1f%%', 100 * share_of_cost) AS share,
       CASE WHEN cost_per_1k_tokens IS NULL THEN 'unpriced' ELSE printf('$%.4f', cost_per_1k_tokens) END AS per_1k,
       printf('%.1f%%', 100 * cache_hit_rate) AS cache_hit
  FROM models ORDER BY priced_cost_usd DESC;
