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
** neither is registered by sqlite3_lumo_nofs_init.
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

typedef struct price_row {
  const char *model, *provider, *derived;
  double tier, fast, geo;
  double in, out, cr, w5, w1;               /* list rates, USD per MTok */
  double in_t, out_t, cr_t, w5_t, w1_t;     /* above the tier */
  double in_p, out_p, cr_p, in_tp, out_tp, cr_tp; /* priority */
  double in_f, out_f, cr_f, in_b, out_b;    /* flex, batch */
} price_row;

#define LUMO_PRICE(m, p, d, t, f, g, ...) {m, p, d, t, f, g, __VA_ARGS__},
static const price_row builtin_prices[] = {
#include "prices_data.h"
};
#undef LUMO_PRICE
#define NBUILTIN ((int)(sizeof(builtin_prices) / sizeof(builtin_prices[0])))

enum { SRC_BUILTIN, SRC_FILE, SRC_OVERRIDE };
static const char *const source_names[] = {"built-in", "loaded file", "override"};

/* Per-connection price state; user data of every pricing function. */
typedef struct price_state {
  price_row *loaded;   /* owned, sorted by model; NULL: the built-in table is active */
  int nloaded;
  lumo_arena strings;  /* owns the loaded table's strings */
  char *loaded_from;   /* owned */
  price_row *over;     /* owned overrides, unsorted (few) */
  int nover;
  lumo_arena over_strings;
  int nref;
} price_state;

static const price_row *active_table(const price_state *ps, int *n, int *src) {
  if (ps && ps->loaded) {
    *n = ps->nloaded;
    *src = SRC_FILE;
    return ps->loaded;
  }
  *n = NBUILTIN;
  *src = SRC_BUILTIN;
  return builtin_prices;
}

