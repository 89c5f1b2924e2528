/* sync_bulk.c: the first sync into an empty lumo database, written as one bulk load.
** A first sync writes every row at once (a 1 GB home: 170,000 messages, 47,000 tool calls,
** 40,000 requests, 450 MB): maintaining the secondary indexes and the rollup triggers row by
** row, committing 32 MB batches and writing every page twice (WAL, then checkpoint) took
** most of its time. When the database holds no synced rows yet, lumo_sync() instead:
**   - takes the write lock once (BEGIN IMMEDIATE) and keeps one transaction to the end;
**   - puts a WAL database in rollback-journal mode for that transaction: the pages a new
**     database gains are past its original end, which a rollback journal does not copy,
**     so each page is written once, and a crash rolls the file back to its empty state
**     (the next sync starts over); the database goes back to WAL at the end (lumo_settings
**     key bulk_wal says so meanwhile, should the process die before);
**   - drops the secondary indexes no sync statement reads and the rollup triggers, and
**     builds both once at the end, inside the same transaction (the rollups from the rows,
**     with the triggers' own rules);
** The rows themselves go through the same code as every sync (sync.c: the same upserts,
** the same winner rule, the same statements), so the database is the one an incremental
** sync writes (tests/check_bulk_sync.py compares them table by table). LUMO_SYNC_BULK=0
** turns the bulk load off. Readers wait for the first sync to finish (the rollback
** journal's lock) instead of reading a half-filled database. */
#include "sync_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Secondary indexes that no statement of a sync reads (the upsert's usage_message, the
** diagnostics' and file changes' lookups stay), made once at the end (before the rollups,
** which read tool_uses_time), and the triggers whose tables the rollups below rebuild
** (active_minutes' triggers stay: an insert-only set, cheap to keep). Keeping the time
** and outcome indexes of messages, calls and prompts up row by row cost a tenth of a 1 GB
** first sync's CPU (10.9 -> 9.8 s with them made at the end). */
static const char *const bulk_indexes[] = {
  "usage_time", "usage_session", "usage_model", "messages_session", "tool_uses_session", "file_changes_time",
  "lumo_files_state", "otel_points_series", "otel_points_metric", "otel_events_name", "otel_events_session",
  "rate_limits_time", "git_ops_time", "messages_time", "tool_uses_time", "tool_uses_outcome", "user_prompts_time"};
static const char *const bulk_triggers[] = {
  "usage_buckets_add", "usage_buckets_remove", "usage_buckets_change", "usage_buckets_price", "session_totals_add",
  "session_totals_remove", "session_totals_change", "session_totals_price", "blocks_state_add", "blocks_state_remove",
  "blocks_state_change", "session_message_counts_add", "session_message_counts_change", "session_buckets_add",
  "session_buckets_remove",
  "session_buckets_change", "tool_buckets_add", "tool_buckets_remove", "tool_buckets_change", "change_buckets_add",
  "change_buckets_remove", "change_buckets_change", "change_buckets_call_add", "change_buckets_call_remove",
  "change_buckets_call_change"};

/* The rollups the dropped triggers keep, from the rows: what the triggers leave after the
** same inserts (session_totals' project and machine: the first request's that has one, in
** insertion order; blocks_state: from the earliest request, as an insert moves it). */
/* A row's quarter hour, as the rollup triggers write it. */
#define BULK_BUCKET "coalesce(substr(timestamp, 1, 14) || printf('%02d', CAST(substr(timestamp, 15, 2) AS INTEGER) / 15 * 15) || ':00Z', '')"

static const char bulk_rollups_sql[] =
  "DELETE FROM usage_buckets; DELETE FROM session_totals; DELETE FROM session_models;"
  "DELETE FROM session_message_counts;"
  "INSERT INTO usage_buckets SELECT bucket, agent, machine, model, project, count(*), sum(cost_usd IS NOT NULL),"
  " sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_5m_tokens),"
  " sum(cache_write_1h_tokens), sum(CASE WHEN cost_usd IS NULL THEN input_tokens + output_tokens + cache_read_tokens"
  " + cache_write_5m_tokens + cache_write_1h_tokens ELSE 0 END), sum(coalesce(cost_usd, 0))"
  " FROM (SELECT coalesce(substr(timestamp, 1, 14) || printf('%02d', CAST(substr(timestamp, 15, 2) AS INTEGER) / 15 * 15)"
  "       || ':00Z', '') AS bucket, agent, machine, coalesce(model, '') AS model, coalesce(project, '') AS project,"
  "       cost_usd, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens"
  "       FROM usage ORDER BY rowid)"
  " GROUP BY bucket, agent, machine, model, project;"
  /* the first project and machine: of the session's first row that has one (a rowid looked
  ** up once per session; window functions over every row took 4x as long) */
  "INSERT INTO session_totals SELECT g.agent, g.sid, (SELECT project FROM usage WHERE rowid = g.project_row),"
  " (SELECT machine FROM usage WHERE rowid = g.machine_row), g.started, g.ended, g.n, g.priced, g.tokens, g.usd, g.low"
  " FROM (SELECT agent, coalesce(session_id, '') AS sid, min(CASE WHEN project IS NOT NULL THEN r END) AS project_row,"
  "       min(CASE WHEN machine IS NOT NULL THEN r END) AS machine_row, min(timestamp) AS started,"
  "       max(timestamp) AS ended, count(*) AS n, sum(cost_usd IS NOT NULL) AS priced,"
  "       sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) AS tokens,"
  "       sum(coalesce(cost_usd, 0)) AS usd, sum(confidence IS 'low') AS low"
  "       FROM (SELECT rowid AS r, * FROM usage ORDER BY rowid) GROUP BY 1, 2) g;"
  "INSERT INTO session_models SELECT agent, coalesce(session_id, ''), coalesce(model, ''), count(*) FROM usage"
  " GROUP BY 1, 2, 3;"
  "INSERT INTO session_message_counts SELECT agent, coalesce(session_id, ''), count(*) FROM messages GROUP BY 1, 2;"
  "UPDATE blocks_state SET since = min(coalesce(since, m), m) FROM (SELECT min(timestamp) AS m FROM usage)"
  " WHERE m IS NOT NULL;"
  /* the dashboard's rollups (schema 12): a change counts unless its call failed */
  "DELETE FROM session_buckets; DELETE FROM tool_buckets; DELETE FROM change_buckets;"
  "INSERT INTO session_buckets SELECT " BULK_BUCKET ", agent, machine, coalesce(project, ''), coalesce(session_id, ''),"
  " count(*) FROM usage GROUP BY 1, 2, 3, 4, 5;"
  "INSERT INTO tool_buckets SELECT " BULK_BUCKET ", agent, machine, coalesce(project, ''), coalesce(tool_name, ''),"
  " count(*), sum(is_error IS 0), sum(is_error IS 1) FROM tool_uses GROUP BY 1, 2, 3, 4, 5;"
  "INSERT INTO change_buckets SELECT " BULK_BUCKET ", agent, machine, coalesce(project, ''), count(*),"
  " sum(coalesce(lines_added, 0)), sum(coalesce(lines_removed, 0)) FROM file_changes f"
  " WHERE NOT EXISTS (SELECT 1 FROM tool_uses t WHERE t.key = f.tool_key AND t.is_error <> 0) GROUP BY 1, 2, 3, 4;";

/* The page cache of the bulk transaction, KiB (SQLite's default is 2 MiB). */
#define BULK_CACHE_KIB 65536

static int pragma_int(sqlite3 *db, const char *pragma) {
  sqlite3_stmt *st;
  int v = 0;
  if (sqlite3_prepare_v2(db, pragma, -1, &st, NULL) != SQLITE_OK) return 0;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* No synced row anywhere: what a first sync finds. */
static int db_is_empty(sqlite3 *db) {
  sqlite3_stmt *st;
  int empty = 0;
  if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 FROM lumo_files) AND NOT EXISTS (SELECT 1 FROM usage)"
                             " AND NOT EXISTS (SELECT 1 FROM messages) AND NOT EXISTS (SELECT 1 FROM tool_uses)"
                             " AND NOT EXISTS (SELECT 1 FROM otel_points) AND NOT EXISTS (SELECT 1 FROM otel_events)"
                             " AND NOT EXISTS (SELECT 1 FROM rate_limits)", -1, &st, NULL) != SQLITE_OK)
    return 0;
  if (sqlite3_step(st) == SQLITE_ROW) empty = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return empty;
}

