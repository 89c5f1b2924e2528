/* vt_codex.c: codex_usage, one row per billed Codex CLI request (token_count event), and
** codex_messages, one row per conversation item (response_item: messages, reasoning,
** tool calls and their outputs).
**   SELECT model, sum(input_tokens), sum(output_tokens) FROM codex_usage('~/.codex') GROUP BY 1;
**   SELECT timestamp, role, text FROM codex_messages WHERE session_id = '...' ORDER BY line;
** DIRECTONLY: reads every rollout under its root argument (default $CODEX_HOME, else
** ~/.codex): sessions/ (all depths) and archived_sessions/, plain, gzip or zstd. A thread found in several
** files (live and archived copies) is read once, from the newest file. Streams one event
** per xNext after a first pass that reads only each file's first line (the thread id). */
#include "lumo_int.h"
#include "codex.h"

#include <stdio.h>
#include <string.h>

enum {
  XC_TIMESTAMP, XC_SESSION_ID, XC_PROJECT, XC_CWD, XC_MODEL, XC_INPUT, XC_OUTPUT, XC_CACHE_READ,
  XC_CACHE_5M, XC_CACHE_1H, XC_REASONING, XC_IS_FORK, XC_COST, XC_FILE, XC_LINE, XC_ROOT, XC_N
};

static const lumo_col codex_usage_cols[XC_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of the token_count event", 0},
  {"session_id", "TEXT", "thread id (first session_meta), else the file name", 0},
  {"project", "TEXT", "last path component of the thread's cwd", 0},
  {"cwd", "TEXT", "working directory of the thread", 0},
  {"model", "TEXT", "model of the latest turn_context (or token_count event); before any, the first session_meta's payload.model; NULL when none was seen (unpriced, never guessed)", 0},
  {"input_tokens", "INTEGER", "input_tokens - cached_input_tokens - cache_write_input_tokens", 0},
  {"output_tokens", "INTEGER", "output_tokens (reasoning already inside)", 0},
  {"cache_read_tokens", "INTEGER", "cached_input_tokens", 0},
  {"cache_write_5m_tokens", "INTEGER", "cache_write_input_tokens (2026-08+ builds)", 0},
  {"cache_write_1h_tokens", "INTEGER", "always 0", 0},
  {"reasoning_tokens", "INTEGER", "reasoning_output_tokens (informational)", 0},
  {"is_fork", "INTEGER", "1 when the thread is a fork or spawned subagent (its parent's replayed history is skipped)", 0},
  {"cost_usd", "REAL", "lumo_cost() of the request; NULL when the model is unknown", 0},
  {"file", "TEXT", "rollout file, relative to the root", 0},
  {"line", "INTEGER", "line of the event", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list", 1},
};

const lumo_object codex_usage_object = {
  "table", "codex_usage", "one row per billed Codex CLI request (spec 2.4: moving totals, no replays)",
  codex_usage_cols, XC_N};

enum {
  XM_TIMESTAMP, XM_SESSION_ID, XM_PROJECT, XM_CWD, XM_TYPE, XM_ROLE, XM_MODEL, XM_TEXT, XM_TOOL_NAME,
  XM_CALL_ID, XM_CONTENT_BYTES, XM_IS_FORK, XM_IS_REPLAY, XM_FILE, XM_LINE, XM_ROOT, XM_N
};

static const lumo_col codex_messages_cols[XM_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of the item", 0},
  {"session_id", "TEXT", "thread id (first session_meta), else the file name", 0},
  {"project", "TEXT", "last path component of the thread's cwd", 0},
  {"cwd", "TEXT", "working directory of the thread", 0},
  {"type", "TEXT", "item type: message, reasoning, function_call, function_call_output, custom_tool_call, local_shell_call, web_search_call, ...", 0},
  {"role", "TEXT", "user, assistant, developer or system for messages; assistant for reasoning and tool calls; tool for tool outputs", 0},
  {"model", "TEXT", "model of the latest turn_context, else the first session_meta's payload.model (assistant items)", 0},
  {"text", "TEXT", "text parts of the content (messages), reasoning summary, a call's arguments or input (string, or its JSON), an output's text", 0},
  {"tool_name", "TEXT", "tool of a call (local_shell, web_search for those built-in calls)", 0},
  {"call_id", "TEXT", "links a tool call and its output", 0},
  {"content_bytes", "INTEGER", "size of the item's JSON", 0},
  {"is_fork", "INTEGER", "1 when the thread is a fork or spawned subagent", 0},
  {"is_replay", "INTEGER", "1 for a fork's copy of its parent's history (its turn started before the thread existed)", 0},
  {"file", "TEXT", "rollout file, relative to the root", 0},
  {"line", "INTEGER", "line of the item", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list", 1},
};

const lumo_object codex_messages_object = {
  "table", "codex_messages", "one row per Codex CLI conversation item (response_item lines, spec 2.2)",
  codex_messages_cols, XM_N};

enum { KIND_USAGE = 0, KIND_MESSAGES = 1 };

static const lumo_object *kind_object(int kind) {
  return kind == KIND_MESSAGES ? &codex_messages_object : &codex_usage_object;
}

typedef lumo_source_vtab codex_vtab;

typedef struct codex_cursor {
  sqlite3_vtab_cursor base;
  char **roots;
  int nroot;
  char *root_arg;
  lumo_filelist files;
  char *skip;          /* owned: 1 for files whose thread is read from another file */
  int fi;
  lumo_reader rd;
  int rd_open;
  codex_state st;
  codex_row row;
  codex_item item;
  int kind;
  lumo_buf ts, project;
  int64_t rowid, line;
  int eof;
} codex_cursor;

LUMO_SOURCE_CONNECT(codex_usage_connect, &codex_usage_object, KIND_USAGE)
LUMO_SOURCE_CONNECT(codex_messages_connect, &codex_messages_object, KIND_MESSAGES)

/* idxNum bit 0x01: root = ? (hidden argument, omitted). */
static int codex_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  return lumo_root_best_index(ii, kind_object(((codex_vtab *)tab)->kind)->ncol - 1);
}

static int codex_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  codex_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->kind = ((codex_vtab *)tab)->kind;
  c->rd.fd = -1;
  *pp = &c->base;
  return SQLITE_OK;
}

