/* vt_claude.c: claude_messages, claude_usage and claude_tool_uses, eponymous
** table-valued virtual tables over Claude Code transcript trees.
**   SELECT model, sum(output_tokens) FROM claude_usage('~/.claude') GROUP BY 1;
**   SELECT role, text FROM claude_messages WHERE session_id = '...' ORDER BY timestamp;
** DIRECTONLY: they read every file under their root argument, so a database's own
** schema (views, triggers) must not be able to call them; TEMP views still can.
** claude_messages and claude_tool_uses stream one record per xNext (memory: the
** longest line). claude_usage deduplicates globally (dedup.c), so it reads every file
** first and keeps one compact row per distinct response (~200 bytes) before the first
** row comes out. Plan encoding: see claude_best_index(). */
#include "lumo_int.h"
#include "activity.h"
#include "dedup.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

enum { KIND_MESSAGES, KIND_USAGE, KIND_TOOL_USES };

/* ------------------------------------------------------------- column tables */

enum {
  MC_FILE, MC_LINE, MC_SESSION_ID, MC_UUID, MC_PARENT_UUID, MC_TIMESTAMP, MC_TYPE, MC_ROLE,
  MC_CWD, MC_PROJECT, MC_GIT_BRANCH, MC_VERSION, MC_IS_SIDECHAIN, MC_AGENT_ID, MC_MODEL,
  MC_MESSAGE_ID, MC_REQUEST_ID, MC_TEXT, MC_CONTENT, MC_IS_API_ERROR, MC_IS_META,
  MC_STOP_REASON, MC_INPUT, MC_OUTPUT, MC_CACHE_READ, MC_CACHE_5M, MC_CACHE_1H,
  MC_WEB_SEARCH, MC_SERVICE_TIER, MC_SPEED, MC_CONFIDENCE, MC_COPIES, MC_ROOT, MC_N
};

