/* sync_db.c: the lumo database as lumo_sync() and lumo_merge() find and leave it: the
** schema and views applied (once, in one write transaction) and the columns older
** databases lack added; the connection settings a sync changes and puts back; the sync's
** prepared statements; the machine name; the directory listings kept between syncs; and
** the blocks cache brought up to date at the end of a sync or merge. */
#include "sync_int.h"
#include "schema_sql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory listings of the last sync (lumo_dirs), lent to the walker while the
** sources list their files; new listings are written back by dirs_store. */
int dirs_load(sqlite3 *db, const char *machine, lumo_dircache *dc) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT path, mtime_ns, inode, entries FROM lumo_dirs WHERE machine = ?1", -1, &st, NULL);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, machine, -1, SQLITE_STATIC);
  while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    rc = lumo_dircache_add(dc, 0, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                           sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3));
  int end = sqlite3_finalize(st); /* the error of a step that failed (a read error is no end) */
  if (rc == SQLITE_OK) rc = end;
  lumo_dircache_sort(dc);
  return rc;
}

int dirs_store(sqlite3 *db, const char *machine, const lumo_dircache *dc) {
  sqlite3_stmt *st;
  if (!dc->nfresh) return SQLITE_OK;
  int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO lumo_dirs VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
  for (int i = 0; rc == SQLITE_OK && i < dc->nfresh; i++) {
    const lumo_dirrec *r = &dc->fresh[i];
    sqlite3_bind_text(st, 1, machine, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->mtime_ns);
    sqlite3_bind_int64(st, 4, r->inode);
    sqlite3_bind_text(st, 5, r->entries, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return rc;
}

/* Brings blocks_cache up to date: the blocks from blocks_seed on are computed again
** (blocks_tail, usually the last one or two) and replace the cached ones from there;
** then blocks_state says the cache is current. The seed and the new blocks are read
** first, since deleting cached blocks moves the seed; the blocks are held in memory
** rather than in a temp table (a re-sync would create the temp database for one or two
** rows). NULL seed: the cache is current and nothing is done. Runs inside the caller's
** transaction. */
int blocks_refresh(sqlite3 *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT seed FROM blocks_seed", -1, &st, NULL);
  if (rc) return rc;
  char *seed = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
                   ? sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0))
                   : NULL;
  sqlite3_finalize(st);
  if (!seed) return SQLITE_OK;
  sqlite3_value **v = NULL; /* the new blocks, row after row of ncol values */
  int64_t nv = 0, cap = 0;
  int ncol = 0;
  rc = sqlite3_prepare_v2(db, "SELECT * FROM blocks_tail", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    ncol = sqlite3_column_count(st);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      if (nv + ncol > cap) {
        int64_t nc = cap ? cap * 2 : 16 * ncol;
        sqlite3_value **nvv = sqlite3_realloc64(v, sizeof(*v) * (size_t)nc);
        if (!nvv) {
          rc = SQLITE_NOMEM;
          break;
        }
        v = nvv;
        cap = nc;
      }
      for (int i = 0; i < ncol; i++) {
        v[nv] = sqlite3_value_dup(sqlite3_column_value(st, i));
        if (!v[nv]) rc = SQLITE_NOMEM;
        nv++;
      }
    }
    int end = sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = end;
  }
  char *del = sqlite3_mprintf("DELETE FROM blocks_cache WHERE first_at >= %Q; UPDATE blocks_state SET since = NULL", seed);
  if (rc == SQLITE_OK) rc = del ? sqlite3_exec(db, del, NULL, NULL, NULL) : SQLITE_NOMEM;
  sqlite3_free(del);
  if (rc == SQLITE_OK && nv) {
    sqlite3_str *q = sqlite3_str_new(db);
    sqlite3_str_appendall(q, "INSERT INTO blocks_cache VALUES (?");
    for (int i = 1; i < ncol; i++) sqlite3_str_appendall(q, ", ?");
    sqlite3_str_appendall(q, ")");
    char *ins = sqlite3_str_finish(q);
    sqlite3_stmt *put = NULL;
    rc = ins ? sqlite3_prepare_v2(db, ins, -1, &put, NULL) : SQLITE_NOMEM;
    sqlite3_free(ins);
    for (int64_t r = 0; rc == SQLITE_OK && r < nv; r += ncol) {
      for (int i = 0; i < ncol; i++) sqlite3_bind_value(put, i + 1, v[r + i]);
      rc = sqlite3_step(put) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
      sqlite3_reset(put);
    }
    sqlite3_finalize(put);
  }
  for (int64_t i = 0; i < nv; i++) sqlite3_value_free(v[i]);
  sqlite3_free(v);
  sqlite3_free(seed);
  return rc;
}

