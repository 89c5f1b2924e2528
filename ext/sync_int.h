/* sync_int.h: what the parts of lumo_sync() and lumo_merge() share: the syncer (one
** sync's prepared statements and counters on the caller's connection), small binding
** helpers, and the functions of sync_db.c (the lumo database itself) and sync.c (the
** winner rule's upsert) that merge.c also uses. */
#ifndef LUMO_SYNC_INT_H
#define LUMO_SYNC_INT_H
#include "lumo_int.h"
#include "dedup.h"

#define HEAD_BYTES 4096

typedef struct sync_stats {
  int64_t files_seen, files_read, bytes_read, usage_rows, message_rows, tool_rows, otel_rows, skipped;
  int64_t repriced; /* stored rows priced again (prices_reprice) */
} sync_stats;

/* What the last sync recorded of each file of this machine, to skip unchanged files
** with no SQL at all: sorted by path for bsearch. */
typedef struct seen_file {
  char *path;
  int64_t size, mtime_ns, inode;
} seen_file;

/* Prepared statements of one sync, on the caller's connection. */
typedef struct syncer {
  sqlite3 *db;
  lumo_conn *conn;
  char machine[256];
  sync_stats st;
  sqlite3_stmt *file_get, *file_put, *usage_find, *usage_ins, *usage_del, *msg_ins, *point_ins, *event_ins,
      *diag_del, *diag_ins, *limit_ins;
  struct activity_sync *act; /* sync_activity.c's statements, from the first tool call on */
  struct prompt_sync *prm;   /* sync_prompts.c's, from the first prompt on */
  lumo_buf s[16];  /* scratch for decoded strings */
  lumo_buf text;
  const lumo_filelist *codex_files; /* every rollout of this sync: a fork's parent is found there */
  char *codex_skip; /* per rollout: an older copy of a thread (codex_superseded), not read */
  seen_file *seen; /* loaded once per lumo_sync(), when the first source has files */
  int nseen, seen_loaded;
  lumo_arena seen_paths; /* the paths of seen */
  int temp_store; /* the connection's PRAGMA temp_store before the sync, -1: left as it was */
  int busy_ms, synchronous; /* the connection's busy timeout and synchronous setting before */
  int64_t read_from;  /* the file being synced was read from this line (0: whole); -1: not read */
  int read_failed;    /* a read of that file failed midway (reported): file_done stores size -1, so
                         the next sync reads on from what was consumed instead of taking the file
                         for unchanged */
  int64_t line_cut;   /* bytes the reader left out of the line being synced (a line over LUMO_CUT_AT) */
  /* A Claude response is written as 1-4 streaming lines with growing counts: the best
  ** copy of a run of one key is held and upserted once (usage_hold in sync.c) */
  lumo_cand held;
  int has_held;
  lumo_buf held_s[14]; /* the held copy's strings */
  /* sync_bulk.c: a first sync into an empty database is one bulk transaction */
  int bulk;          /* the bulk transaction is open (sync_files neither begins nor commits) */
  int bulk_wal;      /* the database goes back to WAL after it */
  int bulk_cache, bulk_cache_set; /* the connection's cache_size before it, and whether it was changed */
  char **bulk_sql;   /* the dropped indexes and triggers: pairs of CREATE and DROP statements */
  int bulk_nsql;
  int fail_errno;    /* the system error of a failed batch, read before its rollback */
} syncer;

static inline void bind_text(sqlite3_stmt *st, int i, const char *s) {
  if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, i);
}

