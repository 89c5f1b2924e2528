/* json.c: a streaming JSON scanner written for transcript lines (RFC 8259).
** It walks the members of an object and hands out spans into the caller's buffer;
** values nobody asked for are skipped, strings with memchr, containers by bracket
** depth (with bracket types matched), without building a tree or allocating.
** Strings and numbers are decoded only on demand. Every read is bounded by `end`;
** malformed input gives NULL / -1, never a read past the buffer.
** Not done here: nothing is validated inside skipped strings beyond escape pairing;
** skipped containers are checked for balanced, matching brackets, terminated strings
** and legal characters, while members a caller reads are checked fully. */
#include "lumo_int.h"

#include <stdlib.h>
#include <string.h>

#define LUMO_JSON_MAX_DEPTH 4096

const char *lumo_json_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* p points just past the opening quote; returns just past the closing quote. */
static const char *skip_string_body(const char *p, const char *end) {
  for (;;) {
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q) return NULL;
    /* An odd run of backslashes before the quote escapes it. */
    const char *b = q;
    while (b > p && b[-1] == '\\') b--;
    if (((q - b) & 1) == 0) return q + 1;
    p = q + 1;
  }
}

const char *lumo_json_skip_string(const char *p, const char *end) {
  if (p >= end || *p != '"') return NULL;
  return skip_string_body(p + 1, end);
}

static const char *skip_number(const char *p, const char *end) {
  const char *s = p;
  if (p < end && *p == '-') p++;
  if (p >= end) return NULL;
  if (*p == '0') {
    p++;
  } else if (*p >= '1' && *p <= '9') {
    while (p < end && *p >= '0' && *p <= '9') p++;
  } else {
    return NULL;
  }
  if (p < end && *p == '.') {
    p++;
    const char *d = p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    if (p == d) return NULL;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    const char *d = p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    if (p == d) return NULL;
  }
  return p > s ? p : NULL;
}

static const char *skip_literal(const char *p, const char *end, const char *lit, size_t n) {
  if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0) return NULL;
  return p + n;
}

/* Skips an object or array starting at p ('{' or '['). Depth is tracked with a bit
** stack so that '[' ... '}' is refused; scalars between brackets are skipped by
** character class, which is enough to find the end and to refuse stray bytes. */
static const char *skip_container(const char *p, const char *end) {
  unsigned char stack[LUMO_JSON_MAX_DEPTH / 8];
  int depth = 0;
  while (p < end) {
    char c = *p;
    switch (c) {
      case '"':
        p = skip_string_body(p + 1, end);
        if (!p) return NULL;
        continue;
      case '{':
      case '[':
        if (depth >= LUMO_JSON_MAX_DEPTH) return NULL;
        if (c == '{') stack[depth >> 3] |= (unsigned char)(1u << (depth & 7));
        else stack[depth >> 3] &= (unsigned char)~(1u << (depth & 7));
        depth++;
        break;
      case '}':
      case ']': {
        if (depth == 0) return NULL;
        depth--;
        int is_obj = (stack[depth >> 3] >> (depth & 7)) & 1;
        if (is_obj != (c == '}')) return NULL;
        if (depth == 0) return p + 1;
        break;
      }
      case ',': case ':': case ' ': case '\t': case '\n': case '\r':
      case '-': case '+': case '.': case 'e': case 'E':
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        break;
      case 't':
        if (!skip_literal(p, end, "true", 4)) return NULL;
        p += 4;
        continue;
      case 'f':
        if (!skip_literal(p, end, "false", 5)) return NULL;
        p += 5;
        continue;
      case 'n':
        if (!skip_literal(p, end, "null", 4)) return NULL;
        p += 4;
        continue;
      default:
        return NULL;
    }
    p++;
  }
  return NULL;
}

/* Skips one value (after whitespace); returns just past it. */
const char *lumo_json_skip(const char *p, const char *end) {
  p = lumo_json_ws(p, end);
  if (p >= end) return NULL;
  switch (*p) {
    case '"': return skip_string_body(p + 1, end);
    case '{':
    case '[': return skip_container(p, end);
    case 't': return skip_literal(p, end, "true", 4);
    case 'f': return skip_literal(p, end, "false", 5);
    case 'n': return skip_literal(p, end, "null", 4);
    default: return skip_number(p, end);
  }
}

