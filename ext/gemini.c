/* gemini.c: the Gemini CLI source parser (spec: transcripts.md section 3). It reads one
** chat file, either the legacy whole-file JSON (v0.2-v0.38) or the append-only JSONL
** (v0.39+, with repeated message ids, $set checkpoints and $rewindTo), and hands every
** gemini message that has tokens to a callback, once per message id (the last line for
** an id wins), with lumo's normalised buckets: input = input - cached + tool,
** cache_read = cached, output = output + thoughts, reasoning = thoughts. A message's
** model is its own, else the session's top-level one, else the previous message's (3.5.5).
** It knows nothing of SQLite tables or deduplication across files. */
#include "lumo_int.h"
#include "gemini.h"
#include "dedup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEMINI_MAX_JSON_FILE ((int64_t)256 << 20)

/* A count of a tokens object: absent is 0; a value that is not a count is 0 too, noted
** in bad for the message's diagnostic. */
static int64_t tok(lumo_span obj, const char *key, lumo_count_issue *bad) {
  lumo_span v;
  int64_t x = 0;
  if (lumo_json_get(obj, key, &v) != 1) return 0;
  lumo_count_note(bad, key, lumo_json_count(v, &x), v);
  return x;
}

/* Reports a line (or, at line 0, the file) to the reader's caller. */
static void report(gemini_file *g, int64_t line, const char *kind, const char *detail) {
  if (g->bad_line) g->bad_line(g->bad_ctx, line, kind, detail);
}

static int str_eq(lumo_span v, const char *lit) {
  size_t n = strlen(lit);
  return v.n == n + 2 && v.p[0] == '"' && memcmp(v.p + 1, lit, n) == 0;
}

/* Copies g->tmp into the arena; NULL (and g->oom set) when memory ran out, so that a
** field lost to an allocation failure ends the read with SQLITE_NOMEM, never a NULL value. */
static const char *keep_tmp(gemini_file *g) {
  const char *d = g->tmp.oom ? NULL : lumo_arena_dup(&g->arena, g->tmp.p, g->tmp.len);
  if (!d) g->oom = 1;
  return d;
}

/* Decodes a string span into the arena; NULL when absent or not a string (or out of
** memory, with g->oom set). */
static const char *dup_str(gemini_file *g, lumo_span v) {
  if (!lumo_json_is_string(v) || v.n <= 2) return NULL;
  g->tmp.len = 0;
  if (lumo_json_decode(v, &g->tmp)) {
    if (g->tmp.oom) g->oom = 1;
    return NULL;
  }
  return keep_tmp(g);
}

