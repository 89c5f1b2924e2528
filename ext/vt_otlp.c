/* vt_otlp.c: otlp_metrics (one row per data point) and otlp_logs (one row per log
** record) over OTLP/JSON dump files.
**   SELECT metric, sum(value) FROM otlp_metrics('~/.lumo/otlp') GROUP BY 1;
**   SELECT event_name, count(*) FROM otlp_logs GROUP BY 1;
** DIRECTONLY. The argument is a file, a directory (every *.json, *.jsonl and .gz under
** it) or a glob, or a comma-separated list of them; default $LUMO_OTLP_DIR, else
** ~/.lumo/otlp. Documents stream one at a time: memory follows the largest document,
** never the file. Rows are as written: a retried batch shows twice here (the natural
** key column tells them apart); lumo_sync() keeps one, and the otel_increases view turns
** cumulative counters into increases. */
#include "lumo_int.h"
#include "otlp.h"

#include <string.h>

typedef struct otlp_table {
  const lumo_object *o;
  const int *fields; /* column -> OF_* */
  int signal;
} otlp_table;

static const lumo_col metrics_cols[] = {
  {"time", "TEXT", "the point's time (end of its interval), ISO-8601 UTC", 0},
  {"time_unix_nano", "INTEGER", "timeUnixNano", 0},
  {"start_time_unix_nano", "INTEGER", "startTimeUnixNano: start of a delta interval, or of a cumulative series", 0},
  {"metric", "TEXT", "metric name, e.g. claude_code.token.usage", 0},
  {"unit", "TEXT", "unit as sent (tokens, USD, s, or empty)", 0},
  {"kind", "TEXT", "sum, gauge, histogram, exponential_histogram or summary", 0},
  {"temporality", "TEXT", "delta, cumulative, or NULL when unspecified (sums are then read as cumulative)", 0},
  {"is_monotonic", "INTEGER", "1 for a monotonic sum", 0},
  {"value", "ANY", "asInt (INTEGER) or asDouble (REAL); NULL for histograms and points flagged as having no value", 0},
  {"count", "INTEGER", "histogram and summary count", 0},
  {"sum", "REAL", "histogram and summary sum", 0},
  {"min", "REAL", "histogram min", 0},
  {"max", "REAL", "histogram max", 0},
  {"buckets", "TEXT", "JSON: histogram bounds and counts, exponential buckets, or summary quantiles", 0},
  {"flags", "INTEGER", "point flags (bit 0: no recorded value)", 0},
  {"attributes", "TEXT", "the point's attributes as a JSON object (keys sorted, last duplicate wins)", 0},
  {"resource", "TEXT", "the resource's attributes as a JSON object", 0},
  {"scope_name", "TEXT", "instrumentation scope name", 0},
  {"scope_version", "TEXT", "instrumentation scope version", 0},
  {"agent", "TEXT", "claude, codex or gemini, from the service, scope or metric name; NULL for others", 0},
  {"service_name", "TEXT", "resource service.name", 0},
  {"service_version", "TEXT", "resource service.version", 0},
  {"session_id", "TEXT", "session.id (Codex: conversation.id)", 0},
  {"model", "TEXT", "model attribute", 0},
  {"type", "TEXT", "type attribute (token type, lines added/removed, active time user/cli)", 0},
  {"decision", "TEXT", "decision attribute (accept/reject)", 0},
  {"source", "TEXT", "source attribute of a decision (config, hook, user_temporary, ...)", 0},
  {"tool_name", "TEXT", "tool_name attribute (Gemini: function_name, Codex metrics: tool)", 0},
  {"language", "TEXT", "language attribute of a code-edit decision", 0},
  {"user_id", "TEXT", "user.id", 0},
  {"user_email", "TEXT", "user.email", 0},
  {"account_uuid", "TEXT", "user.account_uuid", 0},
  {"organization_id", "TEXT", "organization.id", 0},
  {"terminal_type", "TEXT", "terminal.type", 0},
  {"series", "TEXT", "hash of resource, scope, metric, kind and point attributes: one time series", 0},
  {"key", "TEXT", "natural key of the point (series, start and time): a retried batch repeats it", 0},
  {"file", "TEXT", "dump file, relative to its root", 0},
  {"line", "INTEGER", "first line of the document that holds the point", 0},
  {"path", "TEXT", "argument: file, directory or glob (comma-separated list)", 1},
};
static const int metrics_fields[] = {
  OF_TIME, OF_TIME_NS, OF_START_NS, OF_METRIC, OF_UNIT, OF_KIND, OF_TEMPORALITY, OF_MONOTONIC, OF_VALUE,
  OF_COUNT, OF_SUM, OF_MIN, OF_MAX, OF_BUCKETS, OF_FLAGS, OF_ATTRIBUTES, OF_RESOURCE, OF_SCOPE_NAME,
  OF_SCOPE_VERSION, OF_AGENT, OF_SERVICE_NAME, OF_SERVICE_VERSION, OF_SESSION_ID, OF_MODEL, OF_TYPE,
  OF_DECISION, OF_SOURCE, OF_TOOL_NAME, OF_LANGUAGE, OF_USER_ID, OF_USER_EMAIL, OF_ACCOUNT_UUID,
  OF_ORGANIZATION_ID, OF_TERMINAL_TYPE, OF_SERIES, OF_KEY, OF_FILE, OF_LINE, OF_PATH};