static void codex_reset(codex_cursor *c) {
  if (c->rd_open) lumo_reader_close(&c->rd);
  c->rd_open = 0;
  lumo_roots_free(c->roots, c->nroot);
  sqlite3_free(c->root_arg);
  sqlite3_free(c->skip);
  lumo_filelist_free(&c->files);
  codex_state_free(&c->st);
  lumo_buf_free(&c->ts);
  lumo_buf_free(&c->project);
  c->roots = NULL;
  c->root_arg = NULL;
  c->skip = NULL;
  c->nroot = c->fi = 0;
  c->rowid = 0;
  c->eof = 1;
}

static int codex_close(sqlite3_vtab_cursor *cur) {
  codex_reset((codex_cursor *)cur);
  codex_item_free(&((codex_cursor *)cur)->item);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static const char *find_thread(void *ctx, const char *thread_id) {
  return codex_thread_file(ctx, thread_id);
}

static void state_start(codex_cursor *c) {
  codex_state_free(&c->st);
  codex_state_init(&c->st);
  c->st.find = find_thread;
  c->st.find_ctx = &c->files;
}

static int codex_next(sqlite3_vtab_cursor *cur) {
  codex_cursor *c = (codex_cursor *)cur;
  codex_vtab *vt = (codex_vtab *)cur->pVtab;
  for (;;) {
    if (!c->rd_open) {
      while (c->fi < c->files.n && c->skip[c->fi]) c->fi++;
      if (c->fi >= c->files.n) {
        c->eof = 1;
        return SQLITE_OK;
      }
      int rc = lumo_reader_open(&c->rd, c->files.f[c->fi].path, 0, 0);
      if (rc == SQLITE_NOMEM) return rc;
      if (rc) {
        const char *kind, *why = codex_open_error(&c->files.f[c->fi], &kind);
        lumo_diag_add(vt->conn, kind_object(c->kind)->name, c->files.f[c->fi].rel, 0, kind, "%s", why);
        c->fi++;
        continue;
      }
      c->rd_open = 1;
      state_start(c);
    }
    const lumo_file *f = &c->files.f[c->fi];
    const char *p;
    size_t n;
    int64_t skipped = 0;
    int r = codex_next_line(&c->st, &c->rd, f, vt->conn, kind_object(c->kind)->name, &c->row, &p, &n, &skipped);
    if (r == CODEX_LINE_END) {
      lumo_reader_close(&c->rd);
      c->rd_open = 0;
      c->fi++;
      continue;
    }
    if (codex_state_oom(&c->st)) return SQLITE_NOMEM; /* no row without its thread, folder or model */
    if (r == CODEX_LINE_SKIP || r == CODEX_LINE_TORN) continue;
    lumo_span ts;
    if (c->kind == KIND_MESSAGES) {
      int ir = codex_item_line(&c->st, p, n, &c->item);
      if (ir == CODEX_NOMEM) return SQLITE_NOMEM;
      if (ir != CODEX_ROW) continue;
      ts = c->item.timestamp;
    } else {
      if (r != CODEX_LINE_ROW) continue;
      ts = c->row.timestamp;
    }
    c->ts.len = 0;
    if (ts.n) lumo_json_decode(ts, &c->ts);
    lumo_buf_nul(&c->ts);
    c->project.len = 0;
    if (c->st.cwd.len) {
      lumo_span last = lumo_path_last(c->st.cwd.p, c->st.cwd.len);
      lumo_buf_append(&c->project, last.p, last.n);
    }
    if (c->ts.oom || c->project.oom) return SQLITE_NOMEM;
    c->line = c->rd.line_no;
    c->rowid++;
    return SQLITE_OK;
  }
}

static int codex_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  codex_cursor *c = (codex_cursor *)cur;
  codex_vtab *vt = (codex_vtab *)cur->pVtab;
  codex_reset(c);
  if (idxNum & 1) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK; /* no rows */
    c->root_arg = sqlite3_mprintf("%s", (const char *)sqlite3_value_text(argv[0]));
    if (!c->root_arg) return SQLITE_NOMEM;
  }
  c->eof = 0;
  const char *name = kind_object(c->kind)->name;
  lumo_diag_reset(vt->conn, name);
  int rc = codex_roots(c->root_arg, &c->roots, &c->nroot);
  if (!rc) rc = codex_files(c->roots, c->nroot, &c->files, vt->conn, name);
  if (!rc) rc = codex_superseded(&c->files, &c->skip, vt->conn, name);
  if (rc) return rc;
  state_start(c);
  return codex_next(cur);
}

