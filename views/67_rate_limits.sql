-- rate_limit_status: the latest observation of each plan-limit window (Codex writes them
-- with its token counts; table rate_limits keeps every change): how much of the 5-hour
-- (primary) and weekly (secondary) window is used and when it resets. After resets_at the
-- window has started again and the share shown is no longer current (has_reset = 1).
-- agent            codex
-- limit_id         which limit (codex, premium, ...); NULL (builds before limit_id) counts as codex
-- plan_type        the account's plan, NULL when not written
-- window           primary or secondary
-- window_minutes   length of the window
-- used_percent     share of the window's limit used at observed_at, 0-100
-- resets_at        UTC instant the window resets
-- observed_at      UTC instant of the latest observation
-- has_reset        1 when resets_at has passed (the window started again since)
-- minutes_to_reset  whole minutes until resets_at (NULL when passed or unknown)
DROP VIEW IF EXISTS rate_limit_status;
CREATE VIEW rate_limit_status AS
SELECT agent, limit_id, plan_type, window, window_minutes, used_percent, resets_at,
       timestamp AS observed_at,
       CASE WHEN resets_at IS NOT NULL AND unixepoch(resets_at) <= unixepoch('now') THEN 1 ELSE 0 END AS has_reset,
       CASE WHEN resets_at IS NOT NULL AND unixepoch(resets_at) > unixepoch('now')
            THEN (unixepoch(resets_at) - unixepoch('now')) / 60 END AS minutes_to_reset
FROM (SELECT *, row_number() OVER (PARTITION BY agent, coalesce(limit_id, 'codex'), window
                                   ORDER BY timestamp DESC, line DESC, key DESC) AS rn
      FROM rate_limits)
WHERE rn = 1;