static const char *const syncer_sql[] = {
  "SELECT size, mtime_ns, inode, consumed, lines, head_hash, first_cwd, tail_hash FROM lumo_files WHERE machine = ?1 AND path = ?2",
  "INSERT OR REPLACE INTO lumo_files (path, machine, agent, size, mtime_ns, inode, consumed, lines, head_hash, first_cwd,"
  " tail_hash, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
  "SELECT key, request_id, is_sidechain, rank_total, rank_has_speed, rank_mtime_ns, file, line, rank_prefer"
  " FROM usage WHERE message_id = ?1 AND agent = ?2",
  "INSERT INTO usage (key, agent, machine, session_id, project, cwd, git_branch, timestamp, model,"
  " input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,"
  " reasoning_tokens, web_search_requests, service_tier, speed, inference_geo, is_sidechain, confidence,"
  " cost_usd, price_source, message_id, request_id, file, line, rank_total, rank_has_speed, rank_mtime_ns,"
  " rank_prefer, content_bytes, stored_cost_usd, price_fp)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
  " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)",
  "DELETE FROM usage WHERE key = ?1",
  /* ?17 = 1: a message read again replaces its text (Gemini rewrites a message as it
  ** grows); else the stored copy stays unless this one ranks first (?19: its file's mtime;
  ** the older file, then the smaller file and line, as usage's winner rule): a resumed
  ** Claude session repeats the records of the one it resumes under their uuids, and the
  ** copy kept must not depend on which file a sync read first (a read that failed, a file
  ** restored later) */
  "INSERT INTO messages (key, agent, machine, session_id, uuid, parent_uuid, timestamp, type, role,"
  " model, message_id, is_sidechain, text, content_bytes, file, line, is_rewound, rank_mtime_ns)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?18, ?19)"
  " ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id, timestamp = excluded.timestamp,"
  " type = excluded.type, role = excluded.role, model = excluded.model, text = excluded.text,"
  " content_bytes = excluded.content_bytes, file = excluded.file, line = excluded.line,"
  " is_rewound = excluded.is_rewound, rank_mtime_ns = excluded.rank_mtime_ns"
  " WHERE ?17 OR excluded.rank_mtime_ns < rank_mtime_ns OR (excluded.rank_mtime_ns = rank_mtime_ns"
  " AND (excluded.file < file OR (excluded.file = file AND excluded.line < line)))",
  "INSERT OR IGNORE INTO otel_points (key, series, machine, agent, time, time_unix_nano, start_time_unix_nano,"
  " metric, unit, kind, temporality, is_monotonic, value, count, sum, session_id, model, type, decision, source,"
  " tool_name, language, user_id, organization_id, terminal_type, service_version, attributes, resource,"
  " scope_name, file, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
  "INSERT OR IGNORE INTO otel_events (key, machine, agent, time, time_unix_nano, time_source, event_name,"
  " severity_number, session_id, event_sequence, prompt_id, prompt_length, model, request_id, tool_name, success,"
  " duration_ms, decision, source, cost_usd, lumo_cost_usd, input_tokens, output_tokens, cache_read_tokens,"
  " cache_creation_tokens, reasoning_tokens, body, attributes, resource, scope_name, service_version, file, line)"
  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
  "DELETE FROM diagnostics WHERE machine = ?1 AND file = ?2 AND phase = 'read' AND (line > ?3 OR line = 0)",
  "INSERT INTO diagnostics (machine, file, line, kind, detail, phase, synced_at, agent)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?7)",
  /* an observation read again from another copy of its rollout names that copy */
  "INSERT INTO rate_limits (key, agent, machine, session_id, timestamp, limit_id, plan_type, window,"
  " window_minutes, used_percent, resets_at, file, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
  " ON CONFLICT (key) DO UPDATE SET file = excluded.file WHERE file IS NOT excluded.file",
};

int syncer_open(syncer *y) {
  sqlite3_stmt **slots[] = {&y->file_get, &y->file_put, &y->usage_find, &y->usage_ins, &y->usage_del,
                            &y->msg_ins, &y->point_ins, &y->event_ins,
                            &y->diag_del, &y->diag_ins, &y->limit_ins};
  for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
    int rc = sqlite3_prepare_v2(y->db, syncer_sql[i], -1, slots[i], NULL);
    if (rc) return rc;
  }
  return SQLITE_OK;
}

/* Whether the connection's temp database is open (a temp table exists or did). Asked
** without opening it: SQLite answers a file control on an unopened database with an error. */
static int temp_db_open(sqlite3 *db) {
  unsigned int version;
  return sqlite3_file_control(db, "temp", SQLITE_FCNTL_DATA_VERSION, &version) == SQLITE_OK;
}

