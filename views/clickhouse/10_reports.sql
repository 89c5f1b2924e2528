-- 10_reports.sql: lumo's report views (views/*.sql) ported to ClickHouse, over every
-- machine's rows in the tables of 00_tables.sql. Local days, weeks, months and hours are
-- in the session's time zone, timezone(): SET session_timezone = 'Europe/Berlin' (or
-- SETTINGS session_timezone = ... on the query) gives the same rows as lumo's views with
-- TZ=Europe/Berlin; weeks start on Monday (lumo_settings week_start's default).
-- Each view reads the tables with FINAL (one row per machine and key), then usage_kept
-- picks, per key, the copy the winner rule keeps (ext/dedup.c, as lumo_merge): the highest
-- version, then the smaller file, the earlier line, the smaller machine. (lumo_merge keeps
-- the first merged database's copy when two machines hold the same file and line; the
-- README's Teams section says where the two differ.)

-- usage_kept: the billed requests of every machine, each response once. Per key the best
-- copy; per message id, when any key has a parent (non-sidechain) copy, the keys with
-- only sidechain copies are replays and left out; when none has, only the best key stays.
CREATE OR REPLACE VIEW lumo.usage_kept AS
SELECT * EXCEPT (group_has_parent, group_rank)
  FROM (SELECT *,
               max(is_sidechain = 0) OVER (PARTITION BY agent, message_id) AS group_has_parent,
               row_number() OVER (PARTITION BY agent, message_id
                                  ORDER BY version DESC, file ASC, line ASC, machine ASC) AS group_rank
          FROM (SELECT * FROM lumo.usage FINAL
                 ORDER BY key, version DESC, file ASC, line ASC, machine ASC
                 LIMIT 1 BY key))
 WHERE message_id IS NULL OR (group_has_parent AND is_sidechain = 0) OR (NOT group_has_parent AND group_rank = 1);

-- usage_local: usage_kept with its local time (the session's time zone) and token sums.
-- A time is parsed only when it looks like one (short-circuit if: the parse would throw),
-- since parseDateTime64BestEffortOrNull is missing from some builds (chdb-core-lite).
CREATE OR REPLACE VIEW lumo.usage_local AS
SELECT *,
       if(match(ifNull(timestamp, ''), '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}'),
                   parseDateTime64BestEffort(ifNull(timestamp, ''), 6, 'UTC'), NULL) AS ts,
       toDate(ts, timezone()) AS day,
       toMonday(ts, timezone()) AS week_start,
       formatDateTime(ts, '%Y-%m', timezone()) AS month,
       toHour(ts, timezone()) AS hour,
       input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens AS total_tokens,
       if(cost_usd IS NULL, total_tokens, 0) AS unpriced_tokens
  FROM lumo.usage_kept;

-- daily: one row per local day, agent and model; cost_usd NULL when any request is unpriced.
CREATE OR REPLACE VIEW lumo.daily AS
SELECT day, agent, model, count() AS requests,
       sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
       sum(u.cache_read_tokens) AS cache_read_tokens, sum(u.cache_write_5m_tokens) AS cache_write_5m_tokens,
       sum(u.cache_write_1h_tokens) AS cache_write_1h_tokens, sum(u.total_tokens) AS total_tokens,
       if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
       sum(ifNull(u.cost_usd, 0)) AS priced_cost_usd, sum(u.unpriced_tokens) AS unpriced_tokens
  FROM lumo.usage_local AS u GROUP BY day, agent, model;

-- weekly: one row per local week (Monday) start, agent and model.
CREATE OR REPLACE VIEW lumo.weekly AS
SELECT week_start, agent, model, count() AS requests,
       sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
       sum(u.cache_read_tokens) AS cache_read_tokens, sum(u.cache_write_5m_tokens) AS cache_write_5m_tokens,
       sum(u.cache_write_1h_tokens) AS cache_write_1h_tokens, sum(u.total_tokens) AS total_tokens,
       if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
       sum(ifNull(u.cost_usd, 0)) AS priced_cost_usd, sum(u.unpriced_tokens) AS unpriced_tokens
  FROM lumo.usage_local AS u GROUP BY week_start, agent, model;

-- monthly: one row per local month (YYYY-MM), agent and model.
CREATE OR REPLACE VIEW lumo.monthly AS
SELECT month, agent, model, count() AS requests,
       sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
       sum(u.cache_read_tokens) AS cache_read_tokens, sum(u.cache_write_5m_tokens) AS cache_write_5m_tokens,
       sum(u.cache_write_1h_tokens) AS cache_write_1h_tokens, sum(u.total_tokens) AS total_tokens,
       if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
       sum(ifNull(u.cost_usd, 0)) AS priced_cost_usd, sum(u.unpriced_tokens) AS unpriced_tokens
  FROM lumo.usage_local AS u GROUP BY month, agent, model;

-- messages_kept: each transcript record once (any machine's copy: they are one record).
CREATE OR REPLACE VIEW lumo.messages_kept AS
SELECT * FROM lumo.messages FINAL ORDER BY key, machine LIMIT 1 BY key;

-- sessions: one row per agent session. machine and project: those of the session's
-- earliest kept request (lumo's view names the machine whose rows were stored first).
CREATE OR REPLACE VIEW lumo.sessions AS
SELECT s.agent AS agent, nullIf(s.sid, '') AS session_id, s.project AS project, s.machine AS machine,
       s.started_at AS started_at, s.ended_at AS ended_at,
       intDiv(s.duration_ms + 500, 1000) AS duration_seconds,  -- whole seconds, half up (round() is half-even)
       s.requests AS requests, ifNull(m.messages, 0) AS messages, s.total_tokens AS total_tokens, s.cost_usd AS cost_usd,
       s.models AS models, s.low_confidence AS low_confidence
  FROM (SELECT agent, ifNull(session_id, '') AS sid,
               argMin(u.project, tuple(u.timestamp, u.key)) AS project,
               argMin(u.machine, tuple(u.timestamp, u.key)) AS machine,
               min(u.timestamp) AS started_at, max(u.timestamp) AS ended_at, count() AS requests,
               toInt64(dateDiff('millisecond', min(u.ts), max(u.ts))) AS duration_ms,
               sum(u.total_tokens) AS total_tokens,
               if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
               nullIf(arrayStringConcat(arraySort(groupUniqArrayIf(u.model, u.model != '')), ','), '') AS models,
               countIf(u.confidence = 'low') AS low_confidence
          FROM lumo.usage_local AS u GROUP BY agent, sid) AS s
  LEFT JOIN (SELECT agent, ifNull(session_id, '') AS sid, count() AS messages
               FROM lumo.messages_kept GROUP BY agent, sid) AS m
    ON m.agent = s.agent AND m.sid = s.sid
SETTINGS join_use_nulls = 1;

-- models: model comparison over all time; share_of_cost of all priced cost.
CREATE OR REPLACE VIEW lumo.models AS
SELECT agent, model, count() AS requests, sum(u.total_tokens) AS total_tokens,
       if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
       sum(ifNull(u.cost_usd, 0)) / nullIf((SELECT sum(ifNull(k.cost_usd, 0)) FROM lumo.usage_kept AS k), 0)
         AS share_of_cost,
       if(count(u.cost_usd) = count(), 1000.0 * sum(ifNull(u.cost_usd, 0)) / nullIf(sum(u.total_tokens), 0), NULL)
         AS cost_per_1k_tokens,
       1.0 * sum(u.cache_read_tokens)
         / nullIf(sum(u.input_tokens + u.cache_read_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens), 0)
         AS cache_hit_rate,
       sum(ifNull(u.cost_usd, 0)) AS priced_cost_usd, sum(u.unpriced_tokens) AS unpriced_tokens
  FROM lumo.usage_local AS u GROUP BY agent, model;

-- projects: one row per project across agents and machines.
CREATE OR REPLACE VIEW lumo.projects AS
SELECT nullIf(b.p, '') AS project, s.sessions AS sessions, b.requests AS requests, b.total_tokens AS total_tokens,
       b.cost_usd AS cost_usd, s.first_at AS first_at, s.last_at AS last_at,
       b.priced_cost_usd AS priced_cost_usd, b.unpriced_tokens AS unpriced_tokens
  FROM (SELECT ifNull(project, '') AS p, count() AS requests, sum(u.total_tokens) AS total_tokens,
               if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
               sum(ifNull(u.cost_usd, 0)) AS priced_cost_usd, sum(u.unpriced_tokens) AS unpriced_tokens
          FROM lumo.usage_local AS u GROUP BY p) AS b
  LEFT JOIN (SELECT ifNull(project, '') AS p, count() AS sessions, min(started_at) AS first_at, max(ended_at) AS last_at
               FROM lumo.sessions GROUP BY p) AS s
    ON s.p = b.p
SETTINGS join_use_nulls = 1;

-- machines: one row per machine whose kept copies are billed.
CREATE OR REPLACE VIEW lumo.machines AS
SELECT b.machine AS machine, s.sessions AS sessions, b.requests AS requests, b.total_tokens AS total_tokens,
       b.cost_usd AS cost_usd, s.first_at AS first_at, s.last_at AS last_at
  FROM (SELECT machine, count() AS requests, sum(u.total_tokens) AS total_tokens,
               if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd
          FROM lumo.usage_local AS u GROUP BY machine) AS b
  LEFT JOIN (SELECT machine, count() AS sessions, min(started_at) AS first_at, max(ended_at) AS last_at
               FROM lumo.sessions GROUP BY machine) AS s
    ON s.machine = b.machine
SETTINGS join_use_nulls = 1;

-- blocks: 5-hour billing blocks with ccusage's semantics, as lumo's blocks view: a block
-- starts at its first request floored to the UTC hour and ends 5 hours later; the first
-- request more than 5 hours (in whole milliseconds) after a block's start opens the next
-- block, and a silence of more than 5 hours between requests is a gap row. Over every
-- machine's requests as one stream, like lumo's view over a lumo_merge'd database (a
-- person's plan window is per account: filter by machine in usage_local for one person's).
-- The chain of block starts steps from block to block over the hours that have requests
-- (hours: for each, its first request and its first after the hour's first millisecond),
-- so a step reads at most 8,784 rows a year whatever the number of requests.
CREATE OR REPLACE VIEW lumo.blocks AS
WITH RECURSIVE
  t AS (SELECT toUnixTimestamp64Milli(ts) AS ms FROM lumo.usage_local WHERE ts IS NOT NULL),
  hours AS (SELECT intDiv(ms, 3600000) * 3600000 AS h, min(ms) AS min_ms, countIf(ms > h) AS n_after,
                   minIf(ms, ms > h) AS min_after
              FROM t GROUP BY h),
  chain AS (
    SELECT min(ms) AS first_ms FROM t HAVING count() > 0
    UNION ALL
    SELECT min(if(s.h = intDiv(c.first_ms, 3600000) * 3600000 + 18000000, s.min_after, s.min_ms)) AS first_ms
      FROM chain AS c, hours AS s
     WHERE s.h > intDiv(c.first_ms, 3600000) * 3600000 + 18000000
        OR (s.h = intDiv(c.first_ms, 3600000) * 3600000 + 18000000 AND s.n_after > 0)
     GROUP BY c.first_ms),
  -- each request's block: the last start at or before it (a running max over requests and starts)
  tagged AS (
    SELECT timestamp, toUnixTimestamp64Milli(ts) AS ms, input_tokens, output_tokens,
           cache_write_5m_tokens + cache_write_1h_tokens AS cache_creation, cache_read_tokens, total_tokens,
           ifNull(cost_usd, 0) AS cost, unpriced_tokens AS unpriced, model, 0 AS is_start
      FROM lumo.usage_local WHERE ts IS NOT NULL
    UNION ALL
    SELECT NULL, first_ms, 0, 0, 0, 0, 0, 0, 0, NULL, 1 FROM chain),
  blocked AS (
    SELECT *, max(if(is_start = 1, ms, -1)) OVER (ORDER BY ms, is_start DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                AS block_ms
      FROM tagged),
  b AS (
    SELECT x.block_ms AS block_ms, min(x.timestamp) AS first_at, max(x.timestamp) AS last_at, max(x.ms) AS last_ms,
           count() AS requests, sum(x.input_tokens) AS input_tokens, sum(x.output_tokens) AS output_tokens,
           sum(x.cache_creation) AS cache_creation_tokens, sum(x.cache_read_tokens) AS cache_read_tokens,
           sum(x.total_tokens) AS total_tokens, sum(x.cost) AS priced_cost, sum(x.unpriced) AS unpriced,
           nullIf(arrayStringConcat(arraySort(groupUniqArrayIf(x.model, x.model != '<synthetic>')), ','), '') AS models
      FROM blocked AS x WHERE x.is_start = 0 GROUP BY x.block_ms),
  full AS (
    SELECT *, intDiv(block_ms, 3600000) * 3600000 AS start_ms, start_ms + 18000000 AS end_ms,
           count() OVER (ORDER BY block_ms ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) > 1 AS has_next,
           if(has_next, leadInFrame(first_at) OVER (ORDER BY block_ms ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING), NULL) AS next_first,
           leadInFrame(block_ms) OVER (ORDER BY block_ms ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_ms,
           concat(formatDateTime(fromUnixTimestamp64Milli(start_ms, 'UTC'), '%Y-%m-%dT%H:%i:%S', 'UTC'), '.000Z') AS start_at,
           concat(formatDateTime(fromUnixTimestamp64Milli(end_ms, 'UTC'), '%Y-%m-%dT%H:%i:%S', 'UTC'), '.000Z') AS end_at,
           concat(formatDateTime(fromUnixTimestamp64Milli(last_ms + 18000000, 'UTC'), '%Y-%m-%dT%H:%i:%S', 'UTC'), '.',
                  leftPad(toString((last_ms + 18000000) % 1000), 3, '0'), 'Z') AS gap_at,
           toUnixTimestamp64Milli(now64(3)) AS now_ms,
           now_ms - last_ms < 18000000 AND now_ms < end_ms AS active,
           active AND last_ms > block_ms AS rated,
           (last_ms - block_ms) / 60000.0 AS minutes
      FROM b)
-- a block and, after it, its gap row (one FROM: a recursive CTE read by both sides of a
-- UNION ALL is not found by chdb 26.5's analyzer)
SELECT if(gap, concat('gap-', gap_at), start_at) AS block_id, toUInt8(gap) AS is_gap,
       if(gap, gap_at, start_at) AS start_at, if(gap, next_first, end_at) AS end_at,
       if(gap, NULL, last_at) AS actual_end_at, toUInt8(NOT gap AND active) AS is_active,
       if(gap, 0, requests) AS requests, if(gap, 0, input_tokens) AS input_tokens,
       if(gap, 0, output_tokens) AS output_tokens, if(gap, 0, cache_creation_tokens) AS cache_creation_tokens,
       if(gap, 0, cache_read_tokens) AS cache_read_tokens, if(gap, 0, total_tokens) AS total_tokens,
       -- the block's cost is unknown (NULL) when a request of it has no price
       if(gap, 0, if(unpriced = 0, priced_cost, NULL)) AS cost_usd, if(gap, NULL, models) AS models,
       if(NOT gap AND rated, total_tokens / minutes, NULL) AS tokens_per_minute,
       if(NOT gap AND rated AND unpriced = 0, priced_cost / minutes * 60, NULL) AS cost_per_hour,
       if(NOT gap AND rated, round(total_tokens + total_tokens / minutes * round((end_ms - now_ms) / 60000.0)), NULL)
         AS projected_tokens,
       if(NOT gap AND rated AND unpriced = 0, round(priced_cost + priced_cost / minutes * round((end_ms - now_ms) / 60000.0), 2), NULL)
         AS projected_cost_usd,
       if(gap, 0, priced_cost) AS priced_cost_usd, if(gap, 0, unpriced) AS unpriced_tokens
  FROM full ARRAY JOIN [false, true] AS gap
 WHERE NOT gap OR (has_next AND next_ms - last_ms > 18000000);

-- budgets: spending against each budget_limits row in its current local period (the
-- session's time zone; weeks from Monday), as lumo's budgets view, with a machine filter
-- (one developer's budget) beside the agent and project ones; status over (>= 100 %),
-- near (>= 80 %) or ok.
CREATE OR REPLACE VIEW lumo.budgets AS
WITH b AS (SELECT name, period, amount_usd, agent, project, machine,
                  toDateTime64(multiIf(period = 'day', today(), period = 'week', toMonday(today()), toStartOfMonth(today())),
                               6, timezone()) AS period_start
             FROM lumo.budget_limits FINAL),
     -- each budget's spending: a 0 row per budget (a budget with no spending shows 0) and
     -- each of its requests in its period
     s AS (SELECT name, sum(cost) AS spent_usd, sum(unpriced) AS unpriced_tokens
             FROM (SELECT name, 0 AS cost, 0 AS unpriced FROM b
                   UNION ALL
                   SELECT b.name, ifNull(u.cost_usd, 0), u.unpriced_tokens FROM b CROSS JOIN lumo.usage_local AS u
                    WHERE u.ts >= b.period_start AND (b.agent IS NULL OR u.agent = b.agent)
                      AND (b.project IS NULL OR u.project = b.project) AND (b.machine IS NULL OR u.machine = b.machine))
            GROUP BY name)
SELECT b.name AS name, b.period AS period, toString(toDate(b.period_start, timezone())) AS period_start,
       b.amount_usd AS amount_usd, s.spent_usd AS spent_usd, b.amount_usd - s.spent_usd AS remaining_usd,
       100.0 * s.spent_usd / b.amount_usd AS percent_used,
       multiIf(s.spent_usd >= b.amount_usd, 'over', s.spent_usd >= 0.8 * b.amount_usd, 'near', 'ok') AS status,
       toInt64(s.unpriced_tokens) AS unpriced_tokens
  FROM b JOIN s ON s.name = b.name;

-- team_daily: one row per local day and team (team_members; NULL: a machine in no team).
CREATE OR REPLACE VIEW lumo.team_daily AS
SELECT u.day AS day, t.team AS team, count() AS requests, uniqExact(u.machine) AS machines,
       sum(u.total_tokens) AS total_tokens,
       if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd,
       sum(ifNull(u.cost_usd, 0)) AS priced_cost_usd, sum(u.unpriced_tokens) AS unpriced_tokens
  FROM lumo.usage_local AS u LEFT JOIN (SELECT machine, team FROM lumo.team_members FINAL) AS t ON t.machine = u.machine
 GROUP BY day, team
SETTINGS join_use_nulls = 1;

-- teams: one row per team over all time: its machines, sessions (by the session's
-- machine, as the sessions view gives it), requests, tokens and cost.
CREATE OR REPLACE VIEW lumo.teams AS
SELECT nullIf(b.team, '') AS team, b.machines AS machines, s.sessions AS sessions, b.requests AS requests,
       b.total_tokens AS total_tokens, b.cost_usd AS cost_usd, s.first_at AS first_at, s.last_at AS last_at
  FROM (SELECT ifNull(t.team, '') AS team, uniqExact(u.machine) AS machines, count() AS requests,
               sum(u.total_tokens) AS total_tokens, if(count(u.cost_usd) = count(), sum(ifNull(u.cost_usd, 0)), NULL) AS cost_usd
          FROM lumo.usage_local AS u LEFT JOIN (SELECT machine, team FROM lumo.team_members FINAL) AS t ON t.machine = u.machine
         GROUP BY team) AS b
  LEFT JOIN (SELECT ifNull(t.team, '') AS team, count() AS sessions, min(x.started_at) AS first_at, max(x.ended_at) AS last_at
               FROM lumo.sessions AS x LEFT JOIN (SELECT machine, team FROM lumo.team_members FINAL) AS t
                 ON t.machine = x.machine
              GROUP BY team) AS s
    ON s.team = b.team
SETTINGS join_use_nulls = 1;

-- tool_uses_kept: each tool call once over all machines: a copy that saw the result
-- (version 1), then the smaller machine.
CREATE OR REPLACE VIEW lumo.tool_uses_kept AS
SELECT * FROM lumo.tool_uses FINAL ORDER BY key, version DESC, machine LIMIT 1 BY key;

-- tools: tool calls per local day, agent and tool, with their outcomes, as lumo's tools
-- view; the median is the exact one, the mean of the two middle durations of an even
-- count, from the sorted durations (quantileExact* are missing from some builds).
CREATE OR REPLACE VIEW lumo.tools AS
SELECT day, agent, tool_name, mcp_server, calls, results, errors, error_rate,
       if(empty(d), NULL, (d[intDiv(length(d) + 1, 2)] + d[intDiv(length(d) + 2, 2)]) / 2) AS median_duration_ms,
       result_bytes
  FROM (SELECT toDate(if(match(ifNull(timestamp, ''), '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}'),
                         parseDateTime64BestEffort(ifNull(timestamp, ''), 6, 'UTC'), NULL), timezone()) AS day,
               agent, tool_name, max(mcp_server) AS mcp_server, count() AS calls, count(is_error) AS results,
               ifNull(sum(is_error), 0) AS errors, sum(is_error) / nullIf(count(is_error), 0) AS error_rate,
               arraySort(groupArray(duration_ms)) AS d, sum(result_bytes) AS result_bytes
          FROM lumo.tool_uses_kept GROUP BY day, agent, tool_name);

-- active_minutes: the UTC minutes (whole minutes since 1970) with a transcript record or
-- a billed request, with the machine that holds it: every copy counts, as in lumo's
-- table, which keeps the minute of every row a sync or merge inserted.
CREATE OR REPLACE VIEW lumo.active_minutes AS
SELECT DISTINCT machine, toInt64(assumeNotNull(m)) AS minute
  FROM (SELECT machine, intDiv(toUnixTimestamp(if(match(ifNull(timestamp, ''), '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}'),
                                                  parseDateTime64BestEffort(ifNull(timestamp, ''), 6, 'UTC'), NULL)), 60) AS m
          FROM (SELECT machine, timestamp FROM lumo.messages FINAL UNION ALL SELECT machine, timestamp FROM lumo.usage FINAL))
 WHERE m IS NOT NULL;

-- activity: runs of activity over all machines' minutes (a minute more than 5 apart from
-- the one before starts a run: lumo's default idle gap of 300 s), as lumo's activity view
-- over a lumo_merge of the machines; each run counts its span, at least 60 s.
CREATE OR REPLACE VIEW lumo.activity AS
SELECT formatDateTime(toDateTime(s * 60, 'UTC'), '%Y-%m-%dT%H:%i', 'UTC') AS started_at,
       formatDateTime(toDateTime(e * 60, 'UTC'), '%Y-%m-%dT%H:%i', 'UTC') AS ended_at,
       toDate(toDateTime(s * 60, 'UTC'), timezone()) AS day, greatest(60, (e - s) * 60) AS active_seconds
  FROM (SELECT min(minute) AS s, max(minute) AS e
          FROM (SELECT minute, sum(starts) OVER (ORDER BY minute ROWS UNBOUNDED PRECEDING) AS run
                  FROM (SELECT minute, minute - lagInFrame(minute, 1, toInt64(-1000000)) OVER (ORDER BY minute
                                 ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) > 5 AS starts
                          FROM (SELECT DISTINCT minute FROM lumo.active_minutes)))
         GROUP BY run);

-- activity_by_machine: the same runs per machine: one developer's working time. Over a
-- team, active hours are the sum of these (two people working in one minute are two
-- minutes of work), where activity counts that minute once.
CREATE OR REPLACE VIEW lumo.activity_by_machine AS
SELECT machine, formatDateTime(toDateTime(s * 60, 'UTC'), '%Y-%m-%dT%H:%i', 'UTC') AS started_at,
       formatDateTime(toDateTime(e * 60, 'UTC'), '%Y-%m-%dT%H:%i', 'UTC') AS ended_at,
       toDate(toDateTime(s * 60, 'UTC'), timezone()) AS day, greatest(60, (e - s) * 60) AS active_seconds
  FROM (SELECT machine, min(minute) AS s, max(minute) AS e
          FROM (SELECT machine, minute, sum(starts) OVER (PARTITION BY machine ORDER BY minute ROWS UNBOUNDED PRECEDING) AS run
                  FROM (SELECT machine, minute, minute - lagInFrame(minute, 1, toInt64(-1000000)) OVER (PARTITION BY machine
                                 ORDER BY minute ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) > 5 AS starts
                          FROM lumo.active_minutes))
         GROUP BY machine, run);

-- efficiency: one row, as lumo's efficiency view over a lumo_merge of the machines: cache
-- hit rate, priced cost per session, per active hour (activity: transcripts only; the
-- telemetry lumo's active_time prefers is not exported) and per thousand priced tokens.
CREATE OR REPLACE VIEW lumo.efficiency AS
SELECT 1.0 * t.cr / nullIf(t.prompt, 0) AS cache_hit_rate, t.usd / nullIf(s.n, 0) AS cost_per_session,
       t.usd / nullIf(a.secs / 3600.0, 0) AS cost_per_active_hour,
       1000.0 * t.usd / nullIf(t.priced_tokens, 0) AS cost_per_1k_tokens, a.secs / 3600.0 AS active_hours
  FROM (SELECT sum(cache_read_tokens) AS cr,
               sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS prompt,
               sum(ifNull(cost_usd, 0)) AS usd, sum(total_tokens) - sum(unpriced_tokens) AS priced_tokens
          FROM lumo.usage_local) AS t
 CROSS JOIN (SELECT toFloat64(sum(active_seconds)) AS secs FROM lumo.activity) AS a
 CROSS JOIN (SELECT count() AS n FROM lumo.sessions) AS s;

-- efficiency_by_machine: the same per machine (the team's own): its kept requests, its
-- sessions (the sessions view's machine) and its developer's active hours.
CREATE OR REPLACE VIEW lumo.efficiency_by_machine AS
SELECT t.machine AS machine, 1.0 * t.cr / nullIf(t.prompt, 0) AS cache_hit_rate,
       t.usd / nullIf(s.n, 0) AS cost_per_session, t.usd / nullIf(a.secs / 3600.0, 0) AS cost_per_active_hour,
       1000.0 * t.usd / nullIf(t.priced_tokens, 0) AS cost_per_1k_tokens, a.secs / 3600.0 AS active_hours
  FROM (SELECT machine, sum(cache_read_tokens) AS cr,
               sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS prompt,
               sum(ifNull(cost_usd, 0)) AS usd, sum(total_tokens) - sum(unpriced_tokens) AS priced_tokens
          FROM lumo.usage_local GROUP BY machine) AS t
  LEFT JOIN (SELECT machine, toFloat64(sum(active_seconds)) AS secs FROM lumo.activity_by_machine GROUP BY machine) AS a
    ON a.machine = t.machine
  LEFT JOIN (SELECT machine, count() AS n FROM lumo.sessions GROUP BY machine) AS s ON s.machine = t.machine
SETTINGS join_use_nulls = 1;
