/* pricing.c: what a request costs (spec: pricing.md sections 2 and 6).
**   SELECT lumo_cost('claude-sonnet-4-5', 5, 812, 118422, 2876, 0);   -- 0.0585066
**   SELECT lumo_model('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
**   SELECT * FROM lumo_prices WHERE model LIKE 'gpt-5%';
** Prices come from, in order: overrides set on the connection (lumo_price_set), a
** LiteLLM file loaded with lumo_prices_load, else the snapshot compiled in from
** prices_data.h. lumo never fetches prices over the network. lumo_cost, lumo_model,
** lumo_price and lumo_prices read only their arguments and compiled-in or
** connection-set data: INNOCUOUS. lumo_prices_load reads a file and lumo_price_set
** changes what every later query on the connection sees: both DIRECTONLY, and
** neither is registered by sqlite3_lumo_nofs_init. Because of them (and of "now" as the
** default time) the price functions are not DETERMINISTIC: section at registration.
** Every row is in force for [valid_from, valid_to) (UTC); a cost is computed with the
** row in force at the request's time (spec section 7: dated price changes).
** The long-context tier is decided per request on input + cache reads + cache writes
** (strictly above the threshold) and then reprices the whole request, output too. */
#include "lumo_int.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct price_row {
  const char *model, *provider, *derived;
  int sid;                                  /* built-in rows: index in builtin_sources */
  const char *source;                       /* other rows: where it comes from */
  int64_t from, to;                         /* in force for [from, to), ms UTC; 0 = open */
  double tier, fast, geo;
  double in, out, cr, w5, w1;               /* list rates, USD per MTok */
  double in_t, out_t, cr_t, w5_t, w1_t;     /* above the tier */
  double in_p, out_p, cr_p, in_tp, out_tp, cr_tp; /* priority */
  double in_f, out_f, cr_f, in_b, out_b;    /* flex, batch */
  int strict;  /* overrides: a NULL rate the table cannot fill leaves the cost unknown, never 0 */
} price_row;

/* prices_data.h writes LUMO_OPEN for an unbounded end: 0 here, as no price row can
** start or end at 1970-01-01T00:00Z. */
#define LUMO_OPEN 0
#define LUMO_SOURCE(s) s,
static const char *const builtin_sources[] = {
#include "prices_data.h"
};
#undef LUMO_SOURCE
#define LUMO_PRICE(m, p, d, s, vf, vt, t, f, g, ...) {m, p, d, s, NULL, vf, vt, t, f, g, __VA_ARGS__, 0},
static const price_row builtin_prices[] = {
#include "prices_data.h"
};
#undef LUMO_PRICE
#define NBUILTIN ((int)(sizeof(builtin_prices) / sizeof(builtin_prices[0])))

enum { SRC_BUILTIN, SRC_FILE, SRC_OVERRIDE };
static const char *const source_names[] = {"built-in", "loaded file", "override"};

static const char *row_source(const price_row *r, int src) {
  if (src == SRC_BUILTIN) return builtin_sources[r->sid];
  return r->source ? r->source : source_names[src];
}

static int in_force(const price_row *r, int64_t at) {
  return (r->from == 0 || at >= r->from) && (r->to == 0 || at < r->to);
}

/* An immutable price table, shared by reference count: a change (a file loaded, an
** override set) builds a new table and drops the connection's reference to the old
** one, so a lumo_prices cursor that took a reference in xFilter keeps reading the rows
** it started with, whatever a function called during the scan does. */
typedef struct price_table {
  int nref;            /* -1: the static built-in table, never freed */
  uint64_t hash;       /* of every row's rates and ranges (0: not computed yet) */
  const price_row *rows;
  int n;
  price_row *owned;    /* rows, when allocated */
  lumo_arena strings;  /* owns the rows' strings */
} price_table;

static price_table builtin_table = {-1, 0, builtin_prices, NBUILTIN, NULL, {0}};

static price_table *table_ref(price_table *t) {
  if (t && t->nref > 0) t->nref++;
  return t;
}

static void table_unref(price_table *t) {
  if (!t || t->nref < 0 || --t->nref > 0) return;
  sqlite3_free(t->owned);
  lumo_arena_free(&t->strings);
  sqlite3_free(t);
}

/* Per-connection price state; user data of every pricing function. On a lumo database
** the overrides live in its price_overrides table (dbover), read again whenever the
** database changed since the last read (its data version, or this connection's own
** changes), so an override added or removed by any connection or the CLI counts from the
** next call on; `over` holds lumo_price_set's overrides on any other database. */
typedef struct price_state {
  price_table *table;  /* the loaded file's or &builtin_table; one reference held */
  price_table *over;   /* connection overrides (NULL: none), unsorted, few; one reference held */
  price_table *dbover; /* the main database's price_overrides as last read (NULL: none) */
  sqlite3 *db;         /* the connection, for dbover; NULL under the nofs entry point */
  unsigned int db_version;
  int64_t db_changes;
  int db_read;         /* dbover matches db_version and db_changes */
  int db_txn;          /* sqlite3_txn_state when read: a write transaction may roll back */
  int frozen;          /* a sync holds the prices it started with (its writes would re-read) */
  int nref;
} price_state;

static void db_overrides_refresh(price_state *ps);

static price_table *active_table(const price_state *ps, int *src) {
  price_table *t = ps && ps->table ? ps->table : &builtin_table;
  *src = t == &builtin_table ? SRC_BUILTIN : SRC_FILE;
  return t;
}

static double pick(double v, double fallback) { return isnan(v) ? fallback : v; }

static const price_row *over_find(const price_table *o, const char *key, int64_t at) {
  for (int i = 0; o && i < o->n; i++)
    if (strcmp(o->rows[i].model, key) == 0 && in_force(&o->rows[i], at)) return &o->rows[i];
  return NULL;
}

/* The first row of key in a table sorted by model (then valid_from), or -1. */
static int table_first(const price_table *tb, const char *key) {
  const price_row *t = tb->rows;
  int lo = 0, hi = tb->n - 1, first = -1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int c = strcmp(t[mid].model, key);
    if (c == 0) first = mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return first;
}

static const price_row *table_find(const price_table *tb, const char *key, int64_t at) {
  for (int i = table_first(tb, key); i >= 0 && i < tb->n && strcmp(tb->rows[i].model, key) == 0; i++)
    if (in_force(&tb->rows[i], at)) return &tb->rows[i];
  return NULL;
}

/* The row for exactly key in force at `at` (ms UTC): an override first (the
** connection's, then the database's), then the active table (sorted by model, then
** valid_from). An override's NULL rates are the table's rates for the same key and time,
** merged into *scratch. */
static const price_row *find_exact(const price_state *ps, const char *key, int64_t at, int *src,
                                   price_row *scratch) {
  int s;
  const price_table *tb = active_table(ps, &s);
  const price_row *o = ps ? over_find(ps->over, key, at) : NULL;
  if (!o && ps) o = over_find(ps->dbover, key, at);
  const price_row *base = table_find(tb, key, at);
  if (o) {
    if (src) *src = SRC_OVERRIDE;
    if (!base || !(isnan(o->in) || isnan(o->out) || isnan(o->cr) || isnan(o->w5) || isnan(o->w1))) return o;
    *scratch = *o;
    scratch->in = pick(o->in, base->in);
    scratch->out = pick(o->out, base->out);
    scratch->cr = pick(o->cr, base->cr);
    scratch->w5 = pick(o->w5, base->w5);
    scratch->w1 = pick(o->w1, base->w1);
    return scratch;
  }
  if (base && src) *src = s;
  return base;
}

/* Feeds every row find_exact could return for key, at any time, into h: what the key's
** price is, for the re-pricing fingerprint. */
static uint64_t key_hash(const price_state *ps, const char *key, uint64_t h) {
  static const size_t from = offsetof(price_row, from), to = offsetof(price_row, out_b) + sizeof(double);
  h = lumo_hash_more(h, key, strlen(key) + 1);
  const price_table *ov[2] = {ps ? ps->over : NULL, ps ? ps->dbover : NULL};
  for (int k = 0; k < 2; k++)
    for (int i = 0; ov[k] && i < ov[k]->n; i++)
      if (strcmp(ov[k]->rows[i].model, key) == 0) {
        h = lumo_hash_more(h, k ? "D" : "C", 1);
        h = lumo_hash_more(h, (const char *)&ov[k]->rows[i] + from, to - from);
      }
  int s;
  const price_table *tb = active_table(ps, &s);
  h = lumo_hash_more(h, s == SRC_BUILTIN ? "B" : "F", 1);
  for (int i = table_first(tb, key); i >= 0 && i < tb->n && strcmp(tb->rows[i].model, key) == 0; i++)
    h = lumo_hash_more(h, (const char *)&tb->rows[i] + from, to - from);
  return h;
}