static const price_row *find_exact(const price_state *ps, const char *key, int *src) {
  if (ps) {
    for (int i = 0; i < ps->nover; i++)
      if (strcmp(ps->over[i].model, key) == 0) {
        if (src) *src = SRC_OVERRIDE;
        return &ps->over[i];
      }
  }
  int n, s;
  const price_row *t = active_table(ps, &n, &s);
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    int c = strcmp(t[mid].model, key);
    if (c == 0) {
      if (src) *src = s;
      return &t[mid];
    }
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
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
static const price_row *resolve(const price_state *ps, const char *name, char *buf, size_t cap,
                                int *src) {
  size_t n = strlen(name);
  while (n && isspace((unsigned char)*name)) name++, n--;
  while (n && isspace((unsigned char)name[n - 1])) n--;
  if (n == 0 || n >= cap) return NULL;
  for (size_t i = 0; i < n; i++) buf[i] = (char)tolower((unsigned char)name[i]);
  buf[n] = 0;
  const price_row *r;
#define TRY()                                        \
  do {                                               \
    if ((r = find_exact(ps, buf, src)) != NULL) return r; \
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

static int is_synthetic(const char *m) { return m && strcmp(m, "<synthetic>") == 0; }

/* ------------------------------------------------------------------- cost */

static double pick(double v, double fallback) { return isnan(v) ? fallback : v; }
static double rate0(double v) { return isnan(v) ? 0 : v; }

static double row_cost(const price_row *r, int64_t in, int64_t out, int64_t cr, int64_t w5,
                       int64_t w1, const char *speed, const char *geo, const char *tier,
                       int64_t web) {
  int fast = speed && strcmp(speed, "fast") == 0;
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

/* Cost of one request with the built-in or active table, for the source tables.
** *known is 0 when the model has no price (the caller then gives NULL). */
double lumo_cost_request(const void *prices, const char *model, int64_t in, int64_t out,
                         int64_t cr, int64_t w5, int64_t w1, const char *speed, const char *geo,
                         const char *tier, int64_t web, int *known) {
  *known = 0;
  if (!model) return 0;
  if (is_synthetic(model)) {
    *known = 1;
    return 0;
  }
  char buf[256];
  int src;
  const price_row *r = resolve(prices, model, buf, sizeof(buf), &src);
  if (!r) return 0;
  *known = 1;
  return row_cost(r, in, out, cr, w5, w1, speed, geo, tier, web);
}

/* ------------------------------------------------------------ price state */

static void state_clear_loaded(price_state *ps) {
  sqlite3_free(ps->loaded);
  lumo_arena_free(&ps->strings);
  sqlite3_free(ps->loaded_from);
  ps->loaded = NULL;
  ps->nloaded = 0;
  ps->loaded_from = NULL;
}

void lumo_prices_release(void *p) {
  price_state *ps = p;
  if (!ps || --ps->nref > 0) return;
  state_clear_loaded(ps);
  sqlite3_free(ps->over);
  lumo_arena_free(&ps->over_strings);
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
} cost_opts;

static void copy_opt(char *dst, size_t cap, lumo_span v) {
  lumo_buf b = {0};
  if (lumo_json_is_string(v) && lumo_json_decode(v, &b) == 0 && b.len < cap) memcpy(dst, b.p, b.len + 1);
  lumo_buf_free(&b);
}

static int parse_opts(sqlite3_context *ctx, int argc, sqlite3_value **argv, cost_opts *o) {
  memset(o, 0, sizeof(*o));
  if (argc <= 6) return 0;
  const char *t7 = (const char *)sqlite3_value_text(argv[6]);
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
                       "service_tier and web_search_requests",
                       -1);
  return -1;
}

static void cost_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  price_state *ps = sqlite3_user_data(ctx);
  if (argc < 6 || argc > 10) {
    sqlite3_result_error(ctx, "lumo_cost(): takes 6 to 10 arguments", -1);
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
  double usd = lumo_cost_request(ps, model, t[0], t[1], t[2], t[3], t[4], o.speed, o.geo, o.tier,
                                 o.web, &known);
  if (known) sqlite3_result_double(ctx, usd);
}

static void model_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *m = (const char *)sqlite3_value_text(argv[0]);
  if (!m || is_synthetic(m)) return;
  char buf[256];
  int src;
  if (resolve(sqlite3_user_data(ctx), m, buf, sizeof(buf), &src))
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

static void price_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
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
  const price_row *r = resolve(sqlite3_user_data(ctx), m, buf, sizeof(buf), &src);
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
    state_clear_loaded(ps);
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
  state_clear_loaded(ps);
  ps->loaded = rows;
  ps->nloaded = n;
  ps->strings = ar;
  ps->loaded_from = path;
  sqlite3_result_int(ctx, n);
  return;
fail:
  sqlite3_free(path);
  sqlite3_result_error(ctx, msg ? msg : "lumo_prices_load(): out of memory", -1);
  sqlite3_free(msg);
}

/* Sets (or, with NaN input and output, removes) an override. v holds input, output,
** cache_read, cache_write_5m, cache_write_1h and, when n is 11, tier_threshold and the
** five rates above it. Returns 1 set, 0 removed, -1 out of memory. */
static int state_set_override(price_state *ps, const char *model, const double *v, int n) {
  char key[256];
  snprintf(key, sizeof(key), "%s", model);
  for (char *p = key; *p; p++) *p = (char)tolower((unsigned char)*p);
  int i = 0;
  while (i < ps->nover && strcmp(ps->over[i].model, key) != 0) i++;
  if (isnan(v[0]) && isnan(v[1])) {
    if (i < ps->nover) ps->over[i] = ps->over[--ps->nover];
    return 0;
  }
  if (i == ps->nover) {
    price_row *nr = sqlite3_realloc64(ps->over, sizeof(*nr) * (size_t)(ps->nover + 1));
    if (!nr) return -1;
    ps->over = nr;
    ps->nover++;
  }
  price_row r;
  memset(&r, 0, sizeof(r));
  r.model = lumo_arena_dup(&ps->over_strings, key, strlen(key));
  r.provider = "override";
  r.derived = "";
  r.in = v[0];
  r.out = v[1];
  r.cr = v[2];
  r.w5 = v[3];
  r.w1 = v[4];
  r.fast = r.geo = NAN;
  r.in_t = r.out_t = r.cr_t = r.w5_t = r.w1_t = NAN;
  r.in_p = r.out_p = r.cr_p = r.in_tp = r.out_tp = r.cr_tp = NAN;
  r.in_f = r.out_f = r.cr_f = r.in_b = r.out_b = NAN;
  if (n == 11) {
    r.tier = isnan(v[5]) ? 0 : v[5];
    r.in_t = v[6];
    r.out_t = v[7];
    r.cr_t = v[8];
    r.w5_t = v[9];
    r.w1_t = v[10];
  }
  if (!r.model) {
    ps->nover--;
    return -1;
  }
  ps->over[i] = r;
  return 1;
}

/* For sync: the price_overrides table of a lumo database. */
void lumo_prices_override(void *prices, const char *model, const double rates[5]) {
  state_set_override(prices, model, rates, 5);
}

/* Where the price of model comes from: "built-in", "loaded file", "override", or NULL. */
const char *lumo_price_source(const void *prices, const char *model) {
  char buf[256];
  int src;
  if (!model) return NULL;
  if (is_synthetic(model)) return "built-in";
  return resolve(prices, model, buf, sizeof(buf), &src) ? source_names[src] : NULL;
}

/* lumo_price_set(model, input, output, cache_read, cache_write_5m, cache_write_1h
**                [, tier_threshold, input_above, output_above, cache_read_above,
**                 cache_write_5m_above, cache_write_1h_above]); NULL rates remove it. */
static void price_set_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  price_state *ps = sqlite3_user_data(ctx);
  const char *m = (const char *)sqlite3_value_text(argv[0]);
  if (!m || !*m) {
    sqlite3_result_error(ctx, "lumo_price_set(): model must be a non-empty text", -1);
    return;
  }
  if (argc != 6 && argc != 12) {
    sqlite3_result_error(ctx, "lumo_price_set(): takes 6 or 12 arguments", -1);
    return;
  }
  double v[11];
  for (int i = 1; i < argc; i++) {
    int t = sqlite3_value_type(argv[i]);
    if (t == SQLITE_NULL) v[i - 1] = NAN;
    else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) v[i - 1] = sqlite3_value_double(argv[i]);
    else {
      sqlite3_result_error(ctx, "lumo_price_set(): rates must be numbers (USD per million tokens)", -1);
      return;
    }
  }
  int r = state_set_override(ps, m, v, argc - 1);
  if (r < 0) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_int(ctx, r);
}

