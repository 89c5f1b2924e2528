/* codex.c: the Codex CLI source parser (spec: transcripts.md section 2). It follows one
** rollout file line by line and turns its token_count events into billed requests:
** a re-emitted unchanged total is skipped, the delta is last_token_usage (else the change
** of the running total), a total that goes down restarts the count, and the history a
** forked or spawned thread replays from its parent is skipped (2.4.5: a turn that
** started before the thread existed, else the opening burst of events less than a second
** apart in the thread's first second; when the parent's rollout is among the files, the
** child's leading totals that equal the parent's, in order, rule a). Buckets: input = input - cached - cache writes,
** cache_read = cached, cache_write_5m = cache writes, output = output (reasoning inside).
** The model comes from the latest turn_context (or the token_count event or
** thread_settings_applied that names one); before any of those, from the first
** session_meta's payload.model; NULL when none was seen (unpriced, never guessed).
** The session_meta fallback is defensive: the SessionMeta struct openai/codex serialises
** (codex-rs/protocol/src/protocol.rs, filled in codex-rs/core/src/rollout/recorder.rs)
** has model_provider and no model in every version checked, and spec 2.x lists none;
** rollouts that do carry one (issue 24) are priced by it rather than left unpriced.
** It knows nothing of SQLite tables. */
#include "lumo_int.h"
#include "codex.h"

#include <stdlib.h>
#include <string.h>

/* A count of a usage object: absent is 0; a value that is not a count is 0 too, noted in
** bad (when given) for codex_next_line's diagnostic. */
static int64_t usage_field(lumo_span u, const char *k, lumo_count_issue *bad) {
  lumo_span v;
  int64_t x = 0;
  if (lumo_json_get(u, k, &v) != 1) return 0;
  int st = lumo_json_count(v, &x);
  if (bad) lumo_count_note(bad, k, st, v);
  return x;
}

static void read_usage(lumo_span u, codex_counts *c, lumo_count_issue *bad) {
  c->input = usage_field(u, "input_tokens", bad);
  c->cached = usage_field(u, "cached_input_tokens", bad);
  c->cache_write = usage_field(u, "cache_write_input_tokens", bad);
  if (!c->cache_write) c->cache_write = usage_field(u, "cache_creation_input_tokens", bad);
  c->output = usage_field(u, "output_tokens", bad);
  c->reasoning = usage_field(u, "reasoning_output_tokens", bad);
}

static int counts_equal(const codex_counts *a, const codex_counts *b) {
  return a->input == b->input && a->cached == b->cached && a->cache_write == b->cache_write &&
         a->output == b->output && a->reasoning == b->reasoning;
}

static void set_str(codex_state *s, lumo_buf *dst, lumo_span v) {
  if (!lumo_json_is_string(v) || v.n <= 2) return;
  dst->len = 0;
  if (lumo_json_decode(v, dst)) dst->len = 0;
  (void)s;
}

static int type_is(lumo_span v, const char *lit) {
  size_t n = strlen(lit);
  return v.n == n + 2 && v.p[0] == '"' && memcmp(v.p + 1, lit, n) == 0;
}

static int64_t ts_ms(lumo_span v) {
  lumo_buf b = {0};
  int64_t ms = 0;
  /* a timestamp without escapes is read from a copy on the stack: with no allocation to
  ** fail, a rate-limit observation is not dropped as timeless when memory runs out */
  char plain[64];
  if (v.n >= 2 && v.n - 2 < sizeof(plain) && v.p[0] == '"' && v.p[v.n - 1] == '"' && !memchr(v.p, '\\', v.n)) {
    memcpy(plain, v.p + 1, v.n - 2);
    plain[v.n - 2] = 0;
    return lumo_iso_to_ms(plain, &ms) ? ms : 0;
  }
  if (lumo_json_decode(v, &b) == 0 && b.p && !lumo_iso_to_ms(b.p, &ms)) ms = 0;
  lumo_buf_free(&b);
  return ms;
}

