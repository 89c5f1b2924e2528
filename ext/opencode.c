/* opencode.c: the OpenCode source parser (spec: transcripts.md section 4): what one
** message object (a JSON file, or the data column of opencode.db) says, as lumo's
** buckets: input = tokens.input (OpenCode already excludes cache), cache_read =
** tokens.cache.read, cache_write_5m = tokens.cache.write, output = tokens.output +
** tokens.reasoning (reasoning is not inside output here, T7). */
#include "lumo_int.h"
#include "opencode.h"
#include "dedup.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void opencode_row_free(oc_row *r) {
  sqlite3_free(r->timestamp);
  sqlite3_free(r->session);
  sqlite3_free(r->project);
  sqlite3_free(r->provider);
  sqlite3_free(r->model);
  sqlite3_free(r->id);
  sqlite3_free(r->file);
  sqlite3_free(r->bad_detail);
  r->bad_detail = NULL;
}

/* A string member, decoded (NULL: absent, not a string, empty or a bad escape); running
** out of memory sets *oom, so a value is never lost silently. */
static char *json_str(lumo_span obj, const char *key, int *oom) {
  lumo_span v;
  if (lumo_json_get(obj, key, &v) != 1 || !lumo_json_is_string(v)) return NULL;
  lumo_buf b = {0};
  if (lumo_json_decode(v, &b) || b.oom || !b.p) {
    if (b.oom) *oom = 1;
    lumo_buf_free(&b);
    return NULL;
  }
  return b.p; /* handed over: freed with sqlite3_free */
}

/* A copy made of a value that exists: NULL only when memory ran out (*oom set). */
static char *made(char *p, int *oom) {
  if (!p) *oom = 1;
  return p;
}

/* A count: absent is 0; a value that is not a count is 0 too, noted in bad (when given). */
static int64_t json_int(lumo_span obj, const char *key, lumo_count_issue *bad) {
  lumo_span v;
  int64_t x = 0;
  if (lumo_json_get(obj, key, &v) != 1) return 0;
  int st = lumo_json_count(v, &x);
  if (bad) lumo_count_note(bad, key, st, v);
  return x;
}

int opencode_parse_message(lumo_span m, const char *id, const char *session, oc_row *r) {
  lumo_span tokens, cache, cost, err, path, tm, name;
  int oom = 0;
  memset(r, 0, sizeof(*r));
  if (lumo_json_get(m, "tokens", &tokens) != 1 || !tokens.n || tokens.p[0] != '{') return 0;
  lumo_count_issue bad = {0};
  r->input = json_int(tokens, "input", &bad);
  r->reasoning = json_int(tokens, "reasoning", &bad);
  r->output = json_int(tokens, "output", &bad) + r->reasoning;
  if (lumo_json_get(tokens, "cache", &cache) == 1 && cache.n && cache.p[0] == '{') {
    r->cache_read = json_int(cache, "read", &bad);
    r->cache_write = json_int(cache, "write", &bad);
  }
  if (bad.n) {
    r->bad_kind = lumo_count_why(bad.status);
    r->bad_detail = made(lumo_count_detail(&bad), &oom);
  }
  double d;
  r->stored_cost = lumo_json_get(m, "cost", &cost) == 1 && lumo_json_double(cost, &d) == 0 ? d : 0;
  r->aborted = lumo_json_get(m, "error", &err) == 1 && err.n && err.p[0] == '{' &&
               lumo_json_get(err, "name", &name) == 1 && name.n == 21 &&
               memcmp(name.p, "\"MessageAbortedError\"", 21) == 0;
  r->id = id ? made(sqlite3_mprintf("%s", id), &oom) : json_str(m, "id", &oom);
  r->session = session ? made(sqlite3_mprintf("%s", session), &oom) : json_str(m, "sessionID", &oom);
  r->model = json_str(m, "modelID", &oom);
  r->provider = json_str(m, "providerID", &oom);
  char *cwd = NULL;
  if (lumo_json_get(m, "path", &path) == 1) {
    if (path.n && path.p[0] == '{') cwd = json_str(path, "cwd", &oom);
    else if (lumo_json_is_string(path)) cwd = json_str(m, "path", &oom);
  }
  if (cwd) {
    lumo_span last = lumo_path_last(cwd, strlen(cwd));
    r->project = made(sqlite3_mprintf("%.*s", (int)last.n, last.p), &oom);
    sqlite3_free(cwd);
  }
  if (lumo_json_get(m, "time", &tm) == 1 && tm.n && tm.p[0] == '{') {
    lumo_span cv;
    int64_t ms = 0;
    /* ms since the epoch; past year 9999 it is no time (gmtime_r would fail) */
    if (lumo_json_get(tm, "created", &cv) == 1 && lumo_json_int(cv, &ms) == 0 && ms > 0 && ms < 253402300800000LL) {
      time_t s = (time_t)(ms / 1000);
      struct tm g;
      char buf[32];
      gmtime_r(&s, &g);
      strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &g);
      r->timestamp = made(sqlite3_mprintf("%s.%03dZ", buf, (int)(ms % 1000)), &oom);
    }
  }
  if (oom) {
    opencode_row_free(r);
    return -1;
  }
  return 1;
}


