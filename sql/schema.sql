-- schema.sql: the lumo database: ordinary tables that keep what the source tables read,
-- so history survives the agents' own cleanup and any SQLite client can read it.
-- lumo_sync() applies this file (compiled into the extension) before every sync; each
-- statement is idempotent. Times are UTC instants as the agents wrote them (ISO-8601,
-- "Z"); no local day is ever stored (views derive it, so a zone change moves nothing).
-- Version history: 1 = first schema; 2 = otel_points and otel_events; 3 = lumo_dirs and
-- the lumo_files_state index; 4 = blocks_cache and blocks_state; 5 = active_minutes (integer
-- minutes) instead of activity_minutes; 6 = messages.is_rewound; 7 = usage.rank_prefer, content_bytes and
-- stored_cost_usd; 8 = usage.price_fp, price_overrides with validity ranges and tier,
-- lumo_files.tail_hash, diagnostics and rate_limits; 9 = tool_uses' activity columns,
-- file_changes and git_ops; 10 = user_prompts, the search indexes, search_state and search_pending;
-- 11 = notifications (Claude Code hook events); 12 = hook_events (the notifications table
-- renamed: notifications is a view), session_buckets, tool_buckets, change_buckets and
-- git_ops_time; 13 = messages.rank_mtime_ns. A migration adds its steps below the tables and
-- bumps lumo_schema_version.

-- lumo_schema_version: the schema version of this database.
CREATE TABLE IF NOT EXISTS lumo_schema_version (
  version INTEGER NOT NULL  -- 13 (12: messages without rank_mtime_ns; 11: hook_events named notifications, no session_buckets, tool_buckets, change_buckets; 10: no notifications; 9: no user_prompts, search_messages, search_tools, search_state, search_pending; 8: tool_uses without project, mcp_server, mcp_tool, input_bytes, input_truncated, result_text, duration_ms, no file_changes or git_ops; 7: usage without price_fp, price_overrides without valid_from, valid_to and the tier, lumo_files without tail_hash, blocks_cache without unpriced_tokens, no diagnostics or rate_limits; 6: usage without rank_prefer, content_bytes, stored_cost_usd; 5: messages without is_rewound; 4: text activity_minutes; 3: before blocks_cache; 2: before lumo_dirs; 1: before the OTLP tables)
);
INSERT INTO lumo_schema_version (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM lumo_schema_version);

-- usage: one row per billed request, deduplicated across files, sessions, syncs and
-- machines by `key` with the winner rule of the source tables (largest copy wins).
CREATE TABLE IF NOT EXISTS usage (
  key                   TEXT PRIMARY KEY,  -- agent:message_id:request_id (or agent:machine:file:line without an id)
  agent                 TEXT NOT NULL,     -- claude, codex, gemini, opencode
  machine               TEXT NOT NULL,     -- machine id of the sync that stored the kept copy
  session_id            TEXT,                 -- session: file stem, or the directory holding subagents/
  project               TEXT,              -- last path component of the session's first cwd
  cwd                   TEXT,                 -- working directory of the kept copy
  git_branch            TEXT,                 -- git branch
  timestamp             TEXT,              -- UTC instant of the kept copy
  model                 TEXT,                 -- model id as logged
  input_tokens          INTEGER NOT NULL DEFAULT 0,  -- uncached input tokens
  output_tokens         INTEGER NOT NULL DEFAULT 0,  -- reasoning included
  cache_read_tokens     INTEGER NOT NULL DEFAULT 0,  -- input tokens read from cache
  cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0,  -- 5-minute cache writes (all cache writes when the split is absent)
  cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,  -- 1-hour cache writes
  reasoning_tokens      INTEGER,           -- informational subset of output, where logged
  web_search_requests   INTEGER NOT NULL DEFAULT 0,  -- server-side web searches ($0.01 each)
  service_tier          TEXT,                 -- service tier reported by the API
  speed                 TEXT,                 -- standard or fast
  inference_geo         TEXT,                 -- data-residency marker
  is_sidechain          INTEGER NOT NULL DEFAULT 0,  -- 1 for subagent responses
  confidence            TEXT,              -- 'low' for streaming placeholders
  cost_usd              REAL,              -- NULL when the model has no price
  price_source          TEXT,              -- built-in, loaded file, override; NULL when unpriced
  price_fp              INTEGER,           -- fingerprint of the model's prices when cost_usd was computed (lumo_sync re-prices rows whose model's prices changed); NULL: before schema 8
  message_id            TEXT,                 -- API message id
  request_id            TEXT,                 -- API request id
  file                  TEXT,              -- source file (relative to its root) of the kept copy
  line                  INTEGER,              -- line of the kept copy
  rank_total            INTEGER NOT NULL,  -- winner rule: token total of the kept copy
  rank_has_speed        INTEGER NOT NULL,     -- winner rule: the kept copy has a speed field
  rank_mtime_ns         INTEGER NOT NULL,     -- winner rule: mtime of the kept copy's file (older wins ties; Codex: newer)
  rank_prefer           INTEGER NOT NULL DEFAULT 0,  -- winner rule: an authoritative copy (OpenCode's database over its JSON files)
  content_bytes         INTEGER,           -- size of the kept copy's content JSON (the placeholder rule); NULL for rows stored before schema 7
  stored_cost_usd       REAL               -- the agent's own cost estimate where it wrote one (Claude Code's costUSD, OpenCode's cost), beside lumo's cost_usd
);
CREATE INDEX IF NOT EXISTS usage_message ON usage (message_id);
CREATE INDEX IF NOT EXISTS usage_time ON usage (timestamp);
CREATE INDEX IF NOT EXISTS usage_session ON usage (session_id);
-- by model alone: re-pricing reads a model's rows and rewrites price_fp, which an index
-- holding it would make cost an index update a row
DROP INDEX IF EXISTS usage_model_price;
CREATE INDEX IF NOT EXISTS usage_model ON usage (model);

-- messages: one row per transcript record (user, assistant, system, summary); the
-- streaming copies of one response are separate records here and merged by the
-- session_messages view.
CREATE TABLE IF NOT EXISTS messages (
  key          TEXT PRIMARY KEY,  -- agent:uuid (or agent:machine:file:line without a uuid)
  agent        TEXT NOT NULL,                 -- claude, codex, gemini, opencode
  machine      TEXT NOT NULL,                 -- machine id of the sync that stored it
  session_id   TEXT,                          -- session id
  uuid         TEXT,                          -- the record's uuid
  parent_uuid  TEXT,                          -- previous record in the conversation
  timestamp    TEXT,                          -- UTC instant as written
  type         TEXT,                          -- record type
  role         TEXT,                          -- message role
  model        TEXT,                          -- model (assistant records)
  message_id   TEXT,                          -- API message id (assistant records)
  is_sidechain INTEGER NOT NULL DEFAULT 0,    -- 1 for subagent records
  text         TEXT,              -- text blocks joined
  content_bytes INTEGER,          -- size of the raw content JSON
  file         TEXT,                          -- source file, relative to its root
  line         INTEGER,                       -- 1-based line
  is_rewound   INTEGER NOT NULL DEFAULT 0,    -- 1 for a Gemini message a later $rewindTo or $set checkpoint removed from the conversation (it was billed)
  rank_mtime_ns INTEGER           -- mtime of the kept copy's file when read, ns: of two copies of a Claude record (a resumed session repeats the records of the one it resumes), the older file's is kept, then the smaller file and line, as in usage, whatever order the files are synced in (NULL: stored before schema 13, kept)
);
CREATE INDEX IF NOT EXISTS messages_session ON messages (session_id, timestamp);
-- newest first: lumo search walks it to find the latest matches of a common word
CREATE INDEX IF NOT EXISTS messages_time ON messages (timestamp);