static const lumo_col logs_cols[] = {
  {"time", "TEXT", "event time, ISO-8601 UTC (see time_source)", 0},
  {"time_unix_nano", "INTEGER", "event time in ns", 0},
  {"observed_time_unix_nano", "INTEGER", "observedTimeUnixNano", 0},
  {"time_source", "TEXT", "record (timeUnixNano), observed, attribute (event.timestamp) or file (the dump's mtime)", 0},
  {"severity_number", "INTEGER", "1-24 (9 = INFO)", 0},
  {"severity_text", "TEXT", "severityText", 0},
  {"event_name", "TEXT", "claude_code.api_request, codex.sse_event, gemini_cli.api_response, ...", 0},
  {"body", "TEXT", "body: a string as text, other values as JSON", 0},
  {"attributes", "TEXT", "the record's attributes as a JSON object (keys sorted, last duplicate wins)", 0},
  {"resource", "TEXT", "the resource's attributes as a JSON object", 0},
  {"scope_name", "TEXT", "instrumentation scope name", 0},
  {"scope_version", "TEXT", "instrumentation scope version", 0},
  {"trace_id", "TEXT", "trace id, lower-case hex", 0},
  {"span_id", "TEXT", "span id, lower-case hex", 0},
  {"agent", "TEXT", "claude, codex or gemini; NULL for others", 0},
  {"service_name", "TEXT", "resource service.name", 0},
  {"service_version", "TEXT", "resource service.version", 0},
  {"session_id", "TEXT", "session.id (Codex: conversation.id)", 0},
  {"event_sequence", "INTEGER", "event.sequence: order within the session", 0},
  {"prompt_id", "TEXT", "prompt.id (Gemini: prompt_id)", 0},
  {"prompt_length", "INTEGER", "prompt_length", 0},
  {"model", "TEXT", "model attribute", 0},
  {"request_id", "TEXT", "request_id", 0},
  {"tool_name", "TEXT", "tool_name (older Claude Code: name; Gemini: function_name)", 0},
  {"success", "INTEGER", "success as 1/0 (sent as \"true\"/\"false\" or a boolean)", 0},
  {"duration_ms", "INTEGER", "duration_ms", 0},
  {"decision", "TEXT", "decision (accept/reject, approved/denied, ...)", 0},
  {"source", "TEXT", "source (or decision_source) of a decision", 0},
  {"cost_usd", "REAL", "cost_usd as the agent reported it (Claude Code api_request)", 0},
  {"input_tokens", "INTEGER", "input without cached input (Codex/Gemini: input_token_count - cached)", 0},
  {"output_tokens", "INTEGER", "output with reasoning (Gemini: output + thoughts)", 0},
  {"cache_read_tokens", "INTEGER", "cache reads (Codex cached_token_count, Gemini cached_content_token_count)", 0},
  {"cache_creation_tokens", "INTEGER", "cache writes", 0},
  {"reasoning_tokens", "INTEGER", "reasoning / thoughts (already inside output_tokens)", 0},
  {"key", "TEXT", "natural key (resource, scope, time, name, body, attributes): a retried batch repeats it", 0},
  {"file", "TEXT", "dump file, relative to its root", 0},
  {"line", "INTEGER", "first line of the document that holds the record", 0},
  {"path", "TEXT", "argument: file, directory or glob (comma-separated list)", 1},
};
static const int logs_fields[] = {
  OF_TIME, OF_TIME_NS, OF_OBSERVED_NS, OF_TIME_SOURCE, OF_SEVERITY_NUMBER, OF_SEVERITY_TEXT, OF_EVENT_NAME,
  OF_BODY, OF_ATTRIBUTES, OF_RESOURCE, OF_SCOPE_NAME, OF_SCOPE_VERSION, OF_TRACE_ID, OF_SPAN_ID, OF_AGENT,
  OF_SERVICE_NAME, OF_SERVICE_VERSION, OF_SESSION_ID, OF_SEQUENCE, OF_PROMPT_ID, OF_PROMPT_LENGTH,
  OF_MODEL, OF_REQUEST_ID, OF_TOOL_NAME, OF_SUCCESS, OF_DURATION_MS, OF_DECISION, OF_SOURCE, OF_COST,
  OF_INPUT, OF_OUTPUT, OF_CACHE_READ, OF_CACHE_CREATION, OF_REASONING, OF_KEY, OF_FILE, OF_LINE, OF_PATH};