static int codex_eof(sqlite3_vtab_cursor *cur) { return ((codex_cursor *)cur)->eof; }

static void text_or_null(sqlite3_context *ctx, const lumo_buf *b) {
  if (b->len) sqlite3_result_text(ctx, b->p, (int)b->len, SQLITE_TRANSIENT);
}

static void session_id(sqlite3_context *ctx, const codex_cursor *c, const lumo_file *f) {
  if (c->st.thread_id.len) text_or_null(ctx, &c->st.thread_id);
  else {
    lumo_span base = lumo_path_last(f->rel, strlen(f->rel));
    sqlite3_result_text(ctx, base.p, (int)base.n, SQLITE_TRANSIENT);
  }
}

static int codex_messages_column(codex_cursor *c, sqlite3_context *ctx, int col) {
  const codex_item *it = &c->item;
  const lumo_file *f = &c->files.f[c->fi];
  switch (col) {
    case XM_TIMESTAMP: text_or_null(ctx, &c->ts); break;
    case XM_SESSION_ID: session_id(ctx, c, f); break;
    case XM_PROJECT: text_or_null(ctx, &c->project); break;
    case XM_CWD: text_or_null(ctx, &c->st.cwd); break;
    case XM_TYPE: text_or_null(ctx, &it->type); break;
    case XM_ROLE:
      if (it->role) sqlite3_result_text(ctx, it->role, -1, SQLITE_STATIC);
      break;
    case XM_MODEL:
      if (it->role && strcmp(it->role, "assistant") == 0) text_or_null(ctx, &c->st.model);
      break;
    case XM_TEXT: text_or_null(ctx, &it->text); break;
    case XM_TOOL_NAME: text_or_null(ctx, &it->tool_name); break;
    case XM_CALL_ID: text_or_null(ctx, &it->call_id); break;
    case XM_CONTENT_BYTES: sqlite3_result_int64(ctx, it->content_bytes); break;
    case XM_IS_FORK: sqlite3_result_int(ctx, c->st.is_fork); break;
    case XM_IS_REPLAY: sqlite3_result_int(ctx, it->is_replay); break;
    case XM_FILE: sqlite3_result_text(ctx, f->rel, -1, SQLITE_TRANSIENT); break;
    case XM_LINE: sqlite3_result_int64(ctx, c->line); break;
    case XM_ROOT:
      if (c->root_arg) sqlite3_result_text(ctx, c->root_arg, -1, SQLITE_TRANSIENT);
      break;
  }
  return SQLITE_OK;
}

