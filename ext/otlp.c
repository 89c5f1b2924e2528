/* otlp.c: the OTLP source parser (spec: otlp.md). It splits a dump file into documents
** (JSON lines, or pretty-printed documents spanning lines), walks each document's
** resources and scopes down to data points and log records, and decodes each into an
** otlp_rec: attributes as canonical JSON plus the promoted columns the views use,
** coerced by attribute name whatever the wire type (Claude Code sends token counts as
** intValue, Codex as stringValue, a Collector as quoted int64). Both spellings of
** every field name are accepted (camelCase, and the snake_case pdata also reads).
** Trace documents are recognised and left to the caller to report. */
#include "lumo_int.h"
#include "otlp.h"

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* --------------------------------------------------------------- documents */

const char *otlp_sniff(const char *path) {
  unsigned char m[4] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return NULL; /* the reader reports it */
  size_t n = fread(m, 1, 4, f);
  fclose(f);
  if (n == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd && !lumo_reader_zstd())
    return "zstd-compressed dump: this build of lumo has no libzstd (install libzstd-dev and rebuild)";
  if (n == 4 && m[0] == 0 && (m[1] | m[2] | m[3]))
    return "length-prefixed frames (file exporter format: proto, or compression): not supported, use format: json";
  return NULL;
}

int otlp_docs_open(otlp_docs *d, const char *path, int64_t start, int64_t start_line) {
  memset(d, 0, sizeof(*d));
  int rc = lumo_reader_open(&d->rd, path, start, start_line);
  d->rd.max_line = OTLP_MAX_DOC;
  d->rd.cut_at = 0; /* telemetry values are read whole or not at all (OTLP_MAX_DOC) */
  d->consumed = start;
  d->lines = start_line;
  return rc;
}

void otlp_docs_close(otlp_docs *d) {
  lumo_reader_close(&d->rd);
  lumo_buf_free(&d->acc);
}

/* The current line is used up and ended outside any document: it is consumed. */
static void line_done(otlp_docs *d) {
  d->consumed = d->rd.next_off;
  d->lines = d->rd.line_no;
  d->status = 0;
}

static int only_ws(const char *p, const char *end) { return lumo_json_ws(p, end) == end; }

int otlp_docs_next(otlp_docs *d, lumo_span *doc, int64_t *line, const char **why) {
  for (;;) {
    if (!d->status) {
      int st = lumo_reader_next(&d->rd, &d->line, &d->len);
      if (st == LUMO_LINE_EOF) {
        if (d->in_doc) { /* the file ends inside a document: being written */
          d->in_doc = 0;
          *line = d->doc_line;
          return OTLP_DOC_TORN;
        }
        return OTLP_DOC_EOF;
      }
      if (st == LUMO_LINE_ERROR) return OTLP_DOC_ERROR;
      if (st == LUMO_LINE_TOOLONG) {
        *line = d->rd.line_no;
        *why = "line longer than 64 MiB: skipped";
        d->in_doc = 0;
        d->skipping = 0;
        d->acc.len = 0;
        line_done(d);
        return OTLP_DOC_BAD;
      }
      d->status = st;
      d->pos = 0;
      if (!d->in_doc) { /* fast path: the line is one whole document (JSON lines) */
        const char *end = d->line + d->len, *s = lumo_json_ws(d->line, end);
        if (s == end) {
          line_done(d);
          continue;
        }
        const char *e = (*s == '{' || *s == '[') ? lumo_json_skip(s, end) : NULL;
        if (e && only_ws(e, end)) {
          *doc = (lumo_span){s, (size_t)(e - s)};
          *line = d->rd.line_no;
          line_done(d);
          return OTLP_DOC_OK;
        }
      }
    }
    /* Slow path: documents that span lines or share one. JSON strings cannot hold a raw
    ** newline, so bracket depth can be counted line by line. */
    const char *L = d->line, *end = d->line + d->len;
    size_t i = d->pos;
    while (i < d->len) {
      size_t start = i;
      int fresh = 0;
      if (!d->in_doc) {
        const char *s = lumo_json_ws(L + i, end);
        i = (size_t)(s - L);
        if (i == d->len) break;
        if (L[i] != '{' && L[i] != '[') {
          *line = d->rd.line_no;
          *why = "not a JSON document";
          line_done(d);
          return OTLP_DOC_BAD;
        }
        d->in_doc = 1;
        d->depth = 0;
        d->skipping = 0;
        d->doc_line = d->rd.line_no;
        d->acc.len = 0;
        start = i;
        fresh = 1;
      }
      int complete = 0;
      for (; i < d->len; i++) {
        char c = L[i];
        if (c == '"') {
          const char *q = lumo_json_skip_string(L + i, end);
          if (!q) break; /* unterminated: the document is judged when complete or at EOF */
          i = (size_t)(q - L) - 1;
        } else if (c == '{' || c == '[') {
          d->depth++;
        } else if (c == '}' || c == ']') {
          if (--d->depth <= 0) {
            i++;
            complete = 1;
            break;
          }
        }
      }
      if (!complete) {
        if (i < d->len) { /* a string not closed on its line */
          *line = d->doc_line;
          *why = "string not closed at the end of its line";
          d->in_doc = 0;
          line_done(d);
          return OTLP_DOC_BAD;
        }
        if (!d->skipping) {
          lumo_buf_append(&d->acc, L + start, d->len - start);
          lumo_buf_putc(&d->acc, '\n');
          if (d->acc.oom) return OTLP_DOC_ERROR;
          if (d->acc.len > OTLP_MAX_DOC) {
            d->skipping = 1;
            lumo_buf_free(&d->acc);
          }
        }
        if (d->status == LUMO_LINE_TORN) {
          d->in_doc = 0;
          d->status = 0;
          *line = d->doc_line;
          return OTLP_DOC_TORN;
        }
        d->status = 0; /* next line */
        break;
      }
      d->in_doc = 0;
      d->pos = i;
      *line = d->doc_line;
      int skipped = d->skipping;
      if (fresh) {
        *doc = (lumo_span){L + start, i - start};
      } else if (!skipped) {
        lumo_buf_append(&d->acc, L + start, i - start);
        if (d->acc.oom) return OTLP_DOC_ERROR;
        *doc = (lumo_span){d->acc.p, d->acc.len};
      }
      if (only_ws(L + i, end)) line_done(d);
      if (skipped) {
        d->skipping = 0;
        *why = "document longer than 64 MiB: skipped";
        return OTLP_DOC_BAD;
      }
      return OTLP_DOC_OK;
    }
    if (d->status && !d->in_doc) line_done(d);
  }
}