/* ------------------------------------------------------------ model names */

static int strip_prefix(char *s, const char *pre) {
  size_t n = strlen(pre);
  if (strncmp(s, pre, n) != 0) return 0;
  memmove(s, s + n, strlen(s + n) + 1);
  return 1;
}

static int all_digits(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)p[i])) return 0;
  return 1;
}

/* Drops -YYYYMMDD or -YYYY-MM-DD at the end. */
static int strip_date(char *s) {
  size_t n = strlen(s);
  if (n > 9 && s[n - 9] == '-' && all_digits(s + n - 8, 8) && (s[n - 8] == '2')) {
    s[n - 9] = 0;
    return 1;
  }
  if (n > 11 && s[n - 11] == '-' && all_digits(s + n - 10, 4) && s[n - 6] == '-' &&
      all_digits(s + n - 5, 2) && s[n - 3] == '-' && all_digits(s + n - 2, 2)) {
    s[n - 11] = 0;
    return 1;
  }
  return 0;
}

/* Resolves a logged model name to a price row (spec pricing.md section 6): each step
** changes the name and tries it; the first key present wins, no fuzzy matching. buf
** receives the key that matched. Returns NULL when nothing matches. */
static const price_row *resolve_fp(price_state *ps, const char *name, int64_t when, char *buf,
                                   size_t cap, int *src, price_row *scratch, uint64_t *fp) {
  db_overrides_refresh(ps);
  size_t n = strlen(name);
  while (n && isspace((unsigned char)*name)) name++, n--;
  while (n && isspace((unsigned char)name[n - 1])) n--;
  if (n == 0 || n >= cap) return NULL;
  for (size_t i = 0; i < n; i++) buf[i] = (char)tolower((unsigned char)name[i]);
  buf[n] = 0;
  const price_row *r;
  /* fp: every key tried is hashed, whether it has a row or not, and none is returned */
#define TRY()                                                                     \
  do {                                                                            \
    if (fp) *fp = key_hash(ps, buf, *fp);                                         \
    else if ((r = find_exact(ps, buf, when, src, scratch)) != NULL) return r;     \
  } while (0)
  /* 3. a trailing [1m]-style tag */
  char *br = strrchr(buf, '[');
  if (br && buf[strlen(buf) - 1] == ']' && br > buf) *br = 0;
  TRY();
  /* 5. Vertex @version */
  char *at = strchr(buf, '@');
  if (at) {
    char save[256];
    snprintf(save, sizeof(save), "%s", buf);
    *at = '-';
    TRY();
    *at = 0;
    TRY();
    snprintf(buf, cap, "%s", save);
    at = strchr(buf, '@');
    *at = 0;
  }
  /* 6. one routing prefix */
  static const char *const prefixes[] = {"anthropic/", "openai/", "google/", "models/", "gemini/",
                                         "vertex_ai/", "bedrock/", NULL};
  for (int i = 0; prefixes[i]; i++)
    if (strip_prefix(buf, prefixes[i])) {
      TRY();
      break;
    }
  if (strncmp(buf, "openrouter/", 11) == 0) {
    char *slash = strchr(buf + 11, '/');
    if (slash) memmove(buf, slash + 1, strlen(slash + 1) + 1);
    TRY();
  }
  /* 7. Bedrock geography, vendor and version tail */
  static const char *const geos[] = {"us-gov.", "us.", "eu.", "apac.", "au.", "jp.", "global.", NULL};
  int bedrock = 0;
  for (int i = 0; geos[i]; i++)
    if (strncmp(buf, geos[i], strlen(geos[i])) == 0 && strstr(buf, "anthropic.")) {
      strip_prefix(buf, geos[i]);
      TRY();
      break;
    }
  if (strip_prefix(buf, "anthropic.")) {
    bedrock = 1;
    TRY();
  }
  if (bedrock) {
    size_t k = strlen(buf);
    if (k > 5 && strcmp(buf + k - 5, "-v1:0") == 0) buf[k - 5] = 0;
    else if (k > 3 && strcmp(buf + k - 3, "-v1") == 0) buf[k - 3] = 0;
    else if (k > 2 && strcmp(buf + k - 2, ":0") == 0) buf[k - 2] = 0;
    TRY();
  }
  /* 8. Claude only: dotted versions */
  if (strncmp(buf, "claude", 6) == 0 && strchr(buf, '.')) {
    for (char *p = buf; *p; p++)
      if (*p == '.') *p = '-';
    TRY();
  }
  /* 9. a date suffix */
  if (strip_date(buf)) TRY();
#undef TRY
  return NULL;
}

/* The row a logged name resolves to at `when`; *scratch holds it when it merges an
** override with the table. */
static const price_row *resolve(const void *prices, const char *name, int64_t when, char *buf,
                                size_t cap, int *src, price_row *scratch) {
  return resolve_fp((price_state *)prices, name, when, buf, cap, src, scratch, NULL);
}

/* A fingerprint of a logged model name's prices over all time (every key its name
** resolution tries, with every row of each): stored rows priced under another
** fingerprint are the ones a change of prices affects. Never 0. */
int64_t lumo_price_fingerprint(void *prices, const char *model) {
  if (!model) return 1;
  if (strcmp(model, "<synthetic>") == 0) return 2;
  char buf[256];
  int src;
  price_row scratch;
  uint64_t h = lumo_hash("lumo-prices-1", 13);
  resolve_fp(prices, model, 0, buf, sizeof(buf), &src, &scratch, &h);
  return h < 3 ? (int64_t)(h + 3) : (int64_t)h;
}

static int is_synthetic(const char *m) { return m && strcmp(m, "<synthetic>") == 0; }

/* ------------------------------------------------------------------- cost */

static double rate0(double v) { return isnan(v) ? 0 : v; }

