/* walk.c: lists the files under a directory whose names end with given suffixes,
** depth first, each directory sorted by name stem (byte order; see name_cmp), so the
** order is the same on every file system. Symbolic links below the root are not followed; the root itself
** may be a link. Depth is capped at 32. A missing root lists nothing; an unreadable
** directory is reported as a diagnostic and skipped. Knows nothing of file formats. */
#include "lumo_int.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <fcntl.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define LUMO_WALK_MAX_DEPTH 32

/* By stem (the name up to its first '.'), then names with an extension first, so
** "<sid>.jsonl" comes right before the directory "<sid>/" holding its subagents. */
static int name_cmp(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  size_t sx = strcspn(x, "."), sy = strcspn(y, ".");
  size_t m = sx < sy ? sx : sy;
  int c = memcmp(x, y, m);
  if (c) return c;
  if (sx != sy) return sx < sy ? -1 : 1;
  if ((x[sx] == 0) != (y[sy] == 0)) return x[sx] == 0 ? 1 : -1;
  return strcmp(x, y);
}

static int has_suffix(const char *name, const char *const *suffixes) {
  for (int i = 0; suffixes[i]; i++)
    if (lumo_ends_with(name, suffixes[i])) return 1;
  return 0;
}

/* Appends an entry (its path is taken over by the list). */
static int add_file_moved(lumo_filelist *fl, const lumo_file *src) {
  if (fl->n == fl->cap) {
    int cap = fl->cap ? fl->cap * 2 : 64;
    lumo_file *f = sqlite3_realloc64(fl->f, sizeof(*f) * (size_t)cap);
    if (!f) return SQLITE_NOMEM;
    fl->f = f;
    fl->cap = cap;
  }
  fl->f[fl->n++] = *src;
  return SQLITE_OK;
}

static int add_file(lumo_filelist *fl, char *path, size_t rel_from, int root, const struct stat *st) {
  lumo_file f;
  f.path = path;
  f.rel = path + (rel_from < strlen(path) ? rel_from : 0);
  f.size = st->st_size;
  f.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
  f.inode = (int64_t)st->st_ino;
  f.root = root;
  return add_file_moved(fl, &f);
}

static int walk_dir(lumo_filelist *fl, const char *dir, size_t rel_from, int root,
                    const char *const *suffixes, lumo_conn *c, const char *source, int depth);

typedef struct walk_entry {
  char *name;         /* owned */
  unsigned char type; /* d_type: DT_DIR, DT_REG, DT_LNK, or DT_UNKNOWN */
} walk_entry;

static int entry_cmp(const void *a, const void *b) {
  const char *x = ((const walk_entry *)a)->name, *y = ((const walk_entry *)b)->name;
  return name_cmp(&x, &y);
}