static inline int step_done(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Decodes a JSON string span into scratch slot i; NULL when absent. */
static inline const char *dec(syncer *y, int i, lumo_span v) {
  if (!v.n) return NULL;
  y->s[i].len = 0;
  if (lumo_json_decode(v, &y->s[i])) return NULL;
  return y->s[i].p ? y->s[i].p : "";
}

/* sync_db.c */
LUMO_API int syncer_begin(syncer *y, sqlite3_context *ctx, char **err);
LUMO_API int syncer_open(syncer *y);
LUMO_API void syncer_close(syncer *y);
LUMO_API void sync_release_wal(sqlite3 *db);
LUMO_API void sync_machine_id(sqlite3 *db, char *out, size_t cap);
LUMO_API int sync_table_has_column(sqlite3 *db, const char *schema, const char *table, const char *column);
LUMO_API const char *sync_error_text(sqlite3 *db, int rc);
LUMO_API const char *sync_error_text_sys(sqlite3 *db, int rc, int sys);
LUMO_API void sync_rollback(sqlite3 *db);
LUMO_API int dirs_load(sqlite3 *db, const char *machine, lumo_dircache *dc);
LUMO_API int dirs_store(sqlite3 *db, const char *machine, const lumo_dircache *dc);
LUMO_API int blocks_refresh(sqlite3 *db);
LUMO_API int prices_reprice(syncer *y, int force, int64_t *nrows);
LUMO_API int lumo_register_reprice(sqlite3 *db, lumo_conn *conn);
/* sync_bulk.c */
LUMO_API int bulk_begin(syncer *y);
LUMO_API int bulk_finish(syncer *y);
LUMO_API void bulk_end(syncer *y);
/* sync.c */
LUMO_API int usage_upsert(syncer *y, const lumo_cand *c, const char *agent, const char *machine, const char *file);
/* sync_activity.c: a tool call, its result and Codex's end events, with what they did */
typedef struct activity_call {
  const char *key, *agent, *session, *project, *timestamp, *message_id, *tool_name;
  const char *input; /* JSON text (Codex's custom_tool_call: its raw input); NULL: none */
  size_t input_len;
  const char *file;
  int64_t line;
  lumo_span display; /* Gemini: the call's resultDisplay (its diffStat gives the lines) */
  int moved; /* its record's kept copy is now this one (message_put): the stored rows move here */
  int64_t line_cut; /* set by activity_call_put: the bytes its line lost (y->line_cut when read) */
} activity_call;
/* A call is held until its outcome comes (activity_result_put) or activity_flush writes it;
** activity_discard forgets the held calls (a failed file: its transaction rolls back). */
LUMO_API int activity_call_put(syncer *y, const activity_call *c);
LUMO_API int activity_flush(syncer *y);
LUMO_API void activity_discard(syncer *y);
/* is_error -1: not said; text NULL: none (kept up to LUMO_RESULT_TEXT_MAX bytes); result:
** Claude's toolUseResult of the record (empty: none), whose figures recount an edit */
LUMO_API int activity_result_put(syncer *y, const char *key, int is_error, int64_t result_bytes, const char *text,
                                 size_t text_len, const char *timestamp, lumo_span result);
/* An event_msg line ending a call; session, cwd, file, line_no place the rows of a
** patch it applied (patch_end_rows) */
LUMO_API int activity_codex_end(syncer *y, const char *line, size_t n, const char *session, const char *cwd,
                                const char *file, int64_t line_no);
LUMO_API void activity_sync_close(syncer *y);
LUMO_API extern const char activity_migrate_sql[], activity_fixup_sql[], activity_backfill_sql[];
/* sync_prompts.c: the user_prompts table (prompts.c decides) */
struct lumo_prompt;
typedef struct prompt_rec {
  const char *key, *agent, *session, *project, *timestamp, *file;
  int64_t line;
  int replace; /* this copy replaces the stored row (Gemini's read again, a Claude record's moved copy) */
} prompt_rec;
LUMO_API int prompt_put(syncer *y, const prompt_rec *r, const struct lumo_prompt *p);
/* A Codex rollout line that may be a user_message or turn_aborted event, and its thread */
typedef struct codex_prompt_ctx {
  const char *thread, *cwd, *file;
  int64_t line, start_ms;
  int is_fork, is_subagent;
} codex_prompt_ctx;
LUMO_API int prompt_codex_event(syncer *y, const char *line, size_t n, const codex_prompt_ctx *c);
LUMO_API void prompt_sync_close(syncer *y);
LUMO_API extern const char prompts_migrate_sql[];
/* sync_search.c: the rows added since the last catch-up into the search indexes */
LUMO_API int search_catch_up(sqlite3 *db);
/* merge.c */
LUMO_API void lumo_merge_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
#endif