static double row_cost(const price_row *r, int64_t in, int64_t out, int64_t cr, int64_t w5,
                       int64_t w1, const char *speed, const char *geo, const char *tier,
                       int64_t web) {
  int fast = speed && strcmp(speed, "fast") == 0;
  /* an override's rate that is NULL and not in the table: tokens billed at it are unpriced */
  if (r->strict && ((in && isnan(r->in)) || (out && isnan(r->out)) || (cr && isnan(r->cr)) ||
                    (w5 && isnan(r->w5)) || (w1 && isnan(r->w1))))
    return NAN;
  double total_in = (double)in + (double)cr + (double)w5 + (double)w1;
  int lng = r->tier > 0 && total_in > r->tier && !fast;
  double ri = rate0(r->in), ro = rate0(r->out), rc = rate0(r->cr), r5 = rate0(r->w5),
         r1 = rate0(r->w1);
  if (lng) {
    ri = pick(r->in_t, ri);
    ro = pick(r->out_t, ro);
    rc = pick(r->cr_t, rc);
    r5 = pick(r->w5_t, r5);
    r1 = pick(r->w1_t, r1);
  }
  if (tier && strcmp(tier, "priority") == 0) {
    ri = pick(lng ? r->in_tp : r->in_p, ri);
    ro = pick(lng ? r->out_tp : r->out_p, ro);
    rc = pick(lng ? r->cr_tp : r->cr_p, rc);
  } else if (tier && (strcmp(tier, "flex") == 0 || strcmp(tier, "batch") == 0)) {
    int flex = tier[0] == 'f';
    double fi = flex ? r->in_f : r->in_b, fo = flex ? r->out_f : r->out_b,
           fc = flex ? r->cr_f : NAN;
    ri = lng || isnan(fi) ? ri * 0.5 : fi;
    ro = lng || isnan(fo) ? ro * 0.5 : fo;
    rc = lng || isnan(fc) ? rc * 0.5 : fc;
    r5 *= 0.5;
    r1 *= 0.5;
  }
  double cost = ((double)in * ri + (double)out * ro + (double)cr * rc + (double)w5 * r5 +
                 (double)w1 * r1) / 1e6;
  if (fast && !isnan(r->fast)) cost *= r->fast;
  if (geo && strcmp(geo, "us") == 0 && !isnan(r->geo)) cost *= r->geo;
  /* Anthropic web search: $10 per 1,000 requests, on top of tokens. */
  if (web > 0) cost += 0.01 * (double)web;
  return cost;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Cost of one request at the prices in force at at_ms (ms UTC; <= 0: now), for the
** source tables and the sync. *known is 0 when the model has no price then (the
** caller gives NULL). */
double lumo_cost_request_ms(const void *prices, const char *model, int64_t in, int64_t out,
                            int64_t cr, int64_t w5, int64_t w1, const char *speed,
                            const char *geo, const char *tier, int64_t web, int64_t at_ms,
                            int *known) {
  *known = 0;
  if (!model) return 0;
  if (is_synthetic(model)) {
    *known = 1;
    return 0;
  }
  char buf[256];
  int src;
  price_row scratch;
  const price_row *r = resolve(prices, model, at_ms > 0 ? at_ms : now_ms(), buf, sizeof(buf), &src, &scratch);
  if (!r) return 0;
  double usd = row_cost(r, in, out, cr, w5, w1, speed, geo, tier, web);
  *known = !isnan(usd);
  return *known ? usd : 0;
}

/* The same with the request's ISO-8601 timestamp as the agent wrote it (NULL or not a
** time: now), so a call site passes its row's timestamp column unchanged. */
double lumo_cost_request(const void *prices, const char *model, int64_t in, int64_t out,
                         int64_t cr, int64_t w5, int64_t w1, const char *speed, const char *geo,
                         const char *tier, int64_t web, const char *timestamp, int *known) {
  int64_t at = 0;
  if (!timestamp || !lumo_iso_to_ms(timestamp, &at)) at = 0;
  return lumo_cost_request_ms(prices, model, in, out, cr, w5, w1, speed, geo, tier, web, at, known);
}

/* ------------------------------------------------------------ price state */

/* Makes t (a new reference, or NULL for the built-in table) the active table. */
static void state_set_table(price_state *ps, price_table *t) {
  table_unref(ps->table);
  ps->table = t ? t : &builtin_table;
}

void lumo_prices_release(void *p) {
  price_state *ps = p;
  if (!ps || --ps->nref > 0) return;
  table_unref(ps->table);
  table_unref(ps->over);
  table_unref(ps->dbover);
  sqlite3_free(ps);
}

/* ------------------------------------------------------------ arguments */

/* Token argument: NULL is 0; integers (or integral reals) pass; anything else is an
** error naming the argument. Returns 0 ok, -1 error (already reported). */
static int arg_tokens(sqlite3_context *ctx, const char *fn, const char *name, sqlite3_value *v,
                      int64_t *out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: *out = 0; return 0;
    case SQLITE_INTEGER: *out = sqlite3_value_int64(v); break;
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(v);
      if (d != floor(d) || fabs(d) > 9e18) goto bad;
      *out = (int64_t)d;
      break;
    }
    default: goto bad;
  }
  if (*out < 0) {
    char *m = sqlite3_mprintf("%s(): %s must not be negative, got %lld", fn, name, (long long)*out);
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
    return -1;
  }
  return 0;
bad : {
  const char *t = sqlite3_value_type(v) == SQLITE_TEXT ? "text" : sqlite3_value_type(v) == SQLITE_BLOB ? "blob" : "real";
  char *m = sqlite3_mprintf("%s(): %s must be an integer, got %s %.60Q", fn, name, t,
                            (const char *)sqlite3_value_text(v));
  sqlite3_result_error(ctx, m, -1);
  sqlite3_free(m);
  return -1;
}
}

static const char *const cost_arg_names[] = {"model", "input_tokens", "output_tokens",
                                             "cache_read_tokens", "cache_write_5m_tokens",
                                             "cache_write_1h_tokens"};

/* Options: a JSON object {"speed", "geo" (or "inference_geo"), "service_tier",
** "web_search_requests"}, or positional arguments 7-10 in that order. */
typedef struct cost_opts {
  char speed[16], geo[16], tier[16];
  int64_t web;
  int64_t at; /* the request's time, ms UTC; 0: now */
} cost_opts;

/* The request's time argument: NULL is now; otherwise ISO-8601 text ("2026-03-01",
** "2026-03-01T12:00:00.000Z", "... +05:45"), as the agents and lumo's tables write it.
** Returns 0 ok, -1 error (already reported). */
/* what: the argument as the message names it, with what its NULL means. */
static int arg_time(sqlite3_context *ctx, const char *fn, const char *what, sqlite3_value *v, int64_t *at) {
  *at = 0;
  if (sqlite3_value_type(v) == SQLITE_NULL) return 0;
  const char *s = (const char *)sqlite3_value_text(v);
  if (sqlite3_value_type(v) == SQLITE_TEXT && s && lumo_iso_to_ms(s, at) && *at > 0) return 0;
  char *m = sqlite3_mprintf("%s(): %s must be ISO-8601 text (e.g. 2026-03-01T12:00:00Z) or NULL %s, got %.60Q", fn,
                            what, strcmp(what, "timestamp") == 0 ? "for now" : strcmp(what, "valid_from") == 0
                                                                                   ? "(since ever)" : "(still in force)", s);
  sqlite3_result_error(ctx, m, -1);
  sqlite3_free(m);
  return -1;
}

static void copy_opt(char *dst, size_t cap, lumo_span v) {
  lumo_buf b = {0};
  if (lumo_json_is_string(v) && lumo_json_decode(v, &b) == 0 && b.len < cap) memcpy(dst, b.p, b.len + 1);
  lumo_buf_free(&b);
}

static int parse_opts(sqlite3_context *ctx, int argc, sqlite3_value **argv, cost_opts *o) {
  memset(o, 0, sizeof(*o));
  if (argc <= 6) return 0;
  const char *t7 = (const char *)sqlite3_value_text(argv[6]);
  int64_t probe;
  /* The time is the last argument: the 7th alone, after a JSON object (or NULL) as the
  ** 8th, or after the four positional options as the 11th. */
  if (argc == 7 && t7 && lumo_iso_to_ms(t7, &probe)) return arg_time(ctx, "lumo_cost", "timestamp", argv[6], &o->at);
  if (argc == 8 || argc == 11) {
    if (arg_time(ctx, "lumo_cost", "timestamp", argv[argc - 1], &o->at)) return -1;
    argc--;
    if (argc == 7 && !t7) return 0;
  }
  if (argc == 7 && t7 && t7[0] == '{') {
    lumo_json_obj ob;
    lumo_span k, v;
    int rc;
    if (lumo_json_obj_open(&ob, t7, t7 + strlen(t7))) goto bad;
    while ((rc = lumo_json_obj_next(&ob, &k, &v)) == 1) {
      if (LUMO_KEY(k, "speed")) copy_opt(o->speed, sizeof(o->speed), v);
      else if (LUMO_KEY(k, "geo") || LUMO_KEY(k, "inference_geo")) copy_opt(o->geo, sizeof(o->geo), v);
      else if (LUMO_KEY(k, "service_tier")) copy_opt(o->tier, sizeof(o->tier), v);
      else if (LUMO_KEY(k, "web_search_requests")) {
        if (lumo_json_int(v, &o->web) || o->web < 0) goto bad;
      } else if (LUMO_KEY(k, "timestamp")) {
        lumo_buf b = {0};
        int ok = lumo_json_is_string(v) && lumo_json_decode(v, &b) == 0 && b.p &&
                 lumo_iso_to_ms(b.p, &o->at) && o->at > 0;
        lumo_buf_free(&b);
        if (!ok) goto bad;
      } else goto bad;
    }
    if (rc < 0) goto bad;
    return 0;
  }
  char *slots[3] = {o->speed, o->geo, o->tier};
  for (int i = 6; i < argc && i < 9; i++) {
    const char *s = (const char *)sqlite3_value_text(argv[i]);
    if (s && strlen(s) < 16) snprintf(slots[i - 6], 16, "%s", s);
  }
  if (argc >= 10 && arg_tokens(ctx, "lumo_cost", "web_search_requests", argv[9], &o->web)) return -1;
  return 0;
bad:
  sqlite3_result_error(ctx,
                       "lumo_cost(): options must be a JSON object with speed, geo, "
                       "service_tier, web_search_requests and timestamp",
                       -1);
  return -1;
}