/* An integer PRAGMA's value on db (-1 when it cannot be read). */
static int pragma_int(sqlite3 *db, const char *pragma) {
  sqlite3_stmt *st;
  int v = -1;
  if (sqlite3_prepare_v2(db, pragma, -1, &st, NULL) != SQLITE_OK) return -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Sets an integer PRAGMA of db (the settings a sync changes and puts back). */
static int pragma_set(sqlite3 *db, const char *name, int value) {
  char pragma[64];
  snprintf(pragma, sizeof(pragma), "PRAGMA %s = %d", name, value);
  return sqlite3_exec(db, pragma, NULL, NULL, NULL);
}

/* The sync's upserts fire triggers inside a transaction, so each keeps a statement
** journal, which SQLite writes to a temp file past 64 KiB unless temp_store is MEMORY
** (a first sync made 470,000 writes to /var/tmp for a 35 MB database and ran 1.35x
** slower). Changing temp_store drops the temp database, so it is changed only while
** the connection has none, and put back afterwards on the same condition. */
static void temp_store_memory(syncer *y) {
  y->temp_store = -1;
  if (temp_db_open(y->db)) return;
  int was = pragma_int(y->db, "PRAGMA temp_store");
  if (was >= 0 && was != 2 && pragma_set(y->db, "temp_store", 2) == SQLITE_OK) y->temp_store = was;
}

void syncer_close(syncer *y) {
  sqlite3_stmt *all[] = {y->file_get, y->file_put, y->usage_find, y->usage_ins, y->usage_del,
                         y->msg_ins, y->point_ins, y->event_ins,
                         y->diag_del, y->diag_ins, y->limit_ins};
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) sqlite3_finalize(all[i]);
  activity_sync_close(y);
  prompt_sync_close(y);
  for (int i = 0; i < 16; i++) lumo_buf_free(&y->s[i]);
  for (int i = 0; i < 14; i++) lumo_buf_free(&y->held_s[i]);
  y->has_held = 0;
  lumo_buf_free(&y->text);
  sqlite3_free(y->codex_skip);
  y->codex_skip = NULL;
  sqlite3_free(y->seen);
  lumo_arena_free(&y->seen_paths);
  if (y->conn) lumo_prices_freeze(y->conn->prices, 0);
  if (y->temp_store >= 0 && !temp_db_open(y->db)) pragma_set(y->db, "temp_store", y->temp_store);
  if (y->busy_ms >= 0) sqlite3_busy_timeout(y->db, y->busy_ms);
  if (y->synchronous >= 0) pragma_set(y->db, "synchronous", y->synchronous);
  y->temp_store = y->busy_ms = y->synchronous = -1;
}

/* Readers are never refused after a sync. The checkpoint a connection makes when it is
** the last to close takes the database's exclusive lock to delete the WAL, and a reader
** opening meanwhile gets "database is locked" at once when it has no busy timeout
** (Python's sqlite3 with timeout 0, BI tools): 3 to 125 refusals in 15 syncs beside a
** reader polling the daily view. So on a WAL database the sync copies the WAL into the
** database itself and empties it (a truncating checkpoint that waits for nobody: with
** readers in the WAL it copies what it can, as a passive one) and turns the close-time
** checkpoint off on its connection; the -wal file stays, empty unless readers held it,
** so the next connection's recovery of it is instant. */
void sync_release_wal(sqlite3 *db) {
  sqlite3_stmt *st;
  int wal = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA main.journal_mode", -1, &st, NULL) != SQLITE_OK) return;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    wal = mode && sqlite3_stricmp(mode, "wal") == 0;
  }
  sqlite3_finalize(st);
  if (!wal) return;
  sqlite3_busy_timeout(db, 0); /* syncer_close puts the caller's back */
  sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

