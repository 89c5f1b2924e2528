/* fault.c: fault injection for lumo_sync and the source tables (issue 18). A test host
** linking the system libsqlite3 with lumo's sources compiled in (-DSQLITE_CORE, ASan+UBSan),
** that makes the Nth event of one kind fail, once, for N = 1, 1+step, ... up to the number
** of such events a clean run makes:
**   malloc  every allocation through SQLite's allocator (SQLITE_CONFIG_MALLOC: sqlite3_malloc,
**           which lumo uses, and SQLite's own) returns NULL
**   read    a read of the database or its journal/WAL (a sqlite3_vfs wrapping the default)
**           fails with SQLITE_IOERR_READ
**   write   a write there fails with SQLITE_FULL (a full disk)
**   fsync   an fsync there fails with SQLITE_IOERR_FSYNC
**   file    a read() or fread() of a source file by lumo (the lumo objects are linked with
**           -Wl,--wrap=read,--wrap=fread) fails with EIO
** For a sync, each failure must give an error or the exact clean result (or, for a source
** file's read, a row of kind unreadable in the diagnostics table); then, with faults
** off, the database passes PRAGMA integrity_check and the next sync leaves every table
** exactly as a clean sync does (a partly committed sync would show there). For a table
** scan, each failure must give an error, the clean rows, or a diagnostic (lumo_diagnostics)
** that says what was skipped: never fewer rows without a word. ASan (leaks included) and
** UBSan end the process on any finding.
**   dist/fault_host SCRATCH_DIR CLAUDE GEMINI CODEX OPENCODE OTLP [MAX_TRIALS_PER_KIND]
** MAX_TRIALS_PER_KIND (default 150) sets the sync's step: N covers 1..count evenly, 1 and
** count included; a table scan (a few hundred events) is tried at every N. Ends with "fault: ... N points, M failed". FAULT_ONLY=kind:N runs one sync trial
** and keeps its database (SCRATCH/trial.db, next to SCRATCH/clean.db). */
#include <sqlite3.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int sqlite3_lumo_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

enum { K_MALLOC, K_READ, K_WRITE, K_FSYNC, K_FILE, K_COUNT };
static const char *const kind_names[] = {"malloc", "read", "write", "fsync", "file"};
static long events[K_COUNT]; /* counted while armed */
static int armed, fail_kind = -1;
static long fail_at;
static int fired;

static int hit(int kind) { /* 1: this event fails */
  if (!armed) return 0;
  events[kind]++;
  if (kind == fail_kind && events[kind] == fail_at) {
    fired = 1;
    return 1;
  }
  return 0;
}

static void arm(int kind, long n) {
  memset(events, 0, sizeof(events));
  fail_kind = kind;
  fail_at = n;
  fired = 0;
  armed = 1;
}

/* ---------------------------------------------------------------- allocator */

static sqlite3_mem_methods real_mem;
static void *f_malloc(int n) { return hit(K_MALLOC) ? NULL : real_mem.xMalloc(n); }
static void *f_realloc(void *p, int n) { return hit(K_MALLOC) ? NULL : real_mem.xRealloc(p, n); }

/* ---------------------------------------------------------------- VFS */