static void cost_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  price_state *ps = sqlite3_user_data(ctx);
  if (argc < 6 || argc > 11) {
    sqlite3_result_error(ctx, "lumo_cost(): takes 6 to 11 arguments", -1);
    return;
  }
  int64_t t[5];
  for (int i = 0; i < 5; i++)
    if (arg_tokens(ctx, "lumo_cost", cost_arg_names[i + 1], argv[i + 1], &t[i])) return;
  cost_opts o;
  if (parse_opts(ctx, argc, argv, &o)) return;
  const char *model = (const char *)sqlite3_value_text(argv[0]);
  if (!model) return; /* NULL model: NULL cost */
  int known;
  double usd = lumo_cost_request_ms(ps, model, t[0], t[1], t[2], t[3], t[4], o.speed, o.geo,
                                    o.tier, o.web, o.at, &known);
  if (known) sqlite3_result_double(ctx, usd);
}

static void model_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *m = (const char *)sqlite3_value_text(argv[0]);
  if (!m || is_synthetic(m)) return;
  char buf[256];
  int src;
  /* The key does not depend on the time for built-in rows (each key covers all time);
  ** an override limited to a range names its key only while in force. */
  price_row scratch;
  if (resolve(sqlite3_user_data(ctx), m, now_ms(), buf, sizeof(buf), &src, &scratch))
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* Rate names for lumo_price() and the lumo_prices columns, with their offsets. */
typedef struct rate_kind {
  const char *name;
  size_t off;
  const char *doc;
} rate_kind;

#define RATE_LIST(X) \
  X("input", in, "uncached input, USD per million tokens") \
  X("output", out, "output (reasoning included), USD per million tokens") \
  X("cache_read", cr, "cache read, USD per million tokens") \
  X("cache_write_5m", w5, "5-minute cache write (OpenAI: the one cache-write rate)") \
  X("cache_write_1h", w1, "1-hour cache write") \
  X("tier_threshold", tier, "input tokens above which the whole request takes the *_above_tier rates; 0: no tier") \
  X("input_above_tier", in_t, "input rate above the tier") \
  X("output_above_tier", out_t, "output rate above the tier") \
  X("cache_read_above_tier", cr_t, "cache read rate above the tier") \
  X("cache_write_5m_above_tier", w5_t, "5-minute cache write above the tier") \
  X("cache_write_1h_above_tier", w1_t, "1-hour cache write above the tier") \
  X("fast_multiplier", fast, "multiplier for speed 'fast'") \
  X("us_geo_multiplier", geo, "multiplier for inference_geo 'us'") \
  X("input_priority", in_p, "priority tier input") \
  X("output_priority", out_p, "priority tier output") \
  X("cache_read_priority", cr_p, "priority tier cache read") \
  X("input_flex", in_f, "flex tier input") \
  X("output_flex", out_f, "flex tier output") \
  X("input_batch", in_b, "batch input") \
  X("output_batch", out_b, "batch output")
#define RK(n, f, d) {n, offsetof(price_row, f), d},
static const rate_kind rate_kinds[] = {RATE_LIST(RK)};
#define NRATE ((int)(sizeof(rate_kinds) / sizeof(rate_kinds[0])))

static double rate_at(const price_row *r, int k) {
  return *(const double *)((const char *)r + rate_kinds[k].off);
}

/* lumo_price(model, kind [, timestamp]): the rate in force at timestamp (default now). */
static void price_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc != 2 && argc != 3) {
    sqlite3_result_error(ctx, "lumo_price(): takes 2 or 3 arguments", -1);
    return;
  }
  int64_t at = 0;
  if (argc == 3 && arg_time(ctx, "lumo_price", "timestamp", argv[2], &at)) return;
  const char *m = (const char *)sqlite3_value_text(argv[0]);
  const char *kind = (const char *)sqlite3_value_text(argv[1]);
  if (!m || !kind) return;
  int k = 0;
  while (k < NRATE && strcmp(rate_kinds[k].name, kind) != 0) k++;
  if (k == NRATE) {
    char *msg = sqlite3_mprintf("lumo_price(): unknown kind %.60Q (input, output, cache_read, "
                                "cache_write_5m, cache_write_1h, tier_threshold, ...)", kind);
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
    return;
  }
  char buf[256];
  int src;
  price_row scratch;
  const price_row *r = resolve(sqlite3_user_data(ctx), m, at > 0 ? at : now_ms(), buf, sizeof(buf), &src, &scratch);
  if (!r) return;
  double v = rate_at(r, k);
  if (!isnan(v)) sqlite3_result_double(ctx, v);
}

/* ------------------------------------------------------ loading a file */

static double field_rate(lumo_span e, const char *name) {
  lumo_span v;
  double d;
  if (lumo_json_get(e, name, &v) == 1 && lumo_json_double(v, &d) == 0) {
    /* Rounded to 12 digits as scripts/gen_prices.py does (1.25e-06 * 1e6 is not 1.25). */
    char tmp[40];
    lumo_fmt_double(tmp, sizeof(tmp), "%.12g", d * 1e6);
    return lumo_strtod(tmp, NULL);
  }
  return NAN;
}

static int row_cmp(const void *a, const void *b) {
  return strcmp(((const price_row *)a)->model, ((const price_row *)b)->model);
}