static int load_parent(codex_state *s);

/* The envelope of a rollout line, {"timestamp", "type", "payload"}: CODEX_ROW with its
** spans when the payload is an object, CODEX_BAD when the line is not one JSON object,
** else CODEX_NONE. A line whose type is not in want (NULL-terminated) is left as soon as
** its type is seen: response_item and compacted lines are often huge. */
static int envelope(const char *p, size_t n, const char *const *want, lumo_span *type, lumo_span *payload,
                    lumo_span *ts) {
  lumo_json_obj o;
  lumo_span k, v;
  *type = *payload = *ts = (lumo_span){NULL, 0};
  if (lumo_json_obj_open(&o, p, p + n)) return CODEX_BAD;
  int rc;
  while ((rc = lumo_json_obj_next(&o, &k, &v)) == 1) {
    if (LUMO_KEY(k, "type")) {
      int wanted = 0;
      for (int i = 0; want[i] && !wanted; i++) wanted = type_is(v, want[i]);
      if (!wanted) return CODEX_NONE;
      *type = v;
    } else if (LUMO_KEY(k, "payload")) *payload = v;
    else if (LUMO_KEY(k, "timestamp")) *ts = v;
  }
  if (rc < 0 || lumo_json_ws(o.p, p + n) != p + n) return CODEX_BAD;
  return payload->n && payload->p[0] == '{' ? CODEX_ROW : CODEX_NONE;
}

