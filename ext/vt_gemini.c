/* vt_gemini.c: gemini_usage, one row per billed Gemini CLI response, and
** gemini_messages, one row per chat message (every type, rewound ones flagged).
**   SELECT model, sum(output_tokens) FROM gemini_usage('~/.gemini') GROUP BY 1;
** DIRECTONLY: reads every chat file under its root argument (default
** $GEMINI_CLI_HOME/.gemini, else ~/.gemini). One row per (session id, message id): the
** last line of a message in a JSONL file, and across files (a legacy .json resumed as
** .jsonl repeats old messages) the copy with the larger token total, then the older
** file. Rewound messages were billed, so they count, flagged is_rewound. Files are small
** and rewritten in place, so each is read whole into a per-file table; the table of
** responses grows with their number, never with file size. */
#include "lumo_int.h"
#include "dedup.h"
#include "gemini.h"

#include <stdlib.h>
#include <string.h>

enum {
  GC_TIMESTAMP, GC_SESSION_ID, GC_PROJECT, GC_MODEL, GC_MESSAGE_ID, GC_INPUT, GC_OUTPUT,
  GC_CACHE_READ, GC_CACHE_5M, GC_CACHE_1H, GC_REASONING, GC_IS_REWOUND, GC_IS_SUBAGENT,
  GC_COPIES, GC_COST, GC_FILE, GC_LINE, GC_ROOT, GC_N
};

static const lumo_col gemini_usage_cols[GC_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of the message (NULL when the file has none)", 0},
  {"session_id", "TEXT", "the chat's sessionId; for a subagent chat, the parent session (its directory)", 0},
  {"project", "TEXT", "last component of tmp/<project>/.project_root, else the project directory name", 0},
  {"model", "TEXT", "the message's model; else the session's top-level model; else the previous message's (spec 3.5.5)", 0},
  {"message_id", "TEXT", "message id", 0},
  {"input_tokens", "INTEGER", "input - cached + tool (billed at the input rate)", 0},
  {"output_tokens", "INTEGER", "output + thoughts", 0},
  {"cache_read_tokens", "INTEGER", "cached", 0},
  {"cache_write_5m_tokens", "INTEGER", "always 0 (Gemini CLI logs no cache writes)", 0},
  {"cache_write_1h_tokens", "INTEGER", "always 0", 0},
  {"reasoning_tokens", "INTEGER", "thoughts (already inside output_tokens)", 0},
  {"is_rewound", "INTEGER", "1 when a $rewindTo or a later $set checkpoint removed the message from the conversation (still billed)", 0},
  {"is_subagent", "INTEGER", "1 for subagent chats", 0},
  {"copies", "INTEGER", "files holding this message", 0},
  {"cost_usd", "REAL", "lumo_cost() of the response; NULL when the model is unknown", 0},
  {"file", "TEXT", "chat file of the kept copy, relative to the root", 0},
  {"line", "INTEGER", "last line of the message in a JSONL file; 1 for a legacy .json", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list", 1},
};

const lumo_object gemini_usage_object = {
  "table", "gemini_usage", "one row per billed Gemini CLI response (spec 3.5)", gemini_usage_cols, GC_N};

enum {
  GM_TIMESTAMP, GM_SESSION_ID, GM_PROJECT, GM_MESSAGE_ID, GM_TYPE, GM_ROLE, GM_MODEL, GM_TEXT,
  GM_TOOL_CALLS, GM_TOOL_NAMES, GM_IS_REWOUND, GM_IS_SUBAGENT, GM_FILE, GM_LINE, GM_ROOT, GM_N
};

static const lumo_col gemini_messages_cols[GM_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of the message (NULL when the file has none)", 0},
  {"session_id", "TEXT", "the chat's sessionId; for a subagent chat, the parent session (its directory)", 0},
  {"project", "TEXT", "last component of tmp/<project>/.project_root, else the project directory name", 0},
  {"message_id", "TEXT", "message id", 0},
  {"type", "TEXT", "user, gemini, info, error or warning", 0},
  {"role", "TEXT", "user for user messages, assistant for gemini messages, NULL for the others", 0},
  {"model", "TEXT", "model of a gemini message: its own; else the session's top-level model; else the previous message's", 0},
  {"text", "TEXT", "content: the string, or the text of its parts joined by newlines", 0},
  {"tool_calls", "INTEGER", "number of tool calls in the message", 0},
  {"tool_names", "TEXT", "names of those tool calls, comma-separated", 0},
  {"is_rewound", "INTEGER", "1 when a $rewindTo or a later $set checkpoint removed the message from the conversation", 0},
  {"is_subagent", "INTEGER", "1 for subagent chats", 0},
  {"file", "TEXT", "chat file of the kept copy, relative to the root", 0},
  {"line", "INTEGER", "last line of the message in a JSONL file; 1 for a legacy .json", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list", 1},
};

const lumo_object gemini_messages_object = {
  "table", "gemini_messages",
  "one row per Gemini CLI chat message, in file order; a message in several files (a legacy .json resumed as .jsonl) once, from the newest file",
  gemini_messages_cols, GM_N};

enum { KIND_USAGE = 0, KIND_MESSAGES = 1 };

static const lumo_object *kind_object(int kind) {
  return kind == KIND_MESSAGES ? &gemini_messages_object : &gemini_usage_object;
}

typedef lumo_source_vtab gemini_vtab;

/* A message of gemini_messages; strings in the cursor's arena. */
typedef struct gm_row {
  const char *timestamp, *session_id, *project, *id, *type, *model, *text, *tool_names;
  int tool_calls, is_rewound, is_subagent, file_idx, dup;
  int64_t line, mtime_ns, seq;
} gm_row;

typedef struct gemini_cursor {
  sqlite3_vtab_cursor base;
  char **roots;
  int nroot;
  char *root_arg;
  lumo_filelist files;
  lumo_dedup dd;
  lumo_arena arena;
  lumo_intern_set interned;
  int i, kind;
  gm_row *rows;  /* gemini_messages: owned */
  int nrows, cap;
} gemini_cursor;

LUMO_SOURCE_CONNECT(gemini_usage_connect, &gemini_usage_object, KIND_USAGE)
LUMO_SOURCE_CONNECT(gemini_messages_connect, &gemini_messages_object, KIND_MESSAGES)

/* idxNum bit 0x01: root = ? (hidden argument, omitted). */
static int gemini_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  return lumo_root_best_index(ii, kind_object(((gemini_vtab *)tab)->kind)->ncol - 1);
}

static int gemini_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  gemini_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->kind = ((gemini_vtab *)tab)->kind;
  *pp = &c->base;
  return SQLITE_OK;
}

