-- 00_tables.sql: the team ledger in ClickHouse: the tables `lumo export` and `lumo push`
-- fill (scripts/lumo_export.py), one row per machine and key. ReplacingMergeTree(version)
-- keeps a row's latest state when a machine sends it again (a repeated export, a retried
-- load); copies of one response held by several machines are told apart by the reports
-- (usage_kept), with the winner rule lumo_merge applies. Times stay the text lumo stored
-- (UTC, ISO-8601); the views parse them. Run with clickhouse-client --multiquery (or chdb).
CREATE DATABASE IF NOT EXISTS lumo;

-- usage: one row per billed request as each machine's lumo database keeps it.
CREATE TABLE IF NOT EXISTS lumo.usage (
  machine               String,            -- machine id of the sync that stored the row
  key                   String,            -- agent:message_id:request_id (or agent:machine:file:line)
  version               UInt128,           -- the winner rule's order: larger is the better copy
  agent                 LowCardinality(String),  -- claude, codex, gemini, opencode
  session_id            Nullable(String),  -- session id
  project               Nullable(String),  -- project (mapped or hashed by --project-map)
  git_branch            Nullable(String),  -- git branch
  timestamp             Nullable(String),  -- UTC instant of the kept copy, ISO-8601
  model                 Nullable(String),  -- model id as logged
  input_tokens          Int64,             -- uncached input tokens
  output_tokens         Int64,             -- output tokens, reasoning included
  cache_read_tokens     Int64,             -- cache reads
  cache_write_5m_tokens Int64,             -- 5-minute cache writes
  cache_write_1h_tokens Int64,             -- 1-hour cache writes
  reasoning_tokens      Nullable(Int64),   -- reasoning (inside output), where logged
  web_search_requests   Int64,             -- server-side web searches
  service_tier          Nullable(String),  -- service tier
  speed                 Nullable(String),  -- standard or fast
  inference_geo         Nullable(String),  -- data-residency marker
  is_sidechain          UInt8,             -- 1 for subagent responses
  confidence            Nullable(String),  -- 'low' for streaming placeholders
  cost_usd              Nullable(Float64), -- lumo's cost; NULL when the model has no price
  price_source          Nullable(String),  -- where the price came from
  message_id            Nullable(String),  -- API message id
  request_id            Nullable(String),  -- API request id
  line                  Nullable(Int64),   -- line of the kept copy (winner rule: the earlier wins ties)
  rank_total            Int64,             -- winner rule: token total of the kept copy
  rank_has_speed        UInt8,             -- winner rule: the copy has a speed field
  rank_mtime_ns         Int64,             -- winner rule: mtime of the copy's file
  rank_prefer           UInt8,             -- winner rule: an authoritative copy
  content_bytes         Nullable(Int64),   -- size of the copy's content JSON
  stored_cost_usd       Nullable(Float64), -- the agent's own cost estimate
  cwd                   Nullable(String),  -- working directory (only with --with-paths)
  file                  Nullable(String)   -- source file (only with --with-paths; winner rule: the smaller wins ties)
) ENGINE = ReplacingMergeTree(version) ORDER BY (machine, key);

-- messages: one row per transcript record, without its text.
CREATE TABLE IF NOT EXISTS lumo.messages (
  machine       String,                    -- machine id
  key           String,                    -- agent:uuid (or agent:machine:file:line)
  version       UInt128,                   -- 0: the latest export wins
  agent         LowCardinality(String),    -- agent
  session_id    Nullable(String),          -- session id
  uuid          Nullable(String),          -- the record's uuid
  parent_uuid   Nullable(String),          -- previous record
  timestamp     Nullable(String),          -- UTC instant
  type          Nullable(String),          -- record type
  role          Nullable(String),          -- message role
  model         Nullable(String),          -- model
  message_id    Nullable(String),          -- API message id
  is_sidechain  UInt8,                     -- 1 for subagent records
  content_bytes Nullable(Int64),           -- size of the raw content JSON
  is_rewound    UInt8,                     -- 1 for a Gemini message a checkpoint removed
  line          Nullable(Int64),           -- line
  file          Nullable(String)           -- source file (only with --with-paths)
) ENGINE = ReplacingMergeTree(version) ORDER BY (machine, key);