/* One line. Returns CODEX_ROW with *row filled, CODEX_NONE, or CODEX_BAD (malformed). */
int codex_line(codex_state *s, const char *p, size_t n, codex_row *row) {
  static const char *const state_lines[] = {"event_msg", "turn_context", "session_meta", NULL};
  lumo_span type, payload, ts;
  s->limits.seen = 0;
  int e = envelope(p, n, state_lines, &type, &payload, &ts);
  if (e != CODEX_ROW) return e;
  if (type_is(type, "session_meta")) {
    s->meta_lines++;
    if (s->meta_lines == 1) {
      lumo_span id, cwd, fork, src, sub, m;
      if (lumo_json_get(payload, "id", &id) == 1) set_str(s, &s->thread_id, id);
      if (lumo_json_get(payload, "cwd", &cwd) == 1) set_str(s, &s->cwd, cwd);
      /* the session's model, until a turn_context (or an event) names one: the latter
      ** overwrite s->model, so this is only a fallback */
      if (!s->model.len && lumo_json_get(payload, "model", &m) == 1) set_str(s, &s->model, m);
      s->start_ms = ts.n ? ts_ms(ts) : 0;
      if (lumo_json_get(payload, "forked_from_id", &fork) == 1 && lumo_json_is_string(fork)) {
        s->is_fork = 1;
        set_str(s, &s->parent_id, fork);
      }
      /* a subagent of any kind (review, compact, a spawned thread): its prompts are a model's */
      if (lumo_json_get(payload, "source", &src) == 1 && src.n && src.p[0] == '{' &&
          lumo_json_get(src, "subagent", &sub) == 1)
        s->is_subagent = 1;
      if (lumo_json_get(payload, "source", &src) == 1 && src.n && src.p[0] == '{' &&
          lumo_json_get(src, "subagent", &sub) == 1 && sub.n && sub.p[0] == '{') {
        lumo_span spawn, pid;
        if (lumo_json_get(sub, "thread_spawn", &spawn) == 1) {
          s->is_fork = 1;
          if (!s->parent_id.len && spawn.n && spawn.p[0] == '{' && lumo_json_get(spawn, "parent_thread_id", &pid) == 1)
            set_str(s, &s->parent_id, pid);
        }
      }
    } else {
      s->is_fork = 1; /* a second session_meta is the ancestor's, copied in by a fork */
    }
    return CODEX_NONE;
  }
  if (type_is(type, "turn_context")) {
    lumo_span m, cwd;
    if (lumo_json_get(payload, "model", &m) == 1) set_str(s, &s->model, m);
    if (!s->cwd.len && lumo_json_get(payload, "cwd", &cwd) == 1) set_str(s, &s->cwd, cwd);
    return CODEX_NONE;
  }
  /* event_msg */
  lumo_span et, info;
  if (lumo_json_get(payload, "type", &et) != 1) return CODEX_NONE;
  if (type_is(et, "task_started")) {
    lumo_span at;
    int64_t sec;
    /* seconds since the epoch; a value past year 9999 is no time (and sec * 1000 stays in int64) */
    if (lumo_json_get(payload, "started_at", &at) == 1 && lumo_json_int(at, &sec) == 0 && sec >= 0 &&
        sec < 253402300800LL) {
      s->turn_started_ms = sec * 1000;
      s->has_turn = 1;
    }
    return CODEX_NONE;
  }
  if (type_is(et, "thread_settings_applied")) {
    lumo_span set, m;
    if (lumo_json_get(payload, "thread_settings", &set) == 1 && set.n && set.p[0] == '{' &&
        lumo_json_get(set, "model", &m) == 1)
      set_str(s, &s->model, m);
    return CODEX_NONE;
  }
  lumo_span m, rl;
  int is_count = type_is(et, "token_count");
  /* plan limits: with every token count, and in an app-server build's own event */
  if ((is_count || type_is(et, "account/rateLimits/updated")) && lumo_json_get(payload, "rate_limits", &rl) == 1)
    codex_rate_limits(rl, ts.n ? ts_ms(ts) : 0, &s->limits);
  if (!is_count) return CODEX_NONE;
  if (lumo_json_get(payload, "model", &m) == 1) set_str(s, &s->model, m);
  if (lumo_json_get(payload, "info", &info) != 1 || !info.n || info.p[0] != '{') return CODEX_NONE;
  if (lumo_json_get(info, "model", &m) == 1) set_str(s, &s->model, m);
  lumo_span tot, last;
  int has_tot = lumo_json_get(info, "total_token_usage", &tot) == 1 && tot.n && tot.p[0] == '{';
  int has_last = lumo_json_get(info, "last_token_usage", &last) == 1 && last.n && last.p[0] == '{';
  codex_counts total = {0}, delta = {0};
  if (has_tot) {
    read_usage(tot, &total, &s->bad_counts);
    if (s->has_prev && counts_equal(&total, &s->prev)) return CODEX_NONE; /* re-emitted */
  }
  if (has_last) read_usage(last, &delta, &s->bad_counts);
  else if (has_tot) {
    int down = s->has_prev && (total.input + total.output < s->prev.input + s->prev.output);
    delta = total;
    if (s->has_prev && !down) {
      delta.input -= s->prev.input;
      delta.cached -= s->prev.cached;
      delta.cache_write -= s->prev.cache_write;
      delta.output -= s->prev.output;
      delta.reasoning -= s->prev.reasoning;
    }
  } else {
    return CODEX_NONE;
  }
  if (has_tot) {
    s->prev = total;
    s->has_prev = 1;
  }
  if (delta.input + delta.output <= 0) return CODEX_NONE;
  int64_t at = ts.n ? ts_ms(ts) : 0;
  /* Replay of the parent's history (2.4.5), best evidence first. */
  if (s->is_fork && !s->parent_loaded) load_parent(s);
  if (s->is_fork && s->parent) { /* rule a: the parent's own totals, in order */
    int replay = !s->parent_done && has_tot && s->parent_pos < s->nparent &&
                 counts_equal(&total, &s->parent[s->parent_pos]);
    if (replay) {
      s->parent_pos++;
      s->replayed++;
      return CODEX_NONE;
    }
    s->parent_done = 1;
  } else if (s->is_fork) {
    int replay = 0;
    if (s->has_turn) {
      replay = s->start_ms && s->turn_started_ms < (s->start_ms / 1000) * 1000;
    } else if (s->opening_run) {
      int64_t ref = s->last_event_ms ? s->last_event_ms : s->start_ms;
      replay = at && ref && at - ref < 1000 && (s->last_event_ms || at - s->start_ms < 1000);
      if (!replay) s->opening_run = 0;
    }
    s->last_event_ms = at;
    if (replay) {
      s->replayed++;
      return CODEX_NONE;
    }
  }
  int64_t in = delta.input - delta.cached - delta.cache_write;
  row->timestamp_ms = at;
  row->input = in > 0 ? in : 0;
  row->cache_read = delta.cached > 0 ? delta.cached : 0;
  row->cache_write = delta.cache_write > 0 ? delta.cache_write : 0;
  row->output = delta.output > 0 ? delta.output : 0;
  row->reasoning = delta.reasoning > 0 ? delta.reasoning : 0;
  row->timestamp = ts;
  return CODEX_ROW;
}