#define NCOL(a) ((int)(sizeof(a) / sizeof((a)[0])))

const lumo_object otlp_metrics_object = {
  "table", "otlp_metrics", "one row per OTLP metric data point in JSON dump files (spec otlp.md A.4)",
  metrics_cols, NCOL(metrics_cols)};
const lumo_object otlp_logs_object = {
  "table", "otlp_logs", "one row per OTLP log record (agent event) in JSON dump files (spec otlp.md A.6)",
  logs_cols, NCOL(logs_cols)};

static const otlp_table tables[2] = {
  {&otlp_metrics_object, metrics_fields, OTLP_METRIC},
  {&otlp_logs_object, logs_fields, OTLP_LOG},
};

/* Module client data: the shared connection state and which table. */
typedef struct otlp_aux {
  lumo_conn *conn;
  const otlp_table *t;
} otlp_aux;

typedef struct otlp_vtab {
  lumo_source_vtab src;
  const otlp_table *t;
  const lumo_object *o;
} otlp_vtab;

typedef struct otlp_cursor {
  sqlite3_vtab_cursor base;
  char **roots;
  int nroot;
  char *path_arg;
  lumo_filelist files;
  int fi;              /* file being read; files.n at the end */
  int open;            /* docs is open on files.f[fi] */
  otlp_docs docs;
  int traces;          /* trace documents skipped in this file */
  int no_temporality;  /* sums without temporality reported for this file */
  lumo_arena arena;    /* strings of the current document's rows */
  otlp_rec *rows;
  int nrow, cap, i;
  int64_t doc_line, rowid;
  int eof;
} otlp_cursor;

static int otlp_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **pp,
                        char **err) {
  (void)argc;
  (void)argv;
  const otlp_aux *x = aux;
  const lumo_object *o = x->t->o;
  int rc = lumo_declare_object(db, o, err);
  if (rc) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY); /* reads files */
  otlp_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (!vt) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->src.conn = x->conn;
  vt->src.conn->nref++;
  vt->t = x->t;
  vt->o = o;
  *pp = &vt->src.base;
  return SQLITE_OK;
}

static int otlp_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  return lumo_root_best_index(ii, ((otlp_vtab *)tab)->o->ncol - 1);
}

static int otlp_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  (void)tab;
  otlp_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static void close_file(otlp_cursor *c) {
  if (c->open) otlp_docs_close(&c->docs);
  c->open = 0;
}