static void gemini_reset(gemini_cursor *c) {
  lumo_roots_free(c->roots, c->nroot);
  sqlite3_free(c->root_arg);
  lumo_filelist_free(&c->files);
  lumo_dedup_free(&c->dd);
  lumo_intern_free(&c->interned);
  lumo_arena_free(&c->arena);
  sqlite3_free(c->rows);
  c->rows = NULL;
  c->nrows = c->cap = 0;
  c->roots = NULL;
  c->root_arg = NULL;
  c->nroot = 0;
  c->i = 0;
}

static int gemini_close(sqlite3_vtab_cursor *cur) {
  gemini_reset((gemini_cursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

typedef struct bad_ctx {
  lumo_conn *conn;
  const char *file, *source;
} bad_ctx;

static void on_bad_line(void *p, int64_t line, const char *kind, const char *detail) {
  bad_ctx *b = p;
  lumo_diag_add(b->conn, b->source, b->file, line, kind, "%s", detail);
}

static const char *arena_str(gemini_cursor *c, const char *s) {
  return s ? lumo_arena_dup(&c->arena, s, strlen(s)) : NULL;
}

/* gemini_messages: every message of a file, strings copied into the cursor's arena. */
static int keep_messages(gemini_cursor *c, const gemini_file *g, const lumo_file *f, int fi,
                         const char *session, const char *project) {
  lumo_buf names = {0};
  for (int i = 0; i < g->n; i++) {
    const gemini_msg *m = &g->msgs[i];
    if (c->nrows == c->cap) {
      int cap = c->cap ? c->cap * 2 : 256;
      gm_row *nr = sqlite3_realloc64(c->rows, sizeof(*nr) * (size_t)cap);
      if (!nr) {
        lumo_buf_free(&names);
        return SQLITE_NOMEM;
      }
      c->rows = nr;
      c->cap = cap;
    }
    gm_row *r = &c->rows[c->nrows];
    memset(r, 0, sizeof(*r));
    names.len = 0;
    if (m->tool_calls) gemini_tool_names(m->tool_calls, &names);
    lumo_buf_nul(&names);
    r->timestamp = arena_str(c, m->timestamp);
    r->session_id = session;
    r->project = project;
    r->id = arena_str(c, m->id);
    r->type = m->type ? lumo_intern(&c->interned, &c->arena, m->type, strlen(m->type)) : NULL;
    r->model = m->model && m->is_gemini ? lumo_intern(&c->interned, &c->arena, m->model, strlen(m->model)) : NULL;
    r->text = arena_str(c, m->text);
    r->tool_names = names.len ? arena_str(c, names.p) : NULL;
    r->tool_calls = m->ntool_calls;
    r->is_rewound = m->is_rewound;
    r->is_subagent = g->is_subagent;
    r->file_idx = fi;
    r->line = m->line;
    r->mtime_ns = f->mtime_ns;
    r->seq = c->nrows;
    c->nrows++;
  }
  lumo_buf_free(&names);
  return SQLITE_OK;
}

static int str_cmp_null(const char *a, const char *b) {
  return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

/* By session and message id, the newest file's copy first. */
static int gm_key_cmp(const void *x, const void *y) {
  const gm_row *a = x, *b = y;
  int d = str_cmp_null(a->session_id, b->session_id);
  if (!d) d = str_cmp_null(a->id, b->id);
  if (!d) d = a->mtime_ns != b->mtime_ns ? (a->mtime_ns > b->mtime_ns ? -1 : 1) : a->file_idx - b->file_idx;
  return d;
}

static int gm_seq_cmp(const void *x, const void *y) {
  const gm_row *a = x, *b = y;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* One row per (session, message id), then back into file order. */
static void dedup_messages(gemini_cursor *c) {
  if (c->nrows < 2) return;
  qsort(c->rows, (size_t)c->nrows, sizeof(*c->rows), gm_key_cmp);
  int k = 0;
  for (int i = 0; i < c->nrows; i++) {
    if (k && str_cmp_null(c->rows[k - 1].session_id, c->rows[i].session_id) == 0 &&
        str_cmp_null(c->rows[k - 1].id, c->rows[i].id) == 0)
      continue;
    c->rows[k++] = c->rows[i];
  }
  c->nrows = k;
  qsort(c->rows, (size_t)c->nrows, sizeof(*c->rows), gm_seq_cmp);
}

static int scan_file(gemini_cursor *c, lumo_conn *conn, int fi) {
  const lumo_file *f = &c->files.f[fi];
  gemini_file g;
  memset(&g, 0, sizeof(g));
  const char *source = kind_object(c->kind)->name;
  bad_ctx bc = {conn, f->rel, source};
  const char *why = NULL;
  int rc = gemini_read(&g, f->path, &bc, on_bad_line, &why);
  if (rc == SQLITE_ERROR) {
    lumo_diag_add(conn, source, f->rel, 0, "unreadable", "%s", why ? why : "cannot read");
    gemini_file_free(&g);
    return SQLITE_OK;
  }
  /* a name that cannot be made is an error, never a NULL column */
  int oom = 0;
  char *sid = rc ? NULL : gemini_session_new(f, &g);
  char *proj = rc ? NULL : gemini_project_new(f, &oom);
  const char *session = sid ? lumo_intern(&c->interned, &c->arena, sid, strlen(sid)) : NULL;
  const char *project = proj ? lumo_intern(&c->interned, &c->arena, proj, strlen(proj)) : NULL;
  if (rc == SQLITE_OK && (!session || oom || (proj && !project))) rc = SQLITE_NOMEM;
  sqlite3_free(sid);
  sqlite3_free(proj);
  if (c->kind == KIND_MESSAGES) {
    if (rc == SQLITE_OK) rc = keep_messages(c, &g, f, fi, session, project);
    gemini_file_free(&g);
    return rc;
  }
  lumo_buf key = {0};
  for (int i = 0; rc == SQLITE_OK && i < g.n; i++) {
    gemini_msg *m = &g.msgs[i];
    if (!m->billable) continue;
    if (!m->timestamp)
      lumo_diag_add(conn, "gemini_usage", f->rel, m->line, "no_timestamp",
                    "message %.60Q has no timestamp: kept with a NULL time", m->id);
    key.len = 0;
    lumo_buf_append(&key, session ? session : "", session ? strlen(session) : 0);
    lumo_buf_putc(&key, ':');
    lumo_buf_append(&key, m->id, strlen(m->id));
    lumo_cand k;
    memset(&k, 0, sizeof(k));
    gemini_cand_numbers(&g, m, &k);
    k.mid = key.p;
    k.mtime_ns = f->mtime_ns;
    k.path = f->rel;
    k.file_idx = fi;
    int slot, win;
    if (lumo_dedup_offer(&c->dd, &k, &slot, &win)) rc = SQLITE_NOMEM;
    else if (win) {
      lumo_cand *b = &c->dd.e[slot].best;
      if (b->mid == key.p) b->mid = lumo_arena_dup(&c->arena, key.p, key.len);
      b->timestamp = m->timestamp ? lumo_arena_dup(&c->arena, m->timestamp, strlen(m->timestamp)) : NULL;
      b->session_id = session;
      b->project = project;
      b->model = m->model ? lumo_intern(&c->interned, &c->arena, m->model, strlen(m->model)) : NULL;
      b->label = lumo_arena_dup(&c->arena, m->id, strlen(m->id));
      if (!b->mid || !b->label) rc = SQLITE_NOMEM;
    }
  }
  lumo_buf_free(&key);
  gemini_file_free(&g);
  return rc;
}

static int gemini_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  gemini_cursor *c = (gemini_cursor *)cur;
  gemini_vtab *vt = (gemini_vtab *)cur->pVtab;
  gemini_reset(c);
  if (idxNum & 1) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK; /* no rows */
    c->root_arg = sqlite3_mprintf("%s", (const char *)sqlite3_value_text(argv[0]));
    if (!c->root_arg) return SQLITE_NOMEM;
  }
  const char *name = kind_object(c->kind)->name;
  lumo_diag_reset(vt->conn, name);
  int rc = gemini_roots(c->root_arg, &c->roots, &c->nroot);
  if (!rc) rc = gemini_files(c->roots, c->nroot, &c->files, vt->conn, name);
  for (int i = 0; rc == SQLITE_OK && i < c->files.n; i++) rc = scan_file(c, vt->conn, i);
  if (!rc && c->kind == KIND_MESSAGES) dedup_messages(c);
  else if (!rc) lumo_dedup_finish(&c->dd);
  return rc;
}

static int gemini_next(sqlite3_vtab_cursor *cur) {
  ((gemini_cursor *)cur)->i++;
  return SQLITE_OK;
}

static int gemini_eof(sqlite3_vtab_cursor *cur) {
  gemini_cursor *c = (gemini_cursor *)cur;
  return c->i >= (c->kind == KIND_MESSAGES ? c->nrows : c->dd.n);
}

static void text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static int gemini_messages_column(gemini_cursor *c, sqlite3_context *ctx, int col) {
  const gm_row *r = &c->rows[c->i];
  switch (col) {
    case GM_TIMESTAMP: text_or_null(ctx, r->timestamp); break;
    case GM_SESSION_ID: text_or_null(ctx, r->session_id); break;
    case GM_PROJECT: text_or_null(ctx, r->project); break;
    case GM_MESSAGE_ID: text_or_null(ctx, r->id); break;
    case GM_TYPE: text_or_null(ctx, r->type); break;
    case GM_ROLE: text_or_null(ctx, gemini_role(r->type)); break;
    case GM_MODEL: text_or_null(ctx, r->model); break;
    case GM_TEXT: text_or_null(ctx, r->text); break;
    case GM_TOOL_CALLS: sqlite3_result_int(ctx, r->tool_calls); break;
    case GM_TOOL_NAMES: text_or_null(ctx, r->tool_names); break;
    case GM_IS_REWOUND: sqlite3_result_int(ctx, r->is_rewound); break;
    case GM_IS_SUBAGENT: sqlite3_result_int(ctx, r->is_subagent); break;
    case GM_FILE: text_or_null(ctx, c->files.f[r->file_idx].rel); break;
    case GM_LINE: sqlite3_result_int64(ctx, r->line); break;
    case GM_ROOT: text_or_null(ctx, c->root_arg); break;
  }
  return SQLITE_OK;
}

static int gemini_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  gemini_cursor *c = (gemini_cursor *)cur;
  if (c->kind == KIND_MESSAGES) return gemini_messages_column(c, ctx, col);
  const lumo_dedup_entry *e = &c->dd.e[c->i];
  const lumo_cand *b = &e->best;
  switch (col) {
    case GC_TIMESTAMP: text_or_null(ctx, b->timestamp); break;
    case GC_SESSION_ID: text_or_null(ctx, b->session_id); break;
    case GC_PROJECT: text_or_null(ctx, b->project); break;
    case GC_MODEL: text_or_null(ctx, b->model); break;
    case GC_MESSAGE_ID: text_or_null(ctx, b->label); break;
    case GC_INPUT: sqlite3_result_int64(ctx, b->input); break;
    case GC_OUTPUT: sqlite3_result_int64(ctx, b->output); break;
    case GC_CACHE_READ: sqlite3_result_int64(ctx, b->cache_read); break;
    case GC_CACHE_5M:
    case GC_CACHE_1H: sqlite3_result_int(ctx, 0); break;
    case GC_REASONING: sqlite3_result_int64(ctx, b->reasoning); break;
    case GC_IS_REWOUND: sqlite3_result_int(ctx, b->is_rewound); break;
    case GC_IS_SUBAGENT: sqlite3_result_int(ctx, b->is_sidechain); break;
    case GC_COPIES: sqlite3_result_int(ctx, e->copies); break;
    case GC_COST: {
      int known = 0;
      double usd = lumo_cost_request(((gemini_vtab *)cur->pVtab)->conn->prices, b->model, b->input,
                                     b->output, b->cache_read, 0, 0, NULL, NULL, NULL, 0, b->timestamp, &known);
      if (known) sqlite3_result_double(ctx, usd);
      break;
    }
    case GC_FILE: text_or_null(ctx, c->files.f[b->file_idx].rel); break;
    case GC_LINE: sqlite3_result_int64(ctx, b->line); break;
    case GC_ROOT: text_or_null(ctx, c->root_arg); break;
  }
  return SQLITE_OK;
}

static int gemini_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((gemini_cursor *)cur)->i + 1;
  return SQLITE_OK;
}

#define GEMINI_MODULE(connect)                                                                         \
  {.iVersion = 0, .xCreate = 0, .xConnect = connect, .xBestIndex = gemini_best_index,                \
   .xDisconnect = lumo_source_disconnect, .xDestroy = lumo_source_disconnect, .xOpen = gemini_open,  \
   .xClose = gemini_close, .xFilter = gemini_filter, .xNext = gemini_next, .xEof = gemini_eof,       \
   .xColumn = gemini_column, .xRowid = gemini_rowid}
static sqlite3_module gemini_usage_module = GEMINI_MODULE(gemini_usage_connect);
static sqlite3_module gemini_messages_module = GEMINI_MODULE(gemini_messages_connect);

int lumo_register_gemini(sqlite3 *db, lumo_conn *conn) {
  conn->nref++;
  int rc = sqlite3_create_module_v2(db, "gemini_usage", &gemini_usage_module, conn, lumo_conn_release);
  if (rc) return rc;
  conn->nref++;
  return sqlite3_create_module_v2(db, "gemini_messages", &gemini_messages_module, conn, lumo_conn_release);
}