/* ------------------------------------------------------------ field names */

/* A member name in either spelling pdata accepts. */
static int key2(lumo_span k, const char *camel, const char *snake) {
  return lumo_json_key_is(k, camel, strlen(camel)) || (snake && lumo_json_key_is(k, snake, strlen(snake)));
}

static lumo_span unquote(lumo_span v) {
  if (v.n >= 2 && v.p[0] == '"') return (lumo_span){v.p + 1, v.n - 2};
  return v;
}

/* int64 written as a JSON string or number, never through a double. */
static int num_i64(lumo_span v, int64_t *out) { return lumo_json_int(unquote(v), out) == 0; }

/* double as a number, a decimal string, or "NaN" / "Infinity" / "-Infinity". */
static int num_f64(lumo_span v, double *out) {
  if (v.n && v.p[0] != '"') return lumo_json_double(v, out) == 0;
  lumo_span u = unquote(v);
  if (u.n == 3 && memcmp(u.p, "NaN", 3) == 0) *out = NAN;
  else if (u.n == 8 && memcmp(u.p, "Infinity", 8) == 0) *out = INFINITY;
  else if (u.n == 9 && memcmp(u.p, "-Infinity", 9) == 0) *out = -INFINITY;
  else return lumo_json_double(u, out) == 0;
  return 1;
}

/* ------------------------------------------------------------ attributes */

/* One KeyValue: the key's raw text (inside the quotes) and the AnyValue. */
typedef struct kv {
  lumo_span key, value;
  int order;
} kv;

typedef struct kv_list {
  kv *v;
  int n, cap;
  int oom, bad;
} kv_list;

static void kv_collect(kv_list *l, lumo_span arr) {
  l->n = 0;
  lumo_json_obj a;
  lumo_span e, k, v;
  if (!arr.n || lumo_json_arr_open(&a, arr.p, arr.p + arr.n)) {
    if (arr.n && !(arr.n == 4 && memcmp(arr.p, "null", 4) == 0)) l->bad = 1;
    return;
  }
  while (lumo_json_arr_next(&a, &e) == 1) {
    lumo_json_obj o;
    lumo_span key = {0}, val = {0};
    int has_key = 0;
    if (lumo_json_obj_open(&o, e.p, e.p + e.n)) {
      l->bad = 1;
      continue;
    }
    while (lumo_json_obj_next(&o, &k, &v) == 1) {
      if (LUMO_KEY(k, "key") && lumo_json_is_string(v)) {
        key = unquote(v);
        has_key = 1;
      } else if (LUMO_KEY(k, "value")) {
        val = v;
      }
    }
    if (!has_key) {
      l->bad = 1;
      continue;
    }
    if (l->n == l->cap) {
      int cap = l->cap ? l->cap * 2 : 32;
      kv *nv = sqlite3_realloc64(l->v, sizeof(kv) * (size_t)cap);
      if (!nv) {
        l->oom = 1;
        return;
      }
      l->v = nv;
      l->cap = cap;
    }
    l->v[l->n] = (kv){key, val, l->n};
    l->n++;
  }
}

/* The last value of a key (duplicates: the last one wins), or an empty span. */
static lumo_span kv_find(const kv_list *l, const char *key) {
  size_t n = strlen(key);
  for (int i = l->n - 1; i >= 0; i--)
    if (lumo_json_key_is(l->v[i].key, key, n)) return l->v[i].value;
  return (lumo_span){NULL, 0};
}

enum { AV_NONE, AV_STRING, AV_BOOL, AV_INT, AV_DOUBLE, AV_ARRAY, AV_KVLIST, AV_BYTES };

/* Which member an AnyValue holds, and that member's JSON value. */
static int av_kind(lumo_span v, lumo_span *inner) {
  lumo_json_obj o;
  lumo_span k, x;
  if (!v.n || lumo_json_obj_open(&o, v.p, v.p + v.n)) return AV_NONE;
  while (lumo_json_obj_next(&o, &k, &x) == 1) {
    int kind = key2(k, "stringValue", "string_value")   ? AV_STRING
               : key2(k, "boolValue", "bool_value")     ? AV_BOOL
               : key2(k, "intValue", "int_value")       ? AV_INT
               : key2(k, "doubleValue", "double_value") ? AV_DOUBLE
               : key2(k, "arrayValue", "array_value")   ? AV_ARRAY
               : key2(k, "kvlistValue", "kvlist_value") ? AV_KVLIST
               : key2(k, "bytesValue", "bytes_value")   ? AV_BYTES
                                                        : AV_NONE;
    if (kind == AV_NONE || (x.n == 4 && memcmp(x.p, "null", 4) == 0)) continue;
    *inner = x;
    return kind;
  }
  return AV_NONE;
}

static void kv_json(lumo_span arr, lumo_buf *out, int depth);

static void put_i64(lumo_buf *out, int64_t i) {
  char tmp[24];
  int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)i);
  lumo_buf_append(out, tmp, (size_t)n);
}

static void put_f64(lumo_buf *out, double d) {
  if (!isfinite(d)) {
    lumo_buf_append(out, "null", 4); /* JSON has no NaN or Infinity */
    return;
  }
  char tmp[32];
  int n = lumo_fmt_double(tmp, sizeof(tmp), "%.17g", d);
  lumo_buf_append(out, tmp, (size_t)n);
}

/* An AnyValue as JSON: strings, numbers and booleans as themselves, arrays as arrays,
** kvlists as objects, bytes as their base64 string, an empty value as null. */
static void av_json(lumo_span v, lumo_buf *out, int depth) {
  lumo_span x;
  int64_t i;
  double d;
  switch (depth > 64 ? AV_NONE : av_kind(v, &x)) {
    case AV_STRING:
    case AV_BYTES:
      if (lumo_json_is_string(x)) lumo_buf_append(out, x.p, x.n);
      else lumo_buf_append(out, "null", 4);
      break;
    case AV_BOOL: {
      int b = lumo_json_bool(x);
      if (b < 0 && lumo_json_is_string(x)) b = unquote(x).n == 4 && memcmp(unquote(x).p, "true", 4) == 0;
      lumo_buf_append(out, b > 0 ? "true" : b == 0 ? "false" : "null", b > 0 ? 4 : 5 - (b < 0));
      break;
    }
    case AV_INT:
      if (num_i64(x, &i)) put_i64(out, i);
      else lumo_buf_append(out, "null", 4);
      break;
    case AV_DOUBLE:
      if (x.n && x.p[0] != '"' && num_f64(x, &d)) lumo_buf_append(out, x.p, x.n);
      else if (num_f64(x, &d)) put_f64(out, d);
      else lumo_buf_append(out, "null", 4);
      break;
    case AV_ARRAY: {
      lumo_span vals = {0}, e;
      lumo_json_obj a;
      lumo_json_get(x, "values", &vals);
      lumo_buf_putc(out, '[');
      int first = 1;
      if (vals.n && lumo_json_arr_open(&a, vals.p, vals.p + vals.n) == 0) {
        while (lumo_json_arr_next(&a, &e) == 1) {
          if (!first) lumo_buf_putc(out, ',');
          first = 0;
          av_json(e, out, depth + 1);
        }
      }
      lumo_buf_putc(out, ']');
      break;
    }
    case AV_KVLIST: {
      lumo_span vals = {0};
      lumo_json_get(x, "values", &vals);
      kv_json(vals, out, depth + 1);
      break;
    }
    default: lumo_buf_append(out, "null", 4);
  }
}