/* Records one message object (from a JSONL line or a messages array). */
static void take_message(gemini_file *g, lumo_span m, int64_t line) {
  lumo_span id, type, model, ts, tokens;
  if (lumo_json_get(m, "id", &id) != 1 || !lumo_json_is_string(id)) return;
  const char *ids = dup_str(g, id);
  if (!ids) return;
  gemini_msg *e = NULL;
  for (int i = g->n - 1; i >= 0; i--) /* a re-appended id replaces its earlier line */
    if (strcmp(g->msgs[i].id, ids) == 0) {
      e = &g->msgs[i];
      break;
    }
  if (!e) {
    if (g->n == g->cap) {
      int cap = g->cap ? g->cap * 2 : 64;
      gemini_msg *nm = sqlite3_realloc64(g->msgs, sizeof(*nm) * (size_t)cap);
      if (!nm) {
        g->oom = 1;
        return;
      }
      g->msgs = nm;
      g->cap = cap;
    }
    e = &g->msgs[g->n++];
    memset(e, 0, sizeof(*e));
    e->id = ids;
  }
  e->line = line;
  e->cut = g->line_cut;
  e->is_rewound = 0; /* a line for an id puts it (back) in the conversation */
  int has_type = lumo_json_get(m, "type", &type) == 1;
  e->is_gemini = has_type && str_eq(type, "gemini");
  e->type = has_type ? dup_str(g, type) : NULL;
  lumo_span content, calls;
  g->tmp.len = 0;
  if (lumo_json_get(m, "content", &content) == 1) lumo_json_texts(content, &g->tmp);
  e->text = g->tmp.len || g->tmp.oom ? keep_tmp(g) : NULL;
  /* what the user typed when the CLI expanded it (/init); "" when it holds no text */
  lumo_span display;
  e->display = NULL;
  if (lumo_json_get(m, "displayContent", &display) == 1 && !(display.n == 4 && memcmp(display.p, "null", 4) == 0)) {
    g->tmp.len = 0;
    lumo_json_texts(display, &g->tmp);
    e->display = g->tmp.len || g->tmp.oom ? keep_tmp(g) : ""; /* NULL: out of memory, g->oom set */
  }
  e->tool_calls = NULL;
  e->ntool_calls = 0;
  if (lumo_json_get(m, "toolCalls", &calls) == 1 && calls.n > 2 && calls.p[0] == '[') {
    lumo_json_obj a;
    lumo_span one;
    if (lumo_json_arr_open(&a, calls.p, calls.p + calls.n) == 0)
      while (lumo_json_arr_next(&a, &one) == 1) e->ntool_calls++;
    if (e->ntool_calls && !(e->tool_calls = lumo_arena_dup(&g->arena, calls.p, calls.n))) g->oom = 1;
  }
  if (lumo_json_get(m, "timestamp", &ts) == 1) e->timestamp = dup_str(g, ts);
  if (lumo_json_get(m, "model", &model) == 1 && lumo_json_is_string(model)) e->model = dup_str(g, model);
  e->has_tokens = 0;
  if (lumo_json_get(m, "tokens", &tokens) == 1 && tokens.n && tokens.p[0] == '{') {
    lumo_count_issue bad = {0};
    int64_t in = tok(tokens, "input", &bad), out = tok(tokens, "output", &bad), cached = tok(tokens, "cached", &bad);
    int64_t thoughts = tok(tokens, "thoughts", &bad), tool = tok(tokens, "tool", &bad);
    if (bad.n) {
      char *d = lumo_count_detail(&bad);
      report(g, line, lumo_count_why(bad.status), d ? d : "a value is not a token count");
      sqlite3_free(d);
    }
    e->has_tokens = 1;
    e->input = in - cached + tool > 0 ? in - cached + tool : 0;
    e->cache_read = cached;
    e->output = out + thoughts;
    e->reasoning = thoughts;
    e->tool = tool;
  }
}

/* Session fields: the whole legacy document, a JSONL metadata line or a $set object. A
** session-level "model" (some writers put it there and none on the messages) is the
** fallback of messages that name none; a later one replaces it, as $set updates do. */
static void take_meta(gemini_file *g, lumo_span obj) {
  lumo_span v;
  if (!g->session_id && lumo_json_get(obj, "sessionId", &v) == 1) g->session_id = dup_str(g, v);
  if (lumo_json_get(obj, "model", &v) == 1 && lumo_json_is_string(v)) {
    const char *model = dup_str(g, v);
    if (model) g->session_model = model;
  }
  if (lumo_json_get(obj, "kind", &v) == 1 && str_eq(v, "subagent")) g->is_subagent = 1;
}

typedef struct msg_ctx {
  gemini_file *g;
  int64_t line;
} msg_ctx;

static void take_message_cb(void *ctx, lumo_span m) {
  msg_ctx *mc = ctx;
  take_message(mc->g, m, mc->line);
}

static void take_messages_array(gemini_file *g, lumo_span arr, int64_t line) {
  msg_ctx mc = {g, line};
  lumo_json_each_object(arr, take_message_cb, &mc);
}

/* Marks the message with that id and every later one as rewound (unknown id: all). */
static void rewind_to(gemini_file *g, const char *id) {
  int from = 0;
  for (int i = 0; i < g->n; i++)
    if (id && strcmp(g->msgs[i].id, id) == 0) {
      from = i;
      break;
    }
  for (int i = from; i < g->n; i++) g->msgs[i].is_rewound = 1;
}

