-- schema.sql: the lumo database: ordinary tables that keep what the source tables read,
-- so history survives the agents' own cleanup and any SQLite client can read it.
-- lumo_sync() applies this file (compiled into the extension) before every sync; each
-- statement is idempotent. Times are UTC instants as the agents wrote them (ISO-8601,
-- "Z"); no local day is ever stored (views derive it, so a zone change moves nothing).
-- Version history: 1 = first schema. A migration adds "ALTER TABLE" steps below the
-- tables and bumps lumo_schema_version.

CREATE TABLE IF NOT EXISTS lumo_schema_version (version INTEGER NOT NULL);
INSERT INTO lumo_schema_version (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM lumo_schema_version);

-- usage: one row per billed request, deduplicated across files, sessions, syncs and
-- machines by `key` with the winner rule of the source tables (largest copy wins).
CREATE TABLE IF NOT EXISTS usage (
  key                   TEXT PRIMARY KEY,  -- agent:message_id:request_id (or agent:machine:file:line without an id)
  agent                 TEXT NOT NULL,     -- claude, codex, gemini, opencode
  machine               TEXT NOT NULL,     -- machine id of the sync that stored the kept copy
  session_id            TEXT,
  project               TEXT,              -- last path component of the session's first cwd
  cwd                   TEXT,
  git_branch            TEXT,
  timestamp             TEXT,              -- UTC instant of the kept copy
  model                 TEXT,
  input_tokens          INTEGER NOT NULL DEFAULT 0,
  output_tokens         INTEGER NOT NULL DEFAULT 0,  -- reasoning included
  cache_read_tokens     INTEGER NOT NULL DEFAULT 0,
  cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens      INTEGER,           -- informational subset of output, where logged
  web_search_requests   INTEGER NOT NULL DEFAULT 0,
  service_tier          TEXT,
  speed                 TEXT,
  inference_geo         TEXT,
  is_sidechain          INTEGER NOT NULL DEFAULT 0,
  confidence            TEXT,              -- 'low' for streaming placeholders
  cost_usd              REAL,              -- NULL when the model has no price
  price_source          TEXT,              -- built-in, loaded file, override; NULL when unpriced
  message_id            TEXT,
  request_id            TEXT,
  file                  TEXT,              -- source file (relative to its root) of the kept copy
  line                  INTEGER,
  rank_total            INTEGER NOT NULL,  -- winner rule: token total of the kept copy
  rank_has_speed        INTEGER NOT NULL,
  rank_mtime_ns         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_message ON usage (message_id);
CREATE INDEX IF NOT EXISTS usage_time ON usage (timestamp);
CREATE INDEX IF NOT EXISTS usage_session ON usage (session_id);

-- messages: one row per transcript record (user, assistant, system, summary); the
-- streaming copies of one response are separate records here and merged by the
-- session_messages view.
CREATE TABLE IF NOT EXISTS messages (
  key          TEXT PRIMARY KEY,  -- agent:uuid (or agent:machine:file:line without a uuid)
  agent        TEXT NOT NULL,
  machine      TEXT NOT NULL,
  session_id   TEXT,
  uuid         TEXT,
  parent_uuid  TEXT,
  timestamp    TEXT,
  type         TEXT,
  role         TEXT,
  model        TEXT,
  message_id   TEXT,
  is_sidechain INTEGER NOT NULL DEFAULT 0,
  text         TEXT,              -- text blocks joined
  content_bytes INTEGER,          -- size of the raw content JSON
  file         TEXT,
  line         INTEGER
);
CREATE INDEX IF NOT EXISTS messages_session ON messages (session_id, timestamp);

-- tool_uses: one row per tool call, with the outcome of its result.
CREATE TABLE IF NOT EXISTS tool_uses (
  key          TEXT PRIMARY KEY,  -- agent:tool_use_id
  agent        TEXT NOT NULL,
  machine      TEXT NOT NULL,
  session_id   TEXT,
  timestamp    TEXT,
  message_id   TEXT,
  tool_name    TEXT,
  input        TEXT,              -- tool input JSON, cut at 4096 bytes
  is_error     INTEGER,           -- NULL until a result was seen
  result_bytes INTEGER,
  file         TEXT,
  line         INTEGER
);
CREATE INDEX IF NOT EXISTS tool_uses_session ON tool_uses (session_id);

-- lumo_files: what sync has read of each source file, so the next sync reads only
-- what is new. Rows stay when the agent deletes its file: history is kept.
CREATE TABLE IF NOT EXISTS lumo_files (
  path        TEXT NOT NULL,      -- absolute path
  machine     TEXT NOT NULL,
  agent       TEXT NOT NULL,
  size        INTEGER NOT NULL,   -- at the last sync
  mtime_ns    INTEGER NOT NULL,
  inode       INTEGER NOT NULL,
  consumed    INTEGER NOT NULL,   -- bytes read up to the end of the last complete line
  lines       INTEGER NOT NULL,   -- lines consumed
  head_hash   INTEGER NOT NULL,   -- hash of the first min(consumed, 4096) bytes: detects rewrites
  first_cwd   TEXT,               -- the file's first cwd (its project), for appended reads
  synced_at   TEXT NOT NULL,
  PRIMARY KEY (machine, path)
);

-- Settings, overrides and user tables the views read.
CREATE TABLE IF NOT EXISTS lumo_settings (key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO lumo_settings (key, value) VALUES
  ('week_start', '1'),          -- 0 Sunday ... 6 Saturday; 1 = weeks start on Monday
  ('rest_gap_minutes', '15'),   -- a break is a gap at least this long
  ('rest_heads_up_minutes', '60'),
  ('rest_break_minutes', '120'),
  ('idle_gap_seconds', '300');  -- active time: gaps up to this count as active
CREATE TABLE IF NOT EXISTS price_overrides (
  model TEXT PRIMARY KEY, input REAL, output REAL, cache_read REAL,
  cache_write_5m REAL, cache_write_1h REAL, note TEXT);  -- USD per million tokens
CREATE TABLE IF NOT EXISTS budget_limits (   -- the budgets view reports spending against these
  name TEXT PRIMARY KEY,
  period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
  amount_usd REAL NOT NULL,
  agent TEXT,                     -- NULL: all agents
  project TEXT);                  -- NULL: all projects
CREATE TABLE IF NOT EXISTS project_group_members (  -- the project_groups view sums these
  group_name TEXT NOT NULL, project TEXT NOT NULL, PRIMARY KEY (group_name, project));
CREATE TABLE IF NOT EXISTS lumo_sync_runs (
  started_at TEXT NOT NULL, finished_at TEXT, machine TEXT, files_seen INTEGER,
  files_read INTEGER, bytes_read INTEGER, usage_rows INTEGER, message_rows INTEGER,
  skipped_lines INTEGER);