static int kv_cmp(const void *a, const void *b) {
  const kv *x = a, *y = b;
  size_t n = x->key.n < y->key.n ? x->key.n : y->key.n;
  int c = memcmp(x->key.p, y->key.p, n);
  if (c) return c;
  if (x->key.n != y->key.n) return x->key.n < y->key.n ? -1 : 1;
  return x->order - y->order;
}

/* A KeyValue list as one JSON object with its keys sorted (so the same set of attributes
** always gives the same text, whatever order an exporter wrote it in); of duplicate keys
** the last one wins, as OTLP receivers do. */
static void kv_list_json(kv_list *l, lumo_buf *out, int depth) {
  if (l->n > 1) qsort(l->v, (size_t)l->n, sizeof(kv), kv_cmp);
  lumo_buf_putc(out, '{');
  int first = 1;
  for (int i = 0; i < l->n; i++) {
    const kv *e = &l->v[i];
    if (i + 1 < l->n && e->key.n == l->v[i + 1].key.n && memcmp(e->key.p, l->v[i + 1].key.p, e->key.n) == 0)
      continue; /* a later duplicate follows */
    if (!first) lumo_buf_putc(out, ',');
    first = 0;
    lumo_buf_putc(out, '"');
    lumo_buf_append(out, e->key.p, e->key.n);
    lumo_buf_append(out, "\":", 2);
    av_json(e->value, out, depth + 1);
  }
  lumo_buf_putc(out, '}');
}

static void kv_json(lumo_span arr, lumo_buf *out, int depth) {
  kv_list l = {0};
  kv_collect(&l, arr);
  kv_list_json(&l, out, depth);
  sqlite3_free(l.v);
}

/* ------------------------------------------------------------ coercion */

typedef struct walker {
  lumo_arena *a;
  lumo_buf tmp, json;
  kv_list res, attrs;     /* resource and record attributes */
  const char *why;        /* first wrong-typed element */
  int oom;
} walker;

static char *dup_span(walker *w, const char *p, size_t n) {
  char *s = lumo_arena_dup(w->a, p, n);
  if (!s) w->oom = 1;
  return s;
}

/* A JSON string member, decoded into the arena; NULL when it is not a string. */
static const char *str_val(walker *w, lumo_span v) {
  if (!lumo_json_is_string(v)) return NULL;
  w->tmp.len = 0;
  if (lumo_json_decode(v, &w->tmp)) return NULL;
  return dup_span(w, w->tmp.p ? w->tmp.p : "", w->tmp.len);
}

/* An attribute's value as text: a string decoded, numbers and booleans as written. */
static const char *av_text(walker *w, lumo_span v) {
  lumo_span x;
  int kind = av_kind(v, &x);
  if (kind == AV_NONE) return NULL;
  w->tmp.len = 0;
  if (kind == AV_STRING) {
    if (lumo_json_decode(x, &w->tmp)) return NULL;
  } else {
    av_json(v, &w->tmp, 0);
  }
  return dup_span(w, w->tmp.p ? w->tmp.p : "", w->tmp.len);
}

static int av_int(lumo_span v, int64_t *out) {
  lumo_span x;
  double d;
  switch (av_kind(v, &x)) {
    case AV_INT:
    case AV_STRING: return num_i64(x, out) || (num_f64(x, &d) && d == floor(d) && fabs(d) < 9e18 && (*out = (int64_t)d, 1));
    case AV_DOUBLE: return num_f64(x, &d) && d == floor(d) && fabs(d) < 9e18 && (*out = (int64_t)d, 1);
  }
  return 0;
}

static int av_double(lumo_span v, double *out) {
  lumo_span x;
  int64_t i;
  switch (av_kind(v, &x)) {
    case AV_DOUBLE:
    case AV_STRING: return num_f64(x, out) && isfinite(*out);
    case AV_INT: return num_i64(x, &i) && (*out = (double)i, 1);
  }
  return 0;
}

static int av_bool(lumo_span v) {
  lumo_span x;
  int64_t i;
  switch (av_kind(v, &x)) {
    case AV_BOOL: return lumo_json_bool(x);
    case AV_STRING: {
      lumo_span u = unquote(x);
      if (u.n == 4 && strncasecmp(u.p, "true", 4) == 0) return 1;
      if (u.n == 5 && strncasecmp(u.p, "false", 5) == 0) return 0;
      return -1;
    }
    case AV_INT: return num_i64(x, &i) ? i != 0 : -1;
  }
  return -1;
}

/* The record's attribute, else the resource's. */
static lumo_span attr(walker *w, const char *key) {
  lumo_span v = kv_find(&w->attrs, key);
  return v.n ? v : kv_find(&w->res, key);
}

static const char *attr_text(walker *w, const char *key) { return av_text(w, attr(w, key)); }

static int attr_num(walker *w, otlp_rec *r, int slot, const char *key) {
  int64_t i;
  if (!av_int(attr(w, key), &i)) return 0;
  r->num[slot] = i;
  r->has_num |= 1u << slot;
  return 1;
}

static int64_t attr_int0(walker *w, const char *key) {
  int64_t i;
  return av_int(attr(w, key), &i) ? i : 0;
}

/* ------------------------------------------------------------ records */

void otlp_ns_to_iso(int64_t ns, char out[32]) {
  int64_t ms = ns / 1000000;
  time_t s = (time_t)(ms / 1000);
  struct tm g;
  gmtime_r(&s, &g);
  char day[24];
  strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &g);
  snprintf(out, 32, "%s.%03dZ", day, (int)(ms % 1000));
}