/* Parses a LiteLLM price map with the rule of scripts/gen_prices.py. Returns NULL and
** sets *err on failure; the caller's current table is untouched either way. */
static int load_map(const char *text, size_t n, price_row **out, int *nout, lumo_arena *ar,
                    char **err) {
  lumo_json_obj top;
  lumo_span k, e;
  int rc, cnt = 0, cap = 0;
  price_row *rows = NULL;
  *err = NULL;
  if (lumo_json_obj_open(&top, text, text + n)) {
    *err = sqlite3_mprintf("not a JSON object");
    return SQLITE_ERROR;
  }
  lumo_buf key = {0};
  while ((rc = lumo_json_obj_next(&top, &k, &e)) == 1) {
    if (!e.n || e.p[0] != '{') continue;
    lumo_span mode, prov;
    if (lumo_json_get(e, "mode", &mode) == 1 && !(mode.n == 6 && memcmp(mode.p, "\"chat\"", 6) == 0) &&
        !(mode.n == 11 && memcmp(mode.p, "\"responses\"", 11) == 0) &&
        !(mode.n == 12 && memcmp(mode.p, "\"completion\"", 12) == 0))
      continue;
    price_row r;
    memset(&r, 0, sizeof(r));
    r.in = field_rate(e, "input_cost_per_token");
    r.out = field_rate(e, "output_cost_per_token");
    if (isnan(r.in) || isnan(r.out)) continue;
    r.cr = field_rate(e, "cache_read_input_token_cost");
    r.w5 = field_rate(e, "cache_creation_input_token_cost");
    r.w1 = field_rate(e, "cache_creation_input_token_cost_above_1hr");
    static const char *const tiers[] = {"200k", "272k", "128k", "256k"};
    static const double tier_n[] = {200000, 272000, 128000, 256000};
    char f[96];
    r.in_t = r.out_t = r.cr_t = r.w5_t = r.w1_t = r.in_tp = r.out_tp = r.cr_tp = NAN;
    for (int t = 0; t < 4; t++) {
      snprintf(f, sizeof(f), "input_cost_per_token_above_%s_tokens", tiers[t]);
      double x = field_rate(e, f);
      if (isnan(x)) continue;
      r.tier = tier_n[t];
      r.in_t = x;
#define TF(dst, fmt)                                \
  snprintf(f, sizeof(f), fmt, tiers[t]);            \
  dst = field_rate(e, f);
      TF(r.out_t, "output_cost_per_token_above_%s_tokens")
      TF(r.cr_t, "cache_read_input_token_cost_above_%s_tokens")
      TF(r.w5_t, "cache_creation_input_token_cost_above_%s_tokens")
      TF(r.w1_t, "cache_creation_input_token_cost_above_1hr_above_%s_tokens")
      TF(r.in_tp, "input_cost_per_token_above_%s_tokens_priority")
      TF(r.out_tp, "output_cost_per_token_above_%s_tokens_priority")
      TF(r.cr_tp, "cache_read_input_token_cost_above_%s_tokens_priority")
#undef TF
      break;
    }
    r.in_p = field_rate(e, "input_cost_per_token_priority");
    r.out_p = field_rate(e, "output_cost_per_token_priority");
    r.cr_p = field_rate(e, "cache_read_input_token_cost_priority");
    r.in_f = field_rate(e, "input_cost_per_token_flex");
    r.out_f = field_rate(e, "output_cost_per_token_flex");
    r.cr_f = field_rate(e, "cache_read_input_token_cost_flex");
    r.in_b = field_rate(e, "input_cost_per_token_batches");
    r.out_b = field_rate(e, "output_cost_per_token_batches");
    r.fast = r.geo = NAN;
    lumo_span pse, x;
    double d;
    if (lumo_json_get(e, "provider_specific_entry", &pse) == 1 && pse.n && pse.p[0] == '{') {
      if (lumo_json_get(pse, "fast", &x) == 1 && lumo_json_double(x, &d) == 0) r.fast = d;
      if (lumo_json_get(pse, "us", &x) == 1 && lumo_json_double(x, &d) == 0) r.geo = d;
    }
    key.len = 0;
    lumo_span qk = {k.p - 1, k.n + 2};
    if (lumo_json_decode(qk, &key)) continue;
    /* Same derivations as scripts/gen_prices.py: Claude 1-hour writes are 2x input. */
    int d1 = 0, d2 = 0;
    if (strstr(key.p, "claude") && isnan(r.w1)) {
      r.w1 = 2 * r.in;
      d1 = 1;
    }
    if (strstr(key.p, "claude") && r.tier > 0 && isnan(r.w1_t) && !isnan(r.in_t)) {
      r.w1_t = 2 * r.in_t;
      d2 = 1;
    }
    r.derived = d1 && d2 ? "w1;w1_t" : d1 ? "w1" : d2 ? "w1_t" : "";
    r.model = lumo_arena_dup(ar, key.p, key.len);
    lumo_buf pv = {0};
    if (lumo_json_get(e, "litellm_provider", &prov) == 1) lumo_json_decode(prov, &pv);
    r.provider = lumo_arena_dup(ar, pv.p ? pv.p : "", pv.len);
    lumo_buf_free(&pv);
    if (!r.model || !r.provider) goto nomem;
    if (cnt == cap) {
      cap = cap ? cap * 2 : 512;
      price_row *nr = sqlite3_realloc64(rows, sizeof(*nr) * (size_t)cap);
      if (!nr) goto nomem;
      rows = nr;
    }
    rows[cnt++] = r;
  }
  lumo_buf_free(&key);
  if (rc < 0 || lumo_json_ws(top.p, text + n) != text + n) {
    *err = sqlite3_mprintf("malformed JSON in the member starting at byte %lld (truncated file?)",
                           (long long)(top.p - text));
    sqlite3_free(rows);
    return SQLITE_ERROR;
  }
  if (cnt == 0) {
    *err = sqlite3_mprintf("no model with input_cost_per_token and output_cost_per_token");
    sqlite3_free(rows);
    return SQLITE_ERROR;
  }
  qsort(rows, (size_t)cnt, sizeof(*rows), row_cmp);
  *out = rows;
  *nout = cnt;
  return SQLITE_OK;
nomem:
  lumo_buf_free(&key);
  sqlite3_free(rows);
  return SQLITE_NOMEM;
}

static void prices_load_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  price_state *ps = sqlite3_user_data(ctx);
  const char *arg = (const char *)sqlite3_value_text(argv[0]);
  if (!arg) {
    /* NULL: back to the built-in snapshot. */
    state_set_table(ps, NULL);
    sqlite3_result_int(ctx, NBUILTIN);
    return;
  }
  char *path = lumo_expand_home(arg);
  if (!path) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  char *msg = NULL;
  lumo_buf b = {0};
  int frc = lumo_read_file(path, (size_t)1 << 30, &b);
  if (frc == SQLITE_CANTOPEN || frc == SQLITE_TOOBIG) {
    msg = frc == SQLITE_TOOBIG ? sqlite3_mprintf("lumo_prices_load(): %.200Q is larger than 1 GiB", arg)
                               : sqlite3_mprintf("lumo_prices_load(): cannot open %.200Q: %s", arg, strerror(errno));
    lumo_buf_free(&b);
    goto fail;
  }
  if (frc == SQLITE_NOMEM) {
    lumo_buf_free(&b);
    sqlite3_free(path);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  price_row *rows = NULL;
  int n = 0;
  lumo_arena ar = {0};
  char *err = NULL;
  int rc = load_map(b.p ? b.p : "", b.len, &rows, &n, &ar, &err);
  lumo_buf_free(&b);
  if (rc) {
    lumo_arena_free(&ar);
    if (rc == SQLITE_NOMEM) {
      sqlite3_free(path);
      sqlite3_result_error_nomem(ctx);
      return;
    }
    msg = sqlite3_mprintf("lumo_prices_load(): %.200Q: %s; prices unchanged", arg, err);
    sqlite3_free(err);
    goto fail;
  }
  price_table *t = sqlite3_malloc(sizeof(*t));
  if (!t) {
    sqlite3_free(rows);
    lumo_arena_free(&ar);
    sqlite3_free(path);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  t->nref = 1;
  t->rows = t->owned = rows;
  t->n = n;
  t->strings = ar;
  state_set_table(ps, t);
  sqlite3_free(path);
  sqlite3_result_int(ctx, n);
  return;
fail:
  sqlite3_free(path);
  sqlite3_result_error(ctx, msg ? msg : "lumo_prices_load(): out of memory", -1);
  sqlite3_free(msg);
}

/* A validity bound as ISO text for messages and lumo_prices; 0 (open) is NULL. */
static char *bound_text(int64_t ms) {
  if (ms == 0) return NULL;
  time_t secs = (time_t)(ms / 1000);
  struct tm tm;
  char buf[32];
  if (!gmtime_r(&secs, &tm)) return NULL;
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return sqlite3_mprintf("%s", buf);
}

static int ranges_overlap(int64_t f1, int64_t t1, int64_t f2, int64_t t2) {
  /* [f1, t1) and [f2, t2), 0 = open on that side */
  int a = t1 == 0 || f2 == 0 || f2 < t1;
  int b = t2 == 0 || f1 == 0 || f1 < t2;
  return a && b;
}

/* Sets (row non-NULL) or removes (row NULL) the override of key for [from, to), by
** building a new override table: cursors and callers holding the old one keep it.
** ranged 0 with row NULL removes every override of key. An override whose range
** overlaps another of the same key (other than the very same range, which it
** replaces) is refused: *err says which. Returns 1 set, 0 removed, -1 refused (*err
** set), SQLITE_NOMEM as -2. */
static int over_apply(price_state *ps, const char *key, const price_row *row, int64_t from,
                      int64_t to, int ranged, char **err) {
  *err = NULL;
  const price_table *old = ps->over;
  int n = old ? old->n : 0;
  if (row) {
    for (int i = 0; i < n; i++) {
      const price_row *o = &old->rows[i];
      if (strcmp(o->model, key) || (o->from == from && o->to == to)) continue;
      if (ranges_overlap(o->from, o->to, from, to)) {
        char *a = bound_text(from), *b = bound_text(to), *c = bound_text(o->from), *d = bound_text(o->to);
        *err = sqlite3_mprintf("lumo_price_set(): the validity [%s, %s) of %Q overlaps its override for "
                               "[%s, %s); remove that one first (NULL input and output with its range)",
                               a ? a : "open", b ? b : "open", key, c ? c : "open", d ? d : "open");
        sqlite3_free(a);
        sqlite3_free(b);
        sqlite3_free(c);
        sqlite3_free(d);
        return -1;
      }
    }
  }
  price_table *t = sqlite3_malloc(sizeof(*t));
  price_row *rows = sqlite3_malloc64(sizeof(*rows) * (size_t)(n + 1));
  if (!t || !rows) {
    sqlite3_free(t);
    sqlite3_free(rows);
    return -2;
  }
  memset(t, 0, sizeof(*t));
  int k = 0;
  for (int i = 0; i < n; i++) {
    const price_row *o = &old->rows[i];
    if (strcmp(o->model, key) == 0 && (!ranged && !row ? 1 : o->from == from && o->to == to)) {
      continue; /* dropped, or replaced below */
    }
    rows[k] = *o;
    rows[k].model = lumo_arena_dup(&t->strings, o->model, strlen(o->model));
    if (!rows[k].model) goto nomem;
    k++;
  }
  if (row) {
    rows[k] = *row;
    rows[k].model = lumo_arena_dup(&t->strings, key, strlen(key));
    if (!rows[k].model) goto nomem;
    rows[k].from = from;
    rows[k].to = to;
    k++;
  }
  t->nref = 1;
  t->rows = t->owned = rows;
  t->n = k;
  table_unref(ps->over);
  ps->over = k ? t : NULL;
  if (!k) table_unref(t);
  return row ? 1 : 0;
nomem:
  sqlite3_free(rows);
  lumo_arena_free(&t->strings);
  sqlite3_free(t);
  return -2;
}

/* An override row from rates v (input, output, cache_read, cache_write_5m,
** cache_write_1h and, when n is 11, tier_threshold and the five rates above it). */
static void override_row(price_row *r, const double *v, int n) {
  memset(r, 0, sizeof(*r));
  r->provider = "override";
  r->derived = "";
  r->source = "override";
  r->strict = 1;
  r->in = v[0];
  r->out = v[1];
  r->cr = v[2];
  r->w5 = v[3];
  r->w1 = v[4];
  r->fast = r->geo = NAN;
  r->in_t = r->out_t = r->cr_t = r->w5_t = r->w1_t = NAN;
  r->in_p = r->out_p = r->cr_p = r->in_tp = r->out_tp = r->cr_tp = NAN;
  r->in_f = r->out_f = r->cr_f = r->in_b = r->out_b = NAN;
  if (n == 11) {
    r->tier = isnan(v[5]) ? 0 : v[5];
    r->in_t = v[6];
    r->out_t = v[7];
    r->cr_t = v[8];
    r->w5_t = v[9];
    r->w1_t = v[10];
  }
}

static void lower_key(char *key, size_t cap, const char *model) {
  snprintf(key, cap, "%s", model);
  for (char *p = key; *p; p++) *p = (char)tolower((unsigned char)*p);
}

/* 1 when the main database is a lumo database of schema 8 or later (price_overrides with
** validity columns): lumo_price_set writes there and every call reads it. */
static int db_has_overrides(sqlite3 *db) {
  sqlite3_stmt *st;
  int has = 0;
  if (!db || sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('price_overrides', 'main') WHERE name = 'valid_from'",
                                -1, &st, NULL) != SQLITE_OK)
    return 0;
  has = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return has;
}