void sync_machine_id(sqlite3 *db, char *out, size_t cap) {
  sqlite3_stmt *st;
  out[0] = 0;
  if (sqlite3_prepare_v2(db, "SELECT value FROM lumo_settings WHERE key = 'machine'", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  if (!out[0]) {
    const char *env = getenv("LUMO_MACHINE");
    if (env && *env) snprintf(out, cap, "%s", env);
    else if (gethostname(out, cap - 1) != 0 || !out[0]) snprintf(out, cap, "unknown");
    out[cap - 1] = 0;
  }
}

/* The one integer a pragma query sql answers with its three text parameters (NULL: not
** bound); -1 when it answers NULL or cannot run. */
static int pragma_answer(sqlite3 *db, const char *sql, const char *p1, const char *p2, const char *p3) {
  sqlite3_stmt *st;
  int found = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  const char *p[3] = {p1, p2, p3};
  for (int i = 0; i < 3; i++)
    if (p[i]) sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) found = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return found;
}

/* 1 when table (in schema) has the column, 0 when it has not, -1 when there is no such table. */
int sync_table_has_column(sqlite3 *db, const char *schema, const char *table, const char *column) {
  return pragma_answer(db, "SELECT max(name = ?3) FROM pragma_table_info(?2, ?1)", schema, table, column);
}

/* The main database's index idx has the column: 1 or 0; -1 when there is no such index
** (or the look failed). */
static int index_has_column(sqlite3 *db, const char *idx, const char *column) {
  return pragma_answer(db, "SELECT max(name = ?2) FROM pragma_index_info(?1, 'main')", idx, column, NULL);
}

/* The main database holds a table (not a view) named name: 1 or 0; *rc gets a failure to
** look (out of memory), which must not pass for "no such table". */
static int is_table(sqlite3 *db, const char *name, int *rc) {
  sqlite3_stmt *st;
  int found = 0;
  *rc = sqlite3_prepare_v2(db, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = ?1", -1, &st, NULL);
  if (*rc != SQLITE_OK) return 0;
  *rc = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int step = *rc == SQLITE_OK ? sqlite3_step(st) : *rc;
  found = step == SQLITE_ROW;
  if (step != SQLITE_ROW && step != SQLITE_DONE) *rc = step;
  sqlite3_finalize(st);
  return found;
}

/* The last applied schema's hash equals h (lumo_settings.schema_hash). */
static int schema_current(sqlite3 *db, const char *h) {
  sqlite3_stmt *st;
  int current = 0;
  if (sqlite3_prepare_v2(db, "SELECT value FROM lumo_settings WHERE key = 'schema_hash'", -1, &st, NULL) == SQLITE_OK) {
    current = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              strcmp((const char *)sqlite3_column_text(st, 0), h) == 0;
    sqlite3_finalize(st);
  }
  return current;
}

/* Renames a table out of the way of the one the schema file makes under its name, in
** legacy mode: a view or trigger that names the table keeps the name (so it reads the new
** table), and a user's view that no longer parses (naming a dropped table) does not make
** the rename, and with it the sync, fail. */
static int rename_legacy(sqlite3 *db, const char *from, const char *to, char **err) {
  int legacy = pragma_int(db, "PRAGMA legacy_alter_table");
  char *sql = sqlite3_mprintf("PRAGMA legacy_alter_table = ON; ALTER TABLE \"%w\" RENAME TO \"%w\"", from, to);
  int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, err) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (!legacy) sqlite3_exec(db, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
  return rc;
}

/* The migrations SQL cannot say "if missing" for: columns added to existing tables.
** Runs inside prepare_db's transaction, before the schema file. */
static int migrate(sqlite3 *db, char **err, int *backfill) {
  int rc = SQLITE_OK;
  /* schema 6: the Gemini files are read again (whole, as any changed Gemini file), so
  ** the messages they hold get their flag */
  if (sync_table_has_column(db, "main", "messages", "is_rewound") == 0)
    rc = sqlite3_exec(db, "ALTER TABLE messages ADD COLUMN is_rewound INTEGER NOT NULL DEFAULT 0;"
                          "UPDATE lumo_files SET mtime_ns = -1 WHERE agent = 'gemini'", NULL, NULL, err);
  /* schema 7: the winner rule's remaining fields, so a merge decides as a scan does; an
  ** OpenCode row from its database was the authoritative copy; the sizes of rows stored
  ** before are unknown (NULL: their confidence word stands for them) */
  if (!rc && sync_table_has_column(db, "main", "usage", "rank_prefer") == 0)
    rc = sqlite3_exec(db, "ALTER TABLE usage ADD COLUMN rank_prefer INTEGER NOT NULL DEFAULT 0;"
                          "ALTER TABLE usage ADD COLUMN content_bytes INTEGER;"
                          "ALTER TABLE usage ADD COLUMN stored_cost_usd REAL;"
                          "UPDATE usage SET rank_prefer = 1 WHERE agent = 'opencode' AND file LIKE '%.db'",
                      NULL, NULL, err);
  /* schema 8: each row's price fingerprint (NULL: re-priced by the first sync, which
  ** finds them all stale); price_overrides gains validity ranges and the tier, so the
  ** old table is renamed here and copied into the new one by the schema file */
  if (!rc && sync_table_has_column(db, "main", "usage", "price_fp") == 0)
    rc = sqlite3_exec(db, "ALTER TABLE usage ADD COLUMN price_fp INTEGER", NULL, NULL, err);
  if (!rc && sync_table_has_column(db, "main", "price_overrides", "valid_from") == 0)
    rc = rename_legacy(db, "price_overrides", "price_overrides_v7", err);
  /* schema 8: the bytes before a file's consumed offset, so a rewrite in place that keeps
  ** the head is not taken for an append (NULL for files synced before: head only) */
  if (!rc && sync_table_has_column(db, "main", "lumo_files", "tail_hash") == 0)
    rc = sqlite3_exec(db, "ALTER TABLE lumo_files ADD COLUMN tail_hash INTEGER", NULL, NULL, err);
  /* schema 8: blocks keep their unpriced tokens; the cache is made again from usage */
  if (!rc && sync_table_has_column(db, "main", "blocks_cache", "unpriced_tokens") == 0)
    rc = sqlite3_exec(db, "DROP TABLE blocks_cache; UPDATE blocks_state SET since = ''", NULL, NULL, err);
  /* schema 9: what tool calls did (sync_activity.c); the stored calls' rows follow the schema */
  if (!rc && sync_table_has_column(db, "main", "tool_uses", "mcp_server") == 0) {
    rc = sqlite3_exec(db, activity_migrate_sql, NULL, NULL, err);
    if (!rc) rc = sqlite3_exec(db, activity_fixup_sql, NULL, NULL, err);
    if (!rc) *backfill = 1;
  }
  /* schema 10: user_prompts (sync_prompts.c); a database synced before reads its files again */
  if (!rc && sync_table_has_column(db, "main", "user_prompts", "key") < 0 &&
      sync_table_has_column(db, "main", "lumo_files", "path") == 1)
    rc = sqlite3_exec(db, prompts_migrate_sql, NULL, NULL, err);
  /* schema 12: the notifications table is renamed out of the way of the view of that name;
  ** the schema file moves its rows into hook_events. Schema 11's view over the table goes
  ** first, the other views are made again by the views file. */
  if (!rc && is_table(db, "notifications", &rc) && !rc) {
    rc = sqlite3_exec(db, "DROP VIEW IF EXISTS notifications_local", NULL, NULL, err);
    if (!rc) rc = rename_legacy(db, "notifications", "notifications_v11", err);
  }
  /* schema 13: the rank of a record's kept copy (NULL for the rows stored before: they stay);
  ** tool_uses_time covers the tools views (the schema file makes it again, wider) */
  if (!rc && sync_table_has_column(db, "main", "messages", "rank_mtime_ns") == 0)
    rc = sqlite3_exec(db, "ALTER TABLE messages ADD COLUMN rank_mtime_ns INTEGER", NULL, NULL, err);
  if (!rc && index_has_column(db, "tool_uses_time", "duration_ms") == 0)
    rc = sqlite3_exec(db, "DROP INDEX tool_uses_time", NULL, NULL, err);
  /* the agent of a diagnostic, so a sync of one source replaces that source's walk rows only */
  if (!rc && sync_table_has_column(db, "main", "diagnostics", "agent") == 0)
    rc = sqlite3_exec(db, "ALTER TABLE diagnostics ADD COLUMN agent TEXT", NULL, NULL, err);
  return rc;
}

/* Applies the schema and the views and takes the database's price overrides. The
** schema and views are applied only when they differ from the last applied ones (a hash
** in lumo_settings), so a re-sync does not rebuild the views; then in one write
** transaction that checks the hash again, so two first syncs do not both migrate and a
** failure leaves nothing half built. The connection's busy timeout and synchronous
** setting are changed for the sync only (syncer_close puts them back). A new lumo
** database is put in WAL mode, so readers (Datasette, cron reports) read while a sync
** writes; a database whose owner chose another journal mode keeps it. */
static int prepare_db(syncer *y, char **err) {
  sqlite3 *db = y->db;
  y->busy_ms = pragma_int(db, "PRAGMA busy_timeout");
  if (y->busy_ms >= 0 && y->busy_ms < 30000) sqlite3_busy_timeout(db, 30000);
  y->synchronous = pragma_int(db, "PRAGMA synchronous");
  if (y->synchronous > 1) pragma_set(db, "synchronous", 1); /* NORMAL */
  uint64_t h = lumo_hash_more(lumo_hash(lumo_schema_sql, strlen(lumo_schema_sql)), lumo_views_sql,
                              strlen(lumo_views_sql));
  char hash[32];
  snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)h);
  int rc = SQLITE_OK;
  if (!schema_current(db, hash)) {
    if (sync_table_has_column(db, "main", "lumo_schema_version", "version") < 0)
      sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, err);
    if (rc) return rc;
    if (!schema_current(db, hash)) { /* another sync may have applied it meanwhile */
      int backfill = 0;
      rc = migrate(db, err, &backfill);
      if (!rc) rc = sqlite3_exec(db, lumo_schema_sql, NULL, NULL, err);
      if (!rc && backfill) rc = sqlite3_exec(db, activity_backfill_sql, NULL, NULL, err);
      if (!rc) rc = sqlite3_exec(db, lumo_views_sql, NULL, NULL, err);
      char *set = rc ? NULL : sqlite3_mprintf("INSERT OR REPLACE INTO lumo_settings VALUES ('schema_hash', %Q)", hash);
      if (!rc) rc = set ? sqlite3_exec(db, set, NULL, NULL, err) : SQLITE_NOMEM;
      sqlite3_free(set);
    }
    if (!rc) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc) {
      sync_rollback(db);
      return rc;
    }
  }
  /* the overrides are read by the price functions themselves (pricing.c), per use;
  ** the sync holds them as they are now */
  lumo_prices_freeze(y->conn->prices, 1);
  return SQLITE_OK;
}