/* Visits entries [from, to) of one listed directory (open as dfd). */
static int visit(lumo_filelist *fl, const char *dir, int dfd, const walk_entry *v, int from, int to,
                 size_t rel_from, int root, const char *const *suffixes, lumo_conn *c,
                 const char *source, int depth) {
  int rc = SQLITE_OK;
  for (int i = from; i < to && rc == SQLITE_OK; i++) {
    struct stat st;
    if (v[i].type == DT_DIR) {
      char *path = sqlite3_mprintf("%s/%s", dir, v[i].name);
      if (!path) rc = SQLITE_NOMEM;
      else rc = walk_dir(fl, path, rel_from, root, suffixes, c, source, depth + 1);
      sqlite3_free(path);
      continue;
    }
    if (fstatat(dfd, v[i].name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      lumo_diag_add(c, source, v[i].name, 0, "unreadable", "cannot stat: %s", strerror(errno));
      continue;
    }
    char *path = sqlite3_mprintf("%s/%s", dir, v[i].name);
    if (!path) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (S_ISDIR(st.st_mode)) { /* DT_UNKNOWN file systems */
      rc = walk_dir(fl, path, rel_from, root, suffixes, c, source, depth + 1);
      sqlite3_free(path);
    } else if (S_ISREG(st.st_mode) && has_suffix(v[i].name, suffixes)) {
      rc = add_file(fl, path, rel_from, root, &st);
      if (rc != SQLITE_OK) sqlite3_free(path);
    } else {
      sqlite3_free(path);
    }
  }
  return rc;
}

/* The top directory of a large tree is split between two threads: a re-sync is
** nothing but these stat calls, and the kernel work runs on both cores. Each half has
** its own list and diagnostics, appended in order afterwards. */
typedef struct walk_job {
  lumo_filelist fl;
  lumo_conn diag;
  const char *dir, *source;
  const char *const *suffixes;
  const walk_entry *v;
  int dfd, from, to, root, rc;
  size_t rel_from;
} walk_job;

static void *walk_job_run(void *arg) {
  walk_job *j = arg;
  j->rc = visit(&j->fl, j->dir, j->dfd, j->v, j->from, j->to, j->rel_from, j->root, j->suffixes,
                &j->diag, j->source, 1);
  return NULL;
}

static int visit_parallel(lumo_filelist *fl, const char *dir, int dfd, const walk_entry *v, int n,
                          size_t rel_from, int root, const char *const *suffixes, lumo_conn *c,
                          const char *source) {
  walk_job j[2];
  memset(j, 0, sizeof(j));
  for (int k = 0; k < 2; k++) {
    j[k].dir = dir;
    j[k].source = source;
    j[k].suffixes = suffixes;
    j[k].v = v;
    j[k].dfd = dfd;
    j[k].root = root;
    j[k].rel_from = rel_from;
    j[k].from = k ? n / 2 : 0;
    j[k].to = k ? n : n / 2;
  }
  pthread_t t;
  int started = pthread_create(&t, NULL, walk_job_run, &j[1]) == 0;
  walk_job_run(&j[0]);
  if (started) pthread_join(t, NULL);
  else walk_job_run(&j[1]);
  int rc = j[0].rc ? j[0].rc : j[1].rc;
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < j[k].fl.n; i++) {
      if (rc == SQLITE_OK) {
        lumo_file *f = &j[k].fl.f[i];
        rc = add_file_moved(fl, f);
        if (rc == SQLITE_OK) continue;
      }
      sqlite3_free(j[k].fl.f[i].path);
    }
    sqlite3_free(j[k].fl.f);
    for (int i = 0; i < j[k].diag.ndiag; i++) {
      lumo_diag *d = &j[k].diag.diags[i];
      lumo_diag_add(c, d->source, d->file, d->line, d->kind, "%s", d->detail);
    }
    lumo_conn_release_diags(&j[k].diag);
  }
  return rc;
}

/* Lists one directory, then visits its entries in order. Entries are stat'ed relative
** to the open directory (fstatat), and only when needed: a directory is known from
** d_type, a file only matters if its name matches. */
static int walk_dir(lumo_filelist *fl, const char *dir, size_t rel_from, int root,
                    const char *const *suffixes, lumo_conn *c, const char *source, int depth) {
  if (depth > LUMO_WALK_MAX_DEPTH) return SQLITE_OK;
  DIR *d = opendir(dir);
  if (!d) {
    if (errno != ENOENT && errno != ENOTDIR)
      lumo_diag_add(c, source, dir, 0, "unreadable", "cannot open directory: %s", strerror(errno));
    return SQLITE_OK;
  }
  walk_entry *v = NULL;
  int n = 0, cap = 0, rc = SQLITE_OK;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
    unsigned char t = e->d_type;
    if ((t == DT_REG && !has_suffix(e->d_name, suffixes)) || (t != DT_REG && t != DT_DIR && t != DT_UNKNOWN))
      continue; /* not a transcript, not a directory (links are not followed) */
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      walk_entry *nv = sqlite3_realloc64(v, sizeof(*v) * (size_t)cap);
      if (!nv) {
        rc = SQLITE_NOMEM;
        break;
      }
      v = nv;
    }
    v[n].name = sqlite3_mprintf("%s", e->d_name);
    v[n].type = t;
    if (!v[n].name) {
      rc = SQLITE_NOMEM;
      break;
    }
    n++;
  }
  if (n > 1) qsort(v, (size_t)n, sizeof(*v), entry_cmp);
  int dfd = dirfd(d);
  const char *env = getenv("LUMO_THREADS");
  if (depth == 0 && n >= 64 && sqlite3_threadsafe() && !(env && strcmp(env, "1") == 0))
    rc = visit_parallel(fl, dir, dfd, v, n, rel_from, root, suffixes, c, source);
  else if (rc == SQLITE_OK)
    rc = visit(fl, dir, dfd, v, 0, n, rel_from, root, suffixes, c, source, depth);
  closedir(d);
  for (int i = 0; i < n; i++) sqlite3_free(v[i].name);
  sqlite3_free(v);
  return rc;
}

