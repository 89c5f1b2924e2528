/* util.c: growable buffers, a string arena, per-connection diagnostics, error helpers
** and path helpers shared by every layer. No SQL objects are defined here. */
#include "lumo_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ buffers */

int lumo_buf_reserve(lumo_buf *b, size_t extra) {
  if (b->oom) return 0;
  if (b->len + extra + 1 <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = sqlite3_realloc64(b->p, cap);
  if (!p) {
    b->oom = 1;
    return 0;
  }
  b->p = p;
  b->cap = cap;
  return 1;
}

void lumo_buf_append(lumo_buf *b, const char *p, size_t n) {
  if (!lumo_buf_reserve(b, n)) return;
  if (n) memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = 0;
}

void lumo_buf_putc(lumo_buf *b, char c) {
  if (!lumo_buf_reserve(b, 1)) return;
  b->p[b->len++] = c;
  b->p[b->len] = 0;
}

void lumo_buf_nul(lumo_buf *b) {
  if (lumo_buf_reserve(b, 0)) b->p[b->len] = 0;
}

void lumo_buf_free(lumo_buf *b) {
  sqlite3_free(b->p);
  memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------- arena */

struct lumo_arena_block {
  lumo_arena_block *next;
  char data[];
};

char *lumo_arena_dup(lumo_arena *a, const char *p, size_t n) {
  if (!a->head || a->used + n + 1 > a->cap) {
    size_t cap = n + 1 > 60000 ? n + 1 : 60000;
    lumo_arena_block *blk = sqlite3_malloc64(sizeof(*blk) + cap);
    if (!blk) return NULL;
    blk->next = a->head;
    a->head = blk;
    a->used = 0;
    a->cap = cap;
    a->total += cap;
  }
  char *d = a->head->data + a->used;
  if (n) memcpy(d, p, n);
  d[n] = 0;
  a->used += n + 1;
  return d;
}

void lumo_arena_free(lumo_arena *a) {
  while (a->head) {
    lumo_arena_block *n = a->head->next;
    sqlite3_free(a->head);
    a->head = n;
  }
  memset(a, 0, sizeof(*a));
}

/* FNV-1a of n bytes: the hash of every string table of the extension; lumo_hash_more
** goes on from an earlier hash h (a hash of two strings one after the other). */
uint64_t lumo_hash_more(uint64_t h, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
  return h;
}

uint64_t lumo_hash(const char *p, size_t n) { return lumo_hash_more(1469598103934665603ULL, p, n); }

/* Does s end with suffix, with something before it? (file types are told by name) */
int lumo_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n > k && memcmp(s + n - k, suffix, k) == 0;
}

/* Interns a string: equal strings share one arena copy (models, sessions, paths
** repeat on every row of a scan). Open addressing, grown at half load. */
const char *lumo_intern(lumo_intern_set *t, lumo_arena *a, const char *p, size_t n) {
  uint64_t h = lumo_hash(p, n);
  if (t->n * 2 >= t->cap) {
    int cap = t->cap ? t->cap * 2 : 256;
    const char **slots = sqlite3_malloc64(sizeof(char *) * (size_t)cap);
    if (!slots) return NULL;
    memset(slots, 0, sizeof(char *) * (size_t)cap);
    for (int i = 0; i < t->cap; i++) {
      const char *s = t->slots[i];
      if (!s) continue;
      int j = (int)(lumo_hash(s, strlen(s)) & (uint64_t)(cap - 1));
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = s;
    }
    sqlite3_free((void *)t->slots);
    t->slots = slots;
    t->cap = cap;
  }
  int j = (int)(h & (uint64_t)(t->cap - 1));
  while (t->slots[j]) {
    if (strncmp(t->slots[j], p, n) == 0 && t->slots[j][n] == 0) return t->slots[j];
    j = (j + 1) & (t->cap - 1);
  }
  const char *s = lumo_arena_dup(a, p, n);
  if (s) {
    t->slots[j] = s;
    t->n++;
  }
  return s;
}

void lumo_intern_free(lumo_intern_set *t) {
  sqlite3_free((void *)t->slots);
  memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------- diagnostics */

static void diag_clear(lumo_diag *d) {
  sqlite3_free(d->source);
  sqlite3_free(d->file);
  sqlite3_free(d->kind);
  sqlite3_free(d->detail);
}

/* Forgets the diagnostics of one source: each scan reports on itself only. */
void lumo_diag_reset(lumo_conn *c, const char *source) {
  int j = 0;
  for (int i = 0; i < c->ndiag; i++) {
    if (strcmp(c->diags[i].source, source) == 0) {
      diag_clear(&c->diags[i]);
    } else {
      c->diags[j++] = c->diags[i];
    }
  }
  c->ndiag = j;
  if (j == 0 || strcmp(c->dropped_source, source) == 0) c->dropped = c->diag_oom = 0;
}

/* A diagnostic not kept (past LUMO_DIAG_MAX, or out of memory) is counted. */
static void diag_lost(lumo_conn *c, const char *source, int oom) {
  c->dropped++;
  c->diag_oom += oom;
  snprintf(c->dropped_source, sizeof(c->dropped_source), "%s", source);
}

void lumo_diag_add(lumo_conn *c, const char *source, const char *file, int64_t line,
                   const char *kind, const char *fmt, ...) {
  if (!c) return;
  if (c->ndiag >= LUMO_DIAG_MAX) {
    diag_lost(c, source, 0);
    return;
  }
  if (c->ndiag == c->cap) {
    int cap = c->cap ? c->cap * 2 : 16;
    lumo_diag *d = sqlite3_realloc64(c->diags, sizeof(*d) * (size_t)cap);
    if (!d) { /* out of memory: counted as lost (diag_oom), which fails a sync */
      diag_lost(c, source, 1);
      return;
    }
    c->diags = d;
    c->cap = cap;
  }
  lumo_diag *d = &c->diags[c->ndiag];
  va_list ap;
  va_start(ap, fmt);
  d->detail = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  d->source = sqlite3_mprintf("%s", source);
  d->file = sqlite3_mprintf("%s", file ? file : "");
  d->kind = sqlite3_mprintf("%s", kind);
  d->line = line;
  if (!d->detail || !d->source || !d->file || !d->kind) {
    diag_clear(d);
    diag_lost(c, source, 1);
    return;
  }
  c->ndiag++;
}

int lumo_threads(int items) {
  const char *env = getenv("LUMO_THREADS");
  long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
  if (n > LUMO_MAX_THREADS) n = LUMO_MAX_THREADS;
  if (n > items) n = items;
  return n < 1 ? 1 : (int)n;
}

/* Appends from's diagnostics to c in their order, with the count from dropped, and
** empties from: how a thread's own diagnostics join the connection's. */
void lumo_diag_absorb(lumo_conn *c, lumo_conn *from) {
  for (int i = 0; i < from->ndiag; i++) {
    lumo_diag *d = &from->diags[i];
    lumo_diag_add(c, d->source, d->file, d->line, d->kind, "%s", d->detail);
  }
  if (c && from->dropped) {
    c->dropped += from->dropped;
    c->diag_oom += from->diag_oom;
    snprintf(c->dropped_source, sizeof(c->dropped_source), "%s", from->dropped_source);
  }
  from->dropped = from->diag_oom = 0;
  lumo_conn_release_diags(from);
}

/* Frees the diagnostics a lumo_conn holds, not the struct (workers' stack copies). */
void lumo_conn_release_diags(lumo_conn *c) {
  for (int i = 0; i < c->ndiag; i++) diag_clear(&c->diags[i]);
  sqlite3_free(c->diags);
  c->diags = NULL;
  c->ndiag = c->cap = 0;
}

void lumo_conn_release(void *p) {
  lumo_conn *c = p;
  if (!c || --c->nref > 0) return;
  for (int i = 0; i < c->ndiag; i++) diag_clear(&c->diags[i]);
  sqlite3_free(c->diags);
  if (c->prices) lumo_prices_release(c->prices);
  sqlite3_free(c);
}

/* ------------------------------------------------------------------ errors */

int lumo_vtab_err(sqlite3_vtab *vt, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3_free(vt->zErrMsg);
  vt->zErrMsg = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return vt->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* Reads a whole (small) file into out: SQLITE_OK, SQLITE_CANTOPEN (errno set; EINVAL
** for a device or directory, which has no end or no bytes: /dev/zero would be read
** forever), SQLITE_TOOBIG when it is larger than cap (known from its size before any
** read), or SQLITE_NOMEM. A pipe is read up to cap. For the formats that are one JSON
** document per file (Gemini legacy chats, OpenCode messages, price maps); transcripts
** are never read this way. */
int lumo_read_file(const char *path, size_t cap, lumo_buf *out) {
  FILE *f = fopen(path, "rb");
  if (!f) return SQLITE_CANTOPEN;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
    int dir = S_ISDIR(st.st_mode);
    fclose(f);
    errno = dir ? EISDIR : EINVAL;
    return SQLITE_CANTOPEN;
  }
  if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > cap) {
    fclose(f);
    return SQLITE_TOOBIG;
  }
  /* the whole size at once: doubling past it could ask for twice the cap */
  if (S_ISREG(st.st_mode)) lumo_buf_reserve(out, (size_t)st.st_size);
  char chunk[65536];
  size_t got;
  int rc = SQLITE_OK;
  while (!out->oom && (got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    if (out->len + got > cap) {
      rc = SQLITE_TOOBIG;
      break;
    }
    lumo_buf_append(out, chunk, got);
  }
  /* fread gives 0 on an error as at the end: without this a read error gave the bytes
  ** before it as the whole file (fault injection, tests/unit/fault.c) */
  if (rc == SQLITE_OK && ferror(f)) rc = SQLITE_IOERR;
  fclose(f);
  if (rc == SQLITE_OK && out->oom) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK) lumo_buf_nul(out);
  return rc;
}

/* -------------------------------------------------------------------- paths */

char *lumo_expand_home(const char *path) {
  if (path[0] == '~' && (path[1] == '/' || path[1] == 0)) {
    const char *home = getenv("HOME");
    if (home && *home) return sqlite3_mprintf("%s%s", home, path + 1);
  }
  return sqlite3_mprintf("%s", path);
}

lumo_span lumo_path_last(const char *p, size_t n) {
  while (n > 1 && (p[n - 1] == '/' || p[n - 1] == '\\')) n--;
  size_t i = n;
  while (i > 0 && p[i - 1] != '/' && p[i - 1] != '\\') i--;
  lumo_span s = {p + i, n - i};
  return s;
}

char *lumo_project_new(const char *path, int *rc) {
  lumo_span proj = path ? lumo_path_last(path, strlen(path)) : (lumo_span){NULL, 0};
  if (!proj.n) return NULL;
  char *project = sqlite3_mprintf("%.*s", (int)proj.n, proj.p);
  if (!project) *rc = SQLITE_NOMEM;
  return project;
}

/* "CREATE TABLE x(a TYPE, b TYPE HIDDEN, ...)" from a column array. */
char *lumo_declare_sql(const lumo_col *cols, int n) {
  lumo_buf b = {0};
  lumo_buf_append(&b, "CREATE TABLE x(", 15);
  for (int i = 0; i < n; i++) {
    if (i) lumo_buf_append(&b, ", ", 2);
    lumo_buf_append(&b, cols[i].name, strlen(cols[i].name));
    lumo_buf_putc(&b, ' ');
    lumo_buf_append(&b, cols[i].type, strlen(cols[i].type));
    if (cols[i].hidden) lumo_buf_append(&b, " HIDDEN", 7);
  }
  lumo_buf_putc(&b, ')');
  if (b.oom) {
    lumo_buf_free(&b);
    return NULL;
  }
  return b.p;
}

/* ----------------------------------------------------------------- time */

static int digits(const char *p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return 0;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* ISO-8601 "YYYY-MM-DD[(T| )hh:mm[:ss[.fff]]][Z|+hh:mm|-hh:mm]" to milliseconds since the
** epoch (no zone: UTC). Returns 1, or 0 when the text is not such a time. */
int lumo_iso_to_ms(const char *s, int64_t *out) {
  int Y, M, D, h = 0, m = 0, sec = 0, ms = 0;
  if (!s || !digits(s, 4, &Y) || s[4] != '-' || !digits(s + 5, 2, &M) || s[7] != '-' || !digits(s + 8, 2, &D))
    return 0;
  if (M < 1 || M > 12 || D < 1 || D > 31) return 0;
  const char *p = s + 10;
  if (*p == 'T' || *p == ' ') {
    if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &m)) return 0;
    p += 6;
    if (*p == ':') {
      if (!digits(p + 1, 2, &sec)) return 0;
      p += 3;
      if (*p == '.') {
        int scale = 100;
        p++;
        while (*p >= '0' && *p <= '9') {
          ms += (*p - '0') * scale;
          scale /= 10;
          p++;
        }
      }
    }
  }
  int64_t off = 0;
  if (*p == '+' || *p == '-') {
    int oh, om;
    if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om)) return 0;
    off = (oh * 60 + om) * (int64_t)60000 * (*p == '+' ? 1 : -1);
    p += 6;
  } else if (*p == 'Z') {
    p++;
  }
  if (*p) return 0;
  *out = ((days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec) * 1000 + ms) - off;
  return 1;
}