typedef struct {
  sqlite3_file base;
  sqlite3_file *real; /* the wrapped file, allocated right after this struct */
} f_file;
static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
#define REAL(f) (((f_file *)(f))->real)

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK; }
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) {
  return hit(K_READ) ? SQLITE_IOERR_READ : REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) {
  return hit(K_WRITE) ? SQLITE_FULL : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 n) { return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int f_sync(sqlite3_file *f, int flags) {
  return hit(K_FSYNC) ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_check(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int f_fcntl(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_devchar(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **pp) {
  return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, pp);
}
static int f_shmlock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void f_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shmunmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int f_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp) {
  *pp = NULL; /* no memory-mapped reads: every read goes through f_read */
  (void)f, (void)o, (void)n;
  return SQLITE_OK;
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p) {
  return p ? REAL(f)->pMethods->xUnfetch(REAL(f), o, p) : SQLITE_OK;
}
static const sqlite3_io_methods f_methods = {3, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock,
                                             f_unlock, f_check, f_fcntl, f_sector, f_devchar, f_shmmap, f_shmlock,
                                             f_shmbarrier, f_shmunmap, f_fetch, f_unfetch};

static int f_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out) {
  (void)v;
  f_file *ff = (f_file *)f;
  ff->real = (sqlite3_file *)(ff + 1);
  int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
  f->pMethods = rc == SQLITE_OK ? &f_methods : NULL;
  return rc;
}

/* -------------------------------------------------------- lumo's own reads */

ssize_t __real_read(int fd, void *b, size_t n);
ssize_t __wrap_read(int fd, void *b, size_t n);
size_t __real_fread(void *b, size_t sz, size_t n, FILE *f);
size_t __wrap_fread(void *b, size_t sz, size_t n, FILE *f);
ssize_t __wrap_read(int fd, void *b, size_t n) {
  if (hit(K_FILE)) {
    errno = EIO;
    return -1;
  }
  return __real_read(fd, b, n);
}
size_t __wrap_fread(void *b, size_t sz, size_t n, FILE *f) {
  if (hit(K_FILE)) {
    errno = EIO;
#ifdef _IO_ERR_SEEN
    f->_flags |= _IO_ERR_SEEN; /* ferror(f), as after a real failed read (glibc) */
#endif
    return 0;
  }
  return __real_fread(b, sz, n, f);
}

/* ---------------------------------------------------------------- checks */

static const char *scratch;
static char sync_sql[4096];
static int nfailed, nxfailed, npoints;

/* FAULT_XFAIL="sync:malloc scan:malloc sync:file:6 ...": known findings, not yet fixed,
** reported as XFAIL and not counted as failures: side:kind for every point of that kind,
** side:kind:N for the Nth event only. An entry that no longer fails is an XPASS, which
** fails (the mark must go) when its point ran. An integrity_check failure is never
** expected. */
typedef struct {
  int scan_side, kind, hit, tried; /* tried: its point ran (a sparser run may skip it) */
  long n;                          /* 0: any point */
} xfail_entry;
static xfail_entry xfails[32];
static int nxfails;

static void xfail_parse(const char *x) {
  char side[8], kind[8];
  long n;
  int used;
  while (x && nxfails < 32) {
    while (*x == ' ') x++;
    if (!*x) break;
    n = 0;
    if (sscanf(x, "%7[a-z]:%7[a-z]%n", side, kind, &used) < 2) break;
    x += used;
    if (*x == ':' && sscanf(x + 1, "%ld%n", &n, &used) == 1) x += used + 1;
    for (int k = 0; k < K_COUNT; k++)
      if (strcmp(kind, kind_names[k]) == 0)
        xfails[nxfails++] = (xfail_entry){strcmp(side, "scan") == 0, k, 0, 0, n};
  }
}

static xfail_entry *xfail_of(int scan_side, int kind, long n) {
  for (int i = 0; i < nxfails; i++)
    if (xfails[i].scan_side == scan_side && xfails[i].kind == kind && (!xfails[i].n || xfails[i].n == n))
      return &xfails[i];
  return NULL;
}

static void tried(int scan_side, int kind, long n) {
  for (int i = 0; i < nxfails; i++)
    if (xfails[i].scan_side == scan_side && xfails[i].kind == kind && (!xfails[i].n || xfails[i].n == n))
      xfails[i].tried = 1;
}

static void fail(const char *what, int kind, long n, const char *detail) {
  int scan_side = strcmp(what, "scan") == 0, sync_side = strstr(what, "sync") != NULL;
  xfail_entry *x = kind >= 0 && (scan_side || sync_side) ? xfail_of(scan_side, kind, n) : NULL;
  if (x) {
    nxfailed++;
    x->hit = 1;
    printf("XFAIL %s, %s #%ld: %.300s\n", what, kind_names[kind], n, detail);
    return;
  }
  nfailed++;
  if (nfailed <= 400) printf("FAIL %s, %s #%ld: %s\n", what, kind < 0 ? "-" : kind_names[kind], n, detail);
}

/* The rows of a query, one string a row ("type:text|" per column), sorted: order does not
** matter. *rows is malloc'd (free_rows). */
typedef struct {
  char **v;
  long n;
} rowset;
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static void free_rows(rowset *r) {
  for (long i = 0; i < r->n; i++) free(r->v[i]);
  free(r->v);
  r->v = NULL;
  r->n = 0;
}
static int run_rows(sqlite3 *db, const char *sql, rowset *out, char **err) {
  sqlite3_stmt *st = NULL;
  long cap = 0;
  out->v = NULL;
  out->n = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    size_t len = 0;
    for (int i = 0; i < sqlite3_column_count(st); i++) len += (size_t)sqlite3_column_bytes(st, i) + 8;
    char *r = malloc(len + 1), *w = r;
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      int t = sqlite3_column_type(st, i);
      const unsigned char *s = sqlite3_column_text(st, i);
      w += sprintf(w, "%d:", t);
      if (s) {
        int b = sqlite3_column_bytes(st, i);
        memcpy(w, s, (size_t)b);
        w += b;
      }
      *w++ = '|';
    }
    *w = 0;
    if (out->n == cap) out->v = realloc(out->v, sizeof(char *) * (size_t)(cap = cap ? cap * 2 : 64));
    out->v[out->n++] = r;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc && err) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  if (out->n) qsort(out->v, (size_t)out->n, sizeof(char *), cmp_str);
  return rc;
}
static uint64_t rows_hash(const rowset *r) { /* FNV-1a */
  uint64_t h = 1469598103934665603ULL;
  for (long i = 0; i < r->n; i++) {
    for (const char *p = r->v[i]; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ '\n') * 1099511628211ULL;
  }
  return h;
}
static int run_hash(sqlite3 *db, const char *sql, uint64_t *hash, long *nrows, char **err) {
  rowset r;
  int rc = run_rows(db, sql, &r, err);
  *hash = rows_hash(&r);
  if (nrows) *nrows = r.n;
  free_rows(&r);
  return rc;
}
/* The first row of a that b lacks (NULL when none). */
static const char *first_missing(const rowset *a, const rowset *b) {
  for (long i = 0; i < a->n; i++)
    if (!b->n || !bsearch(&a->v[i], b->v, (size_t)b->n, sizeof(char *), cmp_str)) return a->v[i];
  return NULL;
}