/* ---------------------------------------------------------- lumo_prices */

#define RCOL(n, f, d) {n, "REAL", d, 0},
static const lumo_col prices_cols[] = {
  {"model", "TEXT", "price key (LiteLLM key, or the model named in lumo_price_set)", 0},
  {"provider", "TEXT", "LiteLLM provider tag", 0},
  {"source", "TEXT", "built-in, loaded file or override", 0},
  {"derived", "TEXT", "cells not taken verbatim from the price map (w1: 2x input; corrections)", 0},
  RATE_LIST(RCOL)
};
#define NPRICECOL ((int)(sizeof(prices_cols) / sizeof(prices_cols[0])))

typedef struct prices_cursor {
  sqlite3_vtab_cursor base;
  int i; /* overrides first, then the active table */
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

static int prices_close(sqlite3_vtab_cursor *c) {
  sqlite3_free(c);
  return SQLITE_OK;
}

static int prices_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  ((prices_cursor *)cur)->i = 0;
  return SQLITE_OK;
}

static int prices_next(sqlite3_vtab_cursor *cur) {
  ((prices_cursor *)cur)->i++;
  return SQLITE_OK;
}

static const price_row *prices_row(sqlite3_vtab_cursor *cur, int *src) {
  price_state *ps = ((prices_vtab *)cur->pVtab)->ps;
  int i = ((prices_cursor *)cur)->i;
  if (i < ps->nover) {
    *src = SRC_OVERRIDE;
    return &ps->over[i];
  }
  int n;
  const price_row *t = active_table(ps, &n, src);
  return i - ps->nover < n ? &t[i - ps->nover] : NULL;
}

