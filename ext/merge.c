/* merge.c: lumo_merge('other.db'), another machine's lumo database into this one. Usage
** rows go through the same upsert and winner rule as a sync (usage_upsert), with the
** ranking fields the other database stored; messages, tool calls, file states,
** telemetry, prompts, plan limits and hook events are unions on their keys. One write
** transaction: all or nothing. */
#include "sync_int.h"

#include <string.h>
#include <sys/stat.h>

/* The columns of a tool call every lumo database has, and those schema 9 added. */
#define TOOL_COLS_1 "key, agent, machine, session_id, timestamp, message_id, tool_name, input, is_error, result_bytes, file, line"
#define TOOL_COLS_9 "project, mcp_server, mcp_tool, input_bytes, input_truncated, result_text, duration_ms"

/* Tool calls and what they did. A call is one call on every machine: the first copy
** merged stays, and what only the other copy knows (it saw the result: the outcome, its
** text and duration, and the agent's own line counts of an edit, which the result holds)
** is added, as a sync adds it when the result arrives. Columns by name, so the two
** databases may be of different schemas; the calls of a database from before schema 9
** get the activity columns and their file and git rows as the migration gives them. */
static int merge_tool_uses(sqlite3 *db) {
  int src9 = sync_table_has_column(db, "lumo_merge_src", "tool_uses", "mcp_server") == 1;
  int rc = sqlite3_exec(db, src9 ?
      "UPDATE file_changes SET lines_added = s.lines_added, lines_removed = s.lines_removed"
      " FROM lumo_merge_src.file_changes AS s, lumo_merge_src.tool_uses AS st, tool_uses AS t"
      " WHERE file_changes.key = s.key AND st.key = s.tool_key AND t.key = s.tool_key"
      " AND t.result_bytes IS NULL AND st.result_bytes IS NOT NULL;"
      "INSERT OR IGNORE INTO file_changes (key, tool_key, agent, machine, session_id, project, timestamp, tool_name,"
      " path, language, operation, lines_added, lines_removed, file, line)"
      " SELECT key, tool_key, agent, machine, session_id, project, timestamp, tool_name, path, language, operation,"
      " lines_added, lines_removed, file, line FROM lumo_merge_src.file_changes;"
      "INSERT OR IGNORE INTO git_ops (key, tool_key, agent, machine, session_id, project, timestamp, operation,"
      " command, file, line) SELECT key, tool_key, agent, machine, session_id, project, timestamp, operation,"
      " command, file, line FROM lumo_merge_src.git_ops;"
      "INSERT OR IGNORE INTO tool_uses (" TOOL_COLS_1 ", " TOOL_COLS_9 ")"
      " SELECT " TOOL_COLS_1 ", " TOOL_COLS_9 " FROM lumo_merge_src.tool_uses;"
      "UPDATE tool_uses SET is_error = coalesce(tool_uses.is_error, s.is_error),"
      " result_bytes = coalesce(tool_uses.result_bytes, s.result_bytes),"
      " result_text = coalesce(tool_uses.result_text, s.result_text),"
      " duration_ms = coalesce(tool_uses.duration_ms, s.duration_ms)"
      " FROM lumo_merge_src.tool_uses AS s WHERE tool_uses.key = s.key AND (tool_uses.is_error IS NULL"
      " OR tool_uses.result_bytes IS NULL OR tool_uses.result_text IS NULL OR tool_uses.duration_ms IS NULL);"
    : "INSERT OR IGNORE INTO tool_uses (" TOOL_COLS_1 ") SELECT " TOOL_COLS_1 " FROM lumo_merge_src.tool_uses;"
      "UPDATE tool_uses SET is_error = s.is_error, result_bytes = s.result_bytes"
      " FROM lumo_merge_src.tool_uses AS s WHERE tool_uses.key = s.key AND tool_uses.is_error IS NULL;",
      NULL, NULL, NULL);
  /* schema 9's rules for the calls of an older database, as its migration runs them */
  if (!rc && !src9) rc = sqlite3_exec(db, activity_fixup_sql, NULL, NULL, NULL);
  if (!rc && !src9) rc = sqlite3_exec(db, activity_backfill_sql, NULL, NULL, NULL);
  return rc;
}

