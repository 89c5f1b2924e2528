/* vt_opencode.c: opencode_usage, one row per OpenCode assistant message with tokens
** (spec: transcripts.md section 4).
**   SELECT model, sum(output_tokens) FROM opencode_usage('~/.local/share/opencode') GROUP BY 1;
** DIRECTONLY: reads the message JSON files (storage/message/<session>/<message>.json, up
** to v1.1) and the SQLite database of v1.2+ (opencode.db and opencode-<channel>.db,
** opened read-only). One row per message id; a database row wins over a JSON file with
** the same id. Buckets: input = tokens.input (OpenCode already excludes cache),
** cache_read = tokens.cache.read, cache_write_5m = tokens.cache.write,
** output = tokens.output + tokens.reasoning (reasoning is not inside output here, T7),
** reasoning = tokens.reasoning. OpenCode's own cost is kept apart (stored_cost_usd, NULL
** when it is not a positive number); cost_usd is lumo's. */
#include "lumo_int.h"
#include "opencode.h"
#include "dedup.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
  OC_TIMESTAMP, OC_SESSION_ID, OC_PROJECT, OC_PROVIDER, OC_MODEL, OC_MESSAGE_ID, OC_INPUT, OC_OUTPUT,
  OC_CACHE_READ, OC_CACHE_5M, OC_CACHE_1H, OC_REASONING, OC_IS_ABORTED, OC_STORED_COST, OC_COST,
  OC_SOURCE, OC_FILE, OC_ROOT, OC_N
};

static const lumo_col opencode_usage_cols[OC_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of time.created (epoch milliseconds in the data)", 0},
  {"session_id", "TEXT", "sessionID", 0},
  {"project", "TEXT", "last path component of path.cwd (or path), NULL when absent", 0},
  {"provider", "TEXT", "providerID", 0},
  {"model", "TEXT", "modelID", 0},
  {"message_id", "TEXT", "message id", 0},
  {"input_tokens", "INTEGER", "tokens.input (already without cache)", 0},
  {"output_tokens", "INTEGER", "tokens.output + tokens.reasoning", 0},
  {"cache_read_tokens", "INTEGER", "tokens.cache.read", 0},
  {"cache_write_5m_tokens", "INTEGER", "tokens.cache.write", 0},
  {"cache_write_1h_tokens", "INTEGER", "always 0", 0},
  {"reasoning_tokens", "INTEGER", "tokens.reasoning", 0},
  {"is_aborted", "INTEGER", "1 for MessageAbortedError (the tokens were still billed)", 0},
  {"stored_cost_usd", "REAL", "OpenCode's own cost when it is a positive number, else NULL", 0},
  {"cost_usd", "REAL", "lumo_cost() of the message; NULL when the model is unknown", 0},
  {"source", "TEXT", "json or db", 0},
  {"file", "TEXT", "message file or database, relative to the root", 0},
  {"root", "TEXT", "argument: data directory (default $XDG_DATA_HOME/opencode, else ~/.local/share/opencode)", 1},
};

const lumo_object opencode_usage_object = {
  "table", "opencode_usage", "one row per OpenCode assistant message with tokens, JSON files and opencode.db",
  opencode_usage_cols, OC_N};

typedef lumo_source_vtab opencode_vtab;



typedef struct opencode_cursor {
  sqlite3_vtab_cursor base;
  char **roots;
  int nroot;
  char *root_arg;
  oc_row *rows; /* owned; small: one per message */
  int n, cap, i;
  int *by_id;    /* owned: open-addressing index of rows by message id, row + 1 (0 empty) */
  int nslot;
} opencode_cursor;

LUMO_SOURCE_CONNECT(opencode_connect, &opencode_usage_object, 0)

/* idxNum bit 0x01: root = ? (hidden argument, omitted). */
static int opencode_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  (void)tab;
  return lumo_root_best_index(ii, OC_ROOT);
}

static int opencode_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  (void)tab;
  opencode_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static void opencode_reset(opencode_cursor *c) {
  for (int i = 0; i < c->n; i++) opencode_row_free(&c->rows[i]);
  sqlite3_free(c->rows);
  sqlite3_free(c->by_id);
  lumo_roots_free(c->roots, c->nroot);
  sqlite3_free(c->root_arg);
  memset(&c->roots, 0, sizeof(*c) - offsetof(opencode_cursor, roots));
}