/* Opens a container whose first character is `open`. */
static int container_open(lumo_json_obj *o, const char *p, const char *end, char open) {
  p = lumo_json_ws(p, end);
  o->n = 0;
  o->err = 0;
  o->end = end;
  if (p >= end || *p != open) {
    o->err = 1;
    o->p = end;
    return -1;
  }
  o->p = p + 1;
  return 0;
}

/* The start of the next entry of a container: 1 with *at set, 0 at the closing
** character (o->p then points past it), -1 on malformed input. */
static int container_next(lumo_json_obj *o, char close, const char **at) {
  if (o->err) return -1;
  const char *p = lumo_json_ws(o->p, o->end);
  if (p >= o->end) goto bad;
  if (*p == close) {
    o->p = p + 1;
    return 0;
  }
  if (o->n > 0) {
    if (*p != ',') goto bad;
    p = lumo_json_ws(p + 1, o->end);
    if (p >= o->end) goto bad;
  }
  *at = p;
  return 1;
bad:
  o->err = 1;
  return -1;
}

/* The value starting at p: its span, and the iterator moves past it. */
static int container_value(lumo_json_obj *o, const char *p, lumo_span *val) {
  const char *e = lumo_json_skip(p, o->end);
  if (!e) {
    o->err = 1;
    return -1;
  }
  val->p = p;
  val->n = (size_t)(e - p);
  o->p = e;
  o->n++;
  return 1;
}

/* Opens an object at p (whitespace allowed before '{'). Returns 0, or -1. */
int lumo_json_obj_open(lumo_json_obj *o, const char *p, const char *end) {
  return container_open(o, p, end, '{');
}

/* Next member: 1 with key (raw, without quotes) and value span, 0 at the closing
** brace (o->p then points past it), -1 on malformed input. */
int lumo_json_obj_next(lumo_json_obj *o, lumo_span *key, lumo_span *val) {
  const char *p = NULL, *end = o->end;
  int rc = container_next(o, '}', &p);
  if (rc != 1) return rc;
  if (*p != '"') goto bad;
  const char *k = p + 1;
  p = skip_string_body(k, end);
  if (!p) goto bad;
  key->p = k;
  key->n = (size_t)(p - 1 - k);
  p = lumo_json_ws(p, end);
  if (p >= end || *p != ':') goto bad;
  return container_value(o, lumo_json_ws(p + 1, end), val);
bad:
  o->err = 1;
  return -1;
}

/* Opens an array at p (whitespace allowed before '['). Returns 0, or -1. The
** iterator reuses lumo_json_obj: n counts elements. */
int lumo_json_arr_open(lumo_json_obj *a, const char *p, const char *end) {
  return container_open(a, p, end, '[');
}

/* Next element: 1 with its span, 0 at the closing bracket, -1 on malformed input. */
int lumo_json_arr_next(lumo_json_obj *a, lumo_span *val) {
  const char *p = NULL;
  int rc = container_next(a, ']', &p);
  return rc == 1 ? container_value(a, p, val) : rc;
}

/* Compares a raw key with a literal; a key with escapes is decoded first. */
int lumo_json_key_is(lumo_span key, const char *lit, size_t n) {
  if (key.n == n && memcmp(key.p, lit, n) == 0) return 1;
  if (!memchr(key.p, '\\', key.n)) return 0;
  lumo_buf b = {0};
  lumo_span quoted = {key.p - 1, key.n + 2};
  int ok = lumo_json_decode(quoted, &b) == 0 && b.len == n && memcmp(b.p, lit, n) == 0;
  lumo_buf_free(&b);
  return ok;
}

/* Finds one member of an object span. Returns 1 found, 0 absent, -1 malformed. */
int lumo_json_get(lumo_span obj, const char *key, lumo_span *val) {
  lumo_json_obj o;
  lumo_span k, v;
  size_t kn = strlen(key);
  if (lumo_json_obj_open(&o, obj.p, obj.p + obj.n)) return -1;
  int rc;
  while ((rc = lumo_json_obj_next(&o, &k, &v)) == 1) {
    if (lumo_json_key_is(k, key, kn)) {
      *val = v;
      return 1;
    }
  }
  return rc;
}