/* A rate cell of price_overrides: NAN for NULL; -1 for what lumo_price_set would
** refuse (the table's triggers refuse it too, so only a database written around them
** has one; such a row is skipped). */
static double db_rate(sqlite3_stmt *st, int i) {
  int t = sqlite3_column_type(st, i);
  if (t == SQLITE_NULL) return NAN;
  if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return -1;
  double v = sqlite3_column_double(st, i);
  return v < 0 || isinf(v) || isnan(v) ? -1 : v;
}

/* The main database's price_overrides as an override table (NULL: none or no table). */
static price_table *db_overrides_read(sqlite3 *db) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT model, valid_from, valid_to, input, output, cache_read, cache_write_5m,"
                             " cache_write_1h, tier_threshold, input_above_tier, output_above_tier,"
                             " cache_read_above_tier, cache_write_5m_above_tier, cache_write_1h_above_tier"
                             " FROM main.price_overrides",
                         -1, &st, NULL) != SQLITE_OK)
    return NULL; /* not a lumo database (or one a sync has not migrated yet) */
  price_table *t = sqlite3_malloc(sizeof(*t));
  if (!t) {
    sqlite3_finalize(st);
    return NULL;
  }
  memset(t, 0, sizeof(*t));
  t->nref = 1;
  int cap = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *m = (const char *)sqlite3_column_text(st, 0);
    double v[11];
    int bad = !m || !*m || strlen(m) >= 256;
    for (int i = 0; i < 11; i++) {
      v[i] = db_rate(st, 3 + i);
      if (v[i] == -1) bad = 1;
    }
    int64_t from = 0, to = 0;
    const char *f = (const char *)sqlite3_column_text(st, 1), *u = (const char *)sqlite3_column_text(st, 2);
    if ((f && !lumo_iso_to_ms(f, &from)) || (u && !lumo_iso_to_ms(u, &to))) bad = 1;
    if (bad || (isnan(v[0]) && isnan(v[1]))) continue;
    if (t->n == cap) {
      int nc = cap ? cap * 2 : 8;
      price_row *nr = sqlite3_realloc64(t->owned, sizeof(*nr) * (size_t)nc);
      if (!nr) break;
      t->owned = nr;
      cap = nc;
    }
    char key[256];
    lower_key(key, sizeof(key), m);
    price_row *r = &t->owned[t->n];
    override_row(r, v, 11);
    r->model = lumo_arena_dup(&t->strings, key, strlen(key));
    r->from = from;
    r->to = to;
    if (r->model) t->n++;
  }
  sqlite3_finalize(st);
  t->rows = t->owned;
  if (!t->n) {
    table_unref(t);
    return NULL;
  }
  return t;
}

/* Reads price_overrides again when the database changed since the last read: its data
** version moves with every commit (any connection), total_changes with this
** connection's own writes, committed or not; and when the write transaction the last
** read saw has ended (a ROLLBACK moves neither counter). */
static void db_overrides_refresh(price_state *ps) {
  if (!ps || !ps->db || ps->frozen) return;
  unsigned int v = 0;
  if (sqlite3_file_control(ps->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) v = 0;
  int64_t ch = sqlite3_total_changes64(ps->db);
  int txn = sqlite3_txn_state(ps->db, "main");
  if (ps->db_read && v == ps->db_version && ch == ps->db_changes &&
      !(ps->db_txn == SQLITE_TXN_WRITE && txn != SQLITE_TXN_WRITE))
    return;
  table_unref(ps->dbover);
  ps->dbover = db_overrides_read(ps->db);
  ps->db_version = v;
  ps->db_changes = ch;
  ps->db_txn = txn;
  ps->db_read = 1;
}

/* For sync: the database's overrides as they are now, then held for the whole sync
** (frozen 1) or followed again (frozen 0). */
void lumo_prices_freeze(void *prices, int frozen) {
  price_state *ps = prices;
  if (!ps) return;
  ps->frozen = 0;
  if (frozen) {
    ps->db_read = 0;
    db_overrides_refresh(ps);
  }
  ps->frozen = frozen;
}

static uint64_t table_hash(price_table *t) {
  static const size_t from = offsetof(price_row, from), to = offsetof(price_row, out_b) + sizeof(double);
  uint64_t h = lumo_hash("t", 1);
  for (int i = 0; t && i < t->n; i++) {
    h = lumo_hash_more(h, t->rows[i].model, strlen(t->rows[i].model) + 1);
    h = lumo_hash_more(h, (const char *)&t->rows[i] + from, to - from);
  }
  return h;
}

/* The built-in snapshot's version: a hash of its rows (lumo_settings.prices_builtin). */
uint64_t lumo_prices_builtin_hash(void) {
  if (!builtin_table.hash) builtin_table.hash = table_hash(&builtin_table);
  return builtin_table.hash;
}

/* A hash of everything that prices a request on this connection now: the active table
** and both sets of overrides. Equal to the one stored by the last sync: nothing to
** re-price. */
uint64_t lumo_prices_state_hash(void *prices) {
  price_state *ps = prices;
  int s;
  price_table *tb = active_table(ps, &s);
  uint64_t h = s == SRC_BUILTIN ? lumo_prices_builtin_hash() : table_hash(tb);
  char tag[24];
  snprintf(tag, sizeof(tag), "%016llx", (unsigned long long)h);
  h = lumo_hash_more(lumo_hash(tag, strlen(tag)), s == SRC_BUILTIN ? "B" : "F", 1);
  if (ps) {
    h = lumo_hash_more(h, "C", 1) ^ table_hash(ps->over);
    h = lumo_hash_more(h, "D", 1) ^ (table_hash(ps->dbover) * 31);
  }
  return h;
}

/* Where the price of model comes from: "built-in", "loaded file", "override", or NULL. */
const char *lumo_price_source(const void *prices, const char *model) {
  char buf[256];
  int src;
  if (!model) return NULL;
  if (is_synthetic(model)) return "built-in";
  price_row scratch;
  return resolve(prices, model, now_ms(), buf, sizeof(buf), &src, &scratch) ? source_names[src] : NULL;
}

static const char *const set_arg_names[] = {
  "model", "input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "tier_threshold",
  "input_above_tier", "output_above_tier", "cache_read_above_tier", "cache_write_5m_above_tier",
  "cache_write_1h_above_tier"};

/* lumo_price_set on a lumo database: the override is a row of its price_overrides, so
** every connection, the CLI and the next sync use it (whose triggers refuse bad rates
** and overlapping ranges: their message is the error). Replacing the very same range is
** one INSERT OR REPLACE (the table's unique index), so a refusal changes nothing. */
static void price_set_db(sqlite3_context *ctx, sqlite3 *db, const char *key, const double *v, int nrate,
                         int64_t from, int64_t to, int ranged) {
  int remove = isnan(v[0]) && isnan(v[1]);
  const char *sql = !remove ? "INSERT OR REPLACE INTO main.price_overrides (model, valid_from, valid_to, input, output,"
                              " cache_read, cache_write_5m, cache_write_1h, tier_threshold, input_above_tier,"
                              " output_above_tier, cache_read_above_tier, cache_write_5m_above_tier,"
                              " cache_write_1h_above_tier, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                              " ?11, ?12, ?13, ?14, 'lumo_price_set')"
                  : ranged ? "DELETE FROM main.price_overrides WHERE lower(model) = ?1 AND valid_from IS ?2 AND valid_to IS ?3"
                           : "DELETE FROM main.price_overrides WHERE lower(model) = ?1";
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    char *msg = sqlite3_mprintf("lumo_price_set(): %s", sqlite3_errmsg(db));
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
    return;
  }
  char *f = bound_text(from), *t = bound_text(to);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (ranged || !remove) {
    if (f) sqlite3_bind_text(st, 2, f, -1, SQLITE_STATIC);
    if (t) sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
  }
  for (int i = 0; !remove && i < nrate; i++)
    if (!isnan(v[i])) sqlite3_bind_double(st, 4 + i, v[i]);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) sqlite3_result_int(ctx, remove ? 0 : 1);
  else {
    char *msg = sqlite3_mprintf("lumo_price_set(): %s", sqlite3_errmsg(db));
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
  }
  sqlite3_finalize(st);
  sqlite3_free(f);
  sqlite3_free(t);
}