static int opencode_close(sqlite3_vtab_cursor *cur) {
  opencode_reset((opencode_cursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* The index slot of a message id: the slot holding its row, or the empty one where it goes. */
static int *id_slot(opencode_cursor *c, const char *id) {
  int mask = c->nslot - 1, j = (int)(lumo_hash(id, strlen(id)) & (uint64_t)mask);
  while (c->by_id[j] && strcmp(c->rows[c->by_id[j] - 1].id, id) != 0) j = (j + 1) & mask;
  return &c->by_id[j];
}

/* Grows the rows and the id index (kept under half full) for one more row. */
static int grow(opencode_cursor *c) {
  if (c->n == c->cap) {
    int cap = c->cap ? c->cap * 2 : 64;
    oc_row *nr = sqlite3_realloc64(c->rows, sizeof(*nr) * (size_t)cap);
    if (!nr) return SQLITE_NOMEM;
    c->rows = nr;
    c->cap = cap;
  }
  if ((c->n + 1) * 2 > c->nslot) {
    int nslot = c->nslot ? c->nslot * 2 : 128;
    int *old = c->by_id;
    c->by_id = sqlite3_malloc64(sizeof(int) * (size_t)nslot);
    if (!c->by_id) {
      c->by_id = old;
      return SQLITE_NOMEM;
    }
    memset(c->by_id, 0, sizeof(int) * (size_t)nslot);
    c->nslot = nslot;
    for (int i = 0; i < c->n; i++)
      if (c->rows[i].id) *id_slot(c, c->rows[i].id) = i + 1;
    sqlite3_free(old);
  }
  return SQLITE_OK;
}

static int add_row(void *ctx, const lumo_file *f, oc_row *r) {
  opencode_cursor *c = ctx;
  if (grow(c)) {
    opencode_row_free(r);
    return SQLITE_NOMEM;
  }
  /* one row per message id, kept by the winner rule lumo_sync uses (dedup.c): a
  ** database row wins over a file, then the larger total, the older file, the path */
  int *slot = r->id ? id_slot(c, r->id) : NULL;
  r->mtime_ns = f->mtime_ns;
  if (slot && *slot) {
    oc_row *kept = &c->rows[*slot - 1];
    lumo_cand nk, ok;
    opencode_cand(f, r, f->mtime_ns, &nk);
    opencode_cand(NULL, kept, kept->mtime_ns, &ok);
    if (lumo_dedup_beats(&nk, &ok)) {
      opencode_row_free(kept);
      r->file = sqlite3_mprintf("%s", f->rel);
      *kept = *r;
      if (!kept->file) return SQLITE_NOMEM; /* a row without its file: not given out */
    } else {
      opencode_row_free(r);
    }
    return SQLITE_OK;
  }
  r->file = sqlite3_mprintf("%s", f->rel);
  c->rows[c->n++] = *r;
  if (slot) *slot = c->n;
  return r->file ? SQLITE_OK : SQLITE_NOMEM; /* the row is kept for the cursor to free */
}

static int opencode_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                           sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  opencode_cursor *c = (opencode_cursor *)cur;
  lumo_conn *conn = ((opencode_vtab *)cur->pVtab)->conn;
  opencode_reset(c);
  if (idxNum & 1) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;
    c->root_arg = sqlite3_mprintf("%s", (const char *)sqlite3_value_text(argv[0]));
    if (!c->root_arg) return SQLITE_NOMEM;
  }
  lumo_diag_reset(conn, "opencode_usage");
  lumo_filelist fl = {0};
  int rc = opencode_roots(c->root_arg, &c->roots, &c->nroot);
  if (!rc) rc = opencode_files(c->roots, c->nroot, &fl, conn, "opencode_usage");
  for (int i = 0; rc == SQLITE_OK && i < fl.n; i++) {
    rc = opencode_read(&fl.f[i], conn, "opencode_usage", add_row, c);
    if (rc == OPENCODE_INCOMPLETE) rc = SQLITE_OK; /* reported; the rows read are shown */
  }
  lumo_filelist_free(&fl);
  return rc;
}

static int opencode_next(sqlite3_vtab_cursor *cur) {
  ((opencode_cursor *)cur)->i++;
  return SQLITE_OK;
}

static int opencode_eof(sqlite3_vtab_cursor *cur) {
  opencode_cursor *c = (opencode_cursor *)cur;
  return c->i >= c->n;
}

static void text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static int opencode_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  opencode_cursor *c = (opencode_cursor *)cur;
  const oc_row *r = &c->rows[c->i];
  switch (col) {
    case OC_TIMESTAMP: text_or_null(ctx, r->timestamp); break;
    case OC_SESSION_ID: text_or_null(ctx, r->session); break;
    case OC_PROJECT: text_or_null(ctx, r->project); break;
    case OC_PROVIDER: text_or_null(ctx, r->provider); break;
    case OC_MODEL: text_or_null(ctx, r->model); break;
    case OC_MESSAGE_ID: text_or_null(ctx, r->id); break;
    case OC_INPUT: sqlite3_result_int64(ctx, r->input); break;
    case OC_OUTPUT: sqlite3_result_int64(ctx, r->output); break;
    case OC_CACHE_READ: sqlite3_result_int64(ctx, r->cache_read); break;
    case OC_CACHE_5M: sqlite3_result_int64(ctx, r->cache_write); break;
    case OC_CACHE_1H: sqlite3_result_int(ctx, 0); break;
    case OC_REASONING: sqlite3_result_int64(ctx, r->reasoning); break;
    case OC_IS_ABORTED: sqlite3_result_int(ctx, r->aborted); break;
    case OC_STORED_COST:
      if (r->stored_cost > 0) sqlite3_result_double(ctx, r->stored_cost);
      break;
    case OC_COST: {
      int known = 0;
      double usd = lumo_cost_request(((opencode_vtab *)cur->pVtab)->conn->prices, r->model, r->input,
                                     r->output, r->cache_read, r->cache_write, 0, NULL, NULL, NULL, 0, r->timestamp, &known);
      if (known) sqlite3_result_double(ctx, usd);
      break;
    }
    case OC_SOURCE: sqlite3_result_text(ctx, r->from_db ? "db" : "json", -1, SQLITE_STATIC); break;
    case OC_FILE: text_or_null(ctx, r->file); break;
    case OC_ROOT: text_or_null(ctx, c->root_arg); break;
  }
  return SQLITE_OK;
}

static int opencode_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((opencode_cursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module opencode_usage_module = {
  .iVersion = 0, .xCreate = 0, .xConnect = opencode_connect, .xBestIndex = opencode_best_index,
  .xDisconnect = lumo_source_disconnect, .xDestroy = lumo_source_disconnect, .xOpen = opencode_open,
  .xClose = opencode_close, .xFilter = opencode_filter, .xNext = opencode_next, .xEof = opencode_eof,
  .xColumn = opencode_column, .xRowid = opencode_rowid};

int lumo_register_opencode(sqlite3 *db, lumo_conn *conn) {
  conn->nref++;
  return sqlite3_create_module_v2(db, "opencode_usage", &opencode_usage_module, conn, lumo_conn_release);
}
