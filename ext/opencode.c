/* opencode.c: the OpenCode source parser (spec: transcripts.md section 4): what one
** message object (a JSON file, or the data column of opencode.db) says, as lumo's
** buckets: input = tokens.input (OpenCode already excludes cache), cache_read =
** tokens.cache.read, cache_write_5m = tokens.cache.write, output = tokens.output +
** tokens.reasoning (reasoning is not inside output here, T7). */
#include "lumo_int.h"
#include "opencode.h"

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
}

static char *json_str(lumo_span obj, const char *key) {
  lumo_span v;
  if (lumo_json_get(obj, key, &v) != 1 || !lumo_json_is_string(v)) return NULL;
  lumo_buf b = {0};
  if (lumo_json_decode(v, &b) || !b.p) {
    lumo_buf_free(&b);
    return NULL;
  }
  return b.p; /* handed over: freed with sqlite3_free */
}

static int64_t json_int(lumo_span obj, const char *key) {
  lumo_span v;
  int64_t x = 0;
  return lumo_json_get(obj, key, &v) == 1 && lumo_json_int(v, &x) == 0 && x > 0 ? x : 0;
}

int opencode_parse_message(lumo_span m, const char *id, const char *session, oc_row *r) {
  lumo_span tokens, cache, cost, err, path, tm, name;
  memset(r, 0, sizeof(*r));
  if (lumo_json_get(m, "tokens", &tokens) != 1 || !tokens.n || tokens.p[0] != '{') return 0;
  r->input = json_int(tokens, "input");
  r->reasoning = json_int(tokens, "reasoning");
  r->output = json_int(tokens, "output") + r->reasoning;
  if (lumo_json_get(tokens, "cache", &cache) == 1 && cache.n && cache.p[0] == '{') {
    r->cache_read = json_int(cache, "read");
    r->cache_write = json_int(cache, "write");
  }
  double d;
  r->stored_cost = lumo_json_get(m, "cost", &cost) == 1 && lumo_json_double(cost, &d) == 0 ? d : 0;
  r->aborted = lumo_json_get(m, "error", &err) == 1 && err.n && err.p[0] == '{' &&
               lumo_json_get(err, "name", &name) == 1 && name.n == 21 &&
               memcmp(name.p, "\"MessageAbortedError\"", 21) == 0;
  r->id = id ? sqlite3_mprintf("%s", id) : json_str(m, "id");
  r->session = session ? sqlite3_mprintf("%s", session) : json_str(m, "sessionID");
  r->model = json_str(m, "modelID");
  r->provider = json_str(m, "providerID");
  char *cwd = NULL;
  if (lumo_json_get(m, "path", &path) == 1) {
    if (path.n && path.p[0] == '{') cwd = json_str(path, "cwd");
    else if (lumo_json_is_string(path)) cwd = json_str(m, "path");
  }
  if (cwd) {
    lumo_span last = lumo_path_last(cwd, strlen(cwd));
    r->project = sqlite3_mprintf("%.*s", (int)last.n, last.p);
    sqlite3_free(cwd);
  }
  if (lumo_json_get(m, "time", &tm) == 1 && tm.n && tm.p[0] == '{') {
    int64_t ms = json_int(tm, "created");
    if (ms) {
      time_t s = (time_t)(ms / 1000);
      struct tm g;
      char buf[32];
      gmtime_r(&s, &g);
      strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &g);
      r->timestamp = sqlite3_mprintf("%s.%03dZ", buf, (int)(ms % 1000));
    }
  }
  return 1;
}


/* A message file: OC_FILE_ROW with *r, OC_FILE_NONE (no tokens), OC_FILE_BAD (unreadable
** or not one JSON object) or OC_FILE_NOMEM. */
int opencode_read_message_file(const char *path, oc_row *r) {
  lumo_buf b = {0};
  int rc = lumo_read_file(path, 16u << 20, &b);
  if (rc != SQLITE_OK) {
    lumo_buf_free(&b);
    return rc == SQLITE_NOMEM ? OC_FILE_NOMEM : OC_FILE_BAD;
  }
  lumo_span m = {b.p ? b.p : "", b.len};
  const char *start = lumo_json_ws(m.p, m.p + m.n);
  const char *e = lumo_json_skip(m.p, m.p + m.n);
  int out;
  if (!e || lumo_json_ws(e, m.p + m.n) != m.p + m.n || start >= m.p + m.n || *start != '{') out = OC_FILE_BAD;
  else out = opencode_parse_message(m, NULL, NULL, r) ? OC_FILE_ROW : OC_FILE_NONE;
  lumo_buf_free(&b);
  return out;
}