/* lumo_price_set(model, input, output, cache_read, cache_write_5m, cache_write_1h
**                [, tier_threshold, input_above, output_above, cache_read_above,
**                 cache_write_5m_above, cache_write_1h_above] [, valid_from, valid_to]);
** NULL input and output remove it (with a range: the override of that range). */
static void price_set_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  price_state *ps = sqlite3_user_data(ctx);
  const char *m = (const char *)sqlite3_value_text(argv[0]);
  if (!m || !*m || strlen(m) >= 256) {
    sqlite3_result_error(ctx, "lumo_price_set(): model must be a non-empty text (under 256 bytes)", -1);
    return;
  }
  if (argc != 6 && argc != 8 && argc != 12 && argc != 14) {
    sqlite3_result_error(ctx, "lumo_price_set(): takes 6 or 12 arguments, each optionally followed by "
                              "valid_from and valid_to", -1);
    return;
  }
  int nrate = argc == 6 || argc == 8 ? 5 : 11, ranged = argc == 8 || argc == 14;
  double v[11];
  for (int i = 1; i <= nrate; i++) {
    sqlite3_value *a = argv[i];
    int t = sqlite3_value_numeric_type(a); /* numeric text ("2.5") converts, in the C locale */
    const char *name = set_arg_names[i];
    char *msg = NULL;
    if (t == SQLITE_NULL) v[i - 1] = NAN;
    else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
      v[i - 1] = sqlite3_value_double(a);
      if (isnan(v[i - 1]) || isinf(v[i - 1]))
        msg = sqlite3_mprintf("lumo_price_set(): %s must be a finite number", name);
      else if (v[i - 1] < 0)
        msg = sqlite3_mprintf("lumo_price_set(): %s must not be negative, got %s", name,
                              (const char *)sqlite3_value_text(a));
    } else
      msg = sqlite3_mprintf("lumo_price_set(): %s must be a number (USD per million tokens), got %s %.60Q",
                            name, t == SQLITE_BLOB ? "a blob" : "text", (const char *)sqlite3_value_text(a));
    if (msg) {
      sqlite3_result_error(ctx, msg, -1);
      sqlite3_free(msg);
      return;
    }
  }
  int64_t from = 0, to = 0;
  if (ranged) {
    if (arg_time(ctx, "lumo_price_set", "valid_from", argv[argc - 2], &from) ||
        arg_time(ctx, "lumo_price_set", "valid_to", argv[argc - 1], &to))
      return;
    if (from && to && from >= to) {
      sqlite3_result_error(ctx, "lumo_price_set(): valid_from must be before valid_to", -1);
      return;
    }
  }
  char key[256], *err = NULL;
  lower_key(key, sizeof(key), m);
  if (db_has_overrides(ps->db)) {
    price_set_db(ctx, ps->db, key, v, nrate, from, to, ranged);
    return;
  }
  price_row r;
  override_row(&r, v, nrate);
  int rc = over_apply(ps, key, isnan(v[0]) && isnan(v[1]) ? NULL : &r, from, to, ranged, &err);
  if (rc == -2) sqlite3_result_error_nomem(ctx);
  else if (rc == -1) sqlite3_result_error(ctx, err, -1);
  else sqlite3_result_int(ctx, rc);
  sqlite3_free(err);
}

/* ---------------------------------------------------------- lumo_prices */

#define RCOL(n, f, d) {n, "REAL", d, 0},
static const lumo_col prices_cols[] = {
  {"model", "TEXT", "price key (LiteLLM key, or the model named in lumo_price_set)", 0},
  {"provider", "TEXT", "LiteLLM provider tag", 0},
  {"source", "TEXT", "where the row comes from: for built-in rows the price list and its date (LiteLLM map, a retired id's last LiteLLM row, a vendor's list), with corrections; else loaded file or override", 0},
  {"derived", "TEXT", "cells not taken verbatim from the price map (w1: 2x input; corrections; a dated change's cells)", 0},
  {"valid_from", "TEXT", "first instant (UTC) the row is in force; NULL: since ever", 0},
  {"valid_to", "TEXT", "instant (UTC) the row stops being in force (exclusive); NULL: still in force", 0},
  RATE_LIST(RCOL)
};
#define NPRICECOL ((int)(sizeof(prices_cols) / sizeof(prices_cols[0])))

/* A cursor reads the tables it referenced in xFilter, never the connection's current
** ones: lumo_prices_load or lumo_price_set called during the scan (in a column
** expression, say) replace the connection's tables but not the snapshot. */
typedef struct prices_cursor {
  sqlite3_vtab_cursor base;
  price_table *over, *dbover, *table; /* references taken in xFilter */
  int i;                     /* overrides first (the connection's, the database's), then the table */
} prices_cursor;

extern const lumo_object lumo_prices_object; /* defined with the other docs below */

typedef struct prices_vtab {
  sqlite3_vtab base;
  price_state *ps;
} prices_vtab;

static int prices_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **pp, char **err) {
  (void)argc;
  (void)argv;
  int rc = lumo_declare_object(db, &lumo_prices_object, err);
  if (rc) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  prices_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (!vt) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->ps = aux;
  *pp = &vt->base;
  return SQLITE_OK;
}

static int prices_disconnect(sqlite3_vtab *p) {
  sqlite3_free(p);
  return SQLITE_OK;
}

static int prices_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  (void)tab;
  ii->estimatedCost = 3000;
  return SQLITE_OK;
}

static int prices_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  (void)tab;
  prices_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static void prices_cursor_drop(prices_cursor *c) {
  table_unref(c->over);
  table_unref(c->dbover);
  table_unref(c->table);
  c->over = c->dbover = c->table = NULL;
}