/* One JSONL line: metadata, message, $set or $rewindTo. 0 ok, -1 malformed. */
static int take_line(gemini_file *g, const char *p, size_t n, int64_t line) {
  lumo_span obj = {p, n}, v;
  lumo_json_obj o;
  lumo_span k;
  if (lumo_json_obj_open(&o, p, p + n)) return -1;
  int rc;
  while ((rc = lumo_json_obj_next(&o, &k, &v)) == 1) {
  }
  if (rc < 0 || lumo_json_ws(o.p, p + n) != p + n) return -1;
  if (lumo_json_get(obj, "$set", &v) == 1) {
    lumo_span msgs;
    take_meta(g, v);
    if (v.n && v.p[0] == '{' && lumo_json_get(v, "messages", &msgs) == 1 && msgs.n && msgs.p[0] == '[') {
      /* a checkpoint: the conversation is this array; a message it leaves out is no
      ** longer in the conversation (flagged as rewound), though it was billed */
      for (int i = 0; i < g->n; i++) g->msgs[i].is_rewound = 1;
      take_messages_array(g, msgs, line);
    }
    return 0;
  }
  if (lumo_json_get(obj, "$rewindTo", &v) == 1) {
    rewind_to(g, dup_str(g, v));
    return 0;
  }
  if (lumo_json_get(obj, "id", &v) == 1) {
    take_message(g, obj, line);
    return 0;
  }
  take_meta(g, obj);
  return 0;
}

/* After a file is read: a message without a model takes the session's, else the previous
** message's (spec 3.5 rule 5; the session's is read after the whole file, so a $set that
** names it late still applies), and a message bills when it is a gemini message with
** non-zero tokens (tokens null, absent or all zero: no usage yet). */
static void finish_file(gemini_file *g) {
  const char *previous = NULL;
  for (int i = 0; i < g->n; i++) {
    gemini_msg *m = &g->msgs[i];
    if (m->model) previous = m->model;
    else m->model = g->session_model ? g->session_model : previous;
    m->billable = m->is_gemini && m->has_tokens && m->input + m->output + m->cache_read > 0;
  }
}