/* The main database's journal mode is mode (case-insensitive). */
static int journal_is(sqlite3 *db, const char *mode) {
  sqlite3_stmt *st;
  int is = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA main.journal_mode", -1, &st, NULL) != SQLITE_OK) return 0;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const char *m = (const char *)sqlite3_column_text(st, 0);
    is = m && sqlite3_stricmp(m, mode) == 0;
  }
  sqlite3_finalize(st);
  return is;
}

/* Sets journal_mode without waiting for other connections (leaving WAL needs the database to
** itself: with a reader open it stays in WAL, and the bulk load writes through the WAL). */
static int journal_set(sqlite3 *db, const char *mode) {
  int busy = pragma_int(db, "PRAGMA busy_timeout");
  sqlite3_busy_timeout(db, 0);
  char *sql = sqlite3_mprintf("PRAGMA main.journal_mode = %s", mode);
  if (sql) sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  sqlite3_busy_timeout(db, busy);
  return journal_is(db, mode);
}

static int setting_exists(sqlite3 *db, const char *key) {
  sqlite3_stmt *st;
  int found = 0;
  if (sqlite3_prepare_v2(db, "SELECT 1 FROM lumo_settings WHERE key = ?1", -1, &st, NULL) != SQLITE_OK) return 0;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return found;
}

static int in_list(const char *name, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(name, list[i]) == 0) return 1;
  return 0;
}