/* A comma-separated list of directories, ~ expanded, trailing slashes dropped. */
int lumo_roots_parse(const char *src, char ***roots, int *n) {
  char **r = NULL;
  int cnt = 0;
  const char *p = src;
  while (*p) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    while (len && (*p == ' ')) {
      p++;
      len--;
    }
    while (len && p[len - 1] == ' ') len--;
    if (len) {
      char **nr = sqlite3_realloc64(r, sizeof(char *) * (size_t)(cnt + 1));
      char *one = sqlite3_mprintf("%.*s", (int)len, p);
      char *exp = one ? lumo_expand_home(one) : NULL;
      sqlite3_free(one);
      if (!nr || !exp) {
        sqlite3_free(exp);
        lumo_roots_free(nr ? nr : r, cnt);
        return SQLITE_NOMEM;
      }
      r = nr;
      size_t el = strlen(exp);
      while (el > 1 && exp[el - 1] == '/') exp[--el] = 0;
      r[cnt++] = exp;
    }
    if (!c) break;
    p = c + 1;
  }
  *roots = r;
  *n = cnt;
  return SQLITE_OK;
}

void lumo_roots_free(char **roots, int n) {
  for (int i = 0; i < n; i++) sqlite3_free(roots[i]);
  sqlite3_free(roots);
}

/* The roots of a source: the argument when given, else $env followed by env_suffix when
** set, else the fallback list. */
int lumo_roots_default(const char *arg, const char *env, const char *env_suffix, const char *fallback,
                       char ***roots, int *n) {
  if (arg && *arg) return lumo_roots_parse(arg, roots, n);
  const char *v = getenv(env);
  if (!v || !*v) return lumo_roots_parse(fallback, roots, n);
  char *list = sqlite3_mprintf("%s%s", v, env_suffix);
  if (!list) return SQLITE_NOMEM;
  int rc = lumo_roots_parse(list, roots, n);
  sqlite3_free(list);
  return rc;
}

int lumo_walk(lumo_filelist *fl, const char *dir, size_t rel_from, int root,
              const char *const *suffixes, lumo_conn *c, const char *source) {
  return walk_dir(fl, dir, rel_from, root, suffixes, c, source, 0);
}

int lumo_filelist_add(lumo_filelist *fl, const char *path, size_t rel_from, int root) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return SQLITE_OK;
  char *own = sqlite3_mprintf("%s", path);
  if (!own) return SQLITE_NOMEM;
  int rc = add_file(fl, own, rel_from, root, &st);
  if (rc != SQLITE_OK) sqlite3_free(own);
  return rc;
}

void lumo_filelist_free(lumo_filelist *fl) {
  for (int i = 0; i < fl->n; i++) sqlite3_free(fl->f[i].path);
  sqlite3_free(fl->f);
  memset(fl, 0, sizeof(*fl));
}