/* Rolls back the open transaction, if any. SQLite rolls a transaction back by itself on
** some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM): a ROLLBACK then fails with
** "cannot rollback - no transaction is active", and that message would replace the
** real one (a full disk) in the sync's error. */
void sync_rollback(sqlite3 *db) {
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* What went wrong, for rc: the connection's message, unless a later statement (the
** ROLLBACK) has cleared it, which left "not an error" as the whole report. */
const char *sync_error_text(sqlite3 *db, int rc) { return sync_error_text_sys(db, rc, sqlite3_system_errno(db)); }

/* The same, with the system error seen when the failure happened (sys): the ROLLBACK after
** a failed write in the middle of a transaction (a bulk load's page spill) clears it. */
const char *sync_error_text_sys(sqlite3 *db, int rc, int sys) {
  /* SQLite reads errno when it records the error, after other calls may have reset it; the
  ** database file keeps the errno of its last failed write (a bulk load's EFBIG) */
  if (!sys && (rc & 0xff) == SQLITE_IOERR) sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &sys);
  /* SQLite says "database or disk is full" or, for a file size limit (EFBIG), "disk I/O error" */
  if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG)))
    return "the disk is full (or the file size limit was reached): the files of the batch being written were not"
           " recorded, the database is intact; free space and sync again";
  return sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}