-- tool_uses: one row per tool call, without its input or result.
CREATE TABLE IF NOT EXISTS lumo.tool_uses (
  machine      String,                     -- machine id
  key          String,                     -- agent:tool_use_id
  version      UInt128,                    -- 1 once the call's result was seen, else 0
  agent        LowCardinality(String),     -- agent
  session_id   Nullable(String),           -- session id
  timestamp    Nullable(String),           -- UTC instant of the call
  message_id   Nullable(String),           -- API message id of the response
  tool_name    Nullable(String),           -- tool name
  is_error     Nullable(UInt8),            -- NULL until a result was seen
  result_bytes Nullable(Int64),            -- size of the result
  line         Nullable(Int64),            -- line of the call
  file         Nullable(String),           -- source file (only with --with-paths)
  project      Nullable(String),           -- project (mapped or hashed by --project-map)
  mcp_server   Nullable(String),           -- server of an MCP tool, else NULL
  mcp_tool     Nullable(String),           -- tool of an MCP tool, else NULL
  duration_ms  Nullable(Int64)             -- call to result, where both are known
) ENGINE = ReplacingMergeTree(version) ORDER BY (machine, key);
-- a ledger made before these columns were exported gets them (NULL in its older rows)
ALTER TABLE lumo.tool_uses ADD COLUMN IF NOT EXISTS project Nullable(String);
ALTER TABLE lumo.tool_uses ADD COLUMN IF NOT EXISTS mcp_server Nullable(String);
ALTER TABLE lumo.tool_uses ADD COLUMN IF NOT EXISTS mcp_tool Nullable(String);
ALTER TABLE lumo.tool_uses ADD COLUMN IF NOT EXISTS duration_ms Nullable(Int64);

-- rate_limits: Codex's plan-limit windows as observed.
CREATE TABLE IF NOT EXISTS lumo.rate_limits (
  machine        String,                   -- machine id
  key            String,                   -- machine:file:line:window
  version        UInt128,                  -- 0
  agent          LowCardinality(String),   -- codex
  session_id     Nullable(String),         -- thread id
  timestamp      Nullable(String),         -- UTC instant of the observation
  limit_id       Nullable(String),         -- which limit
  plan_type      Nullable(String),         -- the account's plan
  window         Nullable(String),         -- primary or secondary
  window_minutes Nullable(Int64),          -- length of the window
  used_percent   Nullable(Float64),        -- share used, 0-100
  resets_at      Nullable(String),         -- UTC instant the window resets
  line           Nullable(Int64),          -- line
  file           Nullable(String)          -- rollout (only with --with-paths)
) ENGINE = ReplacingMergeTree(version) ORDER BY (machine, key);

-- budget_limits: the team's spending limits; the budgets view reports against them.
CREATE TABLE IF NOT EXISTS lumo.budget_limits (
  name       String,                       -- budget name
  period     LowCardinality(String),       -- day, week or month (local, in the session's time zone)
  amount_usd Float64,                      -- the limit
  agent      Nullable(String),             -- only this agent (NULL: all)
  project    Nullable(String),             -- only this project (NULL: all)
  machine    Nullable(String),             -- only this machine (NULL: all): one developer's budget
  updated_at DateTime DEFAULT now()        -- the latest row of a name wins
) ENGINE = ReplacingMergeTree(updated_at) ORDER BY name;

-- team_members: which team each machine's developer belongs to (the teams views).
CREATE TABLE IF NOT EXISTS lumo.team_members (
  machine    String,                       -- machine id, as lumo export writes it
  team       String,                       -- team name
  updated_at DateTime DEFAULT now()        -- the latest row of a machine wins
) ENGINE = ReplacingMergeTree(updated_at) ORDER BY machine;