int lumo_json_is_string(lumo_span v) { return v.n >= 2 && v.p[0] == '"'; }

int lumo_json_bool(lumo_span v) {
  if (v.n == 4 && memcmp(v.p, "true", 4) == 0) return 1;
  if (v.n == 5 && memcmp(v.p, "false", 5) == 0) return 0;
  return -1;
}

/* Integer value: 0 ok, -1 not a number or out of int64 range. Integral doubles
** (1e3, 5.0) are accepted; fractions are refused. */
int lumo_json_int(lumo_span v, int64_t *out) {
  const char *p = v.p, *end = v.p + v.n;
  if (p >= end) return -1;
  int neg = 0;
  if (*p == '-') {
    neg = 1;
    p++;
  }
  if (p >= end || *p < '0' || *p > '9') return -1;
  uint64_t acc = 0;
  const char *d = p;
  while (p < end && *p >= '0' && *p <= '9') {
    unsigned dig = (unsigned)(*p - '0');
    if (acc > (UINT64_MAX - dig) / 10) return -1;
    acc = acc * 10 + dig;
    p++;
  }
  if (p == end) {
    if (p - d > 1 && *d == '0') return -1;
    if (neg) {
      if (acc > (uint64_t)INT64_MAX + 1) return -1;
      *out = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
    } else {
      if (acc > (uint64_t)INT64_MAX) return -1;
      *out = (int64_t)acc;
    }
    return 0;
  }
  double x;
  if (lumo_json_double(v, &x)) return -1;
  if (x != x || x < -9.2233720368547758e18 || x >= 9.2233720368547758e18) return -1;
  int64_t i = (int64_t)x;
  if ((double)i != x) return -1;
  *out = i;
  return 0;
}

int lumo_json_double(lumo_span v, double *out) {
  if (skip_number(v.p, v.p + v.n) != v.p + v.n) return -1;
  char tmp[64];
  if (v.n >= sizeof(tmp)) {
    /* Very long numerals: the parser needs a terminated copy. */
    char *h = sqlite3_malloc64(v.n + 1);
    if (!h) return -1;
    memcpy(h, v.p, v.n);
    h[v.n] = 0;
    *out = lumo_strtod(h, NULL);
    sqlite3_free(h);
    return 0;
  }
  memcpy(tmp, v.p, v.n);
  tmp[v.n] = 0;
  *out = lumo_strtod(tmp, NULL);
  return 0;
}

static int hex4(const char *p, unsigned *out) {
  unsigned u = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    u <<= 4;
    if (c >= '0' && c <= '9') u |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') u |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') u |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = u;
  return 0;
}

static void put_utf8(lumo_buf *b, unsigned cp) {
  char t[4];
  size_t n;
  if (cp < 0x80) {
    t[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    t[0] = (char)(0xC0 | (cp >> 6));
    t[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12));
    t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    t[0] = (char)(0xF0 | (cp >> 18));
    t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  lumo_buf_append(b, t, n);
}

/* Decodes a string value (with its quotes) and appends UTF-8 to out. Lone
** surrogates and \u0000 become U+FFFD: a NUL would end the string for every C and
** SQLite text API, so ids differing only after it would collapse into one key. Raw
** bytes are copied as they are (lines are made valid UTF-8 before they are parsed:
** lumo_utf8_fix).
** Returns 0, or -1 when the value is not a well-formed string. With a limit (not 0) it
** stops once out holds that many bytes: what it appended is what the whole decode appends
** first (a string past the limit is not checked further). */
static int json_decode_upto(lumo_span v, lumo_buf *out, size_t limit) {
  if (v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"') return -1;
  const char *p = v.p + 1, *end = v.p + v.n - 1;
  while (p < end && !(limit && out->len >= limit)) {
    /* a run without escapes is copied at once, up to the limit */
    size_t room = limit ? limit - out->len : (size_t)(end - p);
    const char *q = memchr(p, '\\', (size_t)(end - p));
    size_t run = (size_t)((q ? q : end) - p);
    lumo_buf_append(out, p, run < room ? run : room);
    if (!q || run >= room) break;
    if (q + 1 >= end) return -1;
    char c = q[1];
    p = q + 2;
    switch (c) {
      case '"': lumo_buf_putc(out, '"'); break;
      case '\\': lumo_buf_putc(out, '\\'); break;
      case '/': lumo_buf_putc(out, '/'); break;
      case 'b': lumo_buf_putc(out, '\b'); break;
      case 'f': lumo_buf_putc(out, '\f'); break;
      case 'n': lumo_buf_putc(out, '\n'); break;
      case 'r': lumo_buf_putc(out, '\r'); break;
      case 't': lumo_buf_putc(out, '\t'); break;
      case 'u': {
        unsigned u;
        if (end - p < 4 || hex4(p, &u)) return -1;
        p += 4;
        if (u >= 0xD800 && u <= 0xDBFF) {
          unsigned lo;
          if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) == 0 &&
              lo >= 0xDC00 && lo <= 0xDFFF) {
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
          } else {
            u = 0xFFFD;
          }
        } else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0) {
          u = 0xFFFD;
        }
        put_utf8(out, u);
        break;
      }
      default: return -1;
    }
  }
  lumo_buf_nul(out);
  return out->oom ? -1 : 0;
}