/* The items a rollout's conversation is made of: *_call items and reasoning are the
** assistant's, *_output items the tool's, messages carry their role. */
static const char *item_role(const lumo_buf *type, lumo_span payload) {
  static const char *const roles[] = {"user", "assistant", "developer", "system", NULL};
  if (lumo_ends_with(type->p, "_output")) return "tool";
  if (lumo_ends_with(type->p, "_call") || strcmp(type->p, "reasoning") == 0) return "assistant";
  lumo_span r;
  if (lumo_json_get(payload, "role", &r) == 1)
    for (int i = 0; roles[i]; i++)
      if (type_is(r, roles[i])) return roles[i];
  return NULL;
}

int codex_state_oom(const codex_state *s) {
  return s->thread_id.oom || s->cwd.oom || s->model.oom || s->parent_id.oom;
}

int codex_item_line(const codex_state *s, const char *p, size_t n, codex_item *it) {
  static const char *const item_lines[] = {"response_item", NULL};
  lumo_span type, payload, ts, t;
  if (envelope(p, n, item_lines, &type, &payload, &ts) != CODEX_ROW || !type.n ||
      lumo_json_get(payload, "type", &t) != 1 || !lumo_json_is_string(t))
    return CODEX_NONE;
  it->type.len = it->text.len = it->tool_name.len = it->call_id.len = 0;
  lumo_json_decode(t, &it->type);
  lumo_buf_nul(&it->type);
  if (it->type.oom) return CODEX_NOMEM;
  if (!it->type.p) return CODEX_NONE;
  it->timestamp = ts;
  it->content_bytes = (int64_t)payload.n;
  it->role = item_role(&it->type, payload);
  lumo_span x;
  if (lumo_json_get(payload, "content", &x) == 1) { /* messages, agent messages */
    lumo_json_texts(x, &it->text);
  } else if (strcmp(it->type.p, "reasoning") == 0) {
    if (lumo_json_get(payload, "summary", &x) == 1) lumo_json_texts(x, &it->text);
  } else {
    /* a call's arguments or input (a local_shell_call's action: {type: exec, command:
    ** [argv], working_directory, ...}): the string, or the JSON as written; an output: the
    ** string, or the text of its part(s) */
    if (lumo_json_get(payload, "arguments", &x) == 1 || lumo_json_get(payload, "input", &x) == 1 ||
        (strcmp(it->type.p, "local_shell_call") == 0 && lumo_json_get(payload, "action", &x) == 1)) {
      if (lumo_json_is_string(x)) lumo_json_decode(x, &it->text);
      else if (x.n && (x.p[0] == '{' || x.p[0] == '[')) lumo_buf_append(&it->text, x.p, x.n);
    } else if (lumo_json_get(payload, "output", &x) == 1) {
      lumo_span part;
      if (x.n && x.p[0] == '{' && lumo_json_get(x, "text", &part) == 1) lumo_json_texts(part, &it->text);
      else if (x.n && x.p[0] == '{' && lumo_json_get(x, "content", &part) == 1) lumo_json_texts(part, &it->text);
      else lumo_json_texts(x, &it->text);
    }
    if (lumo_json_get(payload, "name", &x) == 1 && lumo_json_is_string(x)) lumo_json_decode(x, &it->tool_name);
    else if (strcmp(it->type.p, "local_shell_call") == 0) lumo_buf_append(&it->tool_name, "local_shell", 11);
    else if (strcmp(it->type.p, "web_search_call") == 0) lumo_buf_append(&it->tool_name, "web_search", 10);
    if (lumo_json_get(payload, "call_id", &x) == 1 && lumo_json_is_string(x)) lumo_json_decode(x, &it->call_id);
  }
  lumo_buf_nul(&it->text);
  lumo_buf_nul(&it->tool_name);
  lumo_buf_nul(&it->call_id);
  if (it->text.oom || it->tool_name.oom || it->call_id.oom) return CODEX_NOMEM; /* a cut text is not the text */
  /* 2.4.5 rule b for the conversation: a fork's copied history belongs to turns that
  ** started before the thread existed */
  it->is_replay = s->is_fork && s->has_turn && s->start_ms && s->turn_started_ms < (s->start_ms / 1000) * 1000;
  return CODEX_ROW;
}