-- tool_uses: one row per tool call, with the outcome of its result.
CREATE TABLE IF NOT EXISTS tool_uses (
  key          TEXT PRIMARY KEY,  -- agent:tool_use_id
  agent        TEXT NOT NULL,                 -- agent
  machine      TEXT NOT NULL,                 -- machine id
  session_id   TEXT,                          -- session id
  timestamp    TEXT,                          -- UTC instant of the call
  message_id   TEXT,                          -- API message id of the response
  tool_name    TEXT,                          -- tool name
  input        TEXT,              -- tool input JSON, whole; always valid JSON (Codex's custom_tool_call input, a patch, is stored as a JSON string)
  is_error     INTEGER,           -- 1 error, 0 success, NULL not said: Claude is_error, Codex exit code (output text, exec_command_end) or patch and MCP outcome, Gemini and OpenCode status
  result_bytes INTEGER,                       -- size of the result content JSON
  file         TEXT,                          -- source file
  line         INTEGER,                       -- line of the call
  project      TEXT,              -- last path component of the session's cwd (schema 9; NULL for rows stored before)
  mcp_server   TEXT,              -- server of an MCP tool: from its name mcp__server__tool, or Codex's mcp_tool_call_end; else NULL
  mcp_tool     TEXT,              -- tool of an MCP tool (as mcp_server), else NULL
  input_bytes  INTEGER,           -- size of the input as logged (a truncated input: what was read plus the bytes its line lost, an upper bound; NULL for rows stored before schema 9)
  input_truncated INTEGER NOT NULL DEFAULT 0,  -- 1: input may not be whole: its line was over 64 MiB and its strings cut to their first MiB (its file changes' line counts are then NULL), or it was cut at 4096 bytes before schema 7 (kept as a JSON string)
  result_text  TEXT,              -- the result's text, its first 2048 bytes (whole characters): session history
  duration_ms  INTEGER            -- call to result: Codex's own duration where it logs one, else the two records' timestamps; NULL when either is missing
);
CREATE INDEX IF NOT EXISTS tool_uses_session ON tool_uses (session_id);
-- A period's calls and their outcomes without reading the rows (schema 11): is_error sits
-- after the whole input, which a large call keeps in overflow pages, so the dashboard's
-- panels (work_events) read these indexes instead of the table; since schema 13 this one
-- also covers the tools and mcp_servers views (1 GB home, page cache cold: tools 1.0 s
-- reading the rows, 0.3 s reading the index). The file and git views look their calls'
-- outcomes up in tool_uses_outcome (INDEXED BY: the planner prefers the key's own unique
-- index, which reads the row: files, cold, 1.3 s against 0.3 s).
CREATE INDEX IF NOT EXISTS tool_uses_time ON tool_uses (timestamp, agent, project, machine, tool_name, is_error, session_id,
  mcp_server, mcp_tool, duration_ms, result_bytes);
CREATE INDEX IF NOT EXISTS tool_uses_outcome ON tool_uses (key, is_error);

-- file_changes: one row per file a tool call changed (activity.c's rules, also
-- lumo_tool_changes()): Claude Edit, MultiEdit, Write, NotebookEdit; Gemini replace,
-- write_file; OpenCode edit, write; Codex apply_patch (and a successful patch_apply_end's files when its call held
-- no patch: a script cell). Whether the call succeeded is its tool_uses.is_error.
CREATE TABLE IF NOT EXISTS file_changes (
  key           TEXT PRIMARY KEY,  -- tool_key:n, the call's n-th file
  tool_key      TEXT NOT NULL,     -- the call (tool_uses.key)
  agent         TEXT NOT NULL,     -- claude, codex, gemini, opencode
  machine       TEXT NOT NULL,     -- machine id of the sync that stored it
  session_id    TEXT,              -- session id
  project       TEXT,              -- project (as tool_uses)
  timestamp     TEXT,              -- UTC instant of the call
  tool_name     TEXT,              -- tool name
  path          TEXT NOT NULL,     -- file path as the call names it (absolute or relative to the session's cwd)
  language      TEXT,              -- from the extension or name (lumo_language); NULL when unknown
  operation     TEXT NOT NULL,     -- edit, write (whole content), create, delete
  lines_added   INTEGER,           -- lines added: the agent's own figures where its result has them (structuredPatch, diffStat), else from the input
  lines_removed INTEGER,           -- lines removed; NULL when no record tells (a Write over a file without Claude Code's toolUseResult, a deleted file)
  file          TEXT,              -- source file of the call
  line          INTEGER            -- line of the call
);
CREATE INDEX IF NOT EXISTS file_changes_tool ON file_changes (tool_key);
CREATE INDEX IF NOT EXISTS file_changes_time ON file_changes (timestamp);

-- git_ops: one row per git or gh command in a shell tool call's command (activity.c, also
-- lumo_git_ops()): commit, push, checkout, ..., 'gh pr create'. Success is the call's.
CREATE TABLE IF NOT EXISTS git_ops (
  key        TEXT PRIMARY KEY,  -- tool_key:n, the call's n-th operation
  tool_key   TEXT NOT NULL,     -- the call (tool_uses.key)
  agent      TEXT NOT NULL,     -- claude, codex, gemini, opencode
  machine    TEXT NOT NULL,     -- machine id of the sync that stored it
  session_id TEXT,              -- session id
  project    TEXT,              -- project (as tool_uses)
  timestamp  TEXT,              -- UTC instant of the call
  operation  TEXT NOT NULL,     -- git subcommand (commit, push, pull, ...) or 'gh <group> <command>'
  command    TEXT,              -- the one command of the line that holds it
  file       TEXT,              -- source file of the call
  line       INTEGER            -- line of the call
);
CREATE INDEX IF NOT EXISTS git_ops_tool ON git_ops (tool_key);
-- A period's commits or pull requests (the dashboard's cards) without reading every row (schema 12).
CREATE INDEX IF NOT EXISTS git_ops_time ON git_ops (operation, timestamp);

-- user_prompts: one row per prompt a person typed, slash command or interrupted turn, from the
-- user records of Claude Code, Codex (its user_message and turn_aborted events) and Gemini
-- CLI (prompts.c's rules, also lumo_prompt()). Injected context, command output and a
-- subagent's task are not rows. No transcript records a prompt's token count.
CREATE TABLE IF NOT EXISTS user_prompts (
  key        TEXT PRIMARY KEY,  -- the user record's messages key (Codex: codex:thread:line of the event)
  agent      TEXT NOT NULL,     -- claude, codex, gemini
  machine    TEXT NOT NULL,     -- machine id of the sync that stored it
  session_id TEXT,              -- session id
  project    TEXT,              -- last path component of the session's cwd (Gemini: its project directory)
  timestamp  TEXT,              -- UTC instant of the record
  kind       TEXT NOT NULL,     -- prompt (typed text), command (a slash command, or ! for Claude's bash mode), interrupted (the user stopped the turn)
  command    TEXT,              -- the command's name with its slash (/mcp, /init); NULL for the other kinds
  chars      INTEGER NOT NULL,  -- characters typed (code points, surrounding blanks set aside): the prompt, or the command and its arguments; 0 for interrupted
  file       TEXT,              -- source file, relative to its root
  line       INTEGER            -- line of the record
);
CREATE INDEX IF NOT EXISTS user_prompts_time ON user_prompts (timestamp);

-- search_messages: the full-text index (FTS5) of the text of every message, for lumo
-- search. External content: the text stays in messages, the index holds only its terms.
-- Off until the first lumo search turns it on (search_state.enabled), so a first sync
-- does not pay for it; from then on every lumo_sync and lumo_merge brings it up to date in
-- one pass at its end (the search_catch_up trigger), and a row changed after it was
-- indexed is indexed again at the next pass (search_pending).
CREATE VIRTUAL TABLE IF NOT EXISTS search_messages USING fts5(text, content='messages', content_rowid='rowid');
-- search_tools: the full-text index of the name, input and kept result text of every tool
-- call but Codex's (its calls and outputs are messages rows, indexed there), kept as
-- search_messages is. Its content is the view search_tool_rows, the calls it indexes, so
-- FTS5's own integrity check and rebuild see the rows the catch-up does.
CREATE VIRTUAL TABLE IF NOT EXISTS search_tools USING fts5(tool_name, input, result_text, content='search_tool_rows',
  content_rowid='id');
-- search_state: whether the search indexes are kept, and how far they go.
CREATE TABLE IF NOT EXISTS search_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),  -- always 1
  enabled        INTEGER NOT NULL DEFAULT 0,  -- 1: the indexes are kept (set by the first lumo search)
  runs           INTEGER NOT NULL DEFAULT 0,  -- catch-up passes so far; adding 1 runs one (search_catch_up)
  messages_rowid INTEGER NOT NULL DEFAULT 0,  -- messages rows up to this rowid are in search_messages
  tools_rowid    INTEGER NOT NULL DEFAULT 0   -- tool_uses rows up to this rowid are in search_tools
);
INSERT OR IGNORE INTO search_state (id) VALUES (1);
-- search_pending: indexed rows changed or deleted since the last pass, with the values the
-- index holds for them (an external-content FTS5 index forgets a row by being told its
-- indexed values). Filled by the triggers below, which write no FTS5 table: a statement
-- that writes a virtual table opens it at every run, and the sync's inserts run by the
-- hundred thousand.
CREATE TABLE IF NOT EXISTS search_pending (
  src         TEXT NOT NULL,     -- m (messages) or t (tool_uses)
  id          INTEGER NOT NULL,  -- the row's rowid
  text        TEXT,              -- messages.text as indexed
  tool_name   TEXT,              -- tool_uses.tool_name as indexed
  input       TEXT,              -- tool_uses.input as indexed
  result_text TEXT,              -- tool_uses.result_text as indexed
  PRIMARY KEY (src, id)
);
-- One pass (UPDATE search_state SET runs = runs + 1; lumo_sync and lumo_merge at their end
-- when enabled, lumo search when it turns it on): the changed rows are forgotten and put
-- back as they are now, then the rows added since the last pass are indexed.
DROP TRIGGER IF EXISTS search_catch_up;
CREATE TRIGGER search_catch_up AFTER UPDATE OF runs ON search_state WHEN NEW.enabled BEGIN
  INSERT INTO search_messages (search_messages, rowid, text) SELECT 'delete', id, text FROM search_pending WHERE src = 'm';
  INSERT INTO search_messages (rowid, text) SELECT m.rowid, m.text FROM search_pending p JOIN messages m ON m.rowid = p.id
   WHERE p.src = 'm';
  INSERT INTO search_tools (search_tools, rowid, tool_name, input, result_text)
   SELECT 'delete', id, tool_name, input, result_text FROM search_pending WHERE src = 't';
  INSERT INTO search_tools (rowid, tool_name, input, result_text)
   SELECT t.id, t.tool_name, t.input, t.result_text FROM search_pending p JOIN search_tool_rows t ON t.id = p.id
   WHERE p.src = 't';
  DELETE FROM search_pending;
  INSERT INTO search_messages (rowid, text) SELECT rowid, text FROM messages WHERE rowid > OLD.messages_rowid;
  INSERT INTO search_tools (rowid, tool_name, input, result_text) SELECT id, tool_name, input, result_text
    FROM search_tool_rows WHERE id > OLD.tools_rowid;
  UPDATE search_state SET messages_rowid = max(OLD.messages_rowid, (SELECT coalesce(max(rowid), 0) FROM messages)),
    tools_rowid = max(OLD.tools_rowid, (SELECT coalesce(max(rowid), 0) FROM tool_uses));
END;
DROP TRIGGER IF EXISTS search_messages_change;
CREATE TRIGGER search_messages_change AFTER UPDATE OF text ON messages
 WHEN NEW.text IS NOT OLD.text AND OLD.rowid <= (SELECT messages_rowid FROM search_state) BEGIN
  INSERT OR IGNORE INTO search_pending (src, id, text) VALUES ('m', OLD.rowid, OLD.text);
END;
DROP TRIGGER IF EXISTS search_messages_remove;
CREATE TRIGGER search_messages_remove AFTER DELETE ON messages
 WHEN OLD.rowid <= (SELECT messages_rowid FROM search_state) BEGIN
  INSERT OR IGNORE INTO search_pending (src, id, text) VALUES ('m', OLD.rowid, OLD.text);
END;
DROP TRIGGER IF EXISTS search_tools_change;
CREATE TRIGGER search_tools_change AFTER UPDATE OF tool_name, input, result_text ON tool_uses
 WHEN (NEW.tool_name IS NOT OLD.tool_name OR NEW.input IS NOT OLD.input OR NEW.result_text IS NOT OLD.result_text)
  AND OLD.rowid <= (SELECT tools_rowid FROM search_state) AND OLD.agent <> 'codex' BEGIN
  INSERT OR IGNORE INTO search_pending (src, id, tool_name, input, result_text)
   VALUES ('t', OLD.rowid, OLD.tool_name, OLD.input, OLD.result_text);
END;
DROP TRIGGER IF EXISTS search_tools_remove;
CREATE TRIGGER search_tools_remove AFTER DELETE ON tool_uses
 WHEN OLD.rowid <= (SELECT tools_rowid FROM search_state) AND OLD.agent <> 'codex' BEGIN
  INSERT OR IGNORE INTO search_pending (src, id, tool_name, input, result_text)
   VALUES ('t', OLD.rowid, OLD.tool_name, OLD.input, OLD.result_text);
END;

-- lumo_files: what sync has read of each source file, so the next sync reads only
-- what is new. Rows stay when the agent deletes its file: history is kept.
CREATE TABLE IF NOT EXISTS lumo_files (
  path        TEXT NOT NULL,      -- absolute path
  machine     TEXT NOT NULL,                  -- machine id of the sync
  agent       TEXT NOT NULL,                  -- agent whose file it is
  size        INTEGER NOT NULL,   -- at the last sync; -1 when a read failed midway (read on at the next sync)
  mtime_ns    INTEGER NOT NULL,               -- modification time at the last sync, ns
  inode       INTEGER NOT NULL,               -- inode at the last sync
  consumed    INTEGER NOT NULL,   -- bytes read up to the end of the last complete line
  lines       INTEGER NOT NULL,   -- lines consumed
  head_hash   INTEGER NOT NULL,   -- hash of the first min(consumed, 4096) bytes: detects rewrites
  tail_hash   INTEGER,            -- hash of the 4096 bytes before consumed: detects a rewrite in place that keeps the head (NULL: not known, from before schema 8)
  first_cwd   TEXT,               -- the file's first cwd (its project), for appended reads
  synced_at   TEXT NOT NULL,                  -- UTC time of the last sync that read it
  PRIMARY KEY (machine, path)
);
-- what a re-sync reads of every file before deciding to skip it, without the wide rows
CREATE INDEX IF NOT EXISTS lumo_files_state ON lumo_files (machine, path, size, mtime_ns, inode);

-- lumo_dirs: the listing of each source directory at the last sync, so a re-sync does
-- not read a directory whose change time and inode are unchanged (it still stats the
-- files: appending to a file leaves its directory alone). The change time (ctime), not
-- the mtime: tar, rsync -a and cp -a set a directory's mtime back after adding files.
-- Kept only for directories that had not changed for 2 seconds when read.
CREATE TABLE IF NOT EXISTS lumo_dirs (
  machine     TEXT NOT NULL,     -- machine id of the sync
  path        TEXT NOT NULL,     -- directory path
  mtime_ns    INTEGER NOT NULL,  -- its change time (ctime) when listed, ns (the column's name is older)
  inode       INTEGER NOT NULL,  -- its inode when listed
  entries     TEXT NOT NULL,     -- the listing: "<t><name>/" per entry, t = d (directory), f (file), u (unknown)
  PRIMARY KEY (machine, path)
) WITHOUT ROWID;

-- lumo_settings: key/value settings the views and sync read.
CREATE TABLE IF NOT EXISTS lumo_settings (
  key   TEXT PRIMARY KEY,  -- week_start, rest_gap_minutes, rest_heads_up_minutes, rest_break_minutes, idle_gap_seconds, machine; set by sync: schema_hash, prices_builtin (the built-in price snapshot's hash), prices_state (hash of the prices the stored costs were computed with), bulk_wal (while a first sync's bulk load has a WAL database in rollback-journal mode: put back to WAL at its end)
  value TEXT               -- the setting's value, as text
);
INSERT OR IGNORE INTO lumo_settings (key, value) VALUES
  ('week_start', '1'),          -- 0 Sunday ... 6 Saturday; 1 = weeks start on Monday
  ('rest_gap_minutes', '15'),   -- a break is a gap at least this long
  ('rest_heads_up_minutes', '60'),
  ('rest_break_minutes', '120'),
  ('idle_gap_seconds', '300');  -- active time: gaps up to this count as active

-- price_overrides: your own rates (lumo_price_set on this database; the lumo prices command).
-- Every connection's price functions and every sync read them at each use; they win over
-- the built-in and loaded tables for the same key, and a NULL rate is the table's rate for
-- that key (unpriced when it has none). A change re-prices the stored rows it affects at
-- the next lumo_sync. The triggers refuse negative or non-numeric rates and ranges that
-- overlap another override of the same model.
CREATE TABLE IF NOT EXISTS price_overrides (
  model          TEXT NOT NULL,     -- price key as lumo_model() gives it (or a name no table has), matched lower-cased
  valid_from     TEXT,              -- first instant (UTC, ISO-8601) the override is in force; NULL: since ever
  valid_to       TEXT,              -- instant it stops being in force (exclusive); NULL: still in force
  input          REAL,              -- USD per million uncached input tokens
  output         REAL,              -- USD per million output tokens
  cache_read     REAL,              -- USD per million cache-read tokens
  cache_write_5m REAL,              -- USD per million 5-minute cache-write tokens
  cache_write_1h REAL,              -- USD per million 1-hour cache-write tokens
  tier_threshold REAL,              -- input tokens above which the *_above_tier rates apply (NULL: no tier)
  input_above_tier          REAL,   -- input rate above the tier
  output_above_tier         REAL,   -- output rate above the tier
  cache_read_above_tier     REAL,   -- cache-read rate above the tier
  cache_write_5m_above_tier REAL,   -- 5-minute cache-write rate above the tier
  cache_write_1h_above_tier REAL,   -- 1-hour cache-write rate above the tier
  note           TEXT               -- why (contract, missing model, ...)
);
CREATE UNIQUE INDEX IF NOT EXISTS price_overrides_range ON price_overrides (lower(model), coalesce(valid_from, ''), coalesce(valid_to, ''));
-- Version 8: the overrides of a schema-7 table (renamed by lumo_sync before this file
-- runs), copied before the triggers exist. Rows the triggers would refuse (a negative or
-- non-numeric rate) are not copied: schema-7 syncs skipped them too.
CREATE TABLE IF NOT EXISTS price_overrides_v7 (model TEXT PRIMARY KEY, input REAL, output REAL, cache_read REAL,
  cache_write_5m REAL, cache_write_1h REAL, note TEXT);
INSERT OR IGNORE INTO price_overrides (model, input, output, cache_read, cache_write_5m, cache_write_1h, note)
  SELECT lower(model), input, output, cache_read, cache_write_5m, cache_write_1h, note FROM price_overrides_v7
   WHERE typeof(model) = 'text' AND model <> '' AND NOT (input IS NULL AND output IS NULL)
     AND coalesce(typeof(input) IN ('integer', 'real') AND input >= 0, 1) AND coalesce(typeof(output) IN ('integer', 'real') AND output >= 0, 1)
     AND coalesce(typeof(cache_read) IN ('integer', 'real') AND cache_read >= 0, 1)
     AND coalesce(typeof(cache_write_5m) IN ('integer', 'real') AND cache_write_5m >= 0, 1)
     AND coalesce(typeof(cache_write_1h) IN ('integer', 'real') AND cache_write_1h >= 0, 1);
DROP TABLE price_overrides_v7;
CREATE TRIGGER IF NOT EXISTS price_overrides_check_insert BEFORE INSERT ON price_overrides BEGIN
  SELECT RAISE(ABORT, 'price_overrides: model must be a non-empty text') WHERE typeof(NEW.model) <> 'text' OR NEW.model = '';
  SELECT RAISE(ABORT, 'price_overrides: input must be a non-negative number (USD per million tokens)') WHERE NEW.input IS NOT NULL AND (typeof(NEW.input) NOT IN ('integer', 'real') OR NEW.input < 0);
  SELECT RAISE(ABORT, 'price_overrides: output must be a non-negative number (USD per million tokens)') WHERE NEW.output IS NOT NULL AND (typeof(NEW.output) NOT IN ('integer', 'real') OR NEW.output < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_read must be a non-negative number (USD per million tokens)') WHERE NEW.cache_read IS NOT NULL AND (typeof(NEW.cache_read) NOT IN ('integer', 'real') OR NEW.cache_read < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_5m must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_5m IS NOT NULL AND (typeof(NEW.cache_write_5m) NOT IN ('integer', 'real') OR NEW.cache_write_5m < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_1h must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_1h IS NOT NULL AND (typeof(NEW.cache_write_1h) NOT IN ('integer', 'real') OR NEW.cache_write_1h < 0);
  SELECT RAISE(ABORT, 'price_overrides: tier_threshold must be a non-negative number (USD per million tokens)') WHERE NEW.tier_threshold IS NOT NULL AND (typeof(NEW.tier_threshold) NOT IN ('integer', 'real') OR NEW.tier_threshold < 0);
  SELECT RAISE(ABORT, 'price_overrides: input_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.input_above_tier IS NOT NULL AND (typeof(NEW.input_above_tier) NOT IN ('integer', 'real') OR NEW.input_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: output_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.output_above_tier IS NOT NULL AND (typeof(NEW.output_above_tier) NOT IN ('integer', 'real') OR NEW.output_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_read_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.cache_read_above_tier IS NOT NULL AND (typeof(NEW.cache_read_above_tier) NOT IN ('integer', 'real') OR NEW.cache_read_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_5m_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_5m_above_tier IS NOT NULL AND (typeof(NEW.cache_write_5m_above_tier) NOT IN ('integer', 'real') OR NEW.cache_write_5m_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_1h_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_1h_above_tier IS NOT NULL AND (typeof(NEW.cache_write_1h_above_tier) NOT IN ('integer', 'real') OR NEW.cache_write_1h_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: input and output must not both be NULL (delete the row to remove an override)') WHERE NEW.input IS NULL AND NEW.output IS NULL;
  SELECT RAISE(ABORT, 'price_overrides: valid_from must be an ISO-8601 time (e.g. 2026-03-01T00:00:00Z) or NULL') WHERE NEW.valid_from IS NOT NULL AND unixepoch(NEW.valid_from) IS NULL;
  SELECT RAISE(ABORT, 'price_overrides: valid_to must be an ISO-8601 time (e.g. 2026-03-01T00:00:00Z) or NULL') WHERE NEW.valid_to IS NOT NULL AND unixepoch(NEW.valid_to) IS NULL;
  SELECT RAISE(ABORT, 'price_overrides: valid_from must be before valid_to') WHERE unixepoch(NEW.valid_from) >= unixepoch(NEW.valid_to);
  SELECT RAISE(ABORT, 'price_overrides: the validity range overlaps another override of the same model; remove or shorten that one first')
   WHERE EXISTS (SELECT 1 FROM price_overrides o WHERE lower(o.model) = lower(NEW.model) AND NOT (o.valid_from IS NEW.valid_from AND o.valid_to IS NEW.valid_to)
     AND (o.valid_to IS NULL OR NEW.valid_from IS NULL OR unixepoch(NEW.valid_from) < unixepoch(o.valid_to))
     AND (NEW.valid_to IS NULL OR o.valid_from IS NULL OR unixepoch(o.valid_from) < unixepoch(NEW.valid_to)));
END;
CREATE TRIGGER IF NOT EXISTS price_overrides_check_update BEFORE UPDATE ON price_overrides BEGIN
  SELECT RAISE(ABORT, 'price_overrides: model must be a non-empty text') WHERE typeof(NEW.model) <> 'text' OR NEW.model = '';
  SELECT RAISE(ABORT, 'price_overrides: input must be a non-negative number (USD per million tokens)') WHERE NEW.input IS NOT NULL AND (typeof(NEW.input) NOT IN ('integer', 'real') OR NEW.input < 0);
  SELECT RAISE(ABORT, 'price_overrides: output must be a non-negative number (USD per million tokens)') WHERE NEW.output IS NOT NULL AND (typeof(NEW.output) NOT IN ('integer', 'real') OR NEW.output < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_read must be a non-negative number (USD per million tokens)') WHERE NEW.cache_read IS NOT NULL AND (typeof(NEW.cache_read) NOT IN ('integer', 'real') OR NEW.cache_read < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_5m must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_5m IS NOT NULL AND (typeof(NEW.cache_write_5m) NOT IN ('integer', 'real') OR NEW.cache_write_5m < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_1h must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_1h IS NOT NULL AND (typeof(NEW.cache_write_1h) NOT IN ('integer', 'real') OR NEW.cache_write_1h < 0);
  SELECT RAISE(ABORT, 'price_overrides: tier_threshold must be a non-negative number (USD per million tokens)') WHERE NEW.tier_threshold IS NOT NULL AND (typeof(NEW.tier_threshold) NOT IN ('integer', 'real') OR NEW.tier_threshold < 0);
  SELECT RAISE(ABORT, 'price_overrides: input_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.input_above_tier IS NOT NULL AND (typeof(NEW.input_above_tier) NOT IN ('integer', 'real') OR NEW.input_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: output_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.output_above_tier IS NOT NULL AND (typeof(NEW.output_above_tier) NOT IN ('integer', 'real') OR NEW.output_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_read_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.cache_read_above_tier IS NOT NULL AND (typeof(NEW.cache_read_above_tier) NOT IN ('integer', 'real') OR NEW.cache_read_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_5m_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_5m_above_tier IS NOT NULL AND (typeof(NEW.cache_write_5m_above_tier) NOT IN ('integer', 'real') OR NEW.cache_write_5m_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: cache_write_1h_above_tier must be a non-negative number (USD per million tokens)') WHERE NEW.cache_write_1h_above_tier IS NOT NULL AND (typeof(NEW.cache_write_1h_above_tier) NOT IN ('integer', 'real') OR NEW.cache_write_1h_above_tier < 0);
  SELECT RAISE(ABORT, 'price_overrides: input and output must not both be NULL (delete the row to remove an override)') WHERE NEW.input IS NULL AND NEW.output IS NULL;
  SELECT RAISE(ABORT, 'price_overrides: valid_from must be an ISO-8601 time (e.g. 2026-03-01T00:00:00Z) or NULL') WHERE NEW.valid_from IS NOT NULL AND unixepoch(NEW.valid_from) IS NULL;
  SELECT RAISE(ABORT, 'price_overrides: valid_to must be an ISO-8601 time (e.g. 2026-03-01T00:00:00Z) or NULL') WHERE NEW.valid_to IS NOT NULL AND unixepoch(NEW.valid_to) IS NULL;
  SELECT RAISE(ABORT, 'price_overrides: valid_from must be before valid_to') WHERE unixepoch(NEW.valid_from) >= unixepoch(NEW.valid_to);
  SELECT RAISE(ABORT, 'price_overrides: the validity range overlaps another override of the same model; remove or shorten that one first')
   WHERE EXISTS (SELECT 1 FROM price_overrides o WHERE lower(o.model) = lower(NEW.model) AND o.rowid <> NEW.rowid
     AND (o.valid_to IS NULL OR NEW.valid_from IS NULL OR unixepoch(NEW.valid_from) < unixepoch(o.valid_to))
     AND (NEW.valid_to IS NULL OR o.valid_from IS NULL OR unixepoch(o.valid_from) < unixepoch(NEW.valid_to)));
END;

-- budget_limits: spending limits; the budgets view reports against them.
CREATE TABLE IF NOT EXISTS budget_limits (
  name       TEXT PRIMARY KEY,  -- budget name
  period     TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),  -- local day, week or month
  amount_usd REAL NOT NULL,     -- the limit
  agent      TEXT,              -- only this agent (NULL: all)
  project    TEXT               -- only this project (NULL: all)
);

-- project_group_members: projects that make one product; the project_groups view sums them.
CREATE TABLE IF NOT EXISTS project_group_members (
  group_name TEXT NOT NULL,  -- the group
  project    TEXT NOT NULL,  -- a project name (last path component of the working directory)
  PRIMARY KEY (group_name, project)
);

-- hook_events: Claude Code hook events (Notification, Stop, SubagentStop) posted to the
-- local receiver's /notify (scripts/lumo-otlp-receiver), one row per event received; the
-- notifications view reads them (named notifications, a table, in schema 11).
CREATE TABLE IF NOT EXISTS hook_events (
  id          INTEGER PRIMARY KEY,  -- arrival order
  received_at TEXT NOT NULL,        -- UTC instant the receiver stored it
  agent       TEXT NOT NULL,        -- claude (the hook's sender)
  machine     TEXT NOT NULL,        -- machine id of the receiver
  event       TEXT NOT NULL,        -- hook_event_name: Notification, Stop or SubagentStop
  session_id  TEXT,                 -- session id of the hook input
  project     TEXT,                 -- last path component of its cwd
  cwd         TEXT,                 -- working directory of the hook input
  message     TEXT,                 -- Notification's message; NULL for Stop and SubagentStop
  title       TEXT,                 -- Notification's title, where sent
  body        TEXT NOT NULL         -- the hook input JSON, whole
);
CREATE INDEX IF NOT EXISTS hook_events_time ON hook_events (received_at);
-- Version 12: the rows of schema 11's notifications table (renamed notifications_v11 by
-- lumo_sync's migration before this file runs, as the name became the view's), in their
-- arrival order; their ids are kept unless the receiver has already stored rows here.
CREATE TABLE IF NOT EXISTS notifications_v11 (id INTEGER PRIMARY KEY, received_at TEXT, agent TEXT, machine TEXT, event TEXT,
  session_id TEXT, project TEXT, cwd TEXT, message TEXT, title TEXT, body TEXT);
INSERT INTO hook_events (id, received_at, agent, machine, event, session_id, project, cwd, message, title, body)
  SELECT CASE WHEN e.empty THEN n.id END, n.received_at, n.agent, n.machine, n.event, n.session_id, n.project, n.cwd, n.message,
         n.title, n.body
    FROM notifications_v11 n, (SELECT NOT EXISTS (SELECT 1 FROM hook_events) AS empty) e ORDER BY n.id;
DROP TABLE notifications_v11;

-- lumo_sync_runs: one row per lumo_sync() call.
CREATE TABLE IF NOT EXISTS lumo_sync_runs (
  started_at    TEXT NOT NULL,  -- UTC
  finished_at   TEXT,           -- UTC
  machine       TEXT,           -- machine id
  files_seen    INTEGER,        -- source files listed
  files_read    INTEGER,        -- files read (new or changed)
  bytes_read    INTEGER,        -- bytes read
  usage_rows    INTEGER,        -- usage rows inserted or replaced by a larger copy
  message_rows  INTEGER,        -- message rows written
  skipped_lines INTEGER         -- malformed lines skipped
);

-- diagnostics: what lumo_sync() skipped or could not read, kept after the sync (the
-- connection's lumo_diagnostics is gone when it closes). A file's rows are replaced when
-- the file is read again (from the line the read starts at); rows of the walk (file 0
-- lines: unreadable directories, skipped entries) are those of the latest sync that
-- listed the agent's files.
CREATE TABLE IF NOT EXISTS diagnostics (
  machine     TEXT NOT NULL,  -- machine id of the sync
  file        TEXT NOT NULL,  -- file (relative to its root) or directory the row is about
  line        INTEGER NOT NULL DEFAULT 0,  -- 1-based line, 0 for the whole file or a walk entry
  kind        TEXT NOT NULL,  -- malformed, torn, too_long, unreadable, wrong_type, superseded, ... (lumo_diagnostics)
  detail      TEXT,           -- what was wrong, in words
  phase       TEXT NOT NULL,  -- 'read' (a line or file read) or 'walk' (listing the roots)
  synced_at   TEXT NOT NULL,  -- UTC time of the sync that found it
  agent       TEXT            -- claude, gemini, codex, opencode or otel: whose files (NULL in rows stored before the column)
);
CREATE INDEX IF NOT EXISTS diagnostics_file ON diagnostics (machine, file, line);

-- rate_limits: the plan limits Codex reports with its token counts (spec 2.3), one row per
-- window each time its state changes within a rollout: how much of the 5-hour (primary)
-- and weekly (secondary) window is used and when it resets.
CREATE TABLE IF NOT EXISTS rate_limits (
  key            TEXT PRIMARY KEY,  -- machine:thread:line:window (the file for a rollout without a thread id)
  agent          TEXT NOT NULL,     -- codex
  machine        TEXT NOT NULL,     -- machine id of the sync
  session_id     TEXT,              -- thread id of the rollout
  timestamp      TEXT NOT NULL,     -- UTC instant of the observation
  limit_id       TEXT,              -- which limit (codex, premium, ...), NULL when not written
  plan_type      TEXT,              -- the account's plan (plus, pro, prolite, ...), NULL when not written
  window         TEXT NOT NULL,     -- primary (usually 5 hours) or secondary (usually a week)
  window_minutes INTEGER,           -- length of the window
  used_percent   REAL NOT NULL,     -- share of the window's limit used, 0-100
  resets_at      TEXT,              -- UTC instant the window resets
  file           TEXT,              -- rollout, relative to its root
  line           INTEGER            -- line of the token_count event
);
CREATE INDEX IF NOT EXISTS rate_limits_time ON rate_limits (agent, window, timestamp);
-- Rows keyed by file before: a rollout moved to archived_sessions had its observations
-- stored twice. They take the thread key; the second copy of an observation goes.
UPDATE OR IGNORE rate_limits SET key = machine || ':' || coalesce(session_id, file) || ':' || line || ':' || window
 WHERE key <> machine || ':' || coalesce(session_id, file) || ':' || line || ':' || window;
DELETE FROM rate_limits WHERE key <> machine || ':' || coalesce(session_id, file) || ':' || line || ':' || window;

-- usage_buckets: usage summed per UTC quarter hour, agent, machine, model and project,
-- kept by the triggers below; the period views read it instead of every request.
-- Quarter hours, because every time zone's offset is a multiple of 15 minutes: a
-- bucket never straddles a local day, so local days stay exact.
CREATE TABLE IF NOT EXISTS usage_buckets (
  bucket            TEXT NOT NULL,     -- UTC start of the quarter hour, YYYY-MM-DDTHH:MM:00Z ('' when the time is unknown)
  agent             TEXT NOT NULL,     -- agent
  machine           TEXT NOT NULL,     -- machine id
  model             TEXT NOT NULL,     -- model ('' when unknown)
  project           TEXT NOT NULL,     -- project ('' when unknown)
  requests          INTEGER NOT NULL,  -- billed requests
  priced_requests   INTEGER NOT NULL,  -- requests with a price
  input_tokens      INTEGER NOT NULL,  -- uncached input
  output_tokens     INTEGER NOT NULL,  -- output, reasoning included
  cache_read_tokens INTEGER NOT NULL,  -- cache reads
  cache_write_5m_tokens INTEGER NOT NULL,  -- 5-minute cache writes
  cache_write_1h_tokens INTEGER NOT NULL,  -- 1-hour cache writes
  unpriced_tokens   INTEGER NOT NULL,  -- tokens of requests without a price
  priced_cost_usd   REAL NOT NULL,     -- cost of the priced requests
  PRIMARY KEY (bucket, agent, machine, model, project)
);

-- active_minutes: the UTC minutes with any transcript record or billed request (every
-- agent), kept by triggers on messages and usage; active time is read from their gaps.
-- Whole minutes since 1970 as the rowid, so a gap is an integer difference and a run's
-- start or end is one rowid probe (the views turn them back into text).
CREATE TABLE IF NOT EXISTS active_minutes (
  minute INTEGER PRIMARY KEY  -- UTC minute as whole minutes since 1970-01-01 (unixepoch / 60)
);

CREATE TRIGGER IF NOT EXISTS usage_buckets_add AFTER INSERT ON usage BEGIN
  INSERT INTO usage_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.model, ''), coalesce(NEW.project, ''), 1, NEW.cost_usd IS NOT NULL,
    NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_5m_tokens, NEW.cache_write_1h_tokens,
    CASE WHEN NEW.cost_usd IS NULL THEN NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens
         + NEW.cache_write_5m_tokens + NEW.cache_write_1h_tokens ELSE 0 END, coalesce(NEW.cost_usd, 0))
  ON CONFLICT DO UPDATE SET requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
    unpriced_tokens = unpriced_tokens + excluded.unpriced_tokens,
    priced_cost_usd = priced_cost_usd + excluded.priced_cost_usd;
END;
CREATE TRIGGER IF NOT EXISTS usage_buckets_remove AFTER DELETE ON usage BEGIN
  UPDATE usage_buckets SET requests = requests - 1, priced_requests = priced_requests - (OLD.cost_usd IS NOT NULL),
    input_tokens = input_tokens - OLD.input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens - OLD.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens - OLD.cache_write_1h_tokens,
    unpriced_tokens = unpriced_tokens - CASE WHEN OLD.cost_usd IS NULL THEN OLD.input_tokens + OLD.output_tokens
      + OLD.cache_read_tokens + OLD.cache_write_5m_tokens + OLD.cache_write_1h_tokens ELSE 0 END,
    priced_cost_usd = priced_cost_usd - coalesce(OLD.cost_usd, 0)
  WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
    AND agent = OLD.agent AND machine = OLD.machine AND model = coalesce(OLD.model, '') AND project = coalesce(OLD.project, '');
  DELETE FROM usage_buckets WHERE requests = 0
    AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
END;
-- An UPDATE that changes only a row's price (re-pricing: cost_usd, price_source, price_fp)
-- moves the rollups by the cost alone (usage_buckets_price, session_totals_price: one
-- keyed UPDATE each); any other change takes the whole row out and puts it back.
DROP TRIGGER IF EXISTS usage_buckets_change;
CREATE TRIGGER usage_buckets_change AFTER UPDATE ON usage WHEN NOT (
    NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine AND NEW.session_id IS OLD.session_id
    AND NEW.project IS OLD.project AND NEW.timestamp IS OLD.timestamp AND NEW.model IS OLD.model
    AND NEW.input_tokens IS OLD.input_tokens AND NEW.output_tokens IS OLD.output_tokens
    AND NEW.cache_read_tokens IS OLD.cache_read_tokens AND NEW.cache_write_5m_tokens IS OLD.cache_write_5m_tokens
    AND NEW.cache_write_1h_tokens IS OLD.cache_write_1h_tokens AND NEW.confidence IS OLD.confidence) BEGIN
  UPDATE usage_buckets SET requests = requests - 1, priced_requests = priced_requests - (OLD.cost_usd IS NOT NULL),
    input_tokens = input_tokens - OLD.input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens - OLD.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens - OLD.cache_write_1h_tokens,
    unpriced_tokens = unpriced_tokens - CASE WHEN OLD.cost_usd IS NULL THEN OLD.input_tokens + OLD.output_tokens
      + OLD.cache_read_tokens + OLD.cache_write_5m_tokens + OLD.cache_write_1h_tokens ELSE 0 END,
    priced_cost_usd = priced_cost_usd - coalesce(OLD.cost_usd, 0)
  WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
    AND agent = OLD.agent AND machine = OLD.machine AND model = coalesce(OLD.model, '') AND project = coalesce(OLD.project, '');
  DELETE FROM usage_buckets WHERE requests = 0
    AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
  INSERT INTO usage_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.model, ''), coalesce(NEW.project, ''), 1, NEW.cost_usd IS NOT NULL,
    NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_5m_tokens, NEW.cache_write_1h_tokens,
    CASE WHEN NEW.cost_usd IS NULL THEN NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens
         + NEW.cache_write_5m_tokens + NEW.cache_write_1h_tokens ELSE 0 END, coalesce(NEW.cost_usd, 0))
  ON CONFLICT DO UPDATE SET requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
    unpriced_tokens = unpriced_tokens + excluded.unpriced_tokens,
    priced_cost_usd = priced_cost_usd + excluded.priced_cost_usd;
END;
CREATE TRIGGER IF NOT EXISTS active_minutes_message AFTER INSERT ON messages WHEN unixepoch(NEW.timestamp) IS NOT NULL BEGIN
  INSERT OR IGNORE INTO active_minutes VALUES (unixepoch(NEW.timestamp) / 60);
END;

-- session_totals: usage summed per session, kept by the triggers below; the sessions view
-- reads it instead of grouping every request.
CREATE TABLE IF NOT EXISTS session_totals (
  agent           TEXT NOT NULL,     -- agent
  session_id      TEXT NOT NULL,     -- session id ('' when unknown)
  project         TEXT,              -- project of the session
  machine         TEXT,              -- machine of the first request stored
  started_at      TEXT,              -- first request (UTC)
  ended_at        TEXT,              -- last request (UTC)
  requests        INTEGER NOT NULL,  -- billed requests
  priced_requests INTEGER NOT NULL,  -- requests with a price
  total_tokens    INTEGER NOT NULL,  -- all five token buckets
  priced_cost_usd REAL NOT NULL,     -- cost of the priced requests
  low_confidence  INTEGER NOT NULL,  -- requests with a placeholder output count
  PRIMARY KEY (agent, session_id)
);

-- session_models: requests per session and model, for the sessions view's model list.
CREATE TABLE IF NOT EXISTS session_models (
  agent      TEXT NOT NULL,     -- agent
  session_id TEXT NOT NULL,     -- session id ('' when unknown)
  model      TEXT NOT NULL,     -- model ('' when unknown)
  requests   INTEGER NOT NULL,  -- billed requests of that model in the session
  PRIMARY KEY (agent, session_id, model)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS session_totals_add AFTER INSERT ON usage BEGIN
  INSERT INTO session_totals VALUES (NEW.agent, coalesce(NEW.session_id, ''), NEW.project, NEW.machine, NEW.timestamp,
    NEW.timestamp, 1, NEW.cost_usd IS NOT NULL,
    NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_write_5m_tokens + NEW.cache_write_1h_tokens,
    coalesce(NEW.cost_usd, 0), NEW.confidence IS 'low')
  ON CONFLICT DO UPDATE SET project = coalesce(project, excluded.project), machine = coalesce(machine, excluded.machine),
    started_at = CASE WHEN started_at IS NULL OR excluded.started_at < started_at THEN coalesce(excluded.started_at, started_at) ELSE started_at END,
    ended_at = CASE WHEN ended_at IS NULL OR excluded.ended_at > ended_at THEN coalesce(excluded.ended_at, ended_at) ELSE ended_at END,
    requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests,
    total_tokens = total_tokens + excluded.total_tokens, priced_cost_usd = priced_cost_usd + excluded.priced_cost_usd,
    low_confidence = low_confidence + excluded.low_confidence;
  INSERT INTO session_models VALUES (NEW.agent, coalesce(NEW.session_id, ''), coalesce(NEW.model, ''), 1)
  ON CONFLICT DO UPDATE SET requests = requests + 1;
END;
CREATE TRIGGER IF NOT EXISTS session_totals_remove AFTER DELETE ON usage BEGIN
  UPDATE session_totals SET requests = requests - 1, priced_requests = priced_requests - (OLD.cost_usd IS NOT NULL),
    total_tokens = total_tokens - (OLD.input_tokens + OLD.output_tokens + OLD.cache_read_tokens
      + OLD.cache_write_5m_tokens + OLD.cache_write_1h_tokens),
    priced_cost_usd = priced_cost_usd - coalesce(OLD.cost_usd, 0), low_confidence = low_confidence - (OLD.confidence IS 'low'),
    started_at = (SELECT min(timestamp) FROM usage WHERE session_id IS OLD.session_id AND agent = OLD.agent),
    ended_at = (SELECT max(timestamp) FROM usage WHERE session_id IS OLD.session_id AND agent = OLD.agent)
  WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '');
  DELETE FROM session_totals WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '') AND requests = 0;
  UPDATE session_models SET requests = requests - 1
   WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '') AND model = coalesce(OLD.model, '');
  DELETE FROM session_models WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '')
     AND model = coalesce(OLD.model, '') AND requests = 0;