/* Drops the bulk indexes and triggers, keeping their SQL (in schema order) to make them again. */
static int drop_objects(syncer *y) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(y->db, "SELECT type, name, sql FROM main.sqlite_schema"
                                     " WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
                              -1, &st, NULL);
  while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(st, 0), *name = (const char *)sqlite3_column_text(st, 1);
    int is_index = strcmp(type, "index") == 0;
    if (!(is_index ? in_list(name, bulk_indexes, sizeof(bulk_indexes) / sizeof(*bulk_indexes))
                   : in_list(name, bulk_triggers, sizeof(bulk_triggers) / sizeof(*bulk_triggers))))
      continue;
    char **grown = sqlite3_realloc64(y->bulk_sql, sizeof(char *) * (size_t)(y->bulk_nsql + 2));
    if (!grown) {
      rc = SQLITE_NOMEM;
      break;
    }
    y->bulk_sql = grown;
    grown[y->bulk_nsql] = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 2));
    grown[y->bulk_nsql + 1] = sqlite3_mprintf("DROP %s main.\"%w\"", type, name);
    if (!grown[y->bulk_nsql] || !grown[y->bulk_nsql + 1]) {
      sqlite3_free(grown[y->bulk_nsql]);
      sqlite3_free(grown[y->bulk_nsql + 1]);
      rc = SQLITE_NOMEM;
      break;
    }
    y->bulk_nsql += 2; /* pairs: create, drop */
  }
  int end = sqlite3_finalize(st);
  if (rc == SQLITE_OK) rc = end;
  for (int i = 1; rc == SQLITE_OK && i < y->bulk_nsql; i += 2) rc = sqlite3_exec(y->db, y->bulk_sql[i], NULL, NULL, NULL);
  return rc;
}

/* Starts the bulk load when the database holds no synced rows: on success with y->bulk set,
** the write transaction is open and stays open until the caller's COMMIT. */
int bulk_begin(syncer *y) {
  sqlite3 *db = y->db;
  const char *env = getenv("LUMO_SYNC_BULK");
  /* a bulk load whose process died before putting WAL back (bulk_end does it) */
  y->bulk_wal = setting_exists(db, "bulk_wal");
  if ((env && strcmp(env, "0") == 0) || !db_is_empty(db)) return SQLITE_OK;
  int rc = SQLITE_OK;
  if (journal_is(db, "wal")) {
    rc = sqlite3_exec(db, "INSERT OR REPLACE INTO lumo_settings VALUES ('bulk_wal', '1')", NULL, NULL, NULL);
    if (rc) return rc;
    y->bulk_wal = journal_set(db, "delete");
    if (!y->bulk_wal) sqlite3_exec(db, "DELETE FROM lumo_settings WHERE key = 'bulk_wal'", NULL, NULL, NULL);
  }
  rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc) return rc;
  if (!db_is_empty(db)) /* another sync got here first: an ordinary sync after all */
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  /* the trees being built stay in memory rather than being read back from the file (a
  ** 1 GB home: a third less system time); put back by bulk_end */
  int cache = pragma_int(db, "PRAGMA cache_size"); /* negative: KiB; positive: pages (4 KiB or more) */
  if (cache > -BULK_CACHE_KIB && cache < BULK_CACHE_KIB / 4) { /* else already large: left alone */
    char set[64];
    snprintf(set, sizeof(set), "PRAGMA cache_size = %d", -BULK_CACHE_KIB);
    if (sqlite3_exec(db, set, NULL, NULL, NULL) == SQLITE_OK) {
      y->bulk_cache = cache;
      y->bulk_cache_set = 1;
    }
  }
  rc = drop_objects(y);
  if (rc) {
    sync_rollback(db);
    return rc;
  }
  y->bulk = 1;
  return SQLITE_OK;
}

/* Inside the bulk transaction, after the rows: the rollups, then the indexes and triggers
** made again (before blocks_refresh, which reads usage by time). */
int bulk_finish(syncer *y) {
  int rc = SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i < y->bulk_nsql; i += 2) rc = sqlite3_exec(y->db, y->bulk_sql[i], NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(y->db, bulk_rollups_sql, NULL, NULL, NULL);
  return rc;
}

/* After the bulk transaction ended (committed or rolled back): the journal mode put back.
** A failed switch back (a reader came in) leaves bulk_wal set: the next sync does it. */
void bulk_end(syncer *y) {
  if (y->bulk) sync_rollback(y->db); /* only open when the sync failed */
  if (y->bulk_cache_set) {
    char set[64];
    snprintf(set, sizeof(set), "PRAGMA cache_size = %d", y->bulk_cache);
    sqlite3_exec(y->db, set, NULL, NULL, NULL);
    y->bulk_cache_set = 0;
  }
  if (y->bulk_wal && journal_set(y->db, "wal"))
    sqlite3_exec(y->db, "DELETE FROM lumo_settings WHERE key = 'bulk_wal'", NULL, NULL, NULL);
  for (int i = 0; i < y->bulk_nsql; i++) sqlite3_free(y->bulk_sql[i]);
  sqlite3_free(y->bulk_sql);
  y->bulk_sql = NULL;
  y->bulk_nsql = 0;
  y->bulk = y->bulk_wal = 0;
}