static const lumo_col claude_messages_cols[MC_N] = {
  {"file", "TEXT", "transcript file, relative to the root", 0},
  {"line", "INTEGER", "1-based line of the record (the first line of a merged response)", 0},
  {"session_id", "TEXT", "session: the file name stem, or the directory holding subagents/", 0},
  {"uuid", "TEXT", "the record's uuid", 0},
  {"parent_uuid", "TEXT", "the previous record in the conversation", 0},
  {"timestamp", "TEXT", "ISO-8601 UTC as written by the agent", 0},
  {"type", "TEXT", "record type: user, assistant, system or summary", 0},
  {"role", "TEXT", "message role (user, assistant), NULL for system and summary records", 0},
  {"cwd", "TEXT", "working directory of the record", 0},
  {"project", "TEXT", "last path component of the file's first cwd", 0},
  {"git_branch", "TEXT", "git branch at the time", 0},
  {"version", "TEXT", "Claude Code version", 0},
  {"is_sidechain", "INTEGER", "1 for subagent and aside records", 0},
  {"agent_id", "TEXT", "subagent id", 0},
  {"model", "TEXT", "model id as logged", 0},
  {"message_id", "TEXT", "API message id (msg_...)", 0},
  {"request_id", "TEXT", "API request id (req_...)", 0},
  {"text", "TEXT", "text blocks of the content, joined by newlines (summary text for summaries)", 0},
  {"content", "TEXT", "raw content JSON; streaming copies merged into one array", 0},
  {"is_api_error", "INTEGER", "1 for synthetic API-error replies", 0},
  {"is_meta", "INTEGER", "1 for injected meta records", 0},
  {"stop_reason", "TEXT", "stop reason of the response", 0},
  {"input_tokens", "INTEGER", "uncached input tokens (largest streaming copy)", 0},
  {"output_tokens", "INTEGER", "output tokens, thinking included (largest copy)", 0},
  {"cache_read_tokens", "INTEGER", "input tokens read from cache", 0},
  {"cache_write_5m_tokens", "INTEGER", "cache writes with 5-minute TTL", 0},
  {"cache_write_1h_tokens", "INTEGER", "cache writes with 1-hour TTL", 0},
  {"web_search_requests", "INTEGER", "server-side web searches", 0},
  {"service_tier", "TEXT", "service tier reported by the API", 0},
  {"speed", "TEXT", "standard or fast", 0},
  {"confidence", "TEXT", "'low' when output_tokens looks like a streaming placeholder, else 'high'; NULL without usage and for API errors", 0},
  {"copies", "INTEGER", "transcript lines merged into this row (streaming copies)", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list (default $CLAUDE_CONFIG_DIR, else ~/.config/claude and ~/.claude)", 1},
};

enum {
  UC_TIMESTAMP, UC_SESSION_ID, UC_PROJECT, UC_CWD, UC_GIT_BRANCH, UC_VERSION, UC_MODEL,
  UC_MESSAGE_ID, UC_REQUEST_ID, UC_INPUT, UC_OUTPUT, UC_CACHE_READ, UC_CACHE_5M, UC_CACHE_1H,
  UC_WEB_SEARCH, UC_SERVICE_TIER, UC_SPEED, UC_GEO, UC_IS_SIDECHAIN, UC_AGENT_ID,
  UC_CONFIDENCE, UC_COPIES, UC_COST, UC_STORED_COST, UC_FILE, UC_LINE, UC_ROOT, UC_N
};

static const lumo_col claude_usage_cols[UC_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of the kept copy", 0},
  {"session_id", "TEXT", "session of the file holding the kept copy", 0},
  {"project", "TEXT", "last path component of that file's first cwd", 0},
  {"cwd", "TEXT", "working directory of the kept copy", 0},
  {"git_branch", "TEXT", "git branch", 0},
  {"version", "TEXT", "Claude Code version", 0},
  {"model", "TEXT", "model id as logged", 0},
  {"message_id", "TEXT", "API message id", 0},
  {"request_id", "TEXT", "API request id", 0},
  {"input_tokens", "INTEGER", "uncached input tokens", 0},
  {"output_tokens", "INTEGER", "output tokens, thinking included", 0},
  {"cache_read_tokens", "INTEGER", "input tokens read from cache", 0},
  {"cache_write_5m_tokens", "INTEGER", "5-minute cache writes (all cache writes when the split is absent)", 0},
  {"cache_write_1h_tokens", "INTEGER", "1-hour cache writes", 0},
  {"web_search_requests", "INTEGER", "server-side web searches", 0},
  {"service_tier", "TEXT", "service tier", 0},
  {"speed", "TEXT", "standard or fast", 0},
  {"inference_geo", "TEXT", "data-residency marker (us, global, ...)", 0},
  {"is_sidechain", "INTEGER", "1 for subagent responses", 0},
  {"agent_id", "TEXT", "subagent id", 0},
  {"confidence", "TEXT", "'low' when output_tokens looks like a streaming placeholder (spec 1.6 rule 5), else 'high'", 0},
  {"copies", "INTEGER", "transcript lines seen for this response (streaming copies, resumed copies, replays)", 0},
  {"cost_usd", "REAL", "lumo_cost() of this request; NULL when the model is unknown", 0},
  {"stored_cost_usd", "REAL", "Claude Code's own estimate (costUSD, written by old versions) on the kept copy, beside lumo's cost_usd; NULL when absent", 0},
  {"file", "TEXT", "file of the kept copy, relative to the root", 0},
  {"line", "INTEGER", "line of the kept copy", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list", 1},
};

enum {
  TC_TIMESTAMP, TC_SESSION_ID, TC_PROJECT, TC_MESSAGE_ID, TC_TOOL_USE_ID, TC_TOOL_NAME,
  TC_INPUT, TC_IS_ERROR, TC_RESULT_BYTES, TC_IS_SIDECHAIN, TC_FILE, TC_LINE, TC_MCP_SERVER, TC_MCP_TOOL,
  TC_RESULT_TEXT, TC_DURATION_MS, TC_TOOL_USE_RESULT, TC_ROOT, TC_N
};

static const lumo_col claude_tool_uses_cols[TC_N] = {
  {"timestamp", "TEXT", "ISO-8601 UTC of the assistant record holding the tool_use", 0},
  {"session_id", "TEXT", "session of the file", 0},
  {"project", "TEXT", "last path component of the file's first cwd", 0},
  {"message_id", "TEXT", "API message id of the response", 0},
  {"tool_use_id", "TEXT", "toolu_... id", 0},
  {"tool_name", "TEXT", "tool name (Bash, Edit, Read, Task, mcp__...)", 0},
  {"input", "TEXT", "tool input JSON", 0},
  {"is_error", "INTEGER", "1 if the matching tool_result is an error, 0 if not, NULL when no result was found", 0},
  {"result_bytes", "INTEGER", "size of the matching tool_result content JSON in bytes", 0},
  {"is_sidechain", "INTEGER", "1 for subagent tool calls", 0},
  {"file", "TEXT", "file, relative to the root", 0},
  {"line", "INTEGER", "line of the assistant record", 0},
  {"mcp_server", "TEXT", "server of an MCP tool (mcp__server__tool), else NULL", 0},
  {"mcp_tool", "TEXT", "tool of an MCP tool, else NULL", 0},
  {"result_text", "TEXT", "text of the matching tool_result, its first 2048 bytes (whole characters); NULL without one", 0},
  {"duration_ms", "INTEGER", "the tool_result record's time minus the tool_use record's, ms; NULL without both", 0},
  {"tool_use_result", "TEXT", "toolUseResult JSON of the record holding the tool_result (Claude Code's own record: "
   "structuredPatch, type, ...); NULL without one", 0},
  {"root", "TEXT", "argument: root directory or comma-separated list", 1},
};

const lumo_object claude_messages_object = {
  "table", "claude_messages",
  "one row per Claude Code transcript record of type user, assistant, system or summary; "
  "consecutive streaming copies of one response merged",
  claude_messages_cols, MC_N};
const lumo_object claude_usage_object = {
  "table", "claude_usage",
  "one row per billed Claude Code API response, deduplicated globally (spec 1.6)",
  claude_usage_cols, UC_N};
const lumo_object claude_tool_uses_object = {
  "table", "claude_tool_uses", "one row per tool_use block, with its tool_result's outcome",
  claude_tool_uses_cols, TC_N};

static const lumo_object *kind_object(int kind) {
  return kind == KIND_MESSAGES ? &claude_messages_object
         : kind == KIND_USAGE  ? &claude_usage_object
                               : &claude_tool_uses_object;
}

/* ---------------------------------------------------------------- row values */

/* One output value owned by a cursor; text lives in buf. */
typedef struct lumo_val {
  int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT */
  int64_t i;
  lumo_buf s;
} lumo_val;

static void val_null(lumo_val *v) { v->type = SQLITE_NULL; }
static void val_int(lumo_val *v, int64_t i) {
  v->type = SQLITE_INTEGER;
  v->i = i;
}
static void val_raw(lumo_val *v, const char *p, size_t n) {
  v->type = SQLITE_TEXT;
  v->s.len = 0;
  lumo_buf_append(&v->s, p, n);
  lumo_buf_nul(&v->s);
}
/* A JSON string span, decoded; absent spans (and bad escapes) give NULL. Running out of
** memory leaves the buffer's oom set: val_result then reports it, never a NULL. */
static void val_str(lumo_val *v, lumo_span sp) {
  if (!sp.n) {
    val_null(v);
    return;
  }
  v->type = SQLITE_TEXT;
  v->s.len = 0;
  if (lumo_json_decode(sp, &v->s) && !v->s.oom) val_null(v);
}
static void vals_free(lumo_val *v, int n) {
  for (int i = 0; i < n; i++) lumo_buf_free(&v[i].s);
}
static void val_result(sqlite3_context *ctx, const lumo_val *v) {
  if (v->type == SQLITE_INTEGER) sqlite3_result_int64(ctx, v->i);
  else if (v->type == SQLITE_TEXT) {
    if (v->s.oom) sqlite3_result_error_nomem(ctx);
    else sqlite3_result_text(ctx, v->s.p ? v->s.p : "", (int)v->s.len, SQLITE_TRANSIENT);
  }
}

/* ------------------------------------------------------------------- vtab */

typedef lumo_source_vtab claude_vtab;

typedef struct tool_pending {
  lumo_val v[TC_N];
  char *tool_use_id; /* owned copy, for matching */
} tool_pending;

/* An entry of a finished usage scan under one of its keys (message_id, session_id). */
typedef struct key_idx {
  const char *key;
  int idx;
} key_idx;

typedef struct claude_cursor {
  sqlite3_vtab_cursor base;
  int kind;
  uint64_t used;      /* colUsed of the plan */
  char **roots;       /* owned */
  int nroot;
  char *root_arg;     /* owned: the argument as given, echoed by the hidden column */
  char *session_eq;   /* owned: session_id = ? pushdown */
  int64_t since_ns;   /* timestamp lower bound pushdown, 0 none */
  lumo_filelist files;
  int fi;             /* current file */
  lumo_reader rd;
  int rd_open;
  lumo_buf first_cwd; /* of the current file */
  lumo_buf project;   /* derived from first_cwd */
  lumo_span file_sid; /* borrowed from files */
  int64_t rowid;
  int eof;
  /* messages: the row shown and one parsed ahead */
  lumo_val row[MC_N], ahead[MC_N];
  int has_ahead;
  int64_t row_total, ahead_total; /* usage totals, for merging copies */
  int row_mergeable, ahead_mergeable; /* assistant rows with an id absorb copies */
  /* tool uses */
  tool_pending *q;
  int qn, qcap, qhead;
  lumo_val tool[TC_N];
  claude_line tool_line;   /* the line being walked (spans into rd's buffer) */
  claude_tools_iter tools; /* where in its blocks: rows go out between blocks */
  /* usage */
  lumo_arena arenas[4]; /* one per usage worker (LUMO_MAX_THREADS) */
  lumo_dedup dd;
  int ui;             /* the entry shown */
  lumo_buf scratch, scratch2;
  /* usage: the finished scan, kept for the statement's further xFilter calls with the
  ** same root and bound (the inner table of a join), and what this xFilter shows of it */
  int scanned;
  key_idx *by_mid, *by_sid; /* entries by message_id / session_id, built on first use */
  int nby_mid, nby_sid;
  const key_idx *sel; /* the rows shown: sel[si..send), or entries si..send when NULL */
  int si, send;
} claude_cursor;

static const char *kind_name(int kind) { return kind_object(kind)->name; }

LUMO_SOURCE_CONNECT(messages_connect, &claude_messages_object, KIND_MESSAGES)
LUMO_SOURCE_CONNECT(usage_connect, &claude_usage_object, KIND_USAGE)
LUMO_SOURCE_CONNECT(tool_uses_connect, &claude_tool_uses_object, KIND_TOOL_USES)

static int col_session(int kind) {
  return kind == KIND_MESSAGES ? MC_SESSION_ID : kind == KIND_USAGE ? UC_SESSION_ID : TC_SESSION_ID;
}
static int col_timestamp(int kind) {
  return kind == KIND_MESSAGES ? MC_TIMESTAMP : kind == KIND_USAGE ? UC_TIMESTAMP : TC_TIMESTAMP;
}
static int col_root(int kind) { return kind_object(kind)->ncol - 1; }

/* idxNum bits, in xFilter argv order:
**   0x01  root = ?          hidden argument, omitted
**   0x02  session_id = ?    claude_messages and claude_tool_uses: read only the files of
**                           that session (<id>.jsonl, <id>/subagents/, legacy
**                           agent-*.jsonl). claude_usage: copies in other sessions' files
**                           decide which copy wins, so it reads every file once and then
**                           serves each session_id from that finished scan (see below).
**                           NOT omitted.
**   0x04  timestamp >= ? or timestamp > ?
**                           skip files (claude_usage: whole session directories) whose
**                           newest mtime is older than the bound; NOT omitted.
**   0x08  message_id = ?    claude_usage only: served from the finished scan; NOT omitted.
** idxStr: colUsed in hex, so unused text columns are never decoded.
**
** Joins. SQLite calls xFilter of the inner table of a join once per outer row. A
** claude_usage cursor keeps its finished, deduplicated scan and answers every further
** xFilter with the same root and time bound from it, by message_id or session_id through
** an index built on first use, so `claude_messages m JOIN claude_usage u ON
** u.message_id = m.message_id` reads the files twice (once per table), not once per
** row; within one statement the rows are one snapshot. The estimates tell the planner
** so: a lookup costs little, a scan costs its bytes (those of the last scan of the
** table on this connection). claude_messages and claude_tool_uses stream and keep
** nothing: as the inner table of a join on anything but session_id they re-read the
** files per outer row; the README says how to materialise them instead. */
/* The constraint compares with BINARY: the lookups compare bytes, and a constraint
** with another collation (session_id = 'X' COLLATE NOCASE) is left to SQLite. */
static int binary_collation(sqlite3_index_info *ii, int i) {
  const char *coll = sqlite3_vtab_collation(ii, i);
  return !coll || sqlite3_stricmp(coll, "BINARY") == 0;
}

static int claude_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  claude_vtab *vt = (claude_vtab *)tab;
  int root = col_root(vt->kind), ses = col_session(vt->kind), ts = col_timestamp(vt->kind);
  int iroot = -1, ises = -1, its = -1, imid = -1, root_unusable = 0;
  for (int i = 0; i < ii->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
    if (c->iColumn == root) {
      if (!c->usable) root_unusable = 1;
      else if (c->op == SQLITE_INDEX_CONSTRAINT_EQ) iroot = i;
      continue;
    }
    if (!c->usable) continue;
    if (c->iColumn == ses && c->op == SQLITE_INDEX_CONSTRAINT_EQ && binary_collation(ii, i)) ises = i;
    if (c->iColumn == UC_MESSAGE_ID && vt->kind == KIND_USAGE && c->op == SQLITE_INDEX_CONSTRAINT_EQ &&
        binary_collation(ii, i))
      imid = i;
    if (c->iColumn == ts &&
        (c->op == SQLITE_INDEX_CONSTRAINT_GE || c->op == SQLITE_INDEX_CONSTRAINT_GT))
      its = i;
  }
  if (root_unusable && iroot < 0) return SQLITE_CONSTRAINT;
  /* A scan reads every byte: ~1 cost unit per 100 bytes, from the last scan (10 MB and
  ** 10,000 rows before the first). */
  double rows = vt->last_rows > 0 ? (double)vt->last_rows : 1e4;
  double cost = 1000 + (vt->last_bytes > 0 ? (double)vt->last_bytes : 1e7) / 100;
  int argv = 1, idx = 0;
  if (iroot >= 0) {
    ii->aConstraintUsage[iroot].argvIndex = argv++;
    ii->aConstraintUsage[iroot].omit = 1;
    idx |= 1;
  }
  if (ises >= 0) {
    ii->aConstraintUsage[ises].argvIndex = argv++;
    idx |= 2;
    rows = rows / 100 + 1;
    /* usage: a lookup in the finished scan; the others: the session's files only */
    cost = vt->kind == KIND_USAGE ? 10 + rows : cost / 100;
  }
  if (its >= 0) {
    ii->aConstraintUsage[its].argvIndex = argv++;
    idx |= 4;
    cost /= 4;
    rows /= 4;
  }
  if (imid >= 0) {
    ii->aConstraintUsage[imid].argvIndex = argv++;
    idx |= 8;
    rows = 1;
    cost = 10;
  }
  ii->idxNum = idx;
  ii->estimatedCost = cost;
  ii->estimatedRows = (sqlite3_int64)(rows < 1 ? 1 : rows);
  ii->idxStr = sqlite3_mprintf("%llx", (unsigned long long)ii->colUsed);
  ii->needToFreeIdxStr = 1;
  return ii->idxStr ? SQLITE_OK : SQLITE_NOMEM;
}

static int claude_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  claude_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->kind = ((claude_vtab *)tab)->kind;
  c->rd.fd = -1;
  *pp = &c->base;
  return SQLITE_OK;
}