END;
DROP TRIGGER IF EXISTS session_totals_change;
CREATE TRIGGER session_totals_change AFTER UPDATE ON usage WHEN NOT (
    NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine AND NEW.session_id IS OLD.session_id
    AND NEW.project IS OLD.project AND NEW.timestamp IS OLD.timestamp AND NEW.model IS OLD.model
    AND NEW.input_tokens IS OLD.input_tokens AND NEW.output_tokens IS OLD.output_tokens
    AND NEW.cache_read_tokens IS OLD.cache_read_tokens AND NEW.cache_write_5m_tokens IS OLD.cache_write_5m_tokens
    AND NEW.cache_write_1h_tokens IS OLD.cache_write_1h_tokens AND NEW.confidence IS OLD.confidence) BEGIN
  UPDATE session_totals SET requests = requests - 1, priced_requests = priced_requests - (OLD.cost_usd IS NOT NULL),
    total_tokens = total_tokens - (OLD.input_tokens + OLD.output_tokens + OLD.cache_read_tokens
      + OLD.cache_write_5m_tokens + OLD.cache_write_1h_tokens),
    priced_cost_usd = priced_cost_usd - coalesce(OLD.cost_usd, 0), low_confidence = low_confidence - (OLD.confidence IS 'low'),
    started_at = (SELECT min(timestamp) FROM usage WHERE session_id IS OLD.session_id AND agent = OLD.agent),
    ended_at = (SELECT max(timestamp) FROM usage WHERE session_id IS OLD.session_id AND agent = OLD.agent)
  WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '');
  DELETE FROM session_totals WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '') AND requests = 0;
  UPDATE session_models SET requests = requests - 1
   WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '') AND model = coalesce(OLD.model, '');
  DELETE FROM session_models WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '')
     AND model = coalesce(OLD.model, '') AND requests = 0;
  INSERT INTO session_totals VALUES (NEW.agent, coalesce(NEW.session_id, ''), NEW.project, NEW.machine, NEW.timestamp,
    NEW.timestamp, 1, NEW.cost_usd IS NOT NULL,
    NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_write_5m_tokens + NEW.cache_write_1h_tokens,
    coalesce(NEW.cost_usd, 0), NEW.confidence IS 'low')
  ON CONFLICT DO UPDATE SET project = coalesce(project, excluded.project), machine = coalesce(machine, excluded.machine),
    started_at = CASE WHEN started_at IS NULL OR excluded.started_at < started_at THEN coalesce(excluded.started_at, started_at) ELSE started_at END,
    ended_at = CASE WHEN ended_at IS NULL OR excluded.ended_at > ended_at THEN coalesce(excluded.ended_at, ended_at) ELSE ended_at END,
    requests = requests + 1, priced_requests = priced_requests + excluded.priced_requests,
    total_tokens = total_tokens + excluded.total_tokens, priced_cost_usd = priced_cost_usd + excluded.priced_cost_usd,
    low_confidence = low_confidence + excluded.low_confidence;
  INSERT INTO session_models VALUES (NEW.agent, coalesce(NEW.session_id, ''), coalesce(NEW.model, ''), 1)
  ON CONFLICT DO UPDATE SET requests = requests + 1;