/* The oldest SQLite the lumo database's schema and views run on: unixepoch() (3.38),
** UPSERT without a conflict target and AS MATERIALIZED (3.35), UPDATE ... FROM (3.33). */
#define LUMO_SYNC_MIN_SQLITE 3038000

/* A syncer on the function's connection, with the schema, views and overrides applied. */
int syncer_begin(syncer *y, sqlite3_context *ctx, char **err) {
  memset(y, 0, sizeof(*y));
  if (sqlite3_libversion_number() < LUMO_SYNC_MIN_SQLITE) {
    *err = sqlite3_mprintf("needs SQLite 3.38.0 or newer (the schema and views use unixepoch), found %s",
                           sqlite3_libversion());
    return SQLITE_ERROR;
  }
  y->db = sqlite3_context_db_handle(ctx);
  y->conn = sqlite3_user_data(ctx);
  y->busy_ms = y->synchronous = -1;
  temp_store_memory(y);
  return prepare_db(y, err);
}

/* Re-prices the stored rows the prices in force no longer price as they were: when the
** hash of everything that prices a request (built-in snapshot, loaded file, overrides)
** differs from the one the last sync stored (lumo_settings.prices_state; force: always
** looked at), each stored model's fingerprint is computed and only the rows priced under
** another one are priced again, in one transaction. force (lumo_reprice, `lumo reprice`):
** every stored row is priced again, whatever its fingerprint (rows written around
** lumo_sync, by hand or by an older lumo, are set right). *nrows: rows re-priced.
**
** Set-based, for a million rows in seconds: the new prices go to a temp table first; the
** rollups (usage_buckets, session_totals, blocks_state) move by their sums per bucket and
** session in one statement each; then usage takes the new prices in one UPDATE with its
** AFTER UPDATE triggers set aside inside the transaction (nobody else sees them gone),
** as the row-by-row triggers would have done the same work 8 us a row. */
static int setting_get(sqlite3 *db, const char *key, char *out, size_t cap) {
  sqlite3_stmt *st;
  out[0] = 0;
  int rc = sqlite3_prepare_v2(db, "SELECT value FROM lumo_settings WHERE key = ?1", -1, &st, NULL);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
  return sqlite3_finalize(st);
}