int lumo_json_decode(lumo_span v, lumo_buf *out) { return json_decode_upto(v, out, 0); }

/* Calls fn(ctx, element) for every object element of an array span; other elements
** are skipped, and a malformed element ends the walk. */
void lumo_json_each_object(lumo_span arr, lumo_json_object_fn fn, void *ctx) {
  if (arr.n < 2 || arr.p[0] != '[') return;
  const char *p = arr.p + 1, *end = arr.p + arr.n - 1;
  for (;;) {
    p = lumo_json_ws(p, end);
    if (p >= end) break;
    if (*p == ',') {
      p++;
      continue;
    }
    const char *e = lumo_json_skip(p, end);
    if (!e) break;
    if (*p == '{') fn(ctx, (lumo_span){p, (size_t)(e - p)});
    p = e;
  }
}

typedef struct texts_ctx {
  lumo_buf *out;
  size_t limit; /* 0: none */
} texts_ctx;

static void text_member(void *ctx, lumo_span obj) {
  texts_ctx *x = ctx;
  lumo_span t;
  if (x->limit && x->out->len >= x->limit) return;
  if (lumo_json_get(obj, "text", &t) == 1 && lumo_json_is_string(t)) {
    if (x->out->len) lumo_buf_putc(x->out, '\n');
    json_decode_upto(t, x->out, x->limit);
  }
}

/* Appends the text of a value that is a string, or an array of parts each holding a
** "text" string (Codex content and reasoning summaries, Gemini Part[]), joined by
** newlines. Other values add nothing. */
void lumo_json_texts_upto(lumo_span v, lumo_buf *out, size_t limit) {
  if (!v.n) return;
  texts_ctx x = {out, limit};
  if (v.p[0] == '"') json_decode_upto(v, out, limit);
  else lumo_json_each_object(v, text_member, &x);
}

void lumo_json_texts(lumo_span v, lumo_buf *out) { lumo_json_texts_upto(v, out, 0); }

/* ------------------------------------------------------------------ counts */

/* A digit string ("123"): its value, else -1. Agents that serialise counts as strings
** write exactly this; signs, spaces and fractions are not counts. */
static int digit_string(lumo_span v, int64_t *out) {
  if (v.n < 3 || v.p[0] != '"' || v.p[v.n - 1] != '"') return -1;
  for (size_t i = 1; i + 1 < v.n; i++)
    if (v.p[i] < '0' || v.p[i] > '9') return -1;
  int64_t x = 0;
  for (size_t i = 1; i + 1 < v.n; i++) {
    x = x * 10 + (v.p[i] - '0'); /* x <= LUMO_COUNT_MAX before: no overflow */
    if (x > LUMO_COUNT_MAX) return LUMO_COUNT_OUT_OF_RANGE;
  }
  *out = x;
  return LUMO_COUNT_OK;
}