/* ------------------------------------------------------------ source vtabs */

/* sqlite3_declare_vtab of an object's column array; on failure *err names the object. */
int lumo_declare_object(sqlite3 *db, const lumo_object *o, char **err) {
  char *sql = lumo_declare_sql(o->cols, o->ncol);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_declare_vtab(db, sql);
  sqlite3_free(sql);
  if (rc) *err = sqlite3_mprintf("%s: %s", o->name, sqlite3_errmsg(db));
  return rc;
}

int lumo_source_connect(sqlite3 *db, void *conn, const lumo_object *o, int kind, sqlite3_vtab **pp, char **err) {
  int rc = lumo_declare_object(db, o, err);
  if (rc) return rc;
  /* Reading files must not be reachable from a database's schema. */
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  lumo_source_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (!vt) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->conn = conn;
  vt->conn->nref++;
  vt->kind = kind;
  *pp = &vt->base;
  return SQLITE_OK;
}

int lumo_source_disconnect(sqlite3_vtab *p) {
  lumo_conn_release(((lumo_source_vtab *)p)->conn);
  sqlite3_free(p);
  return SQLITE_OK;
}

int lumo_root_best_index(sqlite3_index_info *ii, int root_col) {
  int iroot = -1, unusable = 0;
  for (int i = 0; i < ii->nConstraint; i++) {
    if (ii->aConstraint[i].iColumn != root_col) continue;
    if (!ii->aConstraint[i].usable) unusable = 1;
    else if (ii->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_EQ) iroot = i;
  }
  if (unusable && iroot < 0) return SQLITE_CONSTRAINT;
  if (iroot >= 0) {
    ii->aConstraintUsage[iroot].argvIndex = 1;
    ii->aConstraintUsage[iroot].omit = 1;
    ii->idxNum = 1;
  }
  ii->estimatedCost = 1e5;
  return SQLITE_OK;
}