/* Every table a sync fills, as rows (diagnostics without its time stamp); lumo_sync_runs (times, durations), lumo_files and
** lumo_dirs (mtimes and the sync's own bookkeeping) and blocks_state (a time stamp) are
** compared through what they cause: the next sync reads exactly what is missing. */
static uint64_t db_hash(sqlite3 *db, char *why, size_t whylen) {
  sqlite3_stmt *st = NULL;
  uint64_t all = 0;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN "
                     "('lumo_sync_runs', 'lumo_files', 'lumo_dirs', 'blocks_state', 'lumo_settings') ORDER BY name",
                     -1, &st, NULL);
  why[0] = 0;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    char q[300];
    /* diagnostics.synced_at is the time of the sync that wrote the row: never equal */
    if (strcmp((const char *)sqlite3_column_text(st, 0), "diagnostics") == 0)
      snprintf(q, sizeof(q), "SELECT machine, file, line, kind, detail, phase FROM diagnostics");
    else snprintf(q, sizeof(q), "SELECT * FROM \"%s\"", sqlite3_column_text(st, 0));
    uint64_t h;
    long n;
    char *err = NULL;
    if (run_hash(db, q, &h, &n, &err)) snprintf(why, whylen, "%s: %s", q, err);
    sqlite3_free(err);
    all = (all ^ h) * 1099511628211ULL + (uint64_t)n;
    size_t l = strlen(why);
    /* rows and a short hash of them: which table differs shows even at equal counts */
    if (l + 80 < whylen) snprintf(why + l, whylen - l, "%s=%ld#%04x ", sqlite3_column_text(st, 0), n, (unsigned)(h & 0xffff));
  }
  sqlite3_finalize(st);
  return all;
}