void codex_item_free(codex_item *it) {
  lumo_buf_free(&it->type);
  lumo_buf_free(&it->text);
  lumo_buf_free(&it->tool_name);
  lumo_buf_free(&it->call_id);
}

/* Rule a's evidence: the running totals of the parent's token_count events up to the
** fork (re-emissions dropped, as the child's are; a malformed line skipped, as in the
** child). Without a parent file, or one that cannot be read, rules b and c decide. */
static int load_parent(codex_state *s) {
  static const char *const event_lines[] = {"event_msg", NULL};
  s->parent_loaded = 1;
  const char *path = s->find && s->parent_id.len ? s->find(s->find_ctx, s->parent_id.p) : NULL;
  lumo_reader rd;
  if (!path || lumo_reader_open(&rd, path, 0, 0)) return SQLITE_OK;
  int cap = 0, rc = SQLITE_OK, st;
  const char *p;
  size_t n;
  while ((st = lumo_reader_next(&rd, &p, &n)) == LUMO_LINE_OK) {
    lumo_span type, payload, ts, info, tot;
    if (envelope(p, n, event_lines, &type, &payload, &ts) != CODEX_ROW || !type.n ||
        lumo_json_get(payload, "info", &info) != 1 || !info.n || info.p[0] != '{' ||
        lumo_json_get(info, "total_token_usage", &tot) != 1 || !tot.n || tot.p[0] != '{')
      continue;
    if (s->start_ms && ts.n && ts_ms(ts) > s->start_ms) break; /* after the fork */
    codex_counts c;
    read_usage(tot, &c, NULL);
    if (s->nparent && counts_equal(&c, &s->parent[s->nparent - 1])) continue; /* re-emitted */
    if (s->nparent == cap) {
      cap = cap ? cap * 2 : 64;
      codex_counts *nv = sqlite3_realloc64(s->parent, sizeof(*nv) * (size_t)cap);
      if (!nv) {
        rc = SQLITE_NOMEM;
        break;
      }
      s->parent = nv;
    }
    s->parent[s->nparent++] = c;
  }
  lumo_reader_close(&rd);
  if (!s->nparent) { /* nothing to match: rules b and c */
    sqlite3_free(s->parent);
    s->parent = NULL;
  }
  return rc;
}

void codex_state_init(codex_state *s) {
  memset(s, 0, sizeof(*s));
  s->opening_run = 1;
}

