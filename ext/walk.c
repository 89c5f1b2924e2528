/* walk.c: lists the files under a directory whose names end with given suffixes,
** depth first, each directory sorted by name stem (byte order; see name_cmp), so the
** order is the same on every file system. Symbolic links are followed (a project moved
** elsewhere and linked back), except a link into the root itself (its files are listed
** by their own path) or to a directory the walk is inside (a loop): those are reported.
** Depth is capped at 32 (a deeper directory is reported). A missing root lists nothing; an unreadable directory, and an
** entry with a transcript's name that is no regular file (a FIFO, a device, a dangling
** link), are reported as diagnostics and skipped. Knows nothing of file formats.
** With a directory cache (lumo_conn.dirs, lent by lumo_sync) an unchanged directory is
** not read again: its remembered listing is used and its files are stat'ed by path. A
** directory is unchanged when its inode and its ctime are: tar, rsync -a and cp -a set
** a directory's mtime back after adding files, but no one can set back a ctime. */
#include "lumo_int.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <fcntl.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <unistd.h>

#define LUMO_WALK_MAX_DEPTH 32
/* A listing is remembered only when its directory last changed this long before it was
** read: a file created within the same clock tick as an earlier change would leave the
** directory's mtime as it was (the kernel's file times are coarse). */
#define LUMO_DIR_SETTLED_NS 2000000000LL

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

static int walk_dir(lumo_filelist *fl, const char *dir, int at_fd, const char *at_rel, const struct stat *known,
                    size_t rel_from, int root, const char *const *suffixes, lumo_conn *c, const char *source,
                    int depth);

typedef struct walk_entry {
  char *name;         /* owned */
  unsigned char type; /* d_type: DT_DIR, DT_REG, DT_LNK, or DT_UNKNOWN */
} walk_entry;

static int entry_cmp(const void *a, const void *b) {
  const char *x = ((const walk_entry *)a)->name, *y = ((const walk_entry *)b)->name;
  return name_cmp(&x, &y);
}

/* ------------------------------------------------------------ directory cache */

static int dirrec_cmp(const void *a, const void *b) {
  return strcmp(((const lumo_dirrec *)a)->path, ((const lumo_dirrec *)b)->path);
}

int lumo_dircache_add(lumo_dircache *dc, int fresh, const char *path, int64_t mtime_ns, int64_t inode,
                      const char *entries) {
  lumo_dirrec **arr = fresh ? &dc->fresh : &dc->known;
  int *n = fresh ? &dc->nfresh : &dc->nknown, *cap = fresh ? &dc->fresh_cap : &dc->known_cap;
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 64;
    lumo_dirrec *na = sqlite3_realloc64(*arr, sizeof(**arr) * (size_t)nc);
    if (!na) return SQLITE_NOMEM;
    *arr = na;
    *cap = nc;
  }
  lumo_dirrec *r = &(*arr)[*n];
  r->mtime_ns = mtime_ns;
  r->inode = inode;
  if (!fresh) { /* thousands of them, loaded at once and freed at once */
    r->path = lumo_arena_dup(&dc->known_text, path, strlen(path));
    r->entries = lumo_arena_dup(&dc->known_text, entries, strlen(entries));
    if (!r->path || !r->entries) return SQLITE_NOMEM;
    (*n)++;
    return SQLITE_OK;
  }
  r->path = sqlite3_mprintf("%s", path);
  r->entries = sqlite3_mprintf("%s", entries);
  if (!r->path || !r->entries) {
    sqlite3_free(r->path);
    sqlite3_free(r->entries);
    return SQLITE_NOMEM;
  }
  (*n)++;
  return SQLITE_OK;
}

void lumo_dircache_sort(lumo_dircache *dc) {
  for (int i = 1; i < dc->nknown; i++)
    if (dirrec_cmp(&dc->known[i - 1], &dc->known[i]) > 0) {
      qsort(dc->known, (size_t)dc->nknown, sizeof(*dc->known), dirrec_cmp);
      return;
    }
}