/* Two 64-bit FNV-1a hashes of different start states over the same bytes: a 128-bit
** natural key (a collision would merge two different points; at 2^-64 per pair that
** needs billions of points to be likely). */
static const char *hex_key(walker *w, const char *p, size_t n) {
  uint64_t a = lumo_hash(p, n), b = lumo_hash_more(0x6c62272e07bb0142ULL, p, n);
  char k[33];
  snprintf(k, sizeof(k), "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
  return dup_span(w, k, 32);
}

static void key_part(lumo_buf *b, const char *s) {
  if (s) lumo_buf_append(b, s, strlen(s));
  lumo_buf_putc(b, '\x1f');
}

static void key_i64(lumo_buf *b, int64_t i) {
  put_i64(b, i);
  lumo_buf_putc(b, '\x1f');
}

static int starts(const char *s, const char *prefix) { return s && strncmp(s, prefix, strlen(prefix)) == 0; }

static const char *agent_of(const otlp_rec *r, const char *name) {
  if (starts(r->service_name, "claude-code") || starts(r->scope_name, "com.anthropic.claude_code") ||
      starts(name, "claude_code."))
    return "claude";
  if (starts(r->service_name, "codex") || starts(r->scope_name, "codex") || starts(name, "codex."))
    return "codex";
  if (starts(r->service_name, "gemini") || starts(name, "gemini_cli.")) return "gemini";
  return NULL;
}

/* Columns every record has, from its own attributes and its resource's. */
static void common(walker *w, otlp_rec *r) {
  w->json.len = 0;
  kv_list_json(&w->attrs, &w->json, 0);
  r->attributes = dup_span(w, w->json.p, w->json.len);
  r->session_id = attr_text(w, "session.id");
  if (!r->session_id) r->session_id = attr_text(w, "conversation.id"); /* Codex */
  r->model = attr_text(w, "model");
  r->type = attr_text(w, "type");
  r->decision = attr_text(w, "decision");
  r->source = attr_text(w, "source");
  r->tool_name = attr_text(w, "tool_name");
  if (!r->tool_name) r->tool_name = attr_text(w, "function_name"); /* Gemini */
  if (!r->tool_name) r->tool_name = attr_text(w, "tool");          /* Codex metrics */
  r->language = attr_text(w, "language");
  r->user_id = attr_text(w, "user.id");
  r->user_email = attr_text(w, "user.email");
  r->account_uuid = attr_text(w, "user.account_uuid");
  r->organization_id = attr_text(w, "organization.id");
  r->terminal_type = attr_text(w, "terminal.type");
}

static void resource_done(walker *w, otlp_rec *tmpl) {
  w->json.len = 0;
  kv_list_json(&w->res, &w->json, 0);
  tmpl->resource = dup_span(w, w->json.p, w->json.len);
  lumo_span v = kv_find(&w->res, "service.name");
  tmpl->service_name = av_text(w, v);
  tmpl->service_version = av_text(w, kv_find(&w->res, "service.version"));
}

/* Temporality written as 1 / 2, quoted, or as the enum's name. */
static const char *temporality(lumo_span v) {
  int64_t i = 0;
  if (!v.n) return NULL;
  if (!num_i64(v, &i)) {
    lumo_span u = unquote(v);
    if (u.n >= 5 && memcmp(u.p + u.n - 5, "DELTA", 5) == 0) i = 1;
    else if (u.n >= 10 && memcmp(u.p + u.n - 10, "CUMULATIVE", 10) == 0) i = 2;
  }
  return i == 1 ? "delta" : i == 2 ? "cumulative" : NULL;
}

static void int_array_json(lumo_span arr, lumo_buf *out) {
  lumo_json_obj a;
  lumo_span e;
  int64_t i;
  double d;
  int first = 1;
  lumo_buf_putc(out, '[');
  if (arr.n && lumo_json_arr_open(&a, arr.p, arr.p + arr.n) == 0) {
    while (lumo_json_arr_next(&a, &e) == 1) {
      if (!first) lumo_buf_putc(out, ',');
      first = 0;
      if (num_i64(e, &i)) put_i64(out, i);
      else if (num_f64(e, &d)) put_f64(out, d);
      else lumo_buf_append(out, "null", 4);
    }
  }
  lumo_buf_putc(out, ']');
}

/* Histogram, exponential histogram and summary detail as JSON. */
static const char *buckets_json(walker *w, lumo_span point, const char *kind) {
  lumo_json_obj o;
  lumo_span k, v, bounds = {0}, counts = {0}, quant = {0}, pos = {0}, neg = {0};
  int64_t scale = 0, zero = 0;
  if (lumo_json_obj_open(&o, point.p, point.p + point.n)) return NULL;
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (key2(k, "explicitBounds", "explicit_bounds")) bounds = v;
    else if (key2(k, "bucketCounts", "bucket_counts")) counts = v;
    else if (key2(k, "quantileValues", "quantile_values")) quant = v;
    else if (LUMO_KEY(k, "positive")) pos = v;
    else if (LUMO_KEY(k, "negative")) neg = v;
    else if (LUMO_KEY(k, "scale")) num_i64(v, &scale);
    else if (key2(k, "zeroCount", "zero_count")) num_i64(v, &zero);
  }
  lumo_buf *b = &w->json;
  b->len = 0;
  if (strcmp(kind, "histogram") == 0) {
    lumo_buf_append(b, "{\"bounds\":", 10);
    int_array_json(bounds, b);
    lumo_buf_append(b, ",\"counts\":", 10);
    int_array_json(counts, b);
    lumo_buf_putc(b, '}');
  } else if (strcmp(kind, "exponential_histogram") == 0) {
    lumo_buf_append(b, "{\"scale\":", 9);
    put_i64(b, scale);
    lumo_buf_append(b, ",\"zero_count\":", 14);
    put_i64(b, zero);
    const char *names[2] = {",\"positive\":", ",\"negative\":"};
    lumo_span side[2] = {pos, neg};
    for (int s = 0; s < 2; s++) {
      int64_t off = 0;
      lumo_span c = {0}, x;
      if (side[s].n && side[s].p[0] == '{') {
        if (lumo_json_get(side[s], "offset", &x) == 1) num_i64(x, &off);
        if (lumo_json_get(side[s], "bucketCounts", &c) != 1) lumo_json_get(side[s], "bucket_counts", &c);
      }
      lumo_buf_append(b, names[s], strlen(names[s]));
      lumo_buf_append(b, "{\"offset\":", 10);
      put_i64(b, off);
      lumo_buf_append(b, ",\"counts\":", 10);
      int_array_json(c, b);
      lumo_buf_putc(b, '}');
    }
    lumo_buf_putc(b, '}');
  } else if (strcmp(kind, "summary") == 0) {
    lumo_json_obj a;
    lumo_span e;
    int first = 1;
    lumo_buf_append(b, "{\"quantiles\":[", 14);
    if (quant.n && lumo_json_arr_open(&a, quant.p, quant.p + quant.n) == 0) {
      while (lumo_json_arr_next(&a, &e) == 1) {
        lumo_span q, val;
        double dq = 0, dv = 0;
        if (lumo_json_get(e, "quantile", &q) == 1) num_f64(q, &dq);
        if (lumo_json_get(e, "value", &val) == 1) num_f64(val, &dv);
        if (!first) lumo_buf_putc(b, ',');
        first = 0;
        lumo_buf_append(b, "{\"quantile\":", 12);
        put_f64(b, dq);
        lumo_buf_append(b, ",\"value\":", 9);
        put_f64(b, dv);
        lumo_buf_putc(b, '}');
      }
    }
    lumo_buf_append(b, "]}", 2);
  } else {
    return NULL;
  }
  return dup_span(w, b->p, b->len);
}