static int prices_eof(sqlite3_vtab_cursor *cur) {
  int src;
  return prices_row(cur, &src) == NULL;
}

static int prices_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  int src;
  const price_row *r = prices_row(cur, &src);
  switch (col) {
    case 0: sqlite3_result_text(ctx, r->model, -1, SQLITE_TRANSIENT); break;
    case 1: sqlite3_result_text(ctx, r->provider, -1, SQLITE_TRANSIENT); break;
    case 2: sqlite3_result_text(ctx, source_names[src], -1, SQLITE_STATIC); break;
    case 3: sqlite3_result_text(ctx, r->derived, -1, SQLITE_TRANSIENT); break;
    default: {
      double v = rate_at(r, col - 4);
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
  {"options", "TEXT", "optional JSON {speed, geo, service_tier, web_search_requests}, or those four as arguments 7-10", 0},
};
static const lumo_col model_args[] = {{"name", "TEXT", "a logged model name", 0}};
static const lumo_col price_args[] = {{"model", "TEXT", "model name", 0},
                                      {"kind", "TEXT", "a rate column of lumo_prices", 0}};
static const lumo_col load_args[] = {{"path", "TEXT", "a LiteLLM model_prices_and_context_window.json; NULL restores the built-in table", 0}};
static const lumo_col set_args[] = {
  {"model", "TEXT", "price key to set (matched after lower-casing)", 0},
  {"input, output, cache_read, cache_write_5m, cache_write_1h", "REAL", "USD per million tokens; NULL input and output remove the override", 0},
  {"[tier_threshold, 5 rates above it]", "REAL", "optional long-context tier", 0},
};
const lumo_object lumo_cost_object = {"function", "lumo_cost", "USD cost of ONE request; NULL for an unknown model; 0 for <synthetic>", cost_args, 7};
const lumo_object lumo_model_object = {"function", "lumo_model", "canonical price key of a logged model name, NULL when unpriced", model_args, 1};
const lumo_object lumo_price_object = {"function", "lumo_price", "one rate of a model, USD per million tokens", price_args, 2};
const lumo_object lumo_prices_load_object = {"function", "lumo_prices_load", "replace the price table from a LiteLLM file (connection-wide); returns the number of models", load_args, 1};
const lumo_object lumo_price_set_object = {"function", "lumo_price_set", "set or remove a per-connection override that wins over every table", set_args, 3};
const lumo_object lumo_prices_object = {"table", "lumo_prices", "the active price table: overrides, then the loaded file or the built-in snapshot", prices_cols, NPRICECOL};

int lumo_pricing_register(sqlite3 *db, int with_files, void **prices) {
  price_state *ps = sqlite3_malloc(sizeof(*ps));
  if (!ps) return SQLITE_NOMEM;
  memset(ps, 0, sizeof(*ps));
  ps->nref = 1; /* the caller's */
  const int pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc = SQLITE_OK;
#define FN(name, n, flags, fn)                                                                     \
  if (!rc) {                                                                                        \
    ps->nref++;                                                                                     \
    rc = sqlite3_create_function_v2(db, name, n, flags, ps, fn, NULL, NULL, lumo_prices_release); \
  }
  FN("lumo_cost", -1, pure, cost_fn)
  FN("lumo_model", 1, pure, model_fn)
  FN("lumo_price", 2, pure, price_fn)
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