/* A token count, as every source parser takes it. Whole numbers (5, 5.0, 1e3) and digit
** strings ("5") in [0, LUMO_COUNT_MAX] are counts; anything else is not used (*out = 0)
** and says why: LUMO_COUNT_WRONG_TYPE (null, true, a fraction, a string, an array...),
** LUMO_COUNT_OUT_OF_RANGE (negative, above the bound, beyond int64). The bound keeps
** every sum of counts (totals, deltas, prices) far inside int64 and a double's exact
** integers. */
int lumo_json_count(lumo_span v, int64_t *out) {
  int64_t x;
  *out = 0;
  if (!v.n) return LUMO_COUNT_WRONG_TYPE;
  if (v.p[0] == '"') {
    int rc = digit_string(v, &x);
    if (rc < 0) return LUMO_COUNT_WRONG_TYPE;
    if (rc == LUMO_COUNT_OK) *out = x;
    return rc;
  }
  if (lumo_json_int(v, &x) == 0) {
    if (x < 0 || x > LUMO_COUNT_MAX) return LUMO_COUNT_OUT_OF_RANGE;
    *out = x;
    return LUMO_COUNT_OK;
  }
  double d;
  if (lumo_json_double(v, &d) != 0) return LUMO_COUNT_WRONG_TYPE; /* not a number */
  /* a number lumo_json_int refused: beyond int64, or a fraction */
  if (d < 0 || d >= 9.2233720368547758e18) return LUMO_COUNT_OUT_OF_RANGE;
  return LUMO_COUNT_WRONG_TYPE;
}

const char *lumo_count_why(int status) {
  switch (status) {
    case LUMO_COUNT_WRONG_TYPE: return "wrong_type";
    case LUMO_COUNT_OUT_OF_RANGE: return "out_of_range";
    default: return NULL;
  }
}

void lumo_count_note(lumo_count_issue *b, const char *field, int status, lumo_span v) {
  if (status == LUMO_COUNT_OK) return;
  if (!b->n++) {
    b->field = field;
    b->status = status;
    b->value = v;
  }
}

/* The text of a record's count diagnostic: the first field that was not a count, its
** value (at most 40 bytes of it), and whether there were more. Caller frees. */
char *lumo_count_detail(const lumo_count_issue *b) {
  int shown = b->value.n > 40 ? 40 : (int)b->value.n;
  return sqlite3_mprintf("%s is %.*s%s, not a token count %s: counted as 0, the response is kept%s", b->field,
                         shown, b->value.p, (size_t)shown < b->value.n ? "..." : "",
                         b->status == LUMO_COUNT_OUT_OF_RANGE ? "in [0, 10^12]" : "(a whole number)",
                         b->n > 1 ? " (other counts of the record are not counts either)" : "");
}

void lumo_count_report(lumo_conn *c, const char *source, const char *file, int64_t line, const lumo_count_issue *b) {
  if (!b->n) return;
  char *d = lumo_count_detail(b);
  lumo_diag_add(c, source, file, line, lumo_count_why(b->status), "%s", d ? d : "a value is not a token count");
  sqlite3_free(d);
}

/* ------------------------------------------------------------------- UTF-8 */

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, at
** most U+10FFFF), 0 when the byte there starts none. NUL is refused too (see decode). */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0];
  if (c && c < 0x80) return 1;
  size_t n = (end - p);
  if (c >= 0xC2 && c <= 0xDF) return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0; /* overlong */
    if (c == 0xED && p[1] > 0x9F) return 0; /* surrogate */
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;
    if (c == 0xF4 && p[1] > 0x8F) return 0;
    return 4;
  }
  return 0;
}

/* Bytes that would break clients (SQLite stores TEXT as given, and Python's sqlite3
** then fails on the whole row): 0 when p[0,n) is valid UTF-8 without NUL; else out
** receives a copy with every invalid byte and every NUL replaced by U+FFFD, and the
** count of replacements is returned. */
int64_t lumo_utf8_fix(const char *p, size_t n, lumo_buf *out) {
  const unsigned char *s = (const unsigned char *)p, *end = s + n, *q = s;
  while (q < end) { /* fast path: ASCII runs, a word at a time while no byte is 0 or >= 0x80 */
    if (end - q >= 8) {
      uint64_t w;
      memcpy(&w, q, 8);
      if (!((w | ((w - 0x0101010101010101u) & ~w)) & 0x8080808080808080u)) {
        q += 8;
        continue;
      }
    }
    if (*q && *q < 0x80) {
      q++;
      continue;
    }
    size_t k = utf8_seq(q, end);
    if (!k) break;
    q += k;
  }
  if (q == end) return 0;
  int64_t bad = 0;
  out->len = 0;
  lumo_buf_append(out, p, (size_t)(q - s));
  while (q < end) {
    size_t k = utf8_seq(q, end);
    if (k) {
      const unsigned char *r = q + k; /* copy a valid run at once */
      while (r < end && (k = utf8_seq(r, end)) != 0) r += k;
      lumo_buf_append(out, (const char *)q, (size_t)(r - q));
      q = r;
    } else {
      lumo_buf_append(out, "\xEF\xBF\xBD", 3);
      bad++;
      q++;
    }
  }
  lumo_buf_nul(out);
  return bad;
}