END;

-- session_message_counts: transcript records per session, kept by a trigger on messages.
CREATE TABLE IF NOT EXISTS session_message_counts (
  agent      TEXT NOT NULL,     -- agent
  session_id TEXT NOT NULL,     -- session id ('' when unknown)
  messages   INTEGER NOT NULL,  -- records in messages
  PRIMARY KEY (agent, session_id)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS session_message_counts_add AFTER INSERT ON messages BEGIN
  INSERT INTO session_message_counts VALUES (NEW.agent, coalesce(NEW.session_id, ''), 1)
  ON CONFLICT DO UPDATE SET messages = messages + 1;
END;
-- a record's kept copy moved to an older file of another session (the rank above)
CREATE TRIGGER IF NOT EXISTS session_message_counts_change AFTER UPDATE OF session_id ON messages
 WHEN NEW.session_id IS NOT OLD.session_id BEGIN
  UPDATE session_message_counts SET messages = messages - 1
   WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '');
  DELETE FROM session_message_counts WHERE agent = OLD.agent AND session_id = coalesce(OLD.session_id, '') AND messages <= 0;
  INSERT INTO session_message_counts VALUES (NEW.agent, coalesce(NEW.session_id, ''), 1)
  ON CONFLICT DO UPDATE SET messages = messages + 1;