enum { OC_FILE_NONE = 0, OC_FILE_ROW = 1, OC_FILE_BAD = -1, OC_FILE_NOMEM = -2, OC_FILE_IOERR = -3 };

/* A message file: OC_FILE_ROW with *r, OC_FILE_NONE (no tokens), OC_FILE_BAD (cannot be
** opened, or not one JSON object), OC_FILE_IOERR (a read failed) or OC_FILE_NOMEM. */
static int read_message_file(const char *path, oc_row *r, int64_t *utf8_fixed) {
  lumo_buf b = {0}, fixed = {0};
  int rc = lumo_read_file(path, 16u << 20, &b);
  if (rc != SQLITE_OK) {
    lumo_buf_free(&b);
    return rc == SQLITE_NOMEM ? OC_FILE_NOMEM : rc == SQLITE_IOERR ? OC_FILE_IOERR : OC_FILE_BAD;
  }
  if ((*utf8_fixed = lumo_utf8_fix(b.p ? b.p : "", b.len, &fixed)) > 0) { /* read repaired */
    lumo_buf_free(&b);
    b = fixed;
  }
  lumo_span m = {b.p ? b.p : "", b.len};
  const char *start = lumo_json_ws(m.p, m.p + m.n);
  const char *e = lumo_json_skip(m.p, m.p + m.n);
  int out;
  if (!e || lumo_json_ws(e, m.p + m.n) != m.p + m.n || start >= m.p + m.n || *start != '{') out = OC_FILE_BAD;
  else {
    int got = opencode_parse_message(m, NULL, NULL, r);
    out = got < 0 ? OC_FILE_NOMEM : got ? OC_FILE_ROW : OC_FILE_NONE;
  }
  lumo_buf_free(&b);
  return out;
}

/* A row whose counts were not all counts: reported where the row is read (the id names
** the message of a database). */
static void report_counts(lumo_conn *c, const char *source, const lumo_file *f, const oc_row *r) {
  if (r->bad_kind)
    lumo_diag_add(c, source, f->rel, 0, r->bad_kind, "message %.60Q: %s", r->id ? r->id : "",
                  r->bad_detail ? r->bad_detail : "a value is not a token count");
}

