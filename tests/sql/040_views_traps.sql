-- 040_views_traps: lumo_sync of the hand-made traps into a database, then the report
-- views. Expected values worked by hand (tests/fixtures/traps/README.md and the costs
-- in 010_traps_usage.sql): 2026-03-01 Sonnet 4.5 = T1 + T2 + T4 + N1 + P1 = 5 requests,
-- input 3+4+2+1+1 = 11, output 159+8+50+20+2 = 239, cost 5694+132+1056+303+33 = 7218
-- micro-USD. Weeks start on Monday: 2026-03-01 is a Sunday (week of 2026-02-23).
CREATE TABLE lumo_settings (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO lumo_settings VALUES ('machine', 'test-machine');
SELECT json_extract(lumo_sync('tests/fixtures/traps/claude'), '$.files_read') AS files_read;
SELECT json_extract(lumo_sync('tests/fixtures/traps/claude'), '$.files_read') AS files_read_again;
SELECT day, model, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_1h_tokens,
       printf('%.7f', cost_usd) AS cost_usd, unpriced_tokens FROM daily ORDER BY day, model;
SELECT week_start, sum(requests) AS requests FROM weekly GROUP BY 1 ORDER BY 1;
SELECT month, sum(requests) AS requests, printf('%.7f', sum(cost_usd)) AS cost_usd FROM monthly GROUP BY 1;
SELECT session_id, project, machine, requests, messages, duration_seconds, low_confidence FROM sessions ORDER BY session_id;
SELECT kind, message_id, records, replace(text, char(10), '|') AS text FROM session_messages
 WHERE session_id LIKE 'aaaa%' AND kind <> 'tool_result' ORDER BY timestamp, line;
SELECT tool_name, is_error, result_bytes FROM tool_uses ORDER BY key;
INSERT INTO project_group_members VALUES ('product', 'app'), ('product', 'ansible'), ('other', 'nothing');
SELECT group_name, projects, sessions, requests FROM project_groups ORDER BY 1;
SELECT project, sessions, requests FROM projects ORDER BY 1;
SELECT requests, sessions, input_tokens, output_tokens, printf('%.7f', cost_usd) AS cost_usd, unpriced_tokens FROM dashboard;
-- an unpriced model shows NULL cost and its tokens, never $0 (T13)
UPDATE usage SET cost_usd = NULL, model = 'glm-5.2' WHERE message_id = 'msg_W1';
SELECT day, model, cost_usd, priced_cost_usd, unpriced_tokens FROM daily WHERE day = '2026-03-03';
SELECT unpriced_tokens, unpriced_models FROM dashboard;
INSERT INTO budget_limits VALUES ('app monthly', 'month', 10, NULL, 'app');
SELECT name, spent_usd, status FROM budgets;
-- active time by hand: minutes 10:00-10:06 on 03-01 are one run (360 s), 09:00 on 03-02 a
-- lone minute (60 s), 23:29-23:30 on 03-03 one run of 60 s: 480 s; the activity view and
-- lumo_active_seconds over the same minutes agree.
SELECT (SELECT total(active_seconds) FROM activity) AS view_seconds,
       (SELECT lumo_active_seconds(strftime('%Y-%m-%dT%H:%M:00Z', minute * 60, 'unixepoch')) FROM active_minutes) AS function_seconds,
       (SELECT active_seconds FROM dashboard) AS dashboard_seconds;
SELECT stretch, started_at, ended_at, minutes, level FROM work_stretches ORDER BY stretch;
SELECT longest_days, longest_from, longest_to, active_days FROM streaks;
SELECT length, sessions FROM session_lengths;
SELECT weekday, hour, requests, active_minutes FROM hourly ORDER BY weekday, hour;
SELECT block_id, is_gap, start_at, end_at, requests FROM blocks ORDER BY start_at, is_gap;
