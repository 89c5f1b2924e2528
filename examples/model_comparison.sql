-- model_comparison.sql: cost share, cost per 1K tokens and cache hit rate per model.
--   sqlite3 ~/.lumo/lumo.db '.read examples/model_comparison.sql'
.mode box
SELECT agent, model, requests, printf('$%.2f', cost_usd) AS cost,
       printf('%.1f%%', 100 * share_of_cost) AS share, printf('$%.4f', cost_per_1k_tokens) AS per_1k,
       printf('%.1f%%', 100 * cache_hit_rate) AS cache_hit
  FROM models ORDER BY cost_usd DESC;