typedef struct walk_ctx {
  walker *w;
  otlp_rec_fn fn;
  void *ctx;
  int64_t mtime_ns, nrec;
  int rc;
} walk_ctx;

static void wrong_type(walker *w, const char *what) {
  if (!w->why) w->why = what;
}

static int emit(walk_ctx *c, otlp_rec *r) {
  if (c->w->oom) return SQLITE_NOMEM;
  c->nrec++;
  return c->fn(c->ctx, r);
}

static int data_point(walk_ctx *c, const otlp_rec *m, lumo_span pt) {
  walker *w = c->w;
  otlp_rec r = *m;
  lumo_json_obj o;
  lumo_span k, v, attrs = {0};
  if (lumo_json_obj_open(&o, pt.p, pt.p + pt.n)) {
    wrong_type(w, "a data point is not an object");
    return SQLITE_OK;
  }
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (LUMO_KEY(k, "attributes")) attrs = v;
    else if (key2(k, "timeUnixNano", "time_unix_nano")) num_i64(v, &r.time_ns);
    else if (key2(k, "startTimeUnixNano", "start_time_unix_nano")) num_i64(v, &r.start_ns);
    else if (key2(k, "asInt", "as_int")) r.value_type = num_i64(v, &r.value_int) ? 1 : (wrong_type(w, "asInt is not an integer"), 0);
    else if (key2(k, "asDouble", "as_double")) r.value_type = num_f64(v, &r.value_double) && isfinite(r.value_double) ? 2 : 0;
    else if (LUMO_KEY(k, "flags")) num_i64(v, &r.flags);
    else if (LUMO_KEY(k, "count")) r.has_count = num_i64(v, &r.count);
    else if (LUMO_KEY(k, "sum")) r.has_sum = num_f64(v, &r.sum);
    else if (LUMO_KEY(k, "min")) r.has_min = num_f64(v, &r.min);
    else if (LUMO_KEY(k, "max")) r.has_max = num_f64(v, &r.max);
  }
  if (r.flags & 1) r.value_type = 0; /* no recorded value: never a zero */
  kv_collect(&w->attrs, attrs);
  if (w->attrs.bad) wrong_type(w, "attributes is not a KeyValue list");
  if (w->attrs.oom) return SQLITE_NOMEM;
  common(w, &r);
  r.time_source = r.time_ns ? "record" : NULL;
  if (strcmp(r.kind, "sum") && strcmp(r.kind, "gauge")) r.buckets = buckets_json(w, pt, r.kind);
  w->tmp.len = 0;
  key_part(&w->tmp, r.resource);
  key_part(&w->tmp, r.scope_name);
  key_part(&w->tmp, r.metric);
  key_part(&w->tmp, r.kind);
  key_part(&w->tmp, r.attributes);
  r.series = hex_key(w, w->tmp.p, w->tmp.len);
  key_i64(&w->tmp, r.start_ns);
  key_i64(&w->tmp, r.time_ns);
  /* The value too: a retried batch repeats it, while two different values for one
  ** interval (seen in the spec's own sample) are two points, never one silently lost. */
  if (r.value_type == 1) key_i64(&w->tmp, r.value_int);
  else if (r.value_type == 2) put_f64(&w->tmp, r.value_double);
  if (r.has_count) key_i64(&w->tmp, r.count);
  r.key = hex_key(w, w->tmp.p, w->tmp.len);
  return emit(c, &r);
}

static int metric(walk_ctx *c, const otlp_rec *scope, lumo_span m) {
  walker *w = c->w;
  otlp_rec r = *scope;
  lumo_json_obj o;
  lumo_span k, v, data = {0};
  r.signal = OTLP_METRIC;
  if (lumo_json_obj_open(&o, m.p, m.p + m.n)) {
    wrong_type(w, "a metric is not an object");
    return SQLITE_OK;
  }
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (LUMO_KEY(k, "name")) r.metric = str_val(w, v);
    else if (LUMO_KEY(k, "unit")) r.unit = str_val(w, v);
    else if (LUMO_KEY(k, "sum")) r.kind = "sum", data = v;
    else if (LUMO_KEY(k, "gauge")) r.kind = "gauge", data = v;
    else if (LUMO_KEY(k, "histogram")) r.kind = "histogram", data = v;
    else if (key2(k, "exponentialHistogram", "exponential_histogram")) r.kind = "exponential_histogram", data = v;
    else if (LUMO_KEY(k, "summary")) r.kind = "summary", data = v;
  }
  if (!data.n || data.p[0] != '{') {
    if (data.n) wrong_type(w, "a metric's data is not an object");
    return SQLITE_OK; /* a metric with no data: nothing to count */
  }
  lumo_span points = {0};
  lumo_json_obj d;
  lumo_json_obj_open(&d, data.p, data.p + data.n);
  while (lumo_json_obj_next(&d, &k, &v) == 1) {
    if (key2(k, "dataPoints", "data_points")) points = v;
    else if (key2(k, "aggregationTemporality", "aggregation_temporality")) r.temporality = temporality(v);
    else if (key2(k, "isMonotonic", "is_monotonic")) r.is_monotonic = lumo_json_bool(v) == 1;
  }
  r.agent = agent_of(&r, r.metric);
  lumo_json_obj a;
  lumo_span pt;
  if (!points.n) return SQLITE_OK;
  if (lumo_json_arr_open(&a, points.p, points.p + points.n)) {
    wrong_type(w, "dataPoints is not an array");
    return SQLITE_OK;
  }
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK && lumo_json_arr_next(&a, &pt) == 1) rc = data_point(c, &r, pt);
  return rc;
}