END;

-- Billed requests of every agent are activity too (OpenCode writes no messages rows).
CREATE TRIGGER IF NOT EXISTS active_minutes_usage AFTER INSERT ON usage WHEN unixepoch(NEW.timestamp) IS NOT NULL BEGIN
  INSERT OR IGNORE INTO active_minutes VALUES (unixepoch(NEW.timestamp) / 60);
END;

-- Rollups of the dashboard's period panels (schema 12), kept like usage_buckets: per UTC
-- quarter hour (a local day is a whole number of them in every zone), agent, machine and
-- project, so that a panel reads a few thousand rows instead of every request or call.
-- The bulk first sync (sync_bulk.c) drops their triggers and builds them from the rows at
-- its end, with the same rules; tests/check_rollups.py compares them with the base tables.

-- session_buckets: which sessions made billed requests in each quarter hour (the sessions
-- card: sessions with a request in the range).
CREATE TABLE IF NOT EXISTS session_buckets (
  bucket     TEXT NOT NULL,     -- UTC start of the quarter hour, YYYY-MM-DDTHH:MM:00Z ('' when the time is unknown)
  agent      TEXT NOT NULL,     -- agent
  machine    TEXT NOT NULL,     -- machine id
  project    TEXT NOT NULL,     -- project ('' when unknown)
  session_id TEXT NOT NULL,     -- session id ('' when unknown)
  requests   INTEGER NOT NULL,  -- billed requests of the session in the quarter hour
  PRIMARY KEY (bucket, agent, machine, project, session_id)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS session_buckets_add AFTER INSERT ON usage BEGIN
  INSERT INTO session_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.project, ''), coalesce(NEW.session_id, ''), 1)
  ON CONFLICT DO UPDATE SET requests = requests + 1;