/* Hook events (the notify receiver's): a union on what the receiver stored (machine,
** time, event and the hook's input JSON), as they have no key of their own: an id is a
** database's arrival order, so the merged ones are numbered here, in their time order. A
** database of schema 11 holds them in its notifications table, without cwd and title;
** one from before has none. */
static int merge_hook_events(sqlite3 *db) {
  const char *src = sync_table_has_column(db, "lumo_merge_src", "hook_events", "body") == 1 ? "hook_events"
                    : sync_table_has_column(db, "lumo_merge_src", "notifications", "body") == 1 ? "notifications"
                                                                                                 : NULL;
  if (!src) return SQLITE_OK;
  int cwd = sync_table_has_column(db, "lumo_merge_src", src, "cwd") == 1;
  int title = sync_table_has_column(db, "lumo_merge_src", src, "title") == 1;
  char *sql = sqlite3_mprintf(
      "INSERT INTO hook_events (received_at, agent, machine, event, session_id, project, cwd, message, title, body)"
      " SELECT s.received_at, s.agent, s.machine, s.event, s.session_id, s.project, %s, s.message, %s, s.body"
      " FROM lumo_merge_src.\"%w\" s WHERE NOT EXISTS (SELECT 1 FROM hook_events h WHERE h.received_at = s.received_at"
      " AND h.machine = s.machine AND h.event = s.event AND h.body = s.body) ORDER BY s.received_at, s.id",
      cwd ? "s.cwd" : "NULL", title ? "s.title" : "NULL", src);
  int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  return rc;
}