static int prices_close(sqlite3_vtab_cursor *cur) {
  prices_cursor_drop((prices_cursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int prices_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  prices_cursor *c = (prices_cursor *)cur;
  price_state *ps = ((prices_vtab *)cur->pVtab)->ps;
  int src;
  prices_cursor_drop(c);
  db_overrides_refresh(ps);
  c->over = table_ref(ps->over);
  c->dbover = table_ref(ps->dbover);
  c->table = table_ref(active_table(ps, &src));
  c->i = 0;
  return SQLITE_OK;
}

static int prices_next(sqlite3_vtab_cursor *cur) {
  ((prices_cursor *)cur)->i++;
  return SQLITE_OK;
}

/* The cursor's row, or NULL past the end (also before xFilter: no tables). */
static const price_row *prices_row(sqlite3_vtab_cursor *cur, int *src) {
  prices_cursor *c = (prices_cursor *)cur;
  int nover = c->over ? c->over->n : 0, ndb = c->dbover ? c->dbover->n : 0;
  if (c->i < 0) return NULL;
  if (c->i < nover) {
    *src = SRC_OVERRIDE;
    return &c->over->rows[c->i];
  }
  if (c->i < nover + ndb) {
    *src = SRC_OVERRIDE;
    return &c->dbover->rows[c->i - nover];
  }
  nover += ndb;
  if (!c->table || c->i - nover >= c->table->n) return NULL;
  *src = c->table == &builtin_table ? SRC_BUILTIN : SRC_FILE;
  return &c->table->rows[c->i - nover];
}

static int prices_eof(sqlite3_vtab_cursor *cur) {
  int src;
  return prices_row(cur, &src) == NULL;
}

static void result_bound(sqlite3_context *ctx, int64_t ms) {
  char *t = bound_text(ms);
  if (t) sqlite3_result_text(ctx, t, -1, sqlite3_free);
}

static int prices_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  int src = SRC_BUILTIN;
  const price_row *r = prices_row(cur, &src);
  if (!r) return SQLITE_OK; /* past the end: NULL, never a read out of bounds */
  switch (col) {
    case 0: sqlite3_result_text(ctx, r->model, -1, SQLITE_TRANSIENT); break;
    case 1: sqlite3_result_text(ctx, r->provider, -1, SQLITE_TRANSIENT); break;
    case 2: sqlite3_result_text(ctx, row_source(r, src), -1, SQLITE_TRANSIENT); break;
    case 3: sqlite3_result_text(ctx, r->derived, -1, SQLITE_TRANSIENT); break;
    case 4: result_bound(ctx, r->from); break;
    case 5: result_bound(ctx, r->to); break;
    default: {
      if (col - 6 >= NRATE) break;
      double v = rate_at(r, col - 6);
      if (!isnan(v)) sqlite3_result_double(ctx, v);
    }
  }
  return SQLITE_OK;
}

static int prices_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((prices_cursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module prices_module = {
  .iVersion = 0, .xCreate = 0, .xConnect = prices_connect, .xBestIndex = prices_best_index,
  .xDisconnect = prices_disconnect, .xDestroy = prices_disconnect, .xOpen = prices_open,
  .xClose = prices_close, .xFilter = prices_filter, .xNext = prices_next, .xEof = prices_eof,
  .xColumn = prices_column, .xRowid = prices_rowid};

/* ------------------------------------------------------------ reference */

static const lumo_col cost_args[] = {
  {"model", "TEXT", "model name as logged (normalised with lumo_model)", 0},
  {"input_tokens", "INTEGER", "uncached input", 0},
  {"output_tokens", "INTEGER", "output, reasoning included", 0},
  {"cache_read_tokens", "INTEGER", "cache reads", 0},
  {"cache_write_5m_tokens", "INTEGER", "5-minute cache writes", 0},
  {"cache_write_1h_tokens", "INTEGER", "1-hour cache writes", 0},
  {"options", "TEXT", "optional JSON {speed, geo, service_tier, web_search_requests, timestamp}, or the first four as arguments 7-10", 0},
  {"timestamp", "TEXT", "optional, last: the request's ISO-8601 time (7th alone, 8th after options, or 11th); the prices in force then; default now", 0},
};
static const lumo_col model_args[] = {{"name", "TEXT", "a logged model name", 0}};
static const lumo_col price_args[] = {{"model", "TEXT", "model name", 0},
                                      {"kind", "TEXT", "a rate column of lumo_prices", 0},
                                      {"timestamp", "TEXT", "optional ISO-8601 time: the rate in force then; default now", 0}};
static const lumo_col load_args[] = {{"path", "TEXT", "a LiteLLM model_prices_and_context_window.json; NULL restores the built-in table", 0}};
static const lumo_col set_args[] = {
  {"model", "TEXT", "price key to set (matched after lower-casing)", 0},
  {"input, output, cache_read, cache_write_5m, cache_write_1h", "REAL", "USD per million tokens; NULL input and output remove the override", 0},
  {"[tier_threshold, 5 rates above it]", "REAL", "optional long-context tier", 0},
  {"[valid_from, valid_to]", "TEXT", "optional ISO-8601 validity [from, to), NULL: open; ranges of one model must not overlap", 0},
};
const lumo_object lumo_cost_object = {"function", "lumo_cost", "USD cost of ONE request at the prices in force at its time; NULL for an unknown model; 0 for <synthetic>", cost_args, 8};
const lumo_object lumo_model_object = {"function", "lumo_model", "canonical price key of a logged model name, NULL when unpriced", model_args, 1};
const lumo_object lumo_price_object = {"function", "lumo_price", "one rate of a model, USD per million tokens", price_args, 3};
const lumo_object lumo_prices_load_object = {"function", "lumo_prices_load", "replace the price table from a LiteLLM file (connection-wide); returns the number of models", load_args, 1};
const lumo_object lumo_price_set_object = {"function", "lumo_price_set", "set or remove an override that wins over every table (on a lumo database: a row of its price_overrides, which every connection reads and the next lumo_sync re-prices stored history with; elsewhere: this connection's); negative or non-numeric rates and overlapping ranges are refused", set_args, 4};
const lumo_object lumo_prices_object = {"table", "lumo_prices", "the active price table: overrides, then the loaded file or the built-in snapshot", prices_cols, NPRICECOL};

int lumo_pricing_register(sqlite3 *db, int with_files, void **prices) {
  price_state *ps = sqlite3_malloc(sizeof(*ps));
  if (!ps) return SQLITE_NOMEM;
  memset(ps, 0, sizeof(*ps));
  ps->table = &builtin_table;
  ps->db = with_files ? db : NULL; /* nofs: no database reads, as documented */
  ps->nref = 1; /* the caller's */
  /* Not SQLITE_DETERMINISTIC: lumo_price_set and lumo_prices_load change what lumo_cost
  ** and lumo_price return for the same arguments (an index on lumo_cost(...) would then
  ** hold stale entries), and both default to the prices in force now, which dated rows
  ** change with the clock. Only lumo_model under the nofs entry point is a function of
  ** its argument alone: no override or file can be set there and every built-in key
  ** covers all time. */
  const int plain = SQLITE_UTF8 | SQLITE_INNOCUOUS;
  const int name_fn = with_files ? plain : plain | SQLITE_DETERMINISTIC;
  int rc = SQLITE_OK;
#define FN(name, n, flags, fn)                                                                     \
  if (!rc) {                                                                                        \
    ps->nref++;                                                                                     \
    rc = sqlite3_create_function_v2(db, name, n, flags, ps, fn, NULL, NULL, lumo_prices_release); \
  }
  FN("lumo_cost", -1, plain, cost_fn)
  FN("lumo_model", 1, name_fn, model_fn)
  FN("lumo_price", -1, plain, price_fn)
  if (with_files) {
    FN("lumo_prices_load", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, prices_load_fn)
    FN("lumo_price_set", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, price_set_fn)
  }
#undef FN
  if (!rc) {
    ps->nref++;
    rc = sqlite3_create_module_v2(db, "lumo_prices", &prices_module, ps, lumo_prices_release);
  }
  if (rc) {
    lumo_prices_release(ps);
    return rc;
  }
  *prices = ps;
  return SQLITE_OK;
}