static void otlp_reset(otlp_cursor *c) {
  close_file(c);
  lumo_roots_free(c->roots, c->nroot);
  sqlite3_free(c->path_arg);
  lumo_filelist_free(&c->files);
  lumo_arena_free(&c->arena);
  sqlite3_free(c->rows);
  c->rows = NULL;
  c->roots = NULL;
  c->path_arg = NULL;
  c->nroot = c->nrow = c->cap = c->i = c->fi = 0;
  c->rowid = 0;
  c->eof = 1;
}

static int otlp_close(sqlite3_vtab_cursor *cur) {
  otlp_reset((otlp_cursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int keep_row(void *ctx, otlp_rec *r) {
  otlp_cursor *c = ctx;
  if (c->nrow == c->cap) {
    int cap = c->cap ? c->cap * 2 : 64;
    otlp_rec *nr = sqlite3_realloc64(c->rows, sizeof(*nr) * (size_t)cap);
    if (!nr) return SQLITE_NOMEM;
    c->rows = nr;
    c->cap = cap;
  }
  c->rows[c->nrow++] = *r;
  return SQLITE_OK;
}

/* Loads the rows of the next document that has any; eof at the end of the last file. */
static int load_rows(otlp_cursor *c) {
  otlp_vtab *vt = (otlp_vtab *)c->base.pVtab;
  lumo_conn *conn = vt->src.conn;
  const char *src = vt->o->name;
  c->nrow = 0;
  c->i = 0;
  lumo_arena_free(&c->arena);
  while (c->fi < c->files.n) {
    const lumo_file *f = &c->files.f[c->fi];
    if (!c->open) {
      const char *why = otlp_sniff(f->path);
      if (why) {
        lumo_diag_add(conn, src, f->rel, 0, "unsupported", "%s", why);
        c->fi++;
        continue;
      }
      int rc = otlp_docs_open(&c->docs, f->path, 0, 0);
      if (rc) {
        if (rc == SQLITE_NOMEM) return rc;
        lumo_diag_add(conn, src, f->rel, 0, "unreadable", "cannot open");
        c->fi++;
        continue;
      }
      c->open = 1;
      c->traces = 0;
      c->no_temporality = 0;
    }
    lumo_span doc;
    int64_t line = 0;
    const char *why = NULL;
    int st = otlp_docs_next(&c->docs, &doc, &line, &why);
    if (st == OTLP_DOC_EOF || st == OTLP_DOC_ERROR) {
      if (st == OTLP_DOC_ERROR) lumo_diag_add(conn, src, f->rel, c->docs.rd.line_no + 1, "unreadable", "read error");
      if (c->traces)
        lumo_diag_add(conn, src, f->rel, 0, "traces_skipped", "%d trace document(s) not read (lumo reads metrics and logs)", c->traces);
      close_file(c);
      c->fi++;
      continue;
    }
    if (st == OTLP_DOC_TORN) {
      lumo_diag_add(conn, src, f->rel, line, "torn", "the file ends inside a document (being written?)");
      continue;
    }
    if (st == OTLP_DOC_BAD) {
      lumo_diag_add(conn, src, f->rel, line, "malformed", "%s", why);
      continue;
    }
    int64_t n = 0;
    int rc = otlp_walk(doc.p, doc.n, vt->t->signal, f->mtime_ns, &c->arena, keep_row, c, &why, &n);
    if (rc > 0) return rc;
    if (rc == OTLP_TRACES) c->traces++;
    else if (rc == OTLP_NOT_OTLP)
      lumo_diag_add(conn, src, f->rel, line, "not_otlp", "a JSON document without resourceMetrics, resourceLogs or resourceSpans");
    else if (rc == OTLP_BAD) lumo_diag_add(conn, src, f->rel, line, "malformed", "%s", why);
    else if (why) lumo_diag_add(conn, src, f->rel, line, "wrong_type", "%s: element skipped", why);
    for (int i = 0; i < c->nrow && !c->no_temporality; i++) {
      const otlp_rec *r = &c->rows[i];
      if (r->signal == OTLP_METRIC && strcmp(r->kind, "sum") == 0 && !r->temporality) {
        lumo_diag_add(conn, src, f->rel, line, "no_temporality",
                      "sum %.80Q has no aggregationTemporality: read as cumulative", r->metric);
        c->no_temporality = 1;
      }
    }
    c->doc_line = line;
    if (c->nrow) return SQLITE_OK;
  }
  c->eof = 1;
  return SQLITE_OK;
}

static int otlp_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                       sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  otlp_cursor *c = (otlp_cursor *)cur;
  otlp_vtab *vt = (otlp_vtab *)cur->pVtab;
  otlp_reset(c);
  if (idxNum & 1) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;
    c->path_arg = sqlite3_mprintf("%s", (const char *)sqlite3_value_text(argv[0]));
    if (!c->path_arg) return SQLITE_NOMEM;
  }
  lumo_diag_reset(vt->src.conn, vt->o->name);
  int rc = otlp_roots(c->path_arg, &c->roots, &c->nroot);
  if (!rc) rc = otlp_files(c->roots, c->nroot, &c->files, vt->src.conn, vt->o->name);
  c->eof = 0;
  if (!rc) rc = load_rows(c);
  c->rowid = 1;
  return rc;
}

static int otlp_next(sqlite3_vtab_cursor *cur) {
  otlp_cursor *c = (otlp_cursor *)cur;
  c->rowid++;
  if (++c->i < c->nrow) return SQLITE_OK;
  return load_rows(c);
}

static int otlp_eof(sqlite3_vtab_cursor *cur) { return ((otlp_cursor *)cur)->eof; }

static int otlp_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  otlp_cursor *c = (otlp_cursor *)cur;
  otlp_vtab *vt = (otlp_vtab *)cur->pVtab;
  int field = vt->t->fields[col];
  otlp_val v;
  switch (field) {
    case OF_FILE:
      if (c->fi < c->files.n) sqlite3_result_text(ctx, c->files.f[c->fi].rel, -1, SQLITE_TRANSIENT);
      return SQLITE_OK;
    case OF_LINE: sqlite3_result_int64(ctx, c->doc_line); return SQLITE_OK;
    case OF_PATH:
      if (c->path_arg) sqlite3_result_text(ctx, c->path_arg, -1, SQLITE_TRANSIENT);
      return SQLITE_OK;
  }
  switch (otlp_get(&c->rows[c->i], field, &v)) {
    case OTLP_V_INT: sqlite3_result_int64(ctx, v.i); break;
    case OTLP_V_REAL: sqlite3_result_double(ctx, v.d); break;
    case OTLP_V_TEXT: sqlite3_result_text(ctx, v.s, -1, SQLITE_TRANSIENT); break;
  }
  return SQLITE_OK;
}

static int otlp_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((otlp_cursor *)cur)->rowid;
  return SQLITE_OK;
}

static int otlp_disconnect(sqlite3_vtab *vt) { return lumo_source_disconnect(vt); }

static sqlite3_module otlp_module = {
  .iVersion = 0, .xCreate = 0, .xConnect = otlp_connect, .xBestIndex = otlp_best_index,
  .xDisconnect = otlp_disconnect, .xDestroy = otlp_disconnect, .xOpen = otlp_open,
  .xClose = otlp_close, .xFilter = otlp_filter, .xNext = otlp_next, .xEof = otlp_eof,
  .xColumn = otlp_column, .xRowid = otlp_rowid};

static void release_aux(void *p) {
  lumo_conn_release(((otlp_aux *)p)->conn);
  sqlite3_free(p);
}

int lumo_register_otlp(sqlite3 *db, lumo_conn *conn) {
  int rc = SQLITE_OK;
  for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
    otlp_aux *x = sqlite3_malloc(sizeof(*x));
    if (!x) return SQLITE_NOMEM;
    x->conn = conn;
    x->t = &tables[i];
    conn->nref++;
    rc = sqlite3_create_module_v2(db, tables[i].o->name, &otlp_module, x, release_aux);
  }
  return rc;
}