END;
CREATE TRIGGER IF NOT EXISTS session_buckets_remove AFTER DELETE ON usage BEGIN
  UPDATE session_buckets SET requests = requests - 1
   WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
     AND agent = OLD.agent AND machine = OLD.machine AND project = coalesce(OLD.project, '') AND session_id = coalesce(OLD.session_id, '');
  DELETE FROM session_buckets WHERE requests = 0
     AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
END;
-- Only a change of what the key is made of moves a row (a re-pricing sets other columns).
CREATE TRIGGER IF NOT EXISTS session_buckets_change AFTER UPDATE OF timestamp, agent, machine, project, session_id ON usage
  WHEN NOT (NEW.timestamp IS OLD.timestamp AND NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine
            AND NEW.project IS OLD.project AND NEW.session_id IS OLD.session_id) BEGIN
  UPDATE session_buckets SET requests = requests - 1
   WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
     AND agent = OLD.agent AND machine = OLD.machine AND project = coalesce(OLD.project, '') AND session_id = coalesce(OLD.session_id, '');
  DELETE FROM session_buckets WHERE requests = 0
     AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
  INSERT INTO session_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.project, ''), coalesce(NEW.session_id, ''), 1)
  ON CONFLICT DO UPDATE SET requests = requests + 1;
END;

-- tool_buckets: tool calls per quarter hour and tool, by outcome (the tools, tool trend
-- and error-rate panels). A call without an outcome yet counts in calls only.
CREATE TABLE IF NOT EXISTS tool_buckets (
  bucket     TEXT NOT NULL,     -- UTC start of the quarter hour, YYYY-MM-DDTHH:MM:00Z ('' when the time is unknown)
  agent      TEXT NOT NULL,     -- agent
  machine    TEXT NOT NULL,     -- machine id
  project    TEXT NOT NULL,     -- project ('' when unknown)
  tool_name  TEXT NOT NULL,     -- tool name ('' when unknown)
  calls      INTEGER NOT NULL,  -- tool calls
  succeeded  INTEGER NOT NULL,  -- calls with is_error 0
  failed     INTEGER NOT NULL,  -- calls with is_error 1
  PRIMARY KEY (bucket, agent, machine, project, tool_name)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS tool_buckets_add AFTER INSERT ON tool_uses BEGIN
  INSERT INTO tool_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.project, ''), coalesce(NEW.tool_name, ''), 1, NEW.is_error IS 0, NEW.is_error IS 1)
  ON CONFLICT DO UPDATE SET calls = calls + 1, succeeded = succeeded + excluded.succeeded, failed = failed + excluded.failed;
END;
CREATE TRIGGER IF NOT EXISTS tool_buckets_remove AFTER DELETE ON tool_uses BEGIN
  UPDATE tool_buckets SET calls = calls - 1, succeeded = succeeded - (OLD.is_error IS 0), failed = failed - (OLD.is_error IS 1)
   WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
     AND agent = OLD.agent AND machine = OLD.machine AND project = coalesce(OLD.project, '') AND tool_name = coalesce(OLD.tool_name, '');
  DELETE FROM tool_buckets WHERE calls = 0
     AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
END;
-- A result that sets the outcome (sync_activity.c) is an UPDATE of is_error.
CREATE TRIGGER IF NOT EXISTS tool_buckets_change AFTER UPDATE OF timestamp, agent, machine, project, tool_name, is_error ON tool_uses
  WHEN NOT (NEW.timestamp IS OLD.timestamp AND NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine
            AND NEW.project IS OLD.project AND NEW.tool_name IS OLD.tool_name AND NEW.is_error IS OLD.is_error) BEGIN
  UPDATE tool_buckets SET calls = calls - 1, succeeded = succeeded - (OLD.is_error IS 0), failed = failed - (OLD.is_error IS 1)
   WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
     AND agent = OLD.agent AND machine = OLD.machine AND project = coalesce(OLD.project, '') AND tool_name = coalesce(OLD.tool_name, '');
  DELETE FROM tool_buckets WHERE calls = 0
     AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
  INSERT INTO tool_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.project, ''), coalesce(NEW.tool_name, ''), 1, NEW.is_error IS 0, NEW.is_error IS 1)
  ON CONFLICT DO UPDATE SET calls = calls + 1, succeeded = succeeded + excluded.succeeded, failed = failed + excluded.failed;
END;

-- change_buckets: file changes and their lines per quarter hour (the lines card), of the
-- calls that did not fail (the work_events rule: a change whose call has is_error 1, or
-- any other non-zero value, changed nothing; no outcome yet counts). A change is counted
-- from its own row and its call's outcome, so the triggers follow both tables: a call
-- stored, deleted or given a failing outcome after its changes moves them out or back.
CREATE TABLE IF NOT EXISTS change_buckets (
  bucket        TEXT NOT NULL,     -- UTC start of the quarter hour, YYYY-MM-DDTHH:MM:00Z ('' when the time is unknown)
  agent         TEXT NOT NULL,     -- agent
  machine       TEXT NOT NULL,     -- machine id
  project       TEXT NOT NULL,     -- project ('' when unknown)
  changes       INTEGER NOT NULL,  -- file changes of calls that did not fail
  lines_added   INTEGER NOT NULL,  -- their lines added (a NULL count adds nothing)
  lines_removed INTEGER NOT NULL,  -- their lines removed
  PRIMARY KEY (bucket, agent, machine, project)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS change_buckets_add AFTER INSERT ON file_changes
  WHEN NOT EXISTS (SELECT 1 FROM tool_uses t WHERE t.key = NEW.tool_key AND t.is_error <> 0) BEGIN
  INSERT INTO change_buckets VALUES (
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.project, ''), 1, coalesce(NEW.lines_added, 0), coalesce(NEW.lines_removed, 0))
  ON CONFLICT DO UPDATE SET changes = changes + 1, lines_added = lines_added + excluded.lines_added,
    lines_removed = lines_removed + excluded.lines_removed;