/* The event name: the record's eventName, else the event.name attribute, else a body
** that is a bare name; Claude Code's bare names get their claude_code. prefix. */
static const char *event_name(walker *w, otlp_rec *r, lumo_span field) {
  const char *name = field.n > 2 ? str_val(w, field) : NULL;
  if (!name) name = attr_text(w, "event.name");
  if (!name && r->body && *r->body && !strchr(r->body, ' ') && strchr(r->body, '.')) name = r->body;
  if (name && !strchr(name, '.') && agent_of(r, NULL) && strcmp(agent_of(r, NULL), "claude") == 0) {
    char *full = sqlite3_mprintf("claude_code.%s", name);
    if (!full) w->oom = 1;
    name = full ? dup_span(w, full, strlen(full)) : NULL;
    sqlite3_free(full);
  }
  return name;
}

static const char *hex_id(walker *w, lumo_span v) {
  if (!lumo_json_is_string(v) || v.n <= 2) return NULL;
  lumo_span u = unquote(v);
  char *s = dup_span(w, u.p, u.n);
  if (s)
    for (char *q = s; *q; q++)
      if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
  return s;
}

/* Token counts in lumo's buckets, by the agent's own semantics (spec C.1-C.3). */
static void log_tokens(walker *w, otlp_rec *r) {
  if (r->agent && strcmp(r->agent, "codex") == 0) {
    lumo_span in = attr(w, "input_token_count");
    int64_t i;
    if (!av_int(in, &i)) return;
    int64_t cached = attr_int0(w, "cached_token_count");
    r->num[ON_INPUT] = i - cached; /* OpenAI input includes the cached part */
    r->num[ON_CACHE_READ] = cached;
    r->num[ON_OUTPUT] = attr_int0(w, "output_token_count"); /* reasoning already inside */
    r->num[ON_CACHE_CREATION] = attr_int0(w, "cache_write_token_count");
    r->num[ON_REASONING] = attr_int0(w, "reasoning_token_count");
    r->has_num |= 1u << ON_INPUT | 1u << ON_CACHE_READ | 1u << ON_OUTPUT | 1u << ON_CACHE_CREATION | 1u << ON_REASONING;
  } else if (r->agent && strcmp(r->agent, "gemini") == 0) {
    int64_t i;
    if (!av_int(attr(w, "input_token_count"), &i)) return;
    int64_t cached = attr_int0(w, "cached_content_token_count"), thoughts = attr_int0(w, "thoughts_token_count");
    r->num[ON_INPUT] = i - cached + attr_int0(w, "tool_token_count"); /* as gemini_usage */
    r->num[ON_CACHE_READ] = cached;
    r->num[ON_OUTPUT] = attr_int0(w, "output_token_count") + thoughts; /* thoughts bill as output */
    r->num[ON_CACHE_CREATION] = 0;
    r->num[ON_REASONING] = thoughts;
    r->has_num |= 1u << ON_INPUT | 1u << ON_CACHE_READ | 1u << ON_OUTPUT | 1u << ON_CACHE_CREATION | 1u << ON_REASONING;
  } else {
    attr_num(w, r, ON_INPUT, "input_tokens");
    attr_num(w, r, ON_OUTPUT, "output_tokens");
    attr_num(w, r, ON_CACHE_READ, "cache_read_tokens");
    attr_num(w, r, ON_CACHE_CREATION, "cache_creation_tokens");
  }
}

static int log_record(walk_ctx *c, const otlp_rec *scope, lumo_span lr) {
  walker *w = c->w;
  otlp_rec r = *scope;
  lumo_json_obj o;
  lumo_span k, v, attrs = {0}, body = {0}, name = {0};
  r.signal = OTLP_LOG;
  r.success = -1;
  if (lumo_json_obj_open(&o, lr.p, lr.p + lr.n)) {
    wrong_type(w, "a log record is not an object");
    return SQLITE_OK;
  }
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (LUMO_KEY(k, "attributes")) attrs = v;
    else if (LUMO_KEY(k, "body")) body = v;
    else if (key2(k, "eventName", "event_name")) name = v;
    else if (key2(k, "timeUnixNano", "time_unix_nano")) num_i64(v, &r.time_ns);
    else if (key2(k, "observedTimeUnixNano", "observed_time_unix_nano")) num_i64(v, &r.observed_ns);
    else if (key2(k, "severityNumber", "severity_number")) r.has_severity = num_i64(v, &r.severity_number);
    else if (key2(k, "severityText", "severity_text")) r.severity_text = str_val(w, v);
    else if (key2(k, "traceId", "trace_id")) r.trace_id = hex_id(w, v);
    else if (key2(k, "spanId", "span_id")) r.span_id = hex_id(w, v);
    else if (LUMO_KEY(k, "flags")) num_i64(v, &r.flags);
  }
  kv_collect(&w->attrs, attrs);
  if (w->attrs.bad) wrong_type(w, "attributes is not a KeyValue list");
  if (w->attrs.oom) return SQLITE_NOMEM;
  common(w, &r);
  r.body = av_text(w, body);
  r.agent = agent_of(&r, NULL);
  r.event_name = event_name(w, &r, name);
  if (!r.agent) r.agent = agent_of(&r, r.event_name);
  /* Older Claude Code releases named the tool attribute "name". */
  if (!r.tool_name && r.agent && strcmp(r.agent, "claude") == 0) r.tool_name = attr_text(w, "name");
  if (!r.source) r.source = attr_text(w, "decision_source");
  r.prompt_id = attr_text(w, "prompt.id");
  if (!r.prompt_id) r.prompt_id = attr_text(w, "prompt_id");
  r.request_id = attr_text(w, "request_id");
  if (!r.request_id) r.request_id = attr_text(w, "request.id");
  r.success = av_bool(attr(w, "success"));
  attr_num(w, &r, ON_SEQUENCE, "event.sequence");
  attr_num(w, &r, ON_PROMPT_LENGTH, "prompt_length");
  attr_num(w, &r, ON_DURATION_MS, "duration_ms");
  log_tokens(w, &r);
  r.has_cost = av_double(attr(w, "cost_usd"), &r.cost_usd);
  /* Time: the record's, else when it was observed, else the event.timestamp attribute,
  ** else the file's modification time (sanitised captures carry none at all). */
  int64_t ms;
  const char *ts;
  if (r.time_ns) r.time_source = "record";
  else if (r.observed_ns) r.time_ns = r.observed_ns, r.time_source = "observed";
  else if ((ts = attr_text(w, "event.timestamp")) && lumo_iso_to_ms(ts, &ms)) r.time_ns = ms * 1000000, r.time_source = "attribute";
  else r.time_ns = c->mtime_ns, r.time_source = "file";
  w->tmp.len = 0;
  key_part(&w->tmp, r.resource);
  key_part(&w->tmp, r.scope_name);
  key_i64(&w->tmp, strcmp(r.time_source, "file") ? r.time_ns : 0); /* the file's time is not the record's */
  key_part(&w->tmp, r.event_name);
  key_part(&w->tmp, r.body);
  key_part(&w->tmp, r.attributes);
  r.key = hex_key(w, w->tmp.p, w->tmp.len);
  return emit(c, &r);
}