static void tool_queue_clear(claude_cursor *c) {
  for (int i = 0; i < c->qcap; i++) { /* recycled slots beyond qn keep buffers too */
    vals_free(c->q[i].v, TC_N);
    sqlite3_free(c->q[i].tool_use_id);
    memset(&c->q[i], 0, sizeof(c->q[i]));
  }
  c->qn = c->qhead = 0;
  c->tools.want = CLAUDE_TOOLS_END;
}

/* Frees everything a scan holds; shared by xFilter, xClose and error paths. */
static void claude_reset(claude_cursor *c) {
  if (c->rd_open) lumo_reader_close(&c->rd);
  c->rd_open = 0;
  lumo_roots_free(c->roots, c->nroot);
  c->roots = NULL;
  c->nroot = 0;
  sqlite3_free(c->root_arg);
  sqlite3_free(c->session_eq);
  c->root_arg = c->session_eq = NULL;
  lumo_filelist_free(&c->files);
  lumo_buf_free(&c->first_cwd);
  lumo_buf_free(&c->project);
  vals_free(c->row, MC_N);
  vals_free(c->ahead, MC_N);
  memset(c->row, 0, sizeof(c->row));
  memset(c->ahead, 0, sizeof(c->ahead));
  tool_queue_clear(c);
  sqlite3_free(c->q);
  c->q = NULL;
  c->qcap = 0;
  vals_free(c->tool, TC_N);
  memset(c->tool, 0, sizeof(c->tool));
  lumo_dedup_free(&c->dd);
  sqlite3_free(c->by_mid);
  sqlite3_free(c->by_sid);
  c->by_mid = c->by_sid = NULL;
  c->nby_mid = c->nby_sid = 0;
  c->sel = NULL;
  c->scanned = c->si = c->send = 0;
  for (int i = 0; i < 4; i++) lumo_arena_free(&c->arenas[i]);
  lumo_buf_free(&c->scratch);
  lumo_buf_free(&c->scratch2);
  c->has_ahead = 0;
  c->fi = c->ui = 0;
  c->rowid = 0;
  c->eof = 1;
  c->since_ns = 0;
}