/* Reads a chat file into g. Returns SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR with
** *why set (the file could not be read or is not JSON). Bad JSONL lines are reported
** through bad_line and skipped. */
int gemini_read(gemini_file *g, const char *path, void *ctx, gemini_bad_fn bad_line, const char **why) {
  *why = NULL;
  g->bad_line = bad_line;
  g->bad_ctx = ctx;
  lumo_buf fixed = {0}; /* a line or file with invalid UTF-8, repaired (lumo_utf8_fix) */
  int64_t nfix;
  if (lumo_ends_with(path, ".jsonl")) {
    lumo_reader rd;
    int rc = lumo_reader_open(&rd, path, 0, 0);
    if (rc) {
      *why = "cannot open";
      return rc == SQLITE_NOMEM ? rc : SQLITE_ERROR;
    }
    const char *p;
    size_t n;
    int st;
    while ((st = lumo_reader_next(&rd, &p, &n)) != LUMO_LINE_EOF && st != LUMO_LINE_ERROR) {
      size_t i = 0;
      while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r')) i++;
      if (i == n) continue;
      if (st == LUMO_LINE_TOOLONG) {
        report(g, rd.line_no, "too_long", "line too long to read: skipped");
        continue;
      }
      if (rd.line_cut) report(g, rd.line_no, "cut", "line over 64 MiB: strings cut to their first MiB; its counts are read");
      if ((nfix = lumo_utf8_fix(p, n, &fixed)) > 0) {
        /* an unfinished last line cut inside a character is torn, not wrong (lumo_next_raw) */
        if (nfix > (int64_t)(st == LUMO_LINE_TORN ? lumo_utf8_unfinished(p, n) : 0))
          report(g, rd.line_no, "invalid_utf8", "bytes that are not UTF-8 replaced by U+FFFD; the line is kept");
        p = fixed.p;
        n = fixed.len;
      }
      g->line_cut = rd.line_cut;
      if (take_line(g, p, n, rd.line_no))
        report(g, rd.line_no, st == LUMO_LINE_TORN ? "torn" : "malformed",
               st == LUMO_LINE_TORN ? "incomplete last line (no newline)" : "not a JSON object");
    }
    /* A read error ended the loop as the end of the file would have: the lines before it
    ** are kept, the error is reported (the rest of the file is not read: no silent loss) */
    if (st == LUMO_LINE_ERROR && rd.err == ENOMEM) g->oom = 1;
    else if (st == LUMO_LINE_ERROR) {
      char detail[160];
      snprintf(detail, sizeof(detail), "read error (%s): the lines after it were not read",
               rd.gz || rd.zst || !rd.err ? "corrupt compressed data?" : strerror(rd.err));
      report(g, rd.line_no + 1, "unreadable", detail);
      g->read_failed = 1;
    }
    lumo_reader_close(&rd);
    lumo_buf_free(&fixed);
    finish_file(g);
    return g->oom ? SQLITE_NOMEM : SQLITE_OK;
  }
  /* Legacy whole-file JSON: rewritten in full on every change, so it is read whole
  ** (these files are small; a file over GEMINI_MAX_JSON_FILE is refused). */
  lumo_buf b = {0};
  int frc = lumo_read_file(path, (size_t)GEMINI_MAX_JSON_FILE, &b);
  if (frc == SQLITE_NOMEM) {
    lumo_buf_free(&b);
    return SQLITE_NOMEM;
  }
  if (frc == SQLITE_CANTOPEN || frc == SQLITE_IOERR) {
    *why = frc == SQLITE_IOERR ? "read error" : "cannot open";
    lumo_buf_free(&b);
    return SQLITE_ERROR;
  }
  if (frc == SQLITE_OK && (nfix = lumo_utf8_fix(b.p ? b.p : "", b.len, &fixed)) > 0) {
    report(g, 0, "invalid_utf8", "bytes that are not UTF-8 replaced by U+FFFD; the file is read");
    lumo_buf_free(&b);
    b = fixed;
    memset(&fixed, 0, sizeof(fixed));
  }
  lumo_buf_free(&fixed);
  lumo_span all = {b.p ? b.p : "", b.len}, msgs;
  const char *end = lumo_json_skip(all.p, all.p + all.n);
  if (frc == SQLITE_TOOBIG) *why = "file too large";
  else if (!end || lumo_json_ws(end, all.p + all.n) != all.p + all.n || all.p[0] != '{')
    *why = "not a complete JSON document (caught mid-write?)";
  if (!*why) {
    take_meta(g, all);
    if (lumo_json_get(all, "messages", &msgs) == 1) take_messages_array(g, msgs, 1);
  }
  lumo_buf_free(&b);
  if (g->oom) return SQLITE_NOMEM;
  finish_file(g);
  return *why ? SQLITE_ERROR : SQLITE_OK;
}

int gemini_kind_skips(const char *kind) {
  return strcmp(kind, "too_long") == 0 || strcmp(kind, "torn") == 0 || strcmp(kind, "malformed") == 0;
}

/* The session a chat file's usage belongs to: chats/<parent>/<file> counts for <parent>
** (a subagent chat), else the file's sessionId, else its file name. Caller frees. */
char *gemini_session_new(const lumo_file *f, const gemini_file *g) {
  const char *ch = strstr(f->rel, "/chats/");
  const char *rest = ch ? ch + 7 : NULL;
  const char *slash = rest ? strchr(rest, '/') : NULL;
  if (slash) return sqlite3_mprintf("%.*s", (int)(slash - rest), rest);
  if (g->session_id) return sqlite3_mprintf("%s", g->session_id);
  lumo_span base = lumo_path_last(f->rel, strlen(f->rel));
  return sqlite3_mprintf("%.*s", (int)base.n, base.p);
}

void gemini_file_free(gemini_file *g) {
  sqlite3_free(g->msgs);
  lumo_arena_free(&g->arena);
  lumo_buf_free(&g->tmp);
  memset(g, 0, sizeof(*g));
}

/* Roots: the argument, else $GEMINI_CLI_HOME/.gemini, else ~/.gemini (comma lists allowed). */
int gemini_roots(const char *arg, char ***roots, int *n) {
  return lumo_roots_default(arg, "GEMINI_CLI_HOME", "/.gemini", "~/.gemini", roots, n);
}