END;
CREATE TRIGGER IF NOT EXISTS change_buckets_remove AFTER DELETE ON file_changes
  WHEN NOT EXISTS (SELECT 1 FROM tool_uses t WHERE t.key = OLD.tool_key AND t.is_error <> 0) BEGIN
  UPDATE change_buckets SET changes = changes - 1, lines_added = lines_added - coalesce(OLD.lines_added, 0),
    lines_removed = lines_removed - coalesce(OLD.lines_removed, 0)
   WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
     AND agent = OLD.agent AND machine = OLD.machine AND project = coalesce(OLD.project, '');
  DELETE FROM change_buckets WHERE changes = 0
     AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
END;
-- A result's own line counts (sync_activity.c, lumo_merge) are an UPDATE of the lines.
CREATE TRIGGER IF NOT EXISTS change_buckets_change AFTER UPDATE OF timestamp, agent, machine, project, lines_added, lines_removed, tool_key
  ON file_changes WHEN NOT (NEW.timestamp IS OLD.timestamp AND NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine
            AND NEW.project IS OLD.project AND NEW.lines_added IS OLD.lines_added AND NEW.lines_removed IS OLD.lines_removed
            AND NEW.tool_key IS OLD.tool_key) BEGIN
  UPDATE change_buckets SET changes = changes - 1, lines_added = lines_added - coalesce(OLD.lines_added, 0),
    lines_removed = lines_removed - coalesce(OLD.lines_removed, 0)
   WHERE bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
     AND agent = OLD.agent AND machine = OLD.machine AND project = coalesce(OLD.project, '')
     AND NOT EXISTS (SELECT 1 FROM tool_uses t WHERE t.key = OLD.tool_key AND t.is_error <> 0);
  DELETE FROM change_buckets WHERE changes = 0
     AND bucket = coalesce(substr(OLD.timestamp, 1, 14) || printf('%02d', CAST(substr(OLD.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '');
  INSERT INTO change_buckets SELECT
    coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', ''),
    NEW.agent, NEW.machine, coalesce(NEW.project, ''), 1, coalesce(NEW.lines_added, 0), coalesce(NEW.lines_removed, 0)
   WHERE NOT EXISTS (SELECT 1 FROM tool_uses t WHERE t.key = NEW.tool_key AND t.is_error <> 0)
  ON CONFLICT DO UPDATE SET changes = changes + 1, lines_added = lines_added + excluded.lines_added,
    lines_removed = lines_removed + excluded.lines_removed;
END;
-- The call's side: its changes leave the rollup when it fails and come back when it no
-- longer does (sign -1 / +1 of the same sums, by quarter hour).
CREATE TRIGGER IF NOT EXISTS change_buckets_call_add AFTER INSERT ON tool_uses WHEN NEW.is_error <> 0 BEGIN
  INSERT INTO change_buckets SELECT
    coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    f.agent, f.machine, coalesce(f.project, '') AS p, -count(*), -sum(coalesce(f.lines_added, 0)), -sum(coalesce(f.lines_removed, 0))
    FROM file_changes f WHERE f.tool_key = NEW.key GROUP BY b, f.agent, f.machine, p
  ON CONFLICT DO UPDATE SET changes = changes + excluded.changes, lines_added = lines_added + excluded.lines_added,
    lines_removed = lines_removed + excluded.lines_removed;
  DELETE FROM change_buckets WHERE changes = 0 AND bucket IN (SELECT
    coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
    FROM file_changes f WHERE f.tool_key = NEW.key);
END;
CREATE TRIGGER IF NOT EXISTS change_buckets_call_remove AFTER DELETE ON tool_uses WHEN OLD.is_error <> 0 BEGIN
  INSERT INTO change_buckets SELECT
    coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    f.agent, f.machine, coalesce(f.project, '') AS p, count(*), sum(coalesce(f.lines_added, 0)), sum(coalesce(f.lines_removed, 0))
    FROM file_changes f WHERE f.tool_key = OLD.key GROUP BY b, f.agent, f.machine, p
  ON CONFLICT DO UPDATE SET changes = changes + excluded.changes, lines_added = lines_added + excluded.lines_added,
    lines_removed = lines_removed + excluded.lines_removed;
END;
CREATE TRIGGER IF NOT EXISTS change_buckets_call_change AFTER UPDATE OF is_error, key ON tool_uses
  WHEN NOT (NEW.key IS OLD.key AND coalesce(NEW.is_error <> 0, 0) = coalesce(OLD.is_error <> 0, 0)) BEGIN
  -- back in: the changes of the call as it was, if it had failed
  INSERT INTO change_buckets SELECT
    coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    f.agent, f.machine, coalesce(f.project, '') AS p, count(*), sum(coalesce(f.lines_added, 0)), sum(coalesce(f.lines_removed, 0))
    FROM file_changes f WHERE f.tool_key = OLD.key AND OLD.is_error <> 0 GROUP BY b, f.agent, f.machine, p
  ON CONFLICT DO UPDATE SET changes = changes + excluded.changes, lines_added = lines_added + excluded.lines_added,
    lines_removed = lines_removed + excluded.lines_removed;
  -- out: those of the call as it is, if it fails
  INSERT INTO change_buckets SELECT
    coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    f.agent, f.machine, coalesce(f.project, '') AS p, -count(*), -sum(coalesce(f.lines_added, 0)), -sum(coalesce(f.lines_removed, 0))
    FROM file_changes f WHERE f.tool_key = NEW.key AND NEW.is_error <> 0 GROUP BY b, f.agent, f.machine, p
  ON CONFLICT DO UPDATE SET changes = changes + excluded.changes, lines_added = lines_added + excluded.lines_added,
    lines_removed = lines_removed + excluded.lines_removed;
  DELETE FROM change_buckets WHERE changes = 0 AND bucket IN (SELECT
    coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
    FROM file_changes f WHERE f.tool_key = NEW.key);
END;
-- Version 12: the rollups above of a database synced before, made again from its rows (the
-- bulk first sync's rules, sync_bulk.c); emptied first, for a database whose version says
-- older than its tables (written back by hand, or by a test).
DELETE FROM session_buckets WHERE (SELECT version FROM lumo_schema_version) < 12;
DELETE FROM tool_buckets WHERE (SELECT version FROM lumo_schema_version) < 12;
DELETE FROM change_buckets WHERE (SELECT version FROM lumo_schema_version) < 12;
INSERT INTO session_buckets SELECT b, agent, machine, p, s, count(*) FROM (SELECT
    coalesce(substr(timestamp, 1, 14) || printf('%02d', CAST(substr(timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    agent, machine, coalesce(project, '') AS p, coalesce(session_id, '') AS s FROM usage)
  WHERE (SELECT version FROM lumo_schema_version) < 12 GROUP BY b, agent, machine, p, s;
INSERT INTO tool_buckets SELECT b, agent, machine, p, n, count(*), sum(is_error IS 0), sum(is_error IS 1) FROM (SELECT
    coalesce(substr(timestamp, 1, 14) || printf('%02d', CAST(substr(timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    agent, machine, coalesce(project, '') AS p, coalesce(tool_name, '') AS n, is_error FROM tool_uses)
  WHERE (SELECT version FROM lumo_schema_version) < 12 GROUP BY b, agent, machine, p, n;
INSERT INTO change_buckets SELECT b, agent, machine, p, count(*), sum(coalesce(lines_added, 0)), sum(coalesce(lines_removed, 0))
  FROM (SELECT coalesce(substr(f.timestamp, 1, 14) || printf('%02d', CAST(substr(f.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '') AS b,
    f.agent, f.machine, coalesce(f.project, '') AS p, f.lines_added, f.lines_removed FROM file_changes f
    WHERE NOT EXISTS (SELECT 1 FROM tool_uses t WHERE t.key = f.tool_key AND t.is_error <> 0))
  WHERE (SELECT version FROM lumo_schema_version) < 12 GROUP BY b, agent, machine, p;

-- otel_points: OTLP metric data points read from dump files (otlp_metrics), one row per
-- point: a re-read dump or a retried export batch is stored once (key). Values are as
-- sent; the otel_increases view turns cumulative series into increases.
CREATE TABLE IF NOT EXISTS otel_points (
  key                  TEXT PRIMARY KEY,  -- natural key: series, start, time and value (128-bit hash)
  series               TEXT NOT NULL,     -- one time series: resource, scope, metric, kind and point attributes (hash)
  machine              TEXT NOT NULL,     -- machine id of the sync that stored it
  agent                TEXT,              -- claude, codex, gemini (NULL: another emitter)
  time                 TEXT,              -- end of the point's interval, ISO-8601 UTC
  time_unix_nano       INTEGER,           -- the same, in ns
  start_time_unix_nano INTEGER,           -- start of the interval (delta) or of the series (cumulative), ns
  metric               TEXT NOT NULL,     -- metric name
  unit                 TEXT,              -- unit as sent
  kind                 TEXT NOT NULL,     -- sum, gauge, histogram, exponential_histogram, summary
  temporality          TEXT,              -- delta, cumulative, NULL (unspecified)
  is_monotonic         INTEGER,           -- 1 for a monotonic sum
  value                NUMERIC,           -- the point's value (NULL for histograms and no-value points)
  count                INTEGER,           -- histogram and summary count
  sum                  REAL,              -- histogram and summary sum
  session_id           TEXT,              -- session.id (Codex: conversation.id)
  model                TEXT,              -- model attribute
  type                 TEXT,              -- type attribute
  decision             TEXT,              -- decision attribute
  source               TEXT,              -- source attribute of a decision
  tool_name            TEXT,              -- tool_name attribute
  language             TEXT,              -- language attribute
  user_id              TEXT,              -- user.id
  organization_id      TEXT,              -- organization.id
  terminal_type        TEXT,              -- terminal.type
  service_version      TEXT,              -- resource service.version
  attributes           TEXT,              -- point attributes, JSON object
  resource             TEXT,              -- resource attributes, JSON object
  scope_name           TEXT,              -- instrumentation scope
  file                 TEXT,              -- dump file, relative to its root
  line                 INTEGER            -- first line of the document
);
CREATE INDEX IF NOT EXISTS otel_points_series ON otel_points (series, time_unix_nano);
CREATE INDEX IF NOT EXISTS otel_points_metric ON otel_points (metric, time_unix_nano);

-- otel_events: OTLP log records (agent events: api_request, tool_decision, user_prompt,
-- ...) read from dump files (otlp_logs), one row per record (key).
CREATE TABLE IF NOT EXISTS otel_events (
  key                   TEXT PRIMARY KEY,  -- natural key: resource, scope, time, name, body, attributes (128-bit hash)
  machine               TEXT NOT NULL,     -- machine id of the sync that stored it
  agent                 TEXT,              -- claude, codex, gemini (NULL: another emitter)
  time                  TEXT,              -- event time, ISO-8601 UTC
  time_unix_nano        INTEGER,           -- the same, in ns
  time_source           TEXT,              -- record, observed, attribute (event.timestamp) or file (the dump's mtime)
  event_name            TEXT,              -- claude_code.api_request, codex.sse_event, gemini_cli.api_response, ...
  severity_number       INTEGER,           -- 1-24
  session_id            TEXT,              -- session.id (Codex: conversation.id)
  event_sequence        INTEGER,           -- event.sequence
  prompt_id             TEXT,              -- prompt.id
  prompt_length         INTEGER,           -- prompt_length
  model                 TEXT,              -- model
  request_id            TEXT,              -- request_id
  tool_name             TEXT,              -- tool_name
  success               INTEGER,           -- 1/0
  duration_ms           INTEGER,           -- duration_ms
  decision              TEXT,              -- decision
  source                TEXT,              -- source of a decision
  cost_usd              REAL,              -- cost as the agent reported it
  lumo_cost_usd         REAL,              -- lumo_cost() of the token counts at sync time (NULL: unknown model or no tokens)
  input_tokens          INTEGER,           -- uncached input
  output_tokens         INTEGER,           -- output with reasoning
  cache_read_tokens     INTEGER,           -- cache reads
  cache_creation_tokens INTEGER,           -- cache writes
  reasoning_tokens      INTEGER,           -- reasoning (inside output)
  body                  TEXT,              -- body as text
  attributes            TEXT,              -- record attributes, JSON object
  resource              TEXT,              -- resource attributes, JSON object
  scope_name            TEXT,              -- instrumentation scope
  service_version       TEXT,              -- resource service.version
  file                  TEXT,              -- dump file, relative to its root
  line                  INTEGER            -- first line of the document
);
CREATE INDEX IF NOT EXISTS otel_events_name ON otel_events (event_name, time_unix_nano);
CREATE INDEX IF NOT EXISTS otel_events_session ON otel_events (session_id);

-- blocks_cache: the 5-hour blocks (blocks view) as of the last sync. lumo_sync computes
-- again only the blocks from the earliest changed request on (blocks_seed, blocks_tail),
-- so the view reads most blocks from here.
CREATE TABLE IF NOT EXISTS blocks_cache (
  first_at    TEXT PRIMARY KEY,  -- first request of the block (UTC)
  start_at    TEXT NOT NULL,     -- block start: first_at floored to the hour
  next_first  TEXT,              -- first request of the next block (NULL for the last)
  last_at     TEXT,              -- last request of the block
  requests    INTEGER,           -- billed requests
  input_tokens INTEGER,          -- uncached input
  output_tokens INTEGER,         -- output
  cache_creation_tokens INTEGER, -- cache writes, both TTLs
  cache_read_tokens INTEGER,     -- cache reads
  total_tokens INTEGER,          -- all five buckets
  cost_usd    REAL,              -- cost of the requests with a price
  models      TEXT,              -- models, comma-separated
  unpriced_tokens INTEGER        -- tokens of requests without a price
) WITHOUT ROWID;

-- blocks_state: one row saying how current blocks_cache is; any change to usage moves
-- since back to the changed request's time (triggers below), lumo_sync sets it to NULL.
CREATE TABLE IF NOT EXISTS blocks_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),  -- always 1
  since       TEXT               -- earliest request time changed since blocks_cache was made; NULL: current, '': all
);
INSERT OR IGNORE INTO blocks_state VALUES (1, '');
CREATE TRIGGER IF NOT EXISTS blocks_state_add AFTER INSERT ON usage WHEN NEW.timestamp IS NOT NULL BEGIN
  UPDATE blocks_state SET since = min(coalesce(since, NEW.timestamp), NEW.timestamp);
END;
CREATE TRIGGER IF NOT EXISTS blocks_state_remove AFTER DELETE ON usage WHEN OLD.timestamp IS NOT NULL BEGIN
  UPDATE blocks_state SET since = min(coalesce(since, OLD.timestamp), OLD.timestamp);
END;
DROP TRIGGER IF EXISTS blocks_state_change;
CREATE TRIGGER blocks_state_change AFTER UPDATE ON usage WHEN NOT (
    NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine AND NEW.session_id IS OLD.session_id
    AND NEW.project IS OLD.project AND NEW.timestamp IS OLD.timestamp AND NEW.model IS OLD.model
    AND NEW.input_tokens IS OLD.input_tokens AND NEW.output_tokens IS OLD.output_tokens
    AND NEW.cache_read_tokens IS OLD.cache_read_tokens AND NEW.cache_write_5m_tokens IS OLD.cache_write_5m_tokens
    AND NEW.cache_write_1h_tokens IS OLD.cache_write_1h_tokens AND NEW.confidence IS OLD.confidence
    AND NEW.cost_usd IS OLD.cost_usd) BEGIN
  UPDATE blocks_state SET since = min(coalesce(since, '9999'), coalesce(OLD.timestamp, '9999'), coalesce(NEW.timestamp, '9999'));
END;
-- Re-pricing: a row whose price alone changed (see usage_buckets_change).
CREATE TRIGGER IF NOT EXISTS usage_buckets_price AFTER UPDATE OF cost_usd ON usage WHEN
    NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine AND NEW.session_id IS OLD.session_id
    AND NEW.project IS OLD.project AND NEW.timestamp IS OLD.timestamp AND NEW.model IS OLD.model
    AND NEW.input_tokens IS OLD.input_tokens AND NEW.output_tokens IS OLD.output_tokens
    AND NEW.cache_read_tokens IS OLD.cache_read_tokens AND NEW.cache_write_5m_tokens IS OLD.cache_write_5m_tokens
    AND NEW.cache_write_1h_tokens IS OLD.cache_write_1h_tokens AND NEW.confidence IS OLD.confidence
    AND NEW.cost_usd IS NOT OLD.cost_usd BEGIN
  UPDATE usage_buckets SET priced_requests = priced_requests + (NEW.cost_usd IS NOT NULL) - (OLD.cost_usd IS NOT NULL),
    unpriced_tokens = unpriced_tokens + (CASE WHEN NEW.cost_usd IS NULL THEN 1 ELSE 0 END - CASE WHEN OLD.cost_usd IS NULL THEN 1 ELSE 0 END)
      * (NEW.input_tokens + NEW.output_tokens + NEW.cache_read_tokens + NEW.cache_write_5m_tokens + NEW.cache_write_1h_tokens),
    priced_cost_usd = priced_cost_usd + coalesce(NEW.cost_usd, 0) - coalesce(OLD.cost_usd, 0)
  WHERE bucket = coalesce(substr(NEW.timestamp, 1, 14) || printf('%02d', CAST(substr(NEW.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')
    AND agent = NEW.agent AND machine = NEW.machine AND model = coalesce(NEW.model, '') AND project = coalesce(NEW.project, '');
END;
CREATE TRIGGER IF NOT EXISTS session_totals_price AFTER UPDATE OF cost_usd ON usage WHEN
    NEW.agent IS OLD.agent AND NEW.machine IS OLD.machine AND NEW.session_id IS OLD.session_id
    AND NEW.project IS OLD.project AND NEW.timestamp IS OLD.timestamp AND NEW.model IS OLD.model
    AND NEW.input_tokens IS OLD.input_tokens AND NEW.output_tokens IS OLD.output_tokens
    AND NEW.cache_read_tokens IS OLD.cache_read_tokens AND NEW.cache_write_5m_tokens IS OLD.cache_write_5m_tokens
    AND NEW.cache_write_1h_tokens IS OLD.cache_write_1h_tokens AND NEW.confidence IS OLD.confidence
    AND NEW.cost_usd IS NOT OLD.cost_usd BEGIN
  UPDATE session_totals SET priced_requests = priced_requests + (NEW.cost_usd IS NOT NULL) - (OLD.cost_usd IS NOT NULL),
    priced_cost_usd = priced_cost_usd + coalesce(NEW.cost_usd, 0) - coalesce(OLD.cost_usd, 0)
  WHERE agent = NEW.agent AND session_id = coalesce(NEW.session_id, '');
END;

-- Version 6: messages.is_rewound. SQL has no ADD COLUMN IF NOT EXISTS, so lumo_sync adds
-- it in C (prepare_db) to a messages table that lacks it, before this file runs.
-- Version 5: active_minutes replaces activity_minutes (text minutes, WITHOUT ROWID): its
-- minutes are carried over, and the old table and its triggers dropped. The empty old
-- table is created first so that the copy also runs on a new database.
CREATE TABLE IF NOT EXISTS activity_minutes (minute TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO active_minutes SELECT unixepoch(minute || ':00') / 60 FROM activity_minutes
 WHERE unixepoch(minute || ':00') IS NOT NULL;
DROP TRIGGER IF EXISTS activity_minutes_add;
DROP TRIGGER IF EXISTS activity_minutes_usage;
DROP TABLE activity_minutes;

-- Version 2: the OTLP tables above. Version 3: lumo_dirs (a re-sync's directory listings).
-- Version 4: blocks_cache and blocks_state. Version 5: active_minutes. Version 6:
-- messages.is_rewound. Version 8: usage.price_fp and lumo_files.tail_hash (added by lumo_sync's
-- migration), price_overrides with validity ranges and the tier (copied from the renamed
-- schema-7 table above), diagnostics and rate_limits, blocks_cache.unpriced_tokens (the
-- migration drops the cache, which the next sync makes again).
-- Version 9: tool_uses' activity columns (added by lumo_sync's migration, which also marks
-- inputs cut before schema 7), file_changes and git_ops.
UPDATE lumo_schema_version SET version = 9 WHERE version < 9;
-- Version 10: the user_prompts table (lumo_sync's migration reads every Claude, Codex and Gemini
-- file again from its start, so the prompts of history already stored come in; the other
-- rows are keyed and stay as they are); the search indexes, off and empty until the first
-- lumo search (which indexes every stored message and call in one pass).
UPDATE lumo_schema_version SET version = 10 WHERE version < 10;
-- Version 11: notifications (the CREATE TABLE IF NOT EXISTS above made it; nothing else to
-- carry over, after version 10's steps).
UPDATE lumo_schema_version SET version = 11 WHERE version < 11;
-- Version 12: hook_events (schema 11's notifications table, whose rows the migration above
-- moved; notifications is now a view), the dashboard's rollups session_buckets, tool_buckets
-- and change_buckets (filled above from the rows) and the git_ops_time index.
UPDATE lumo_schema_version SET version = 12 WHERE version < 12;
-- Version 13: messages.rank_mtime_ns (added by lumo_sync's migration; NULL for the rows
-- stored before, which keep their copy), the session_message_counts_change trigger, and
-- tool_uses_time with the columns of the tools and mcp_servers views (the migration drops
-- the schema-12 index, made again above).
UPDATE lumo_schema_version SET version = 13 WHERE version < 13;