void codex_state_free(codex_state *s) {
  lumo_buf_free(&s->thread_id);
  lumo_buf_free(&s->cwd);
  lumo_buf_free(&s->model);
  lumo_buf_free(&s->parent_id);
  sqlite3_free(s->parent);
  memset(s, 0, sizeof(*s));
}

/* Why a rollout did not open, for the diagnostic: *kind unsupported or unreadable. */
const char *codex_open_error(const lumo_file *f, const char **kind) {
  int zst = lumo_ends_with(f->path, ".zst") && !lumo_reader_zstd();
  *kind = zst ? "unsupported" : "unreadable";
  return zst ? "compressed rollout (.zst): this build of lumo has no libzstd (install libzstd-dev and rebuild)"
             : "cannot open";
}

/* The rollout of a thread among files: its name ends with -<thread id>.jsonl (.gz, .zst). */
const char *codex_thread_file(const lumo_filelist *fl, const char *thread_id) {
  size_t tn = strlen(thread_id);
  for (int i = 0; i < fl->n; i++) {
    lumo_span base = lumo_path_last(fl->f[i].path, strlen(fl->f[i].path));
    const char *dot = memchr(base.p, '.', base.n);
    size_t stem = dot ? (size_t)(dot - base.p) : base.n;
    if (stem > tn && base.p[stem - tn - 1] == '-' && memcmp(base.p + stem - tn, thread_id, tn) == 0)
      return fl->f[i].path;
  }
  return NULL;
}

/* Roots: the argument, else $CODEX_HOME, else ~/.codex (comma lists allowed). */
int codex_roots(const char *arg, char ***roots, int *n) {
  return lumo_roots_default(arg, "CODEX_HOME", "", "~/.codex", roots, n);
}

/* Rollouts under sessions/ and archived_sessions/: *.jsonl, *.jsonl.gz and *.jsonl.zst
** (listed even when lumo was built without libzstd, so that they are reported). */
int codex_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source) {
  static const char *const suffixes[] = {".jsonl", ".jsonl.gz", ".jsonl.zst", NULL};
  static const char *const dirs[] = {"sessions", "archived_sessions", NULL};
  for (int i = 0; i < nroot; i++) {
    for (int d = 0; dirs[d]; d++) {
      char *dir = sqlite3_mprintf("%s/%s", roots[i], dirs[d]);
      if (!dir) return SQLITE_NOMEM;
      int rc = lumo_walk(fl, dir, strlen(roots[i]) + 1, i, suffixes, c, source);
      sqlite3_free(dir);
      if (rc) return rc;
    }
  }
  return SQLITE_OK;
}

/* One line of a rollout, as every Codex reader takes it (codex_usage, codex_messages and
** lumo_sync): CODEX_LINE_ROW when it is a billed token_count event (*row set),
** CODEX_LINE_OTHER for any other JSON line (*p, *n: the line, for codex_item_line),
** CODEX_LINE_SKIP for a blank, too long or malformed line, CODEX_LINE_TORN for a last
** line that is incomplete and does not parse (the file is being written: an incremental
** reader stops there), CODEX_LINE_END at the end or on a read error. Too long, malformed,
** torn and unreadable lines are reported to c under source; the first two counted in
** *skipped. */
int codex_next_line(codex_state *s, lumo_reader *rd, const lumo_file *f, lumo_conn *c, const char *source,
                    codex_row *row, const char **p, size_t *n, int64_t *skipped) {
  int torn, raw = lumo_next_raw(rd, f, c, source, p, n, &torn, skipped);
  if (raw != LUMO_RAW_LINE) return raw == LUMO_RAW_END ? CODEX_LINE_END : raw == LUMO_RAW_TORN ? CODEX_LINE_TORN : CODEX_LINE_SKIP;
  memset(&s->bad_counts, 0, sizeof(s->bad_counts));
  int k = codex_line(s, *p, *n, row);
  if (k != CODEX_BAD) {
    lumo_count_report(c, source, f->rel, rd->line_no, &s->bad_counts);
    return k == CODEX_ROW ? CODEX_LINE_ROW : CODEX_LINE_OTHER;
  }
  return lumo_line_refused(rd, f, c, source, torn, "not a JSON object", skipped) ? CODEX_LINE_TORN : CODEX_LINE_SKIP;
}