/* lumo_merge('other.db'): the other database's rows, with the same keys and rule. */
void lumo_merge_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  if (!path) return;
  syncer y;
  char *err = NULL, *why = NULL;
  struct stat sb;
  /* ATTACH would create a missing file and take an empty one for a database */
  int missing = stat(path, &sb) != 0;
  if (missing || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
    char *m = sqlite3_mprintf("lumo_merge(): %s is %s", path,
                              missing ? "not there" : !S_ISREG(sb.st_mode) ? "not a file" : "empty");
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
    return;
  }
  int rc = syncer_begin(&y, ctx, &err);
  sqlite3 *db = y.db;
  if (rc) why = sqlite3_mprintf("cannot prepare this database: %s", err ? err : sqlite3_errmsg(db));
  sqlite3_free(err);
  err = NULL;
  char *att = rc ? NULL : sqlite3_mprintf("ATTACH %Q AS lumo_merge_src", path);
  if (!rc) rc = att ? sqlite3_exec(db, att, NULL, NULL, &err) : SQLITE_NOMEM;
  if (rc && !why) why = sqlite3_mprintf("cannot attach %Q: %s", path, err ? err : sqlite3_errmsg(db));
  sqlite3_free(att);
  if (!rc && sync_table_has_column(db, "lumo_merge_src", "usage", "rank_total") != 1) {
    why = sqlite3_mprintf("%s is not a lumo database (no usage table)", path);
    sqlite3_exec(db, "DETACH lumo_merge_src", NULL, NULL, NULL);
    rc = SQLITE_ERROR;
  }
  if (rc) {
    char *m = sqlite3_mprintf("lumo_merge(): %s", why ? why : "out of memory");
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
    sqlite3_free(why);
    sqlite3_free(err);
    syncer_close(&y);
    return;
  }
  rc = syncer_open(&y);
  sqlite3_stmt *src = NULL;
  if (!rc) rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  int src7 = rc ? 0 : sync_table_has_column(db, "lumo_merge_src", "usage", "rank_prefer") == 1;
  char *sel = rc ? NULL : sqlite3_mprintf(
        "SELECT agent, machine, session_id, project, cwd, git_branch, timestamp, model, input_tokens,"
        " output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,"
        " web_search_requests, service_tier, speed, inference_geo, is_sidechain, confidence,"
        " message_id, request_id, file, line, rank_total, rank_has_speed, rank_mtime_ns,"
        " reasoning_tokens, %s FROM lumo_merge_src.usage",
        src7 ? "rank_prefer, content_bytes, stored_cost_usd" : "NULL, NULL, NULL");
  if (!rc) rc = sel ? sqlite3_prepare_v2(db, sel, -1, &src, NULL) : SQLITE_NOMEM;
  sqlite3_free(sel);
  while (!rc && (rc = sqlite3_step(src)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    lumo_cand k;
    memset(&k, 0, sizeof(k));
#define T(i) ((const char *)sqlite3_column_text(src, i))
    k.session_id = T(2);
    k.project = T(3);
    k.cwd = T(4);
    k.git_branch = T(5);
    k.timestamp = T(6);
    k.model = T(7);
    k.input = sqlite3_column_int64(src, 8);
    k.output = sqlite3_column_int64(src, 9);
    k.cache_read = sqlite3_column_int64(src, 10);
    k.cache_5m = sqlite3_column_int64(src, 11);
    k.cache_1h = sqlite3_column_int64(src, 12);
    k.web_search = sqlite3_column_int64(src, 13);
    k.service_tier = T(14);
    k.speed = T(15);
    k.inference_geo = T(16);
    k.is_sidechain = sqlite3_column_int(src, 17);
    k.mid = T(19);
    k.rid = T(20);
    k.line = sqlite3_column_int64(src, 22);
    k.total = sqlite3_column_int64(src, 23);
    k.has_speed = sqlite3_column_int(src, 24);
    k.mtime_ns = sqlite3_column_int64(src, 25);
    k.reasoning = sqlite3_column_int64(src, 26);
    k.path = T(21);
    k.newest_wins = T(0) && strcmp(T(0), "codex") == 0;
    /* the ranking fields as stored (schema 7); a database from before has none: its
    ** OpenCode database copies were the authoritative ones, and its confidence word
    ** stands for the content size the placeholder rule needs */
    if (sqlite3_column_type(src, 27) != SQLITE_NULL) {
      k.prefer = sqlite3_column_int(src, 27);
      k.content_bytes = sqlite3_column_int64(src, 28);
      k.has_stored_cost = sqlite3_column_type(src, 29) != SQLITE_NULL;
      k.stored_cost = sqlite3_column_double(src, 29);
    } else {
      k.prefer = T(21) && strcmp(T(0), "opencode") == 0 && lumo_ends_with(T(21), ".db");
      k.content_bytes = T(18) && strcmp(T(18), "low") == 0 ? INT64_MAX / 32 : 0;
    }
    rc = usage_upsert(&y, &k, T(0), T(1), T(21));
#undef T
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK; /* anything else ended the read early: an error */
  sqlite3_finalize(src);
  /* messages by name: a database from before schema 6 has no is_rewound (then 0), one from
  ** before schema 13 no rank_mtime_ns (NULL); a record both hold keeps this database's copy */
  int src_rewound = sync_table_has_column(db, "lumo_merge_src", "messages", "is_rewound") == 1;
  int src_rank = sync_table_has_column(db, "lumo_merge_src", "messages", "rank_mtime_ns") == 1;
  char *msgs = sqlite3_mprintf(
      "INSERT OR IGNORE INTO messages (key, agent, machine, session_id, uuid, parent_uuid, timestamp, type, role,"
      " model, message_id, is_sidechain, text, content_bytes, file, line, is_rewound, rank_mtime_ns)"
      " SELECT key, agent, machine, session_id, uuid, parent_uuid, timestamp, type, role, model, message_id,"
      " is_sidechain, text, content_bytes, file, line, %s, %s FROM lumo_merge_src.messages",
      src_rewound ? "is_rewound" : "0", src_rank ? "rank_mtime_ns" : "NULL");
  if (!rc) rc = msgs ? sqlite3_exec(db, msgs, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(msgs);
  if (!rc) rc = merge_tool_uses(db);
  /* lumo_files by name: a database from before schema 8 has no tail_hash (NULL: head only) */
  char *files = sqlite3_mprintf(
      "INSERT OR IGNORE INTO lumo_files (path, machine, agent, size, mtime_ns, inode, consumed, lines, head_hash,"
      " first_cwd, synced_at, tail_hash) SELECT path, machine, agent, size, mtime_ns, inode, consumed, lines,"
      " head_hash, first_cwd, synced_at, %s FROM lumo_merge_src.lumo_files",
      sync_table_has_column(db, "lumo_merge_src", "lumo_files", "tail_hash") == 1 ? "tail_hash" : "NULL");
  if (!rc) rc = files ? sqlite3_exec(db, files, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(files);
  /* Telemetry: a union on the natural keys (a database from before schema 2 has none). */
  sqlite3_stmt *has = NULL;
  if (!rc && sqlite3_prepare_v2(db, "SELECT 1 FROM lumo_merge_src.sqlite_master WHERE name = 'otel_events'", -1,
                                &has, NULL) == SQLITE_OK && sqlite3_step(has) == SQLITE_ROW)
    rc = sqlite3_exec(db,
        "INSERT OR IGNORE INTO otel_points SELECT * FROM lumo_merge_src.otel_points;"
        "INSERT OR IGNORE INTO otel_events SELECT * FROM lumo_merge_src.otel_events;",
        NULL, NULL, NULL);
  sqlite3_finalize(has);
  /* Prompts: a union on their keys (a database from before schema 10 has none). */
  if (!rc && sync_table_has_column(db, "lumo_merge_src", "user_prompts", "key") == 1)
    rc = sqlite3_exec(db,
        "INSERT OR IGNORE INTO user_prompts (key, agent, machine, session_id, project, timestamp, kind, command, chars,"
        " file, line) SELECT key, agent, machine, session_id, project, timestamp, kind, command, chars, file, line"
        " FROM lumo_merge_src.user_prompts",
        NULL, NULL, NULL);
  /* Plan limits: a union on their keys (a database from before schema 8 has none). */
  if (!rc && sync_table_has_column(db, "lumo_merge_src", "rate_limits", "key") == 1)
    rc = sqlite3_exec(db,
        "INSERT OR IGNORE INTO rate_limits (key, agent, machine, session_id, timestamp, limit_id, plan_type, window,"
        " window_minutes, used_percent, resets_at, file, line) SELECT key, agent, machine, session_id, timestamp,"
        " limit_id, plan_type, window, window_minutes, used_percent, resets_at, file, line"
        " FROM lumo_merge_src.rate_limits",
        NULL, NULL, NULL);
  if (!rc) rc = merge_hook_events(db);
  if (!rc) rc = blocks_refresh(db);
  if (!rc) rc = search_catch_up(db);
  if (!rc) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  else sync_rollback(db);
  syncer_close(&y);
  sqlite3_exec(db, "DETACH lumo_merge_src", NULL, NULL, NULL);
  if (rc) {
    char *m = sqlite3_mprintf("lumo_merge(): %s", sync_error_text(db, rc));
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
    return;
  }
  sqlite3_result_int64(ctx, y.st.usage_rows);
}

static const lumo_col merge_args[] = {
  {"path", "TEXT", "another lumo database; returns the number of usage rows written", 0}};
const lumo_object lumo_merge_object = {
  "function", "lumo_merge", "merge another machine's lumo database into this one (same keys, same winner rule)",
  merge_args, 1};
