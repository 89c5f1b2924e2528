-- budget_check.sql: for scripts and cron: prints every budget, then fails (sqlite3 exits
-- non-zero) when one is over its limit. Core SQLite only: the failure is json() refusing
-- a text that is not JSON, which stops the script under -bail.
--   sqlite3 -bail ~/.lumo/lumo.db '.read examples/budget_check.sql' || notify-send "over budget"
.mode list
.headers on
-- spent_usd is what the priced requests cost; unpriced ones are named, never counted as $0
SELECT name, period, printf('%.2f', spent_usd) || CASE WHEN unpriced_tokens > 0
         THEN printf(' + unpriced (%,d tokens)', unpriced_tokens) ELSE '' END AS spent_usd,
       printf('%.2f', amount_usd) AS amount_usd, status FROM budgets ORDER BY name;
SELECT CASE WHEN EXISTS (SELECT 1 FROM budgets WHERE status = 'over') THEN json('over budget') ELSE 'within budget' END AS budget_check;