static int scope_block(walk_ctx *c, const otlp_rec *res, lumo_span sb, int signal) {
  walker *w = c->w;
  otlp_rec r = *res;
  lumo_json_obj o, a;
  lumo_span k, v, recs = {0}, e;
  if (lumo_json_obj_open(&o, sb.p, sb.p + sb.n)) {
    wrong_type(w, "a scope entry is not an object");
    return SQLITE_OK;
  }
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (LUMO_KEY(k, "scope") && v.n && v.p[0] == '{') {
      lumo_span x;
      if (lumo_json_get(v, "name", &x) == 1) r.scope_name = str_val(w, x);
      if (lumo_json_get(v, "version", &x) == 1) r.scope_version = str_val(w, x);
    } else if (signal == OTLP_METRIC ? LUMO_KEY(k, "metrics") : key2(k, "logRecords", "log_records")) {
      recs = v;
    }
  }
  if (!recs.n) return SQLITE_OK;
  if (lumo_json_arr_open(&a, recs.p, recs.p + recs.n)) {
    wrong_type(w, "a record list is not an array");
    return SQLITE_OK;
  }
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK && lumo_json_arr_next(&a, &e) == 1)
    rc = signal == OTLP_METRIC ? metric(c, &r, e) : log_record(c, &r, e);
  return rc;
}

static int resource_block(walk_ctx *c, lumo_span rb, int signal) {
  walker *w = c->w;
  otlp_rec r;
  memset(&r, 0, sizeof(r));
  r.signal = signal;
  lumo_json_obj o, a;
  lumo_span k, v, scopes = {0}, e, rattrs = {0};
  if (lumo_json_obj_open(&o, rb.p, rb.p + rb.n)) {
    wrong_type(w, "a resource entry is not an object");
    return SQLITE_OK;
  }
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (LUMO_KEY(k, "resource") && v.n && v.p[0] == '{') lumo_json_get(v, "attributes", &rattrs);
    else if (signal == OTLP_METRIC ? key2(k, "scopeMetrics", "scope_metrics") : key2(k, "scopeLogs", "scope_logs"))
      scopes = v;
  }
  kv_collect(&w->res, rattrs);
  if (w->res.bad) wrong_type(w, "resource attributes is not a KeyValue list");
  if (w->res.oom) return SQLITE_NOMEM;
  resource_done(w, &r);
  /* the resource list is sorted by kv_list_json; lookups still find the last duplicate
  ** because the sort keeps equal keys in their original order */
  if (!scopes.n) return SQLITE_OK;
  if (lumo_json_arr_open(&a, scopes.p, scopes.p + scopes.n)) {
    wrong_type(w, "a scope list is not an array");
    return SQLITE_OK;
  }
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK && lumo_json_arr_next(&a, &e) == 1) rc = scope_block(c, &r, e, signal);
  return rc;
}

int otlp_walk(const char *p, size_t n, int signals, int64_t file_mtime_ns, lumo_arena *a, otlp_rec_fn fn,
              void *ctx, const char **why, int64_t *nrec) {
  lumo_json_obj o;
  lumo_span k, v;
  lumo_span lists[2] = {{0}, {0}};
  int traces = 0, known = 0;
  *why = NULL;
  *nrec = 0;
  if (lumo_json_skip(p, p + n) == NULL || lumo_json_obj_open(&o, p, p + n)) {
    *why = "not a JSON object";
    return OTLP_BAD;
  }
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    if (key2(k, "resourceMetrics", "resource_metrics")) lists[0] = v, known = 1;
    else if (key2(k, "resourceLogs", "resource_logs")) lists[1] = v, known = 1;
    else if (key2(k, "resourceSpans", "resource_spans")) traces = 1;
  }
  if (!known) return traces ? OTLP_TRACES : OTLP_NOT_OTLP;
  walker w;
  memset(&w, 0, sizeof(w));
  w.a = a;
  walk_ctx c = {&w, fn, ctx, file_mtime_ns, 0, SQLITE_OK};
  int rc = SQLITE_OK;
  for (int s = 0; s < 2 && rc == SQLITE_OK; s++) {
    int signal = s ? OTLP_LOG : OTLP_METRIC;
    lumo_json_obj arr;
    lumo_span e;
    if (!lists[s].n || !(signals & signal)) continue;
    if (lumo_json_arr_open(&arr, lists[s].p, lists[s].p + lists[s].n)) {
      wrong_type(&w, "a resource list is not an array");
      continue;
    }
    while (rc == SQLITE_OK && lumo_json_arr_next(&arr, &e) == 1) rc = resource_block(&c, e, signal);
  }
  if (rc == SQLITE_OK && (w.oom || w.tmp.oom || w.json.oom)) rc = SQLITE_NOMEM;
  lumo_buf_free(&w.tmp);
  lumo_buf_free(&w.json);
  sqlite3_free(w.res.v);
  sqlite3_free(w.attrs.v);
  *nrec = c.nrec;
  *why = w.why;
  return rc;
}

/* ------------------------------------------------------------------ files */

int otlp_roots(const char *arg, char ***roots, int *n) {
  return lumo_roots_default(arg, "LUMO_OTLP_DIR", "", "~/.lumo/otlp", roots, n);
}

/* .zst files are listed so that they are reported as unsupported, not silently ignored. */
static const char *const otlp_suffixes[] = {".json", ".jsonl", ".json.gz", ".jsonl.gz", ".json.zst", ".jsonl.zst", NULL};