static int claude_close(sqlite3_vtab_cursor *cur) {
  claude_cursor *c = (claude_cursor *)cur;
  claude_reset(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* Group of a file for pruning: the session directory ("projects/<dir>/<sid>"). */
static size_t group_len(const lumo_file *f) {
  const char *rel = f->rel;
  const char *sub = strstr(rel, "/subagents/");
  if (sub) return (size_t)(sub - rel);
  size_t n = strlen(rel);
  if (lumo_ends_with(rel, ".jsonl.gz")) return n - 9;
  if (lumo_ends_with(rel, ".jsonl")) return n - 6;
  return n;
}

/* Drops files that cannot hold a matching row: another session (0x02), or a
** session directory whose newest file predates the lower time bound (0x04). The walk
** keeps a session's file and its subagents/ directory next to each other, so the
** files of one group are contiguous. */
static int prune_files(claude_cursor *c) {
  lumo_filelist *fl = &c->files;
  size_t *glen = sqlite3_malloc64(sizeof(size_t) * (size_t)(fl->n ? fl->n : 1));
  char *keep = sqlite3_malloc64((size_t)(fl->n ? fl->n : 1));
  if (!glen || !keep) {
    sqlite3_free(glen);
    sqlite3_free(keep);
    return SQLITE_NOMEM;
  }
  for (int i = 0; i < fl->n; i++) glen[i] = group_len(&fl->f[i]);
#define SAME_GROUP(i, j)                                                           \
  (fl->f[i].root == fl->f[j].root && glen[i] == glen[j] &&                         \
   memcmp(fl->f[i].rel, fl->f[j].rel, glen[i]) == 0)
  for (int i = 0; i < fl->n; i++) {
    lumo_file *f = &fl->f[i];
    keep[i] = 1;
    if (c->session_eq) {
      int sub;
      lumo_span s = claude_file_session(f, &sub);
      keep[i] = (s.n == 0) || (s.n == strlen(c->session_eq) && memcmp(s.p, c->session_eq, s.n) == 0);
    }
    if (keep[i] && c->since_ns) {
      int64_t newest = f->mtime_ns;
      if (c->kind == KIND_USAGE) {
        for (int j = i - 1; j >= 0 && SAME_GROUP(i, j); j--)
          if (fl->f[j].mtime_ns > newest) newest = fl->f[j].mtime_ns;
        for (int j = i + 1; j < fl->n && SAME_GROUP(i, j); j++)
          if (fl->f[j].mtime_ns > newest) newest = fl->f[j].mtime_ns;
      }
      keep[i] = newest >= c->since_ns;
    }
  }
#undef SAME_GROUP
  int n = 0;
  for (int i = 0; i < fl->n; i++) {
    if (keep[i]) fl->f[n++] = fl->f[i];
    else sqlite3_free(fl->f[i].path);
  }
  fl->n = n;
  sqlite3_free(glen);
  sqlite3_free(keep);
  return SQLITE_OK;
}

/* Remembers the first cwd of a file; the project is its last path component.
** SQLITE_NOMEM when either could not be kept (a project is never lost silently). */
static int note_first_cwd(lumo_buf *first_cwd, lumo_buf *project, const claude_line *L) {
  if (first_cwd->len || !L->cwd.n) return SQLITE_OK;
  if (lumo_json_decode(L->cwd, first_cwd) == 0) {
    lumo_span last = lumo_path_last(first_cwd->p, first_cwd->len);
    project->len = 0;
    lumo_buf_append(project, last.p, last.n);
  }
  return first_cwd->oom || project->oom ? SQLITE_NOMEM : SQLITE_OK;
}

static int note_cwd(claude_cursor *c, const claude_line *L) {
  return note_first_cwd(&c->first_cwd, &c->project, L);
}

/* Where a scan's lines are reported: the connection and the table's name. */
typedef struct scan_ctx {
  lumo_conn *conn;
  const char *source;
  int usage_only; /* skip lines that cannot bill, without parsing them */
} scan_ctx;

/* One line of one open reader, read as every Claude reader reads it (claude.c):
** 1 parsed, 2 skipped (torn lines included: the last line), 0 end. */
static int next_line(lumo_reader *rd, const lumo_file *f, const scan_ctx *sc, claude_line *L) {
  int64_t skipped = 0;
  int st = claude_next_line(rd, f, sc->conn, sc->source, sc->usage_only, L, &skipped);
  return st == CLAUDE_LINE_END ? 0 : st == CLAUDE_LINE_RECORD ? 1 : 2;
}

/* --------------------------------------------------------------- messages */

/* The end of a streamed scan: a whole table's row count is the planner's next estimate. */
static void scan_done(claude_cursor *c) {
  c->eof = 1;
  if (!c->session_eq && !c->since_ns) ((claude_vtab *)c->base.pVtab)->last_rows = c->rowid;
}

static int64_t line_total(const claude_line *L) {
  return L->input + L->output + L->cache_5m + L->cache_1h + L->cache_read;
}

static void set_usage_vals(lumo_val *v, const claude_line *L) {
  if (!L->has_usage) {
    for (int k = MC_INPUT; k <= MC_WEB_SEARCH; k++) val_null(&v[k]);
    return;
  }
  val_int(&v[MC_INPUT], L->input);
  val_int(&v[MC_OUTPUT], L->output);
  val_int(&v[MC_CACHE_READ], L->cache_read);
  val_int(&v[MC_CACHE_5M], L->cache_5m);
  val_int(&v[MC_CACHE_1H], L->cache_1h);
  val_int(&v[MC_WEB_SEARCH], L->web_search);
}

#define USED(c, col) ((c)->used & ((col) >= 63 ? (1ULL << 63) : (1ULL << (col))))

/* Fills a messages row from a parsed line. */
static void message_row(claude_cursor *c, lumo_val *v, const claude_line *L, int64_t line) {
  const lumo_file *f = &c->files.f[c->fi];
  val_raw(&v[MC_FILE], f->rel, strlen(f->rel));
  val_int(&v[MC_LINE], line);
  if (c->file_sid.n) val_raw(&v[MC_SESSION_ID], c->file_sid.p, c->file_sid.n);
  else val_str(&v[MC_SESSION_ID], L->session_id);
  val_str(&v[MC_UUID], L->uuid);
  val_str(&v[MC_PARENT_UUID], L->parent_uuid);
  val_str(&v[MC_TIMESTAMP], L->timestamp);
  val_str(&v[MC_TYPE], L->type);
  val_str(&v[MC_ROLE], L->role);
  val_str(&v[MC_CWD], L->cwd);
  if (c->project.len) val_raw(&v[MC_PROJECT], c->project.p, c->project.len);
  else val_null(&v[MC_PROJECT]);
  val_str(&v[MC_GIT_BRANCH], L->git_branch);
  val_str(&v[MC_VERSION], L->version);
  val_int(&v[MC_IS_SIDECHAIN], L->is_sidechain);
  val_str(&v[MC_AGENT_ID], L->agent_id);
  val_str(&v[MC_MODEL], L->model);
  val_str(&v[MC_MESSAGE_ID], L->message_id);
  val_str(&v[MC_REQUEST_ID], L->request_id);
  val_int(&v[MC_IS_API_ERROR], L->is_api_error);
  val_int(&v[MC_IS_META], L->is_meta);
  val_str(&v[MC_STOP_REASON], L->stop_reason);
  set_usage_vals(v, L);
  val_str(&v[MC_SERVICE_TIER], L->service_tier);
  val_str(&v[MC_SPEED], L->speed);
  val_int(&v[MC_COPIES], 1);
  /* Text and content are the expensive columns: only when selected. The content
  ** size is always kept (in the CONTENT slot's i) for the placeholder rule. */
  v[MC_CONTENT].i = (int64_t)L->content.n;
  if (USED(c, MC_TEXT)) {
    v[MC_TEXT].type = SQLITE_TEXT;
    v[MC_TEXT].s.len = 0;
    lumo_buf_nul(&v[MC_TEXT].s);
    if (!claude_line_text(L, &v[MC_TEXT].s)) val_null(&v[MC_TEXT]);
  } else {
    val_null(&v[MC_TEXT]);
  }
  if (USED(c, MC_CONTENT) && L->content.n) {
    int64_t keep = v[MC_CONTENT].i;
    val_raw(&v[MC_CONTENT], L->content.p, L->content.n);
    v[MC_CONTENT].i = keep;
  } else {
    v[MC_CONTENT].type = SQLITE_NULL;
  }
  v[MC_CONFIDENCE].type = SQLITE_NULL;
}

/* Merges the streaming copy L into row v (same message id, same file). */
static void message_merge(claude_cursor *c, lumo_val *v, int64_t *total, const claude_line *L) {
  v[MC_COPIES].i++;
  v[MC_CONTENT].i += (int64_t)L->content.n;
  if (USED(c, MC_TEXT) && L->content.n) {
    lumo_buf *t = &v[MC_TEXT].s;
    size_t before = t->len;
    if (v[MC_TEXT].type != SQLITE_TEXT) {
      v[MC_TEXT].type = SQLITE_TEXT;
      t->len = 0;
      before = 0;
    }
    lumo_buf tmp = {0};
    claude_content_text(L->content, &tmp);
    if (tmp.oom) t->oom = 1; /* the column then fails with SQLITE_NOMEM, not a shorter text */
    if (tmp.len) {
      if (before) lumo_buf_putc(t, '\n');
      lumo_buf_append(t, tmp.p, tmp.len);
    }
    lumo_buf_free(&tmp);
  }
  if (USED(c, MC_CONTENT) && L->content.n) {
    lumo_buf *b = &v[MC_CONTENT].s;
    if (v[MC_CONTENT].type == SQLITE_TEXT && b->len >= 2 && b->p[b->len - 1] == ']' &&
        L->content.p[0] == '[') {
      /* [a] + [b] -> [a,b] */
      const char *inner = lumo_json_ws(L->content.p + 1, L->content.p + L->content.n);
      b->len--;
      if (*inner != ']' && b->len > 1) lumo_buf_putc(b, ',');
      lumo_buf_append(b, L->content.p + 1, L->content.n - 1);
    } else if (v[MC_CONTENT].type != SQLITE_TEXT) {
      val_raw(&v[MC_CONTENT], L->content.p, L->content.n);
    }
  }
  if (L->has_usage && line_total(L) >= *total) {
    *total = line_total(L);
    set_usage_vals(v, L);
    if (L->stop_reason.n) val_str(&v[MC_STOP_REASON], L->stop_reason);
    if (L->speed.n) val_str(&v[MC_SPEED], L->speed);
    if (L->model.n) val_str(&v[MC_MODEL], L->model);
  }
}

static void finish_message(lumo_val *v) {
  lumo_val *conf = &v[MC_CONFIDENCE];
  if (v[MC_OUTPUT].type != SQLITE_INTEGER || v[MC_IS_API_ERROR].i) {
    val_null(conf);
    return;
  }
  const char *word = claude_is_placeholder(v[MC_OUTPUT].i, v[MC_CONTENT].i) ? "low" : "high";
  val_raw(conf, word, strlen(word));
}

static void swap_rows(lumo_val *a, lumo_val *b, int n) {
  for (int i = 0; i < n; i++) {
    lumo_val t = a[i];
    a[i] = b[i];
    b[i] = t;
  }
}

static int advance_file(claude_cursor *c) {
  if (c->rd_open) {
    lumo_reader_close(&c->rd);
    c->rd_open = 0;
    c->fi++;
  }
  while (c->fi < c->files.n) {
    int rc = lumo_reader_open(&c->rd, c->files.f[c->fi].path, 0, 0);
    if (rc == SQLITE_NOMEM) return -SQLITE_NOMEM;
    if (rc == SQLITE_OK) {
      int sub;
      c->rd_open = 1;
      c->first_cwd.len = 0;
      c->project.len = 0;
      c->file_sid = claude_file_session(&c->files.f[c->fi], &sub);
      return 1;
    }
    lumo_diag_add(((claude_vtab *)c->base.pVtab)->conn, kind_name(c->kind),
                  c->files.f[c->fi].rel, 0, "unreadable", "cannot open: %s", strerror(c->rd.err));
    c->fi++;
  }
  return 0;
}

static int messages_next(claude_cursor *c) {
  claude_vtab *vt = (claude_vtab *)c->base.pVtab;
  scan_ctx sc = {vt->conn, "claude_messages", 0};
  int have = 0;
  if (c->has_ahead) {
    swap_rows(c->row, c->ahead, MC_N);
    c->row_total = c->ahead_total;
    c->row_mergeable = c->ahead_mergeable;
    c->has_ahead = 0;
    have = 1;
  }
  for (;;) {
    if (!c->rd_open) {
      int rc = advance_file(c);
      if (rc < 0) return -rc;
      if (rc == 0) break;
    }
    claude_line L;
    int st = next_line(&c->rd, &c->files.f[c->fi], &sc, &L);
    if (st == 0) {
      lumo_reader_close(&c->rd);
      c->rd_open = 0;
      c->fi++;
      if (have) break; /* a response never merges across files */
      continue;
    }
    if (st != 1) continue;
    if (note_cwd(c, &L)) return SQLITE_NOMEM;
    if (!claude_line_is_record(&L)) continue;
    int assistant_with_id = L.message_id.n > 0 && L.role.n == 11;
    if (have) {
      lumo_val *mid = &c->row[MC_MESSAGE_ID];
      if (assistant_with_id && c->row_mergeable && mid->type == SQLITE_TEXT) {
        lumo_buf tmp = {0};
        lumo_json_decode(L.message_id, &tmp);
        int oom = tmp.oom, same = tmp.len == mid->s.len && memcmp(tmp.p, mid->s.p, tmp.len) == 0;
        lumo_buf_free(&tmp);
        if (oom) return SQLITE_NOMEM; /* not knowing if it is the same response */
        if (same) {
          message_merge(c, c->row, &c->row_total, &L);
          continue;
        }
      }
      message_row(c, c->ahead, &L, c->rd.line_no);
      c->ahead_total = L.has_usage ? line_total(&L) : 0;
      c->ahead_mergeable = assistant_with_id;
      c->has_ahead = 1;
      break;
    }
    message_row(c, c->row, &L, c->rd.line_no);
    c->row_total = L.has_usage ? line_total(&L) : 0;
    c->row_mergeable = assistant_with_id;
    have = 1;
    if (!assistant_with_id) break;
  }
  if (!have) {
    scan_done(c);
    return SQLITE_OK;
  }
  finish_message(c->row);
  c->rowid++;
  return SQLITE_OK;
}

/* -------------------------------------------------------------- tool uses */

typedef struct block_ctx {
  claude_cursor *c;
  const claude_line *L;
} block_ctx;

static void on_tool_use(void *ctx, const claude_tool *u) {
  claude_cursor *c = ((block_ctx *)ctx)->c;
  const claude_line *L = ((block_ctx *)ctx)->L;
  if (c->qn == c->qcap && c->qhead >= c->qcap / 2) {
    /* Slide the pending entries down (at most half the slots move, so a long run of
    ** calls costs O(1) each); the freed slots keep their buffers. */
    for (int i = 0; i < c->qn - c->qhead; i++) {
      tool_pending t = c->q[i];
      c->q[i] = c->q[c->qhead + i];
      c->q[c->qhead + i] = t;
    }
    c->qn -= c->qhead;
    c->qhead = 0;
  }
  if (c->qn == c->qcap) {
    int cap = c->qcap ? c->qcap * 2 : 16;
    tool_pending *q = sqlite3_realloc64(c->q, sizeof(*q) * (size_t)cap);
    if (!q) return;
    memset(q + c->qcap, 0, sizeof(*q) * (size_t)(cap - c->qcap));
    c->q = q;
    c->qcap = cap;
  }
  tool_pending *t = &c->q[c->qn];
  lumo_val *v = t->v;
  const lumo_file *f = &c->files.f[c->fi];
  val_str(&v[TC_TIMESTAMP], L->timestamp);
  if (c->file_sid.n) val_raw(&v[TC_SESSION_ID], c->file_sid.p, c->file_sid.n);
  else val_str(&v[TC_SESSION_ID], L->session_id);
  if (c->project.len) val_raw(&v[TC_PROJECT], c->project.p, c->project.len);
  else val_null(&v[TC_PROJECT]);
  val_str(&v[TC_MESSAGE_ID], L->message_id);
  val_str(&v[TC_TOOL_USE_ID], u->id);
  val_str(&v[TC_TOOL_NAME], u->name);
  if (USED(c, TC_INPUT) && u->input.n) val_raw(&v[TC_INPUT], u->input.p, u->input.n);
  else val_null(&v[TC_INPUT]);
  val_null(&v[TC_IS_ERROR]);
  val_null(&v[TC_RESULT_BYTES]);
  val_int(&v[TC_IS_SIDECHAIN], L->is_sidechain);
  val_raw(&v[TC_FILE], f->rel, strlen(f->rel));
  val_int(&v[TC_LINE], c->rd.line_no);
  lumo_span server, tool; /* the split lumo_sync stores (activity.c) */
  if (v[TC_TOOL_NAME].type == SQLITE_TEXT &&
      lumo_mcp_split(v[TC_TOOL_NAME].s.p, v[TC_TOOL_NAME].s.len, &server, &tool)) {
    val_raw(&v[TC_MCP_SERVER], server.p, server.n);
    val_raw(&v[TC_MCP_TOOL], tool.p, tool.n);
  } else {
    val_null(&v[TC_MCP_SERVER]);
    val_null(&v[TC_MCP_TOOL]);
  }
  val_null(&v[TC_RESULT_TEXT]);
  val_null(&v[TC_DURATION_MS]);
  val_null(&v[TC_TOOL_USE_RESULT]);
  t->tool_use_id = v[TC_TOOL_USE_ID].type == SQLITE_TEXT ? sqlite3_mprintf("%s", v[TC_TOOL_USE_ID].s.p) : NULL;
  c->qn++;
}

static void on_tool_result(void *ctx, const claude_result *r) {
  claude_cursor *c = ((block_ctx *)ctx)->c;
  lumo_buf tmp = {0};
  lumo_json_decode(r->tool_use_id, &tmp);
  for (int i = c->qhead; i < c->qn && tmp.p; i++) {
    tool_pending *t = &c->q[i];
    if (!t->tool_use_id || strcmp(t->tool_use_id, tmp.p) != 0) continue;
    val_int(&t->v[TC_IS_ERROR], r->is_error);
    val_int(&t->v[TC_RESULT_BYTES], (int64_t)r->content.n);
    if (USED(c, TC_RESULT_TEXT)) { /* the text lumo_sync keeps (sync.c, activity.c's limit) */
      lumo_buf text = {0};
      lumo_json_texts(r->content, &text);
      if (text.len) val_raw(&t->v[TC_RESULT_TEXT], text.p, lumo_utf8_cut(text.p, text.len, LUMO_RESULT_TEXT_MAX));
      lumo_buf_free(&text);
    }
    int64_t at, done;
    lumo_buf ts = {0};
    const claude_line *L = ((block_ctx *)ctx)->L;
    if (USED(c, TC_TOOL_USE_RESULT) && L->tool_use_result.n)
      val_raw(&t->v[TC_TOOL_USE_RESULT], L->tool_use_result.p, L->tool_use_result.n);
    if (t->v[TC_TIMESTAMP].type == SQLITE_TEXT && lumo_iso_to_ms(t->v[TC_TIMESTAMP].s.p, &at) && L->timestamp.n &&
        lumo_json_decode(L->timestamp, &ts) == 0 && ts.p && lumo_iso_to_ms(ts.p, &done))
      val_int(&t->v[TC_DURATION_MS], done - at);
    lumo_buf_free(&ts);
    break;
  }
  lumo_buf_free(&tmp);
}

#define TOOL_QUEUE_MAX 256

/* Emits the head of the queue once it has its result, or when the file ended or the
** queue is long (a tool_use whose result never comes does not hold the rest). */
static int tool_pop(claude_cursor *c, int flush) {
  if (c->qhead >= c->qn) return 0;
  tool_pending *t = &c->q[c->qhead];
  if (!flush && t->v[TC_IS_ERROR].type == SQLITE_NULL && c->qn - c->qhead < TOOL_QUEUE_MAX) return 0;
  swap_rows(c->tool, t->v, TC_N);
  sqlite3_free(t->tool_use_id);
  t->tool_use_id = NULL;
  c->qhead++;
  if (c->qhead == c->qn) {
    /* Recycle the slots; their buffers stay allocated for reuse. */
    c->qhead = c->qn = 0;
  }
  return 1;
}

static int tool_uses_next(claude_cursor *c) {
  claude_vtab *vt = (claude_vtab *)c->base.pVtab;
  scan_ctx sc = {vt->conn, "claude_tool_uses", 0};
  for (;;) {
    if (tool_pop(c, !c->rd_open && c->fi > 0)) {
      c->rowid++;
      return SQLITE_OK;
    }
    if (!c->rd_open) {
      int rc = advance_file(c);
      if (rc < 0) return -rc;
      if (rc == 0) {
        if (tool_pop(c, 1)) {
          c->rowid++;
          return SQLITE_OK;
        }
        scan_done(c);
        return SQLITE_OK;
      }
    }
    if (c->tools.want) { /* one block at a time: a line of many calls is not queued whole */
      claude_tool u;
      claude_result r;
      block_ctx bc = {c, &c->tool_line};
      int k = claude_tools_next(&c->tools, &u, &r);
      if (k == CLAUDE_TOOLS_USE) on_tool_use(&bc, &u);
      else if (k == CLAUDE_TOOLS_RESULT) on_tool_result(&bc, &r);
      continue;
    }
    int st = next_line(&c->rd, &c->files.f[c->fi], &sc, &c->tool_line);
    if (st == 0) {
      lumo_reader_close(&c->rd);
      c->rd_open = 0;
      c->fi++;
      while (tool_pop(c, 1) == 1) {
        c->rowid++;
        return SQLITE_OK;
      }
      continue;
    }
    if (st != 1) continue;
    if (note_cwd(c, &c->tool_line)) return SQLITE_NOMEM;
    claude_tools_open(&c->tools, &c->tool_line);
  }
}

/* ------------------------------------------------------------------ usage */

/* claude_usage reads its files on up to LUMO_MAX_THREADS threads (DESIGN: a reader per
** core). Each worker takes the next file, parses it and offers its billed lines to a
** table of that file's own (a response's streaming copies are in one file), then merges
** the file's kept copies into the one shared table, under a lock taken once per file. The
** rule does not depend on arrival order, so the result is the same for any number of
** threads. One shared table, not one per worker merged at the end: the merge held a
** worker's table beside the merged one (10 GB home: 2 x 200,000 entries beside 400,000);
** and not a lock per line: the threads then waited on each other (a scan took 2x). */

typedef struct usage_worker {
  claude_cursor *c;   /* shared, read-only while workers run (files) */
  int *next_file;     /* shared counter, atomic */
  lumo_conn diag;     /* private diagnostics, merged after the join */
  lumo_dedup file_dd; /* owned: the current file's kept copies */
  lumo_dedup *dd;     /* shared: the cursor's, under *lock */
  pthread_mutex_t *lock;
  lumo_arena arena;   /* owned: strings of the rows this worker keeps (moved to the cursor after) */
  lumo_intern_set interned; /* repeated strings (model, session, cwd, ...) in arena */
  lumo_buf scratch, first_cwd, project, mid, rid;
  int oom; /* a kept copy's string could not be made: the scan fails (never a NULL value) */
  int rc;
} usage_worker;

/* A JSON string span, decoded into the worker's arena (NULL: absent or a bad escape). */
static const char *arena_span(usage_worker *w, lumo_span s) {
  if (!s.n) return NULL;
  w->scratch.len = 0;
  if (lumo_json_decode(s, &w->scratch)) {
    if (w->scratch.oom) w->oom = 1;
    return NULL;
  }
  const char *r = lumo_arena_dup(&w->arena, w->scratch.p ? w->scratch.p : "", w->scratch.len);
  if (!r) w->oom = 1;
  return r;
}

/* The same, interned: one copy of a repeated string. */
static const char *intern_span(usage_worker *w, lumo_span s) {
  if (!s.n) return NULL;
  w->scratch.len = 0;
  if (lumo_json_decode(s, &w->scratch)) {
    if (w->scratch.oom) w->oom = 1;
    return NULL;
  }
  const char *r = lumo_intern(&w->interned, &w->arena, w->scratch.p ? w->scratch.p : "", w->scratch.len);
  if (!r) w->oom = 1;
  return r;
}

/* The copy k is kept (for now) in b: b gets its own strings, in the worker's arena. */
static int usage_keep(usage_worker *w, lumo_cand *b, const lumo_cand *k, const claude_line *L, lumo_span file_sid) {
  lumo_arena *a = &w->arena;
  lumo_intern_set *in = &w->interned;
  if (b->mid == w->mid.p) b->mid = k->mid ? lumo_arena_dup(a, w->mid.p, w->mid.len) : NULL;
  if (b->rid == w->rid.p) b->rid = k->rid ? lumo_arena_dup(a, w->rid.p, w->rid.len) : NULL;
  if ((k->mid && !b->mid) || (k->rid && !b->rid)) w->oom = 1;
  b->timestamp = arena_span(w, L->timestamp);
  if (file_sid.n) {
    b->session_id = lumo_intern(in, a, file_sid.p, file_sid.n);
    if (!b->session_id) w->oom = 1;
  } else {
    b->session_id = intern_span(w, L->session_id);
  }
  b->project = w->project.len ? lumo_intern(in, a, w->project.p, w->project.len) : NULL;
  if (w->project.len && !b->project) w->oom = 1;
  b->cwd = intern_span(w, L->cwd);
  b->git_branch = intern_span(w, L->git_branch);
  b->version = intern_span(w, L->version);
  b->model = intern_span(w, L->model);
  b->service_tier = intern_span(w, L->service_tier);
  b->speed = intern_span(w, L->speed);
  b->inference_geo = intern_span(w, L->inference_geo);
  b->agent_id = intern_span(w, L->agent_id);
  return w->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* Offers one billable line of file fi to the file's table. */
static int usage_offer(usage_worker *w, int fi, int64_t line, lumo_span file_sid, const claude_line *L) {
  const lumo_file *f = &w->c->files.f[fi];
  lumo_cand k;
  memset(&k, 0, sizeof(k));
  w->mid.len = w->rid.len = 0;
  if (L->message_id.n && lumo_json_decode(L->message_id, &w->mid) == 0) k.mid = w->mid.p;
  if (L->request_id.n && lumo_json_decode(L->request_id, &w->rid) == 0) k.rid = w->rid.p;
  if (w->mid.oom || w->rid.oom) return SQLITE_NOMEM; /* its key is not known */
  claude_cand_numbers(L, &k);
  k.mtime_ns = f->mtime_ns;
  k.path = f->rel;
  k.file_idx = fi;
  k.line = line;
  int slot, win;
  if (lumo_dedup_offer(&w->file_dd, &k, &slot, &win)) return SQLITE_NOMEM;
  return win ? usage_keep(w, &w->file_dd.e[slot].best, &k, L, file_sid) : SQLITE_OK;
}

/* Merges the file's kept copies into the shared table (their strings are in the worker's
** arena, which lives as long as the cursor's table) and empties the file's table. */
static int usage_file_done(usage_worker *w) {
  int rc = SQLITE_OK;
  pthread_mutex_lock(w->lock);
  for (int j = 0; rc == SQLITE_OK && j < w->file_dd.n; j++) {
    int slot, win;
    rc = lumo_dedup_merge(w->dd, &w->file_dd.e[j], &slot, &win);
  }
  pthread_mutex_unlock(w->lock);
  lumo_dedup_clear(&w->file_dd);
  return rc;
}

static void *usage_worker_run(void *arg) {
  usage_worker *w = arg;
  claude_cursor *c = w->c;
  scan_ctx sc = {&w->diag, "claude_usage", 1};
  while (!w->rc) { /* a worker that failed reads no more (its error must not be overwritten) */
    int fi = __atomic_fetch_add(w->next_file, 1, __ATOMIC_RELAXED);
    if (fi >= c->files.n) break;
    const lumo_file *f = &c->files.f[fi];
    lumo_reader rd;
    int rc = lumo_reader_open(&rd, f->path, 0, 0);
    if (rc == SQLITE_NOMEM) {
      w->rc = rc;
      break;
    }
    if (rc) {
      lumo_diag_add(&w->diag, "claude_usage", f->rel, 0, "unreadable", "cannot open: %s", strerror(rd.err));
      continue;
    }
    int sub;
    lumo_span sid = claude_file_session(f, &sub);
    w->first_cwd.len = w->project.len = 0;
    claude_line L;
    int st;
    while ((st = next_line(&rd, f, &sc, &L)) != 0) {
      if (st != 1) continue;
      if ((w->rc = note_first_cwd(&w->first_cwd, &w->project, &L)) != SQLITE_OK) break;
      if (!claude_line_bills(&L)) continue;
      if ((w->rc = usage_offer(w, fi, rd.line_no, sid, &L)) != SQLITE_OK) break;
    }
    lumo_reader_close(&rd);
    if (!w->rc) w->rc = usage_file_done(w);
    if (w->rc) break;
  }
  return NULL;
}

static int diag_order(const void *a, const void *b) {
  const lumo_diag *x = a, *y = b;
  int k = strcmp(x->file, y->file);
  if (k) return k;
  return x->line < y->line ? -1 : x->line > y->line;
}

static int usage_threads(const lumo_filelist *fl) {
  const char *env = getenv("LUMO_THREADS");
  int64_t bytes = 0;
  for (int i = 0; i < fl->n; i++) bytes += fl->f[i].size;
  /* Threads pay off on large trees only (unless LUMO_THREADS asks), and need
  ** SQLite's thread-safe allocator. */
  if ((bytes < (16 << 20) && !(env && *env)) || !sqlite3_threadsafe()) return 1;
  return lumo_threads(fl->n);
}

/* Reads every file into c->dd, then merges the workers' diagnostics (sorted by file
** and line) into the connection's. */
static int usage_scan(claude_cursor *c) {
  claude_vtab *vt = (claude_vtab *)c->base.pVtab;
  int nthread = usage_threads(&c->files), next_file = 0, rc = SQLITE_OK;
  usage_worker w[LUMO_MAX_THREADS];
  pthread_t tid[LUMO_MAX_THREADS];
  int started[LUMO_MAX_THREADS] = {0};
  pthread_mutex_t lock;
  if (pthread_mutex_init(&lock, NULL)) return SQLITE_NOMEM;
  memset(w, 0, sizeof(w));
  for (int i = 0; i < nthread; i++) {
    w[i].c = c;
    w[i].dd = &c->dd;
    w[i].lock = &lock;
    w[i].next_file = &next_file;
    if (i > 0) started[i] = pthread_create(&tid[i], NULL, usage_worker_run, &w[i]) == 0;
  }
  usage_worker_run(&w[0]); /* the calling thread works too */
  for (int i = 1; i < nthread; i++)
    if (started[i]) pthread_join(tid[i], NULL);
  /* A worker that could not start leaves files unread: run its share here. */
  if (next_file < c->files.n) usage_worker_run(&w[0]);
  pthread_mutex_destroy(&lock);
  for (int i = 0; i < nthread; i++) {
    if (w[i].rc) rc = w[i].rc;
    lumo_dedup_free(&w[i].file_dd);
    c->arenas[i] = w[i].arena; /* winners' strings live until the cursor resets */
    lumo_buf_free(&w[i].scratch);
    lumo_buf_free(&w[i].first_cwd);
    lumo_buf_free(&w[i].project);
    lumo_buf_free(&w[i].mid);
    lumo_buf_free(&w[i].rid);
    lumo_intern_free(&w[i].interned);
  }
  /* Diagnostics: every worker's, in (file, line) order. */
  lumo_conn all = {0};
  for (int i = 0; i < nthread; i++) lumo_diag_absorb(&all, &w[i].diag);
  if (all.ndiag > 1) qsort(all.diags, (size_t)all.ndiag, sizeof(lumo_diag), diag_order);
  lumo_diag_absorb(vt->conn, &all);
  if (rc == SQLITE_OK) lumo_dedup_finish(&c->dd);
  return rc;
}

/* ------------------------------------------------------------- the cursor */

static int claude_next(sqlite3_vtab_cursor *cur) {
  claude_cursor *c = (claude_cursor *)cur;
  switch (c->kind) {
    case KIND_MESSAGES: return messages_next(c);
    case KIND_TOOL_USES: return tool_uses_next(c);
    default:
      c->rowid++;
      if (++c->si >= c->send) c->eof = 1;
      else c->ui = c->sel ? c->sel[c->si].idx : c->si;
      return SQLITE_OK;
  }
}

static int key_idx_order(const void *a, const void *b) {
  const key_idx *x = a, *y = b;
  int k = strcmp(x->key, y->key);
  return k ? k : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The finished scan's entries that have a message_id (by_sid 0) or a session_id (1),
** sorted by it, then by file and line. */
static int usage_key_index(claude_cursor *c, int by_sid, key_idx **out, int *nout) {
  key_idx *v = sqlite3_malloc64(sizeof(*v) * (size_t)(c->dd.n ? c->dd.n : 1));
  if (!v) return SQLITE_NOMEM;
  int n = 0;
  for (int i = 0; i < c->dd.n; i++) {
    const char *k = by_sid ? c->dd.e[i].best.session_id : c->dd.e[i].best.mid;
    if (k) v[n++] = (key_idx){k, i};
  }
  qsort(v, (size_t)n, sizeof(*v), key_idx_order);
  *out = v;
  *nout = n;
  return SQLITE_OK;
}

/* Shows the finished scan's rows whose message_id (or session_id) is key; every row
** when key is NULL. */
static int usage_select(claude_cursor *c, int by_sid, const char *key) {
  c->sel = NULL;
  c->si = 0;
  c->send = c->dd.n;
  if (key) {
    key_idx **ix = by_sid ? &c->by_sid : &c->by_mid;
    int *n = by_sid ? &c->nby_sid : &c->nby_mid;
    if (!*ix && usage_key_index(c, by_sid, ix, n)) return SQLITE_NOMEM;
    int lo = 0, hi = *n; /* the first entry with a key >= key */
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (strcmp((*ix)[mid].key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    int end = lo;
    while (end < *n && strcmp((*ix)[end].key, key) == 0) end++;
    c->sel = *ix;
    c->si = lo;
    c->send = end;
  }
  c->eof = c->si >= c->send;
  c->ui = c->eof ? 0 : c->sel ? c->sel[c->si].idx : c->si;
  c->rowid = 1;
  return SQLITE_OK;
}

static int same_text(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static int claude_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  claude_cursor *c = (claude_cursor *)cur;
  claude_vtab *vt = (claude_vtab *)cur->pVtab;
  uint64_t used = idxStr ? strtoull(idxStr, NULL, 16) : ~0ULL;
  const char *root = NULL, *session = NULL, *mid = NULL;
  int64_t since_ns = 0;
  int ai = 0, none = 0; /* none: a NULL argument, so no row can match */
  (void)argc;
  if (idxNum & 1) {
    if (sqlite3_value_type(argv[ai]) == SQLITE_NULL) none = 1;
    root = (const char *)sqlite3_value_text(argv[ai++]);
    if (!root) root = "";
  }
  if (idxNum & 2) {
    session = (const char *)sqlite3_value_text(argv[ai++]);
    if (!session) none = 1;
  }
  if (idxNum & 4) {
    sqlite3_value *v = argv[ai++];
    int64_t ms;
    /* Clamped: years after 2262 (or before 1677) have no int64 nanoseconds; such a bound
    ** keeps no file (or every file), and SQLite still tests each row's timestamp. */
    if (sqlite3_value_type(v) == SQLITE_TEXT && lumo_iso_to_ms((const char *)sqlite3_value_text(v), &ms))
      since_ns = ms > INT64_MAX / 1000000 ? INT64_MAX : ms < INT64_MIN / 1000000 ? INT64_MIN : ms * 1000000;
  }
  if (idxNum & 8) {
    mid = (const char *)sqlite3_value_text(argv[ai++]);
    if (!mid) none = 1;
  }
  if (c->kind == KIND_USAGE && c->scanned && same_text(c->root_arg, (idxNum & 1) ? root : NULL) &&
      c->since_ns == since_ns && c->used == used) {
    if (none) {
      c->eof = 1;
      return SQLITE_OK;
    }
    return usage_select(c, !mid, mid ? mid : session);
  }
  claude_reset(c);
  c->used = used;
  if (none) return SQLITE_OK; /* claude_reset left the cursor at its end */
  c->eof = 0;
  if (idxNum & 1) {
    c->root_arg = sqlite3_mprintf("%s", root);
    if (!c->root_arg) return SQLITE_NOMEM;
  }
  /* claude_usage reads every file whatever the session (see claude_best_index) */
  if (session && c->kind != KIND_USAGE) {
    c->session_eq = sqlite3_mprintf("%s", session);
    if (!c->session_eq) return SQLITE_NOMEM;
  }
  c->since_ns = since_ns;
  const char *source = kind_name(c->kind);
  lumo_diag_reset(vt->conn, source);
  int rc = claude_roots(c->root_arg, &c->roots, &c->nroot);
  if (rc) return rc;
  rc = claude_files(c->roots, c->nroot, &c->files, vt->conn, source);
  if (rc) return rc;
  if (!c->session_eq && !c->since_ns) {
    vt->last_bytes = 0;
    for (int i = 0; i < c->files.n; i++) vt->last_bytes += c->files.f[i].size;
  }
  if (c->session_eq || c->since_ns) rc = prune_files(c);
  if (rc) return rc;
  if (c->kind == KIND_USAGE) {
    rc = usage_scan(c);
    if (rc) return rc;
    c->scanned = 1;
    if (!c->since_ns) vt->last_rows = c->dd.n;
    return usage_select(c, !mid, mid ? mid : session);
  }
  return claude_next(cur);
}

static int claude_eof(sqlite3_vtab_cursor *cur) { return ((claude_cursor *)cur)->eof; }

static int claude_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((claude_cursor *)cur)->rowid;
  return SQLITE_OK;
}

static void text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static int usage_column(claude_cursor *c, sqlite3_context *ctx, int col) {
  const lumo_dedup_entry *e = &c->dd.e[c->ui];
  const lumo_cand *b = &e->best;
  switch (col) {
    case UC_TIMESTAMP: text_or_null(ctx, b->timestamp); break;
    case UC_SESSION_ID: text_or_null(ctx, b->session_id); break;
    case UC_PROJECT: text_or_null(ctx, b->project); break;
    case UC_CWD: text_or_null(ctx, b->cwd); break;
    case UC_GIT_BRANCH: text_or_null(ctx, b->git_branch); break;
    case UC_VERSION: text_or_null(ctx, b->version); break;
    case UC_MODEL: text_or_null(ctx, b->model); break;
    case UC_MESSAGE_ID: text_or_null(ctx, b->mid); break;
    case UC_REQUEST_ID: text_or_null(ctx, b->rid); break;
    case UC_INPUT: sqlite3_result_int64(ctx, b->input); break;
    case UC_OUTPUT: sqlite3_result_int64(ctx, b->output); break;
    case UC_CACHE_READ: sqlite3_result_int64(ctx, b->cache_read); break;
    case UC_CACHE_5M: sqlite3_result_int64(ctx, b->cache_5m); break;
    case UC_CACHE_1H: sqlite3_result_int64(ctx, b->cache_1h); break;
    case UC_WEB_SEARCH: sqlite3_result_int64(ctx, b->web_search); break;
    case UC_SERVICE_TIER: text_or_null(ctx, b->service_tier); break;
    case UC_SPEED: text_or_null(ctx, b->speed); break;
    case UC_GEO: text_or_null(ctx, b->inference_geo); break;
    case UC_IS_SIDECHAIN: sqlite3_result_int(ctx, b->is_sidechain); break;
    case UC_AGENT_ID: text_or_null(ctx, b->agent_id); break;
    case UC_CONFIDENCE:
      sqlite3_result_text(ctx, claude_is_placeholder(b->output, b->content_bytes) ? "low" : "high",
                          -1, SQLITE_STATIC);
      break;
    case UC_COPIES: sqlite3_result_int(ctx, e->copies); break;
    case UC_COST: {
      int known = 0;
      double usd = lumo_cost_request(((claude_vtab *)c->base.pVtab)->conn->prices, b->model, b->input, b->output, b->cache_read, b->cache_5m,
                                     b->cache_1h, b->speed, b->inference_geo, b->service_tier,
                                     b->web_search, b->timestamp, &known);
      if (known) sqlite3_result_double(ctx, usd);
      break;
    }
    case UC_STORED_COST:
      if (b->has_stored_cost) sqlite3_result_double(ctx, b->stored_cost);
      break;
    case UC_FILE: text_or_null(ctx, c->files.f[b->file_idx].rel); break;
    case UC_LINE: sqlite3_result_int64(ctx, b->line); break;
    case UC_ROOT: text_or_null(ctx, c->root_arg); break;
    default: break;
  }
  return SQLITE_OK;
}

static int claude_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  claude_cursor *c = (claude_cursor *)cur;
  if (c->kind == KIND_USAGE) return usage_column(c, ctx, col);
  if (col == col_root(c->kind)) {
    text_or_null(ctx, c->root_arg);
    return SQLITE_OK;
  }
  val_result(ctx, c->kind == KIND_MESSAGES ? &c->row[col] : &c->tool[col]);
  return SQLITE_OK;
}

#define CLAUDE_MODULE(name, connect)                                                          \
  static sqlite3_module name = {                                                              \
    .iVersion = 0, .xCreate = 0, .xConnect = connect, .xBestIndex = claude_best_index,        \
    .xDisconnect = lumo_source_disconnect, .xDestroy = lumo_source_disconnect, .xOpen = claude_open,    \
    .xClose = claude_close, .xFilter = claude_filter, .xNext = claude_next,                   \
    .xEof = claude_eof, .xColumn = claude_column, .xRowid = claude_rowid};
CLAUDE_MODULE(messages_module, messages_connect)
CLAUDE_MODULE(usage_module, usage_connect)
CLAUDE_MODULE(tool_uses_module, tool_uses_connect)

int lumo_register_claude(sqlite3 *db, lumo_conn *conn) {
  struct {
    const char *name;
    sqlite3_module *m;
  } mods[] = {{"claude_messages", &messages_module},
              {"claude_usage", &usage_module},
              {"claude_tool_uses", &tool_uses_module}};
  for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
    conn->nref++;
    int rc = sqlite3_create_module_v2(db, mods[i].name, mods[i].m, conn, lumo_conn_release);
    if (rc) return rc;
  }
  return SQLITE_OK;
}