/* The thread id of a rollout: the UUID its name ends with (rollout-<time>-<uuid>), else
** its first line's session_meta payload.id. Caller frees. */
static char *thread_of(const lumo_file *f) {
  lumo_span base = lumo_path_last(f->path, strlen(f->path));
  const char *dot = memchr(base.p, '.', base.n);
  size_t stem = dot ? (size_t)(dot - base.p) : base.n;
  if (stem > 37 && base.p[stem - 37] == '-') {
    const char *u = base.p + stem - 36;
    int ok = 1;
    for (int i = 0; i < 36 && ok; i++)
      ok = (i == 8 || i == 13 || i == 18 || i == 23) ? u[i] == '-' : ((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f'));
    if (ok) return sqlite3_mprintf("%.36s", u);
  }
  lumo_reader rd;
  if (lumo_reader_open(&rd, f->path, 0, 0)) return NULL;
  const char *p;
  size_t n;
  char *id = NULL;
  int st = lumo_reader_next(&rd, &p, &n);
  if (st == LUMO_LINE_OK || st == LUMO_LINE_TORN) {
    codex_state s;
    codex_row r;
    codex_state_init(&s);
    codex_line(&s, p, n, &r);
    if (s.thread_id.len) id = sqlite3_mprintf("%s", s.thread_id.p);
    codex_state_free(&s);
  }
  lumo_reader_close(&rd);
  return id;
}

typedef struct thread_file {
  char *id;
  int i;
} thread_file;

static int by_thread(const void *a, const void *b) {
  const thread_file *x = a, *y = b;
  int k = strcmp(x->id, y->id);
  return k ? k : (x->i > y->i) - (x->i < y->i);
}

/* Live and archived copies of one thread (Codex moves a rollout to archived_sessions/;
** a copy can stay behind): every reader reads one, the newest file, then the smaller
** path (the order of dedup.c's rule for a source whose later copy is the more complete).
** *skip (allocated here, one byte per file) marks the others, each reported under source
** as superseded. */
int codex_superseded(const lumo_filelist *fl, char **skip, lumo_conn *c, const char *source) {
  int n = fl->n;
  *skip = sqlite3_malloc64((size_t)(n ? n : 1));
  thread_file *t = sqlite3_malloc64(sizeof(*t) * (size_t)(n ? n : 1));
  if (!*skip || !t) {
    sqlite3_free(t);
    return SQLITE_NOMEM;
  }
  memset(*skip, 0, (size_t)(n ? n : 1));
  int m = 0;
  for (int i = 0; i < n; i++) {
    char *id = thread_of(&fl->f[i]);
    if (id) t[m++] = (thread_file){id, i};
  }
  qsort(t, (size_t)m, sizeof(*t), by_thread);
  for (int a = 0; a < m;) {
    int b = a + 1, best = a;
    for (; b < m && strcmp(t[b].id, t[a].id) == 0; b++) {
      const lumo_file *x = &fl->f[t[b].i], *y = &fl->f[t[best].i];
      if (x->mtime_ns != y->mtime_ns ? x->mtime_ns > y->mtime_ns : strcmp(x->rel, y->rel) < 0) best = b;
    }
    for (int k = a; k < b; k++) {
      if (k == best) continue;
      (*skip)[t[k].i] = 1;
      lumo_diag_add(c, source, fl->f[t[k].i].rel, 0, "superseded", "an older copy of thread %s; %s is read",
                    t[a].id, fl->f[t[best].i].rel);
    }
    a = b;
  }
  for (int i = 0; i < m; i++) sqlite3_free(t[i].id);
  sqlite3_free(t);
  return SQLITE_OK;
}