/* One root: a directory (walked), a file (taken whatever its name), or a glob. */
static int add_root(lumo_filelist *fl, const char *root, int ri, lumo_conn *c, const char *source) {
  struct stat st;
  if (stat(root, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return lumo_walk(fl, root, strlen(root) + 1, ri, otlp_suffixes, c, source);
    const char *slash = strrchr(root, '/');
    return lumo_filelist_add(fl, root, slash ? (size_t)(slash - root) + 1 : 0, ri);
  }
  if (!strpbrk(root, "*?[")) return SQLITE_OK; /* missing: no rows */
  glob_t g;
  memset(&g, 0, sizeof(g));
  int rc = SQLITE_OK;
  if (glob(root, 0, NULL, &g) == 0) {
    for (size_t i = 0; rc == SQLITE_OK && i < g.gl_pathc; i++) {
      const char *path = g.gl_pathv[i];
      if (stat(path, &st) != 0) continue;
      if (S_ISDIR(st.st_mode)) {
        rc = lumo_walk(fl, path, strlen(path) + 1, ri, otlp_suffixes, c, source);
      } else {
        const char *slash = strrchr(path, '/');
        rc = lumo_filelist_add(fl, path, slash ? (size_t)(slash - path) + 1 : 0, ri);
      }
    }
  }
  globfree(&g);
  return rc;
}

int otlp_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source) {
  int rc = SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i < nroot; i++) rc = add_root(fl, roots[i], i, c, source);
  return rc;
}

/* ------------------------------------------------------------------ values */

static int v_text(otlp_val *v, const char *s) {
  v->s = s;
  return s ? OTLP_V_TEXT : OTLP_V_NULL;
}

static int v_int(otlp_val *v, int64_t i) {
  v->i = i;
  return OTLP_V_INT;
}

static int v_real(otlp_val *v, int has, double d) {
  v->d = d;
  return has && isfinite(d) ? OTLP_V_REAL : OTLP_V_NULL;
}

static int v_num(otlp_val *v, const otlp_rec *r, int slot) {
  return r->has_num & (1u << slot) ? v_int(v, r->num[slot]) : OTLP_V_NULL;
}

int otlp_get(const otlp_rec *r, int field, otlp_val *v) {
  switch (field) {
    case OF_TIME:
      if (!r->time_ns) return OTLP_V_NULL;
      otlp_ns_to_iso(r->time_ns, v->iso);
      return v_text(v, v->iso);
    case OF_TIME_NS: return r->time_ns ? v_int(v, r->time_ns) : OTLP_V_NULL;
    case OF_START_NS: return r->start_ns ? v_int(v, r->start_ns) : OTLP_V_NULL;
    case OF_OBSERVED_NS: return r->observed_ns ? v_int(v, r->observed_ns) : OTLP_V_NULL;
    case OF_TIME_SOURCE: return v_text(v, r->time_source);
    case OF_METRIC: return v_text(v, r->metric);
    case OF_UNIT: return v_text(v, r->unit);
    case OF_KIND: return v_text(v, r->kind);
    case OF_TEMPORALITY: return v_text(v, r->temporality);
    case OF_MONOTONIC: return v_int(v, r->is_monotonic);
    case OF_VALUE:
      if (r->value_type == 1) return v_int(v, r->value_int);
      return v_real(v, r->value_type == 2, r->value_double);
    case OF_COUNT: return r->has_count ? v_int(v, r->count) : OTLP_V_NULL;
    case OF_SUM: return v_real(v, r->has_sum, r->sum);
    case OF_MIN: return v_real(v, r->has_min, r->min);
    case OF_MAX: return v_real(v, r->has_max, r->max);
    case OF_BUCKETS: return v_text(v, r->buckets);
    case OF_FLAGS: return v_int(v, r->flags);
    case OF_SEVERITY_NUMBER: return r->has_severity ? v_int(v, r->severity_number) : OTLP_V_NULL;
    case OF_SEVERITY_TEXT: return v_text(v, r->severity_text);
    case OF_EVENT_NAME: return v_text(v, r->event_name);
    case OF_BODY: return v_text(v, r->body);
    case OF_ATTRIBUTES: return v_text(v, r->attributes);
    case OF_RESOURCE: return v_text(v, r->resource);
    case OF_SCOPE_NAME: return v_text(v, r->scope_name);
    case OF_SCOPE_VERSION: return v_text(v, r->scope_version);
    case OF_TRACE_ID: return v_text(v, r->trace_id);
    case OF_SPAN_ID: return v_text(v, r->span_id);
    case OF_AGENT: return v_text(v, r->agent);
    case OF_SERVICE_NAME: return v_text(v, r->service_name);
    case OF_SERVICE_VERSION: return v_text(v, r->service_version);
    case OF_SESSION_ID: return v_text(v, r->session_id);
    case OF_SEQUENCE: return v_num(v, r, ON_SEQUENCE);
    case OF_PROMPT_ID: return v_text(v, r->prompt_id);
    case OF_PROMPT_LENGTH: return v_num(v, r, ON_PROMPT_LENGTH);
    case OF_MODEL: return v_text(v, r->model);
    case OF_REQUEST_ID: return v_text(v, r->request_id);
    case OF_TYPE: return v_text(v, r->type);
    case OF_DECISION: return v_text(v, r->decision);
    case OF_SOURCE: return v_text(v, r->source);
    case OF_TOOL_NAME: return v_text(v, r->tool_name);
    case OF_LANGUAGE: return v_text(v, r->language);
    case OF_SUCCESS: return r->success >= 0 ? v_int(v, r->success) : OTLP_V_NULL;
    case OF_DURATION_MS: return v_num(v, r, ON_DURATION_MS);
    case OF_COST: return v_real(v, r->has_cost, r->cost_usd);
    case OF_INPUT: return v_num(v, r, ON_INPUT);
    case OF_OUTPUT: return v_num(v, r, ON_OUTPUT);
    case OF_CACHE_READ: return v_num(v, r, ON_CACHE_READ);
    case OF_CACHE_CREATION: return v_num(v, r, ON_CACHE_CREATION);
    case OF_REASONING: return v_num(v, r, ON_REASONING);
    case OF_USER_ID: return v_text(v, r->user_id);
    case OF_USER_EMAIL: return v_text(v, r->user_email);
    case OF_ACCOUNT_UUID: return v_text(v, r->account_uuid);
    case OF_ORGANIZATION_ID: return v_text(v, r->organization_id);
    case OF_TERMINAL_TYPE: return v_text(v, r->terminal_type);
    case OF_SERIES: return v_text(v, r->series);
    case OF_KEY: return v_text(v, r->key);
  }
  return OTLP_V_NULL;
}