static void dirrecs_free(lumo_dirrec *v, int n) {
  for (int i = 0; i < n; i++) {
    sqlite3_free(v[i].path);
    sqlite3_free(v[i].entries);
  }
  sqlite3_free(v);
}

void lumo_dircache_free(lumo_dircache *dc) {
  sqlite3_free(dc->known);
  lumo_arena_free(&dc->known_text);
  dirrecs_free(dc->fresh, dc->nfresh);
  memset(dc, 0, sizeof(*dc));
}

static const lumo_dirrec *dircache_find(const lumo_dircache *dc, const char *path) {
  lumo_dirrec key = {(char *)path, 0, 0, NULL};
  return dc->nknown ? bsearch(&key, dc->known, (size_t)dc->nknown, sizeof(key), dirrec_cmp) : NULL;
}

/* The time a directory's listing is remembered by (lumo_dirs.mtime_ns holds it): its
** ctime, which every change of the directory (an entry added, its mtime set) moves on. */
static int64_t stat_mtime_ns(const struct stat *st) {
  return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* A symbolic link at path (rel from dfd), found while walking dir, depth levels below the
** directory the walk started from. Returns 1 with *st the target's stat when it is to be
** followed; else 0, reported. Not followed: a dangling link, a link into the directory
** walked (its target is walked by its own path: following it would list the same files
** twice) and a link to a directory the walk is inside (a loop). */
static int follow_link(const char *dir, const char *path, int dfd, const char *rel, size_t rel_from, int depth,
                       struct stat *st, lumo_conn *c, const char *source) {
  const char *shown = path + (rel_from < strlen(path) ? rel_from : 0);
  if (fstatat(dfd, rel, st, 0) != 0) {
    lumo_diag_add(c, source, shown, 0, "unreadable", "symbolic link not followed: %s", strerror(errno));
    return 0;
  }
  if (!S_ISDIR(st->st_mode) && !S_ISREG(st->st_mode)) return 1; /* the caller reports it */
  char *target = realpath(path, NULL);
  if (!target) {
    lumo_diag_add(c, source, shown, 0, "unreadable", "symbolic link not followed: %s", strerror(errno));
    return 0;
  }
  size_t tl = strlen(target);
  int skip = 0;
  /* the root, then every directory from it down to dir, by its real path */
  char prefix[4096];
  size_t dl = strlen(dir), from = rel_from ? rel_from - 1 : 0;
  /* the directory walked (dir less its last depth names): only what is under it is listed
  ** anyway; the root (~/.claude) may hold more than it (projects/) */
  size_t top = dl;
  for (int k = 0; k < depth && top > 0; k++) {
    while (top > 0 && dir[top - 1] != '/') top--;
    if (top > 0) top--;
  }
  if (top < from) from = top;
  for (size_t end = from; end <= dl && !skip; end++) {
    if (end < dl && dir[end] != '/') continue;
    if (end == 0 || end >= sizeof(prefix)) continue;
    memcpy(prefix, dir, end);
    prefix[end] = 0;
    char *real = realpath(prefix, NULL);
    if (!real) continue;
    size_t rl = strlen(real);
    if (end == top) /* the directory walked: a target inside it is listed anyway */
      skip = strncmp(target, real, rl) == 0 && (target[rl] == '/' || target[rl] == 0 || (rl == 1 && real[0] == '/')) ? 1 : 0;
    else if (S_ISDIR(st->st_mode) && rl == tl && memcmp(real, target, tl) == 0)
      skip = 2;
    free(real);
  }
  if (skip)
    lumo_diag_add(c, source, shown, 0, "skipped_entry", "symbolic link to %s not followed: %s", target,
                  skip == 1 ? "its target is under the directory walked, where it is read by its own path"
                            : "its target is a directory the walk is inside (a loop)");
  free(target);
  return !skip;
}

/* "<t><name>/" per entry, in the listing's (sorted) order. */
static char *entries_encode(const walk_entry *v, int n) {
  sqlite3_str *s = sqlite3_str_new(NULL);
  for (int i = 0; i < n; i++)
    sqlite3_str_appendf(s, "%c%s/", v[i].type == DT_DIR ? 'd' : v[i].type == DT_REG ? 'f' : 'u', v[i].name);
  return sqlite3_str_finish(s); /* NULL for no entries or on OOM: stored as "" */
}

/* The entries array and their names in one allocation, freed with free(): the C
** allocator, not SQLite's, whose statistics take a lock that the walk's threads would
** contend for once per directory. */
static int entries_decode(const char *e, walk_entry **out, int *count) {
  size_t len = strlen(e);
  int n = 0;
  for (const char *p = e; *p; p++) n += *p == '/';
  walk_entry *v = malloc(sizeof(*v) * (size_t)n + len + 1);
  if (!v) return SQLITE_NOMEM;
  char *names = memcpy((char *)(v + n), e, len + 1);
  int k = 0;
  for (char *p = names; *p && k < n;) {
    char *end = strchr(p, '/');
    if (!end || end == p) break;
    *end = 0;
    v[k].type = *p == 'd' ? DT_DIR : *p == 'f' ? DT_REG : DT_UNKNOWN;
    v[k].name = p + 1;
    k++;
    p = end + 1;
  }
  *out = v;
  *count = k;
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------- walk */

/* Visits entries [from, to) of one listed directory, reached as at (a path relative to
** dfd) or, when at is NULL, open as dfd. With a directory cache the directory may not be
** open at all (its listing came from the cache): its entries are stat'ed relative to the
** nearest open ancestor, and a listed name may have gone since. */
static int visit(lumo_filelist *fl, const char *dir, int dfd, const char *at, const walk_entry *v, int from,
                 int to, size_t rel_from, int root, const char *const *suffixes, lumo_conn *c,
                 const char *source, int depth) {
  int rc = SQLITE_OK;
  int cached = c && c->dirs;
  size_t dlen = strlen(dir), alen = at ? strlen(at) : 0;
  char path[4096]; /* no allocation per entry: only a listed file's path is kept */
  for (int i = from; i < to && rc == SQLITE_OK; i++) {
    struct stat st;
    int linked = 0;
    int len = snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
    if (len < 0 || (size_t)len >= sizeof(path)) {
      lumo_diag_add(c, source, dir, 0, "unreadable", "path too long: %s/%s", dir, v[i].name);
      continue;
    }
    /* at is the tail of dir, so the entry's path relative to dfd is the tail of path */
    const char *rel = at ? path + (dlen - alen) : v[i].name;
    if (v[i].type == DT_DIR && !cached) { /* known from d_type; only the cache needs its stat */
      rc = walk_dir(fl, path, dfd, rel, NULL, rel_from, root, suffixes, c, source, depth + 1);
    } else if (fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) lumo_diag_add(c, source, v[i].name, 0, "unreadable", "cannot stat: %s", strerror(errno));
    } else if ((linked = S_ISLNK(st.st_mode)) != 0 && !follow_link(dir, path, dfd, rel, rel_from, depth, &st, c, source)) {
      continue; /* reported */
    } else if (S_ISDIR(st.st_mode)) { /* and DT_UNKNOWN file systems, and followed links (by path) */
      rc = walk_dir(fl, path, linked ? -1 : dfd, linked ? NULL : rel, &st, rel_from, root, suffixes, c, source, depth + 1);
    } else if (!has_suffix(v[i].name, suffixes)) {
      continue; /* not a transcript */
    } else if (S_ISREG(st.st_mode)) {
      char *own = sqlite3_malloc64((size_t)len + 1);
      if (own) memcpy(own, path, (size_t)len + 1);
      rc = own ? add_file(fl, own, rel_from, root, &st) : SQLITE_NOMEM;
      if (rc != SQLITE_OK) sqlite3_free(own);
    } else {
      lumo_diag_add(c, source, path + (rel_from < (size_t)len ? rel_from : 0), 0, "skipped_entry",
                    "not a regular file (%s): not read",
                    S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket"
                    : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "a special file");
    }
  }
  return rc;
}

/* The top directory's entries are visited by a few threads: a re-sync is nothing but
** these stat calls, and the kernel work runs on every core. The entries are cut into
** up to WALK_PARTS parts that the threads take in turn (the projects of a Claude tree
** differ in size, so fixed halves left one thread idle); each part has its own list,
** diagnostics and fresh listings, appended in order afterwards, so the result is the
** same as one thread's. */
#define WALK_PARTS 64

typedef struct walk_part {
  lumo_filelist fl;
  lumo_conn diag;     /* the part's diagnostics, and its own fresh listings in dirs */
  lumo_dircache dirs; /* shares the caller's known listings (read-only) */
  int rc;
} walk_part;

typedef struct walk_pool {
  walk_part *part;
  int nparts, n;
  atomic_int next; /* the next part to take */
  const char *dir, *source, *at;
  const char *const *suffixes;
  const walk_entry *v;
  int dfd, root;
  size_t rel_from;
} walk_pool;

static void *walk_pool_run(void *arg) {
  walk_pool *p = arg;
  int k;
  while ((k = atomic_fetch_add(&p->next, 1)) < p->nparts) {
    walk_part *w = &p->part[k];
    int from = (int)((int64_t)p->n * k / p->nparts), to = (int)((int64_t)p->n * (k + 1) / p->nparts);
    /* depth 0, the top directory's, as one thread visits it: 1 put every directory one
    ** level deeper (the 32nd level was cut) and links' targets under the directory walked */
    w->rc = visit(&w->fl, p->dir, p->dfd, p->at, p->v, from, to, p->rel_from, p->root, p->suffixes, &w->diag,
                  p->source, 0);
  }
  return NULL;
}

static int visit_parallel(lumo_filelist *fl, const char *dir, int dfd, const char *at, const walk_entry *v, int n,
                          int nthreads, size_t rel_from, int root, const char *const *suffixes, lumo_conn *c,
                          const char *source) {
  walk_pool p;
  memset(&p, 0, sizeof(p));
  p.nparts = n < WALK_PARTS ? n : WALK_PARTS;
  p.part = sqlite3_malloc64(sizeof(*p.part) * (size_t)p.nparts);
  if (!p.part) return SQLITE_NOMEM;
  memset(p.part, 0, sizeof(*p.part) * (size_t)p.nparts);
  atomic_init(&p.next, 0);
  p.n = n;
  p.dir = dir;
  p.source = source;
  p.at = at;
  p.suffixes = suffixes;
  p.v = v;
  p.dfd = dfd;
  p.root = root;
  p.rel_from = rel_from;
  for (int k = 0; c && c->dirs && k < p.nparts; k++) {
    p.part[k].dirs.known = c->dirs->known;
    p.part[k].dirs.nknown = c->dirs->nknown;
    p.part[k].diag.dirs = &p.part[k].dirs;
  }
  pthread_t tid[LUMO_MAX_THREADS];
  int started[LUMO_MAX_THREADS] = {0};
  for (int t = 1; t < nthreads; t++) started[t] = pthread_create(&tid[t], NULL, walk_pool_run, &p) == 0;
  walk_pool_run(&p); /* the calling thread works too, and alone if no thread started */
  for (int t = 1; t < nthreads; t++)
    if (started[t]) pthread_join(tid[t], NULL);
  int rc = SQLITE_OK;
  for (int k = 0; k < p.nparts; k++) {
    walk_part *w = &p.part[k];
    if (rc == SQLITE_OK) rc = w->rc;
    for (int i = 0; i < w->fl.n; i++) {
      if (rc == SQLITE_OK) {
        rc = add_file_moved(fl, &w->fl.f[i]);
        if (rc == SQLITE_OK) continue;
      }
      sqlite3_free(w->fl.f[i].path);
    }
    sqlite3_free(w->fl.f);
    lumo_diag_absorb(c, &w->diag);
    for (int i = 0; i < w->dirs.nfresh; i++) {
      lumo_dirrec *r = &w->dirs.fresh[i];
      if (rc == SQLITE_OK) rc = lumo_dircache_add(c->dirs, 1, r->path, r->mtime_ns, r->inode, r->entries);
    }
    dirrecs_free(w->dirs.fresh, w->dirs.nfresh);
  }
  sqlite3_free(p.part);
  return rc;
}

/* Visits a listing: the top directory of a tree on several threads (LUMO_THREADS, else
** one per core, at most LUMO_MAX_THREADS). */
static int visit_listing(lumo_filelist *fl, const char *dir, int dfd, const char *at, const walk_entry *v,
                         int n, size_t rel_from, int root, const char *const *suffixes, lumo_conn *c,
                         const char *source, int depth) {
  int t = depth == 0 && sqlite3_threadsafe() ? lumo_threads(n) : 1;
  if (t > 1) return visit_parallel(fl, dir, dfd, at, v, n, t, rel_from, root, suffixes, c, source);
  return visit(fl, dir, dfd, at, v, 0, n, rel_from, root, suffixes, c, source, depth);
}

static void entries_free(walk_entry *v, int n) {
  for (int i = 0; i < n; i++) sqlite3_free(v[i].name);
  sqlite3_free(v);
}

/* Lists one directory, then visits its entries in order. Entries are stat'ed relative
** to an open directory (fstatat), and only when needed: a directory is known from
** d_type, a file only matters if its name matches. dir is reached as at_rel relative
** to at_fd (at_fd < 0: by its path); with a directory cache, known is its stat when the
** caller has it, and an unchanged directory is not read: its remembered listing is
** visited. A directory with many entries gets an O_PATH handle so that its entries are
** looked up relative to it; a small one (a session's subagents/) is reached from the
** parent's handle, saving the open and close. */
static int walk_dir(lumo_filelist *fl, const char *dir, int at_fd, const char *at_rel, const struct stat *known,
                    size_t rel_from, int root, const char *const *suffixes, lumo_conn *c, const char *source,
                    int depth) {
  if (depth > LUMO_WALK_MAX_DEPTH) {
    lumo_diag_add(c, source, dir + (rel_from < strlen(dir) ? rel_from : 0), 0, "skipped_entry",
                  "directory deeper than %d levels below the root: not read", LUMO_WALK_MAX_DEPTH);
    return SQLITE_OK;
  }
  lumo_dircache *dc = c ? c->dirs : NULL;
  struct stat ds;
  int settled = 0;
  if (at_fd < 0) {
    at_fd = AT_FDCWD;
    at_rel = dir;
  }
  if (dc) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (known) ds = *known;
    else if (stat(dir, &ds) != 0 || !S_ISDIR(ds.st_mode)) {
      if (errno == ENOENT || errno == ENOTDIR) return SQLITE_OK;
      dc = NULL; /* opendir below reports it */
    }
    const lumo_dirrec *r = dc ? dircache_find(dc, dir) : NULL;
    if (r && r->mtime_ns == stat_mtime_ns(&ds) && r->inode == (int64_t)ds.st_ino) {
      walk_entry *v = NULL;
      int n = 0, rc = entries_decode(r->entries, &v, &n);
      int pfd = n >= 8 || at_fd == AT_FDCWD ? openat(at_fd, at_rel, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
      if (rc == SQLITE_OK)
        rc = pfd >= 0 ? visit_listing(fl, dir, pfd, NULL, v, n, rel_from, root, suffixes, c, source, depth)
                      : visit_listing(fl, dir, at_fd, at_rel, v, n, rel_from, root, suffixes, c, source, depth);
      if (pfd >= 0) close(pfd);
      free(v);
      return rc;
    }
    settled = dc && stat_mtime_ns(&ds) < (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - LUMO_DIR_SETTLED_NS;
  }
  int fd = openat(at_fd, at_rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d && fd >= 0) {
    int err = errno;
    close(fd);
    errno = err;
  }
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
    if (t != DT_DIR && t != DT_UNKNOWN && t != DT_LNK && !has_suffix(e->d_name, suffixes))
      continue; /* not a transcript, not a directory, not a link that may lead to one */
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
  if (rc == SQLITE_OK && dc && settled) { /* remembered for the next sync */
    char *enc = entries_encode(v, n);
    rc = lumo_dircache_add(dc, 1, dir, stat_mtime_ns(&ds), (int64_t)ds.st_ino, enc ? enc : "");
    sqlite3_free(enc);
  }
  if (rc == SQLITE_OK) rc = visit_listing(fl, dir, dirfd(d), NULL, v, n, rel_from, root, suffixes, c, source, depth);
  closedir(d);
  entries_free(v, n);
  return rc;
}

/* One root of a list: spaces around it dropped, "\," made ",", ~ expanded, trailing
** slashes dropped. NULL on OOM; "" when nothing is left. */
static char *root_one(const char *p, size_t len) {
  while (len && *p == ' ') {
    p++;
    len--;
  }
  while (len && p[len - 1] == ' ') len--;
  char *one = sqlite3_malloc64(len + 1);
  if (!one) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < len; i++) {
    if (p[i] == '\\' && i + 1 < len && p[i + 1] == ',') i++;
    one[k++] = p[i];
  }
  one[k] = 0;
  char *exp = lumo_expand_home(one);
  sqlite3_free(one);
  if (!exp) return NULL;
  size_t el = strlen(exp);
  while (el > 1 && exp[el - 1] == '/') exp[--el] = 0;
  return exp;
}

/* A comma-separated list of directories, ~ expanded, trailing slashes dropped. A root
** whose path holds a comma is written with "\,", or given alone: a whole argument that
** names an existing directory is that one root. */
int lumo_roots_parse(const char *src, char ***roots, int *n) {
  char **r = NULL;
  int cnt = 0;
  if (strchr(src, ',')) { /* the whole argument may be one directory */
    char *whole = root_one(src, strlen(src));
    struct stat st;
    if (!whole) return SQLITE_NOMEM;
    if (*whole && stat(whole, &st) == 0 && S_ISDIR(st.st_mode)) {
      r = sqlite3_malloc64(sizeof(char *));
      if (!r) {
        sqlite3_free(whole);
        return SQLITE_NOMEM;
      }
      r[0] = whole;
      *roots = r;
      *n = 1;
      return SQLITE_OK;
    }
    sqlite3_free(whole);
  }
  const char *p = src;
  while (*p) {
    const char *c = p;
    while (*c && !(*c == ',' && (c == p || c[-1] != '\\'))) c++;
    size_t len = (size_t)(c - p);
    char *exp = root_one(p, len);
    if (!exp) {
      lumo_roots_free(r, cnt);
      return SQLITE_NOMEM;
    }
    if (*exp) {
      char **nr = sqlite3_realloc64(r, sizeof(char *) * (size_t)(cnt + 1));
      if (!nr) {
        sqlite3_free(exp);
        lumo_roots_free(r, cnt);
        return SQLITE_NOMEM;
      }
      r = nr;
      r[cnt++] = exp;
    } else {
      sqlite3_free(exp);
    }
    if (!*c) break;
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
  return walk_dir(fl, dir, -1, NULL, NULL, rel_from, root, suffixes, c, source, 0);
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