/* Opens an opencode.db read-only (OpenCode may be writing it: WAL) into *odb, which the
** caller closes whatever the result; SQLITE_NOMEM, or the open's result. */
static int open_database(const lumo_file *f, sqlite3 **odb) {
  *odb = NULL;
  char *uri = sqlite3_mprintf("file:%s?mode=ro", f->path);
  if (!uri) return SQLITE_NOMEM;
  int rc = sqlite3_open_v2(uri, odb, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  sqlite3_free(uri);
  if (rc == SQLITE_OK) sqlite3_busy_timeout(*odb, 2000);
  return rc;
}

/* Every message row of a database. */
static int read_database(const lumo_file *f, lumo_conn *c, const char *source, opencode_row_fn fn, void *ctx) {
  sqlite3 *odb;
  sqlite3_stmt *st = NULL;
  int rc = open_database(f, &odb);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(odb, "SELECT id, session_id, data FROM message", -1, &st, NULL);
  if (rc != SQLITE_OK) {
    lumo_diag_add(c, source, f->rel, 0, "unreadable", "%s", odb ? sqlite3_errmsg(odb) : "cannot open");
    rc = SQLITE_OK;
  }
  int step = SQLITE_DONE;
  lumo_buf fixed = {0};
  while (rc == SQLITE_OK && st && (step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *data = (const char *)sqlite3_column_text(st, 2);
    size_t len = (size_t)sqlite3_column_bytes(st, 2);
    oc_row r;
    if (data && lumo_utf8_fix(data, len, &fixed) > 0) {
      lumo_diag_add(c, source, f->rel, 0, "invalid_utf8",
                    "message %.60Q: bytes that are not UTF-8 replaced by U+FFFD; the message is read",
                    (const char *)sqlite3_column_text(st, 0));
      data = fixed.p;
      len = fixed.len;
    }
    int got = data && data[0] == '{' ? opencode_parse_message((lumo_span){data, len},
                                                              (const char *)sqlite3_column_text(st, 0),
                                                              (const char *)sqlite3_column_text(st, 1), &r) : 0;
    if (got < 0) rc = SQLITE_NOMEM;
    else if (got) {
      r.from_db = 1;
      report_counts(c, source, f, &r);
      rc = fn(ctx, f, &r);
    }
  }
  /* anything but the end of the rows (BUSY, an I/O error) is no end of the data */
  if (rc == SQLITE_OK && st && step != SQLITE_DONE) {
    lumo_diag_add(c, source, f->rel, 0, "unreadable", "read stopped early: %s", sqlite3_errmsg(odb));
    rc = OPENCODE_INCOMPLETE;
  }
  sqlite3_finalize(st);
  sqlite3_close(odb);
  lumo_buf_free(&fixed);
  return rc;
}

static int64_t ms_member(lumo_span obj, const char *key) {
  lumo_span v;
  int64_t x = 0;
  return lumo_json_get(obj, key, &v) == 1 && lumo_json_int(v, &x) == 0 && x > 0 ? x : 0;
}

int opencode_read_tools(const lumo_file *f, lumo_conn *c, const char *source, opencode_tool_fn fn, void *ctx) {
  if (!lumo_ends_with(f->path, ".db")) return SQLITE_OK;
  sqlite3 *odb;
  sqlite3_stmt *st = NULL;
  int rc = open_database(f, &odb);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc == SQLITE_OK) {
    /* the LIKE spares parsing text parts; every candidate is still parsed and checked */
    if (sqlite3_prepare_v2(odb, "SELECT p.id, p.session_id, p.data, s.directory FROM part p"
                           " LEFT JOIN session s ON s.id = p.session_id WHERE p.data LIKE '%\"tool\"%'",
                           -1, &st, NULL) != SQLITE_OK)
      st = NULL; /* a database from before parts, or without a session directory: no tool calls */
  } else {
    lumo_diag_add(c, source, f->rel, 0, "unreadable", "%s", odb ? sqlite3_errmsg(odb) : "cannot open");
  }
  rc = SQLITE_OK;
  lumo_buf key = {0}, name = {0};
  int step = SQLITE_DONE;
  while (rc == SQLITE_OK && st && (step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *data = (const char *)sqlite3_column_text(st, 2);
    lumo_span d = {data, (size_t)sqlite3_column_bytes(st, 2)}, v, state, tm;
    if (!data || data[0] != '{' || lumo_json_get(d, "type", &v) != 1 || v.n != 6 || memcmp(v.p, "\"tool\"", 6) != 0)
      continue;
    oc_tool t;
    memset(&t, 0, sizeof(t));
    key.len = name.len = 0;
    if (lumo_json_get(d, "callID", &v) == 1 && lumo_json_is_string(v)) lumo_json_decode(v, &key);
    if (!key.len && sqlite3_column_text(st, 0))
      lumo_buf_append(&key, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    if (lumo_json_get(d, "tool", &v) == 1 && lumo_json_is_string(v)) lumo_json_decode(v, &name);
    lumo_buf_nul(&key);
    lumo_buf_nul(&name);
    if (key.oom || name.oom) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (!key.len) continue;
    t.key = key.p;
    t.tool = name.len ? name.p : NULL;
    t.session = (const char *)sqlite3_column_text(st, 1);
    t.directory = (const char *)sqlite3_column_text(st, 3);
    t.is_error = -1;
    if (lumo_json_get(d, "state", &state) == 1 && state.n && state.p[0] == '{') {
      if (lumo_json_get(state, "input", &v) == 1 && v.n && v.p[0] == '{') t.input = v;
      if (lumo_json_get(state, "status", &v) == 1)
        t.is_error = v.n == 7 && memcmp(v.p, "\"error\"", 7) == 0 ? 1 : v.n == 11 && memcmp(v.p, "\"completed\"", 11) == 0 ? 0 : -1;
      if ((lumo_json_get(state, "output", &v) == 1 || lumo_json_get(state, "error", &v) == 1) && lumo_json_is_string(v))
        t.output = v;
      if (lumo_json_get(state, "time", &tm) == 1) {
        t.start_ms = ms_member(tm, "start");
        t.end_ms = ms_member(tm, "end");
      }
    }
    rc = fn(ctx, f, &t);
  }
  if (rc == SQLITE_OK && st && step != SQLITE_DONE)
    lumo_diag_add(c, source, f->rel, 0, "unreadable", "tool parts: read stopped early: %s", sqlite3_errmsg(odb));
  sqlite3_finalize(st);
  sqlite3_close(odb);
  lumo_buf_free(&key);
  lumo_buf_free(&name);
  return rc;
}

/* A row as the winner rule (dedup.c) sees it, the same for opencode_usage and lumo_sync:
** a database copy is authoritative over a message file. Strings are borrowed from r. */
void opencode_cand(const lumo_file *f, const oc_row *r, int64_t mtime_ns, lumo_cand *k) {
  memset(k, 0, sizeof(*k));
  k->mid = r->id;
  k->total = r->input + r->output + r->cache_read + r->cache_write;
  k->prefer = r->from_db;
  k->mtime_ns = mtime_ns;
  k->path = f ? f->rel : r->file;
  k->line = 1;
  k->copies = 1;
  k->input = r->input;
  k->output = r->output;
  k->cache_read = r->cache_read;
  k->cache_5m = r->cache_write;
  k->reasoning = r->reasoning;
  k->timestamp = r->timestamp;
  k->session_id = r->session;
  k->project = r->project;
  k->model = r->model;
  k->has_stored_cost = r->stored_cost > 0;
  k->stored_cost = r->stored_cost;
}

int opencode_read(const lumo_file *f, lumo_conn *c, const char *source, opencode_row_fn fn, void *ctx) {
  if (lumo_ends_with(f->path, ".db")) return read_database(f, c, source, fn, ctx);
  oc_row r;
  int64_t fixed = 0;
  int got = read_message_file(f->path, &r, &fixed);
  if (fixed > 0)
    lumo_diag_add(c, source, f->rel, 0, "invalid_utf8", "bytes that are not UTF-8 replaced by U+FFFD; the file is read");
  switch (got) {
    case OC_FILE_NOMEM: return SQLITE_NOMEM;
    case OC_FILE_BAD: lumo_diag_add(c, source, f->rel, 0, "malformed", "unreadable or not one JSON object"); return SQLITE_OK;
    case OC_FILE_IOERR: /* not the file's fault: lumo_sync reads it again next time */
      lumo_diag_add(c, source, f->rel, 0, "unreadable", "read error");
      return OPENCODE_INCOMPLETE;
    case OC_FILE_ROW: report_counts(c, source, f, &r); return fn(ctx, f, &r);
    default: return SQLITE_OK;
  }
}

int opencode_roots(const char *arg, char ***roots, int *n) {
  return lumo_roots_default(arg, "XDG_DATA_HOME", "/opencode", "~/.local/share/opencode", roots, n);
}

/* Per data directory: its databases (opencode.db and opencode-<channel>.db, not below
** it; at most 16, by name), then storage/message/<session>/<message>.json. */
int opencode_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source) {
  static const char *const json_suffix[] = {".json", NULL};
  int rc = SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i < nroot; i++) {
    size_t rel_from = strlen(roots[i]) + 1;
    DIR *d = opendir(roots[i]);
    char *names[16];
    int nn = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && nn < 16) {
      size_t len = strlen(e->d_name);
      if (strncmp(e->d_name, "opencode", 8) == 0 && len >= 11 && lumo_ends_with(e->d_name, ".db") &&
          (len == 11 || e->d_name[8] == '-'))
        if ((names[nn] = sqlite3_mprintf("%s/%s", roots[i], e->d_name)) != NULL) nn++;
    }
    if (d) closedir(d);
    for (int a = 1; a < nn; a++) /* sorted: the same order everywhere */
      for (int b = a; b > 0 && strcmp(names[b - 1], names[b]) > 0; b--) {
        char *t = names[b];
        names[b] = names[b - 1];
        names[b - 1] = t;
      }
    for (int k = 0; k < nn; k++) {
      if (rc == SQLITE_OK) rc = lumo_filelist_add(fl, names[k], rel_from, i);
      sqlite3_free(names[k]);
    }
    char *dir = rc == SQLITE_OK ? sqlite3_mprintf("%s/storage/message", roots[i]) : NULL;
    if (rc == SQLITE_OK) rc = dir ? lumo_walk(fl, dir, rel_from, i, json_suffix, c, source) : SQLITE_NOMEM;
    sqlite3_free(dir);
  }
  return rc;
}