static int codex_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  codex_cursor *c = (codex_cursor *)cur;
  if (c->kind == KIND_MESSAGES) return codex_messages_column(c, ctx, col);
  const codex_row *r = &c->row;
  const lumo_file *f = &c->files.f[c->fi];
  switch (col) {
    case XC_TIMESTAMP: text_or_null(ctx, &c->ts); break;
    case XC_SESSION_ID: session_id(ctx, c, f); break;
    case XC_PROJECT: text_or_null(ctx, &c->project); break;
    case XC_CWD: text_or_null(ctx, &c->st.cwd); break;
    case XC_MODEL: text_or_null(ctx, &c->st.model); break;
    case XC_INPUT: sqlite3_result_int64(ctx, r->input); break;
    case XC_OUTPUT: sqlite3_result_int64(ctx, r->output); break;
    case XC_CACHE_READ: sqlite3_result_int64(ctx, r->cache_read); break;
    case XC_CACHE_5M: sqlite3_result_int64(ctx, r->cache_write); break;
    case XC_CACHE_1H: sqlite3_result_int(ctx, 0); break;
    case XC_REASONING: sqlite3_result_int64(ctx, r->reasoning); break;
    case XC_IS_FORK: sqlite3_result_int(ctx, c->st.is_fork); break;
    case XC_COST: {
      int known = 0;
      if (!c->st.model.len) break;
      double usd = lumo_cost_request_ms(((codex_vtab *)cur->pVtab)->conn->prices, c->st.model.p, r->input,
                                     r->output, r->cache_read, r->cache_write, 0, NULL, NULL, NULL, 0, r->timestamp_ms, &known);
      if (known) sqlite3_result_double(ctx, usd);
      break;
    }
    case XC_FILE: sqlite3_result_text(ctx, f->rel, -1, SQLITE_TRANSIENT); break;
    case XC_LINE: sqlite3_result_int64(ctx, c->line); break;
    case XC_ROOT:
      if (c->root_arg) sqlite3_result_text(ctx, c->root_arg, -1, SQLITE_TRANSIENT);
      break;
  }
  return SQLITE_OK;
}

static int codex_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((codex_cursor *)cur)->rowid;
  return SQLITE_OK;
}

#define CODEX_MODULE(connect)                                                                          \
  {.iVersion = 0, .xCreate = 0, .xConnect = connect, .xBestIndex = codex_best_index,                 \
   .xDisconnect = lumo_source_disconnect, .xDestroy = lumo_source_disconnect, .xOpen = codex_open,   \
   .xClose = codex_close, .xFilter = codex_filter, .xNext = codex_next, .xEof = codex_eof,           \
   .xColumn = codex_column, .xRowid = codex_rowid}
static sqlite3_module codex_usage_module = CODEX_MODULE(codex_usage_connect);
static sqlite3_module codex_messages_module = CODEX_MODULE(codex_messages_connect);

int lumo_register_codex(sqlite3 *db, lumo_conn *conn) {
  conn->nref++;
  int rc = sqlite3_create_module_v2(db, "codex_usage", &codex_usage_module, conn, lumo_conn_release);
  if (rc) return rc;
  conn->nref++;
  return sqlite3_create_module_v2(db, "codex_messages", &codex_messages_module, conn, lumo_conn_release);
}