/* The bytes at the end of p[0, n) of a character p does not finish (0 to 3): an
** unfinished last line is cut wherever its writer is, often inside a character; each of
** those bytes is one U+FFFD of lumo_utf8_fix, and no wrong byte to report. */
size_t lumo_utf8_unfinished(const char *p, size_t n) {
  for (size_t k = 1; k <= 3 && k <= n; k++) {
    unsigned char b = (unsigned char)p[n - k];
    if ((b & 0xC0) == 0x80) continue; /* a continuation byte: look further back */
    size_t len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    return len > k ? k : 0;
  }
  return 0;
}

/* ------------------------------------------------------- strict validation */

/* A string from its opening quote, strictly (RFC 8259: no control character, only the
** escapes \" \\ \/ \b \f \n \r \t \uXXXX); returns just past the closing quote. */
static const char *strict_string(const char *p, const char *end) {
  for (p++; p < end; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"') return p + 1;
    if (c < 0x20) return NULL;
    if (c != '\\') continue;
    if (++p >= end) return NULL;
    if (*p == 'u') {
      for (int i = 0; i < 4; i++)
        if (++p >= end || !((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f'))) return NULL;
    } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
      return NULL;
    }
  }
  return NULL;
}

/* Is p[0, n) one JSON value, strictly by RFC 8259, nested at most 1000 deep?
** Everything it accepts, SQLite's json_valid() accepts too (its limit is 2000 levels;
** it also takes some inputs this refuses), so the sync decides here and asks SQLite
** only about what this refuses: SQLite 3.40's json_valid() answers 0 instead of an
** error when its parse runs out of memory, which stored valid JSON as a quoted string. */
int lumo_json_valid_strict(const char *p, size_t n) {
  enum { MAX_DEPTH = 1000 };
  unsigned char is_obj[MAX_DEPTH];
  const char *end = p + n;
  int depth = 0;
  p = lumo_json_ws(p, end);
  for (;;) {
    /* a value at p */
    if (p >= end) return 0;
    if (*p == '{' || *p == '[') {
      if (depth == MAX_DEPTH) return 0;
      is_obj[depth++] = *p == '{';
      p = lumo_json_ws(p + 1, end);
      if (p < end && *p == (is_obj[depth - 1] ? '}' : ']')) { /* empty */
        depth--;
        p++;
        goto after_value;
      }
      if (is_obj[depth - 1]) goto member;
      continue;
    }
    if (*p == '"') p = strict_string(p, end);
    else if (*p == 't') p = skip_literal(p, end, "true", 4);
    else if (*p == 'f') p = skip_literal(p, end, "false", 5);
    else if (*p == 'n') p = skip_literal(p, end, "null", 4);
    else p = skip_number(p, end);
    if (!p) return 0;
  after_value:
    p = lumo_json_ws(p, end);
    for (;;) {
      if (depth == 0) return p == end;
      if (p >= end) return 0;
      if (*p == ',') {
        p = lumo_json_ws(p + 1, end);
        if (is_obj[depth - 1]) goto member;
        break; /* the next element */
      }
      if (*p != (is_obj[depth - 1] ? '}' : ']')) return 0;
      depth--;
      p = lumo_json_ws(p + 1, end);
    }
    continue;
  member: /* a key, a colon, then the value */
    if (p >= end || *p != '"' || !(p = strict_string(p, end))) return 0;
    p = lumo_json_ws(p, end);
    if (p >= end || *p != ':') return 0;
    p = lumo_json_ws(p + 1, end);
  }
}