/* Chat files: tmp/<project>/chats/ (and subagent folders below it), *.json and *.jsonl. */
int gemini_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source) {
  static const char *const suffixes[] = {".jsonl", ".json", NULL};
  for (int i = 0; i < nroot; i++) {
    char *dir = sqlite3_mprintf("%s/tmp", roots[i]);
    if (!dir) return SQLITE_NOMEM;
    lumo_filelist all = {0};
    int rc = lumo_walk(&all, dir, strlen(roots[i]) + 1, i, suffixes, c, source);
    sqlite3_free(dir);
    for (int j = 0; j < all.n; j++) {
      /* only files below a chats/ directory: logs.json and friends are not chats */
      if (rc == SQLITE_OK && strstr(all.f[j].rel, "/chats/")) {
        if (fl->n == fl->cap) {
          int cap = fl->cap ? fl->cap * 2 : 64;
          lumo_file *nf = sqlite3_realloc64(fl->f, sizeof(*nf) * (size_t)cap);
          if (!nf) {
            rc = SQLITE_NOMEM;
            sqlite3_free(all.f[j].path);
            continue;
          }
          fl->f = nf;
          fl->cap = cap;
        }
        fl->f[fl->n++] = all.f[j];
      } else {
        sqlite3_free(all.f[j].path);
      }
    }
    sqlite3_free(all.f);
    if (rc) return rc;
  }
  return SQLITE_OK;
}

/* The project of a chat file: tmp/<project>/chats/...; the text of
** tmp/<project>/.project_root (v0.29+ slugs) when present, else the directory name. NULL
** for a path without a project folder, and when memory ran out (then *oom is set). */
char *gemini_project_new(const lumo_file *f, int *oom) {
  const char *rel = f->rel; /* tmp/<project>/chats/... */
  const char *a = strchr(rel, '/');
  const char *b = a ? strchr(a + 1, '/') : NULL;
  if (!a || !b) return NULL;
  char *marker = sqlite3_mprintf("%.*s/.project_root", (int)(strlen(f->path) - strlen(b)), f->path);
  char *name = NULL;
  if (!marker) {
    *oom = 1;
    return NULL;
  }
  char buf[4096];
  size_t n = 0;
  FILE *fp = fopen(marker, "rb");
  sqlite3_free(marker);
  if (fp) {
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) n--;
    buf[n] = 0;
  }
  if (n) {
    lumo_span last = lumo_path_last(buf, n);
    name = sqlite3_mprintf("%.*s", (int)last.n, last.p);
  } else {
    name = sqlite3_mprintf("%.*s", (int)(b - a - 1), a + 1);
  }
  if (!name) *oom = 1;
  return name;
}

/* The ranking fields and token buckets of a billable message (strings are the caller's). */
void gemini_cand_numbers(const gemini_file *g, const gemini_msg *m, lumo_cand *k) {
  k->total = m->input + m->output + m->cache_read;
  k->line = m->line;
  k->copies = 1;
  k->input = m->input;
  k->output = m->output;
  k->cache_read = m->cache_read;
  k->reasoning = m->reasoning;
  k->is_rewound = m->is_rewound;
  k->is_sidechain = g->is_subagent;
}

static void tool_name_of(void *ctx, lumo_span call) {
  lumo_buf *out = ctx;
  lumo_span name;
  if (lumo_json_get(call, "name", &name) != 1 || !lumo_json_is_string(name)) return;
  if (out->len) lumo_buf_putc(out, ',');
  lumo_json_decode(name, out);
}

/* The names of a toolCalls array (JSON), comma-separated, appended. */
void gemini_tool_names(const char *tool_calls, lumo_buf *out) {
  lumo_json_each_object((lumo_span){tool_calls, strlen(tool_calls)}, tool_name_of, out);
}

/* The conversation role of a message type. */
const char *gemini_role(const char *type) {
  if (!type) return NULL;
  if (strcmp(type, "user") == 0) return "user";
  if (strcmp(type, "gemini") == 0) return "assistant";
  return NULL;
}