/* The new prices of one model's rows priced under another fingerprint than fp, into
** temp.lumo_reprice: rowid, old cost, new cost, source, fingerprint, and what the rollups
** group by (bucket, agent, machine, project, session, timestamp, tokens), so that they
** need no second read of usage. */
static int reprice_model(syncer *y, sqlite3_stmt *sel, sqlite3_stmt *ins, const char *model, int64_t fp,
                         int force, int64_t *nrows) {
  void *prices = y->conn->prices;
  const char *src = lumo_price_source(prices, model);
  int rc = SQLITE_OK, step;
  sqlite3_bind_text(sel, 1, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(sel, 2, fp);
  sqlite3_bind_int(sel, 3, force);
  while (rc == SQLITE_OK && (step = sqlite3_step(sel)) == SQLITE_ROW) {
    int known;
    double usd = lumo_cost_request(prices, model, sqlite3_column_int64(sel, 1), sqlite3_column_int64(sel, 2),
                                   sqlite3_column_int64(sel, 3), sqlite3_column_int64(sel, 4),
                                   sqlite3_column_int64(sel, 5), (const char *)sqlite3_column_text(sel, 6),
                                   (const char *)sqlite3_column_text(sel, 7), (const char *)sqlite3_column_text(sel, 8),
                                   sqlite3_column_int64(sel, 9), (const char *)sqlite3_column_text(sel, 10), &known);
    sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
    sqlite3_bind_value(ins, 2, sqlite3_column_value(sel, 11));
    if (known) sqlite3_bind_double(ins, 3, usd);
    else sqlite3_bind_null(ins, 3);
    if (known && src) sqlite3_bind_text(ins, 4, src, -1, SQLITE_STATIC);
    else sqlite3_bind_null(ins, 4);
    sqlite3_bind_int64(ins, 5, fp);
    for (int k = 0; k < 8; k++) sqlite3_bind_value(ins, 6 + k, sqlite3_column_value(sel, 12 + k));
    rc = step_done(ins);
    if (rc == SQLITE_OK) (*nrows)++;
  }
  int end = sqlite3_reset(sel); /* a read error is no end of the rows */
  if (rc == SQLITE_OK) rc = end;
  return rc;
}

/* The bucket of a usage row u, as the usage_buckets triggers write it. */
#define BUCKET_OF "coalesce(substr(u.timestamp, 1, 14) || printf('%02d', CAST(substr(u.timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')"
#define TOKENS_OF "(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens)"
#define CHANGED " FROM temp.lumo_reprice WHERE cost IS NOT old_cost"

static const char reprice_rollups_sql[] =
  "UPDATE usage_buckets AS b SET priced_requests = b.priced_requests + d.dp, unpriced_tokens = b.unpriced_tokens + d.du,"
  " priced_cost_usd = b.priced_cost_usd + d.dc"
  " FROM (SELECT bucket, agent, machine, model, project, sum((cost IS NOT NULL) - (old_cost IS NOT NULL)) AS dp,"
  "        sum(((cost IS NULL) - (old_cost IS NULL)) * tokens) AS du,"
  "        sum(coalesce(cost, 0) - coalesce(old_cost, 0)) AS dc" CHANGED " GROUP BY 1, 2, 3, 4, 5) AS d"
  " WHERE b.bucket = d.bucket AND b.agent = d.agent AND b.machine = d.machine AND b.model = d.model"
  "   AND b.project = d.project;"
  "UPDATE session_totals AS s SET priced_requests = s.priced_requests + d.dp, priced_cost_usd = s.priced_cost_usd + d.dc"
  " FROM (SELECT agent, sid, sum((cost IS NOT NULL) - (old_cost IS NOT NULL)) AS dp,"
  "        sum(coalesce(cost, 0) - coalesce(old_cost, 0)) AS dc" CHANGED " GROUP BY 1, 2) AS d"
  " WHERE s.agent = d.agent AND s.session_id = d.sid;"
  "UPDATE blocks_state SET since = min(coalesce(since, '9999'), d.m)"
  " FROM (SELECT min(ts) AS m" CHANGED ") AS d WHERE d.m IS NOT NULL;";

/* The AFTER UPDATE triggers on usage whose work reprice_rollups_sql does (the generic
** ones would not fire: only the price columns change). */
static const char reprice_triggers_sql[] =
  "SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' AND tbl_name = 'usage' AND name IN"
  " ('usage_buckets_change', 'usage_buckets_price', 'session_totals_change', 'session_totals_price',"
  "  'blocks_state_change')";

/* Writes the new prices into usage with the triggers above set aside, then puts them back. */
static int reprice_apply(sqlite3 *db) {
  char *names[8], *sqls[8];
  int n = 0, rc;
  sqlite3_stmt *st;
  rc = sqlite3_prepare_v2(db, reprice_triggers_sql, -1, &st, NULL);
  while (rc == SQLITE_OK && n < 8 && sqlite3_step(st) == SQLITE_ROW) {
    names[n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    sqls[n] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 1));
    n++;
    if (!names[n - 1] || !sqls[n - 1]) rc = SQLITE_NOMEM;
  }
  int end = sqlite3_finalize(st);
  if (rc == SQLITE_OK) rc = end;
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    char *drop = sqlite3_mprintf("DROP TRIGGER main.\"%w\"", names[i]);
    rc = drop ? sqlite3_exec(db, drop, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(drop);
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, "UPDATE usage SET cost_usd = r.cost, price_source = r.src, price_fp = r.fp"
                          " FROM temp.lumo_reprice r WHERE usage.rowid = r.rid", NULL, NULL, NULL);
  for (int i = 0; rc == SQLITE_OK && i < n; i++) rc = sqlite3_exec(db, sqls[i], NULL, NULL, NULL);
  for (int i = 0; i < n; i++) {
    sqlite3_free(names[i]);
    sqlite3_free(sqls[i]);
  }
  return rc;
}