static sqlite3 *open_db(const char *path) {
  sqlite3 *db = NULL;
  char *err = NULL;
  if (sqlite3_open(path, &db) || sqlite3_lumo_init(db, &err, NULL)) {
    fprintf(stderr, "fault: cannot open %s: %s\n", path, err ? err : sqlite3_errmsg(db));
    exit(2);
  }
  return db;
}

static void copy_file(const char *from, const char *to) {
  FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
  if (!a || !b) {
    perror(from);
    exit(2);
  }
  char buf[65536];
  size_t n;
  while ((n = __real_fread(buf, 1, sizeof(buf), a)) > 0) fwrite(buf, 1, n, b);
  fclose(a);
  fclose(b);
}

static void path_of(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", scratch, name); }

static void remove_db(const char *p) {
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
  char q[600];
  for (int i = 0; i < 4; i++) {
    snprintf(q, sizeof(q), "%s%s", p, sfx[i]);
    unlink(q);
  }
}

static int exec_sync(sqlite3 *db, char **err) { /* the sync statement; its result row read */
  uint64_t h;
  return run_hash(db, sync_sql, &h, NULL, err);
}

static uint64_t clean_hash;
static char clean_why[2048];
static long clean_unreadable; /* diagnostics rows of kind unreadable after a clean sync */

static long count_of(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  long n = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

/* A fresh database (a copy of base.db), synced with the kind's Nth event failing. */
static void sync_trial(int kind, long n) {
  char base[512], trial[512], why[2048];
  path_of(base, sizeof(base), "base.db");
  path_of(trial, sizeof(trial), "trial.db");
  remove_db(trial);
  copy_file(base, trial);
  sqlite3 *db = open_db(trial);
  char *err = NULL;
  tried(0, kind, n);
  arm(kind, n);
  int rc = exec_sync(db, &err);
  armed = 0;
  npoints++;
  /* A source file that could not be read is not the sync's failure: the sync goes on with
  ** the other files, and must say so (an unreadable row kept in diagnostics). */
  if (rc == SQLITE_OK && db_hash(db, why, sizeof(why)) != clean_hash && fired &&
      !(kind == K_FILE && count_of(db, "SELECT count(*) FROM diagnostics WHERE kind = 'unreadable'") > clean_unreadable)) {
    char d[2300];
    snprintf(d, sizeof(d), "sync succeeded with other tables than a clean one: %s", why);
    fail("sync", kind, n, d);
  }
  sqlite3_free(err);
  err = NULL;
  uint64_t h;
  if (run_hash(db, "PRAGMA integrity_check", &h, NULL, &err)) fail("integrity_check", kind, n, err);
  else {
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
    if (sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok"))
      fail("integrity_check", kind, n, "database not ok");
    sqlite3_finalize(st);
  }
  sqlite3_free(err);
  err = NULL;
  sqlite3_close(db);
  db = open_db(trial); /* a new connection, as the next `lumo sync` would be */
  if (exec_sync(db, &err)) fail("next sync", kind, n, err);
  else if (db_hash(db, why, sizeof(why)) != clean_hash) {
    char d[4400];
    snprintf(d, sizeof(d), "tables differ from a clean sync: %s / clean %s", why, clean_why);
    fail("next sync", kind, n, d);
  }
  sqlite3_free(err);
  sqlite3_close(db);
}

typedef struct {
  const char *sql;
  rowset rows, diags; /* of a clean scan */
  long count[K_COUNT];
} scan;

#define DIAG_SQL "SELECT * FROM lumo_diagnostics"

static void scan_trial(scan *s, int kind, long n) {
  sqlite3 *db = open_db(":memory:");
  rowset rows, diags;
  char *err = NULL;
  tried(1, kind, n);
  arm(kind, n);
  int rc = run_rows(db, s->sql, &rows, &err);
  armed = 0;
  npoints++;
  if (rc == SQLITE_OK && fired && rows_hash(&rows) != rows_hash(&s->rows)) {
    run_rows(db, DIAG_SQL, &diags, NULL);
    if (!first_missing(&diags, &s->diags)) { /* no diagnostic a clean scan lacks */
      const char *lost = first_missing(&s->rows, &rows), *extra = first_missing(&rows, &s->rows);
      char d[900];
      snprintf(d, sizeof(d), "%s: %ld rows instead of %ld, no error, no diagnostic; lost %.250s; new %.250s", s->sql,
               rows.n, s->rows.n, lost ? lost : "-", extra ? extra : "-");
      fail("scan", kind, n, d);
    }
    free_rows(&diags);
  }
  free_rows(&rows);
  sqlite3_free(err);
  sqlite3_close(db);
}

static long step_of(long count, long max_trials) { return count <= max_trials ? 1 : (count + max_trials - 1) / max_trials; }

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: fault_host SCRATCH CLAUDE GEMINI CODEX OPENCODE OTLP [MAX_TRIALS_PER_KIND]\n");
    return 2;
  }
  scratch = argv[1];
  xfail_parse(getenv("FAULT_XFAIL"));
  long max_trials = argc > 7 ? atol(argv[7]) : 150;
  setenv("LUMO_THREADS", "1", 1); /* one thread: the Nth event is the same one every run */
  setenv("LUMO_MACHINE", "fault", 1);
  setenv("TZ", "UTC", 1);
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem);
  sqlite3_mem_methods m = real_mem;
  m.xMalloc = f_malloc;
  m.xRealloc = f_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
  sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0); /* every allocation reaches the shim */
  sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, (sqlite3_int64)0, (sqlite3_int64)0);
  if (sqlite3_initialize()) return 2;
  real_vfs = sqlite3_vfs_find(NULL);
  fault_vfs = *real_vfs;
  fault_vfs.zName = "lumo-fault";
  fault_vfs.szOsFile = (int)sizeof(f_file) + real_vfs->szOsFile;
  fault_vfs.xOpen = f_open;
  sqlite3_vfs_register(&fault_vfs, 1);
  snprintf(sync_sql, sizeof(sync_sql), "SELECT lumo_sync('%s', '%s', '%s', '%s', '%s')", argv[2], argv[3], argv[4],
           argv[5], argv[6]);

  /* base.db: the schema, nothing synced; the clean sync of a copy gives the counts */
  char base[512], clean[512];
  path_of(base, sizeof(base), "base.db");
  path_of(clean, sizeof(clean), "clean.db");
  remove_db(base);
  sqlite3 *db = open_db(base);
  char *err = NULL;
  if (sqlite3_exec(db, "SELECT lumo_sync('/nonexistent-lumo-root')", NULL, NULL, &err)) {
    fprintf(stderr, "fault: base: %s\n", err);
    return 2;
  }
  sqlite3_close(db);
  remove_db(clean);
  copy_file(base, clean);
  db = open_db(clean);
  arm(-1, 0);
  if (exec_sync(db, &err)) {
    fprintf(stderr, "fault: clean sync: %s\n", err);
    return 2;
  }
  armed = 0;
  long sync_count[K_COUNT];
  memcpy(sync_count, events, sizeof(events));
  clean_hash = db_hash(db, clean_why, sizeof(clean_why));
  clean_unreadable = count_of(db, "SELECT count(*) FROM diagnostics WHERE kind = 'unreadable'");
  sqlite3_close(db);
  printf("fault: clean sync: %s\n", clean_why);

  /* FAULT_ONLY=kind:N (e.g. file:6): that one sync trial, its database left in
  ** SCRATCH/trial.db beside the clean one (clean.db) to compare by hand */
  const char *only = getenv("FAULT_ONLY");
  if (only && *only) {
    for (int k = 0; k < K_COUNT; k++) {
      size_t l = strlen(kind_names[k]);
      if (strncmp(only, kind_names[k], l) == 0 && only[l] == ':') sync_trial(k, atol(only + l + 1));
    }
    printf("fault: %d points, %d failed (FAULT_ONLY=%s)\n", npoints, nfailed, only);
    return nfailed ? 1 : 0;
  }

  scan scans[] = {
    {"SELECT * FROM claude_usage(?1)", {0}, {0}, {0}},  {"SELECT * FROM claude_messages(?1)", {0}, {0}, {0}},
    {"SELECT * FROM codex_usage(?1)", {0}, {0}, {0}},   {"SELECT * FROM gemini_usage(?1)", {0}, {0}, {0}},
    {"SELECT * FROM opencode_usage(?1)", {0}, {0}, {0}}, {"SELECT * FROM otlp_metrics(?1)", {0}, {0}, {0}},
  };
  const char *scan_root[] = {argv[2], argv[2], argv[4], argv[3], argv[5], argv[6]};
  int nscans = (int)(sizeof(scans) / sizeof(scans[0]));
  static char scan_sql[8][1200];
  for (int i = 0; i < nscans; i++) {
    snprintf(scan_sql[i], sizeof(scan_sql[i]), "%.*s'%s')", (int)(strlen(scans[i].sql) - 3), scans[i].sql,
             scan_root[i]);
    scans[i].sql = scan_sql[i];
    db = open_db(":memory:");
    arm(-1, 0);
    if (run_rows(db, scans[i].sql, &scans[i].rows, &err)) {
      fprintf(stderr, "fault: clean %s: %s\n", scans[i].sql, err);
      return 2;
    }
    armed = 0;
    memcpy(scans[i].count, events, sizeof(events));
    run_rows(db, DIAG_SQL, &scans[i].diags, NULL);
    sqlite3_close(db);
  }

  for (int k = 0; k < K_COUNT; k++) {
    long step = step_of(sync_count[k], max_trials), pts0 = npoints, f0 = nfailed;
    for (long n = 1; n <= sync_count[k]; n += step) sync_trial(k, n);
    if (sync_count[k] > 1 && (sync_count[k] - 1) % step) sync_trial(k, sync_count[k]);
    printf("fault: sync, %-6s: %ld events, %ld points (every %ld), %ld failed\n", kind_names[k], sync_count[k],
           npoints - pts0, step, (long)(nfailed - f0));
  }
  for (int i = 0; i < nscans; i++)
    for (int k = 0; k < K_COUNT; k++) {
      if (k == K_WRITE || k == K_FSYNC || !scans[i].count[k]) continue; /* :memory: has no files */
      /* every allocation and read of a scan (a few hundred each): a scan is cheap */
      long c = scans[i].count[k], step = 1, pts0 = npoints, f0 = nfailed;
      for (long n = 1; n <= c; n += step) scan_trial(&scans[i], k, n);
      printf("fault: %-40.40s %-6s: %ld events, %ld points (every %ld), %ld failed\n", scans[i].sql, kind_names[k], c,
             npoints - pts0, step, (long)(nfailed - f0));
    }
  for (int i = 0; i < nscans; i++) {
    free_rows(&scans[i].rows);
    free_rows(&scans[i].diags);
  }
  for (int i = 0; i < nxfails; i++)
    if (xfails[i].tried && !xfails[i].hit) {
      printf("XPASS %s:%s", xfails[i].scan_side ? "scan" : "sync", kind_names[xfails[i].kind]);
      if (xfails[i].n) printf(":%ld", xfails[i].n);
      printf(" no longer fails: remove it from FAULT_XFAIL\n");
      nfailed++;
    }
  printf("fault: %d points, %d failed, %d expected failures (FAULT_XFAIL)\n", npoints, nfailed, nxfailed);
  return nfailed ? 1 : 0;
}