int prices_reprice(syncer *y, int force, int64_t *nrows) {
  sqlite3 *db = y->db;
  void *prices = y->conn->prices;
  char state[32], stored[64], builtin[32];
  *nrows = 0;
  snprintf(state, sizeof(state), "%016llx", (unsigned long long)lumo_prices_state_hash(prices));
  snprintf(builtin, sizeof(builtin), "%016llx", (unsigned long long)lumo_prices_builtin_hash());
  int rc = setting_get(db, "prices_state", stored, sizeof(stored));
  if (rc) return rc;
  if (!force && strcmp(stored, state) == 0) return SQLITE_OK;
  rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc) return rc;
  char **models = NULL;
  int nm = 0, capm = 0;
  sqlite3_stmt *st = NULL, *sel = NULL, *ins = NULL;
  rc = sqlite3_exec(db, "DROP TABLE IF EXISTS temp.lumo_reprice;"
                        "CREATE TEMP TABLE lumo_reprice (rid INTEGER PRIMARY KEY, old_cost REAL, cost REAL, src TEXT,"
                        " fp INTEGER, bucket TEXT, agent TEXT, machine TEXT, model TEXT, project TEXT, sid TEXT, ts TEXT,"
                        " tokens INTEGER)", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "SELECT DISTINCT model FROM usage WHERE model IS NOT NULL", -1, &st, NULL);
  while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    if (nm == capm) {
      int nc = capm ? capm * 2 : 32;
      char **nn = sqlite3_realloc64(models, sizeof(*nn) * (size_t)nc);
      if (!nn) {
        rc = SQLITE_NOMEM;
        break;
      }
      models = nn;
      capm = nc;
    }
    models[nm] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    if (!models[nm]) rc = SQLITE_NOMEM;
    else nm++;
  }
  int end = sqlite3_finalize(st);
  if (rc == SQLITE_OK) rc = end;
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, "SELECT rowid, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,"
                                " cache_write_1h_tokens, speed, inference_geo, service_tier, web_search_requests, timestamp,"
                                " cost_usd, " BUCKET_OF ", u.agent, u.machine, coalesce(u.model, ''), coalesce(u.project, ''),"
                                " coalesce(u.session_id, ''), u.timestamp, " TOKENS_OF
                                " FROM usage u WHERE model = ?1 AND (price_fp IS NOT ?2 OR ?3)", -1, &sel, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO temp.lumo_reprice VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", -1, &ins, NULL);
  for (int i = 0; rc == SQLITE_OK && i < nm; i++)
    rc = reprice_model(y, sel, ins, models[i], lumo_price_fingerprint(prices, models[i]), force, nrows);
  sqlite3_finalize(sel);
  sqlite3_finalize(ins);
  for (int i = 0; i < nm; i++) sqlite3_free(models[i]);
  sqlite3_free(models);
  if (rc == SQLITE_OK && *nrows) rc = sqlite3_exec(db, reprice_rollups_sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK && *nrows) rc = reprice_apply(db);
  if (rc == SQLITE_OK) {
    char *set = sqlite3_mprintf("INSERT OR REPLACE INTO lumo_settings VALUES ('prices_state', %Q), ('prices_builtin', %Q)",
                                state, builtin);
    rc = set ? sqlite3_exec(db, set, NULL, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(set);
  }
  if (rc == SQLITE_OK) rc = blocks_refresh(db);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) sync_rollback(db);
  sqlite3_exec(db, "DROP TABLE IF EXISTS temp.lumo_reprice", NULL, NULL, NULL);
  return rc;
}

/* lumo_reprice([all]): the stored costs of this lumo database computed again at the prices
** in force now (built-in table, the connection's loaded file and overrides, the database's
** price_overrides), in one transaction; the rollups follow. all = 1 (the default): every
** row; 0: only the rows whose model's prices changed since they were priced, which is what
** lumo_sync does first by itself. Returns a JSON summary. */
static void reprice_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc > 1 || (argc == 1 && sqlite3_value_numeric_type(argv[0]) != SQLITE_INTEGER)) {
    sqlite3_result_error(ctx, "lumo_reprice(): takes no argument or one, all: 1 (every stored row, the default)"
                              " or 0 (the rows whose prices changed)", -1);
    return;
  }
  int all = argc ? sqlite3_value_int(argv[0]) != 0 : 1;
  syncer y;
  char *err = NULL;
  int64_t n = 0;
  int rc = syncer_begin(&y, ctx, &err);
  if (rc == SQLITE_OK) rc = prices_reprice(&y, all, &n);
  if (rc == SQLITE_OK) {
    char *s = sqlite3_mprintf("{\"repriced_rows\":%lld}", (long long)n);
    if (s) sqlite3_result_text(ctx, s, -1, sqlite3_free);
    else sqlite3_result_error_nomem(ctx);
  } else {
    char *m = sqlite3_mprintf("lumo_reprice(): %s", err ? err : sync_error_text(y.db, rc));
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
  }
  sqlite3_free(err);
  syncer_close(&y);
}

static const lumo_col reprice_args[] = {
  {"all", "INTEGER", "optional: 1 (the default) prices every stored row again; 0 only the rows whose model's prices"
                     " changed since they were priced (what lumo_sync does first by itself)", 0}};
const lumo_object lumo_reprice_object = {
  "function", "lumo_reprice", "price the stored requests of this lumo database again at the prices in force now, in"
  " one transaction (the rollups follow); returns a JSON summary {repriced_rows}. Call it alone in its statement:"
  " it sets the usage table's update triggers aside for its transaction, which a statement reading usage at the"
  " same time refuses (database table is locked)", reprice_args, 1};

int lumo_register_reprice(sqlite3 *db, lumo_conn *conn) {
  conn->nref++;
  return sqlite3_create_function_v2(db, "lumo_reprice", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, conn, reprice_fn, NULL,
                                    NULL, lumo_conn_release);
}
