/* dedup.c: the one deduplication mechanism (DESIGN: "dedup"): a hash table from a
** response's key to the best copy seen so far, global across files and sessions.
** Key = (message id, request id); with no request id, the message id alone. Within a key
** the winner rule picks the kept copy: an authoritative copy (prefer) first, then a
** parent (non-sidechain) copy over a sidechain copy (spec 1.6 rule 4, as ccusage 20.0.5+),
** then the larger token total, then the copy with a `speed` field, then the older file
** (mtime; newer for sources whose later copy is the more complete, newest_wins), then the
** smaller path (file index), then the earlier line: a total order, so the kept copy does
** not depend on the order in which copies arrive.
** Across keys of one message id (rule 4, sidechain replay), lumo_dedup_finish decides
** once over the whole group: when any key has a parent copy, every key with a parent copy
** is a response of its own and the keys with only sidechain copies are replays (not
** billed); when no key has one, the group is one response, its best copy kept. Deciding
** per pair as copies arrive was not transitive: three copies gave one row or two
** depending on the files' names. The sync (sync.c) keeps the same rows incrementally
** with lumo_dedup_beats, since a parent copy always beats a sidechain copy.
** Payloads are opaque to this file. */
#include "lumo_int.h"
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s) {
  uint64_t h = lumo_hash(s, strlen(s));
  return h ^ (h >> 29);
}

static int same_opt(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

/* Does candidate n beat the current winner o of the same response? A total order. */
int lumo_dedup_beats(const lumo_cand *n, const lumo_cand *o) {
  if (n->prefer != o->prefer) return n->prefer;
  if (n->is_sidechain != o->is_sidechain) return !n->is_sidechain;
  if (n->total != o->total) return n->total > o->total;
  if (n->has_speed != o->has_speed) return n->has_speed;
  if (n->mtime_ns != o->mtime_ns) return n->newest_wins ? n->mtime_ns > o->mtime_ns : n->mtime_ns < o->mtime_ns;
  if (n->path && o->path) {
    int k = strcmp(n->path, o->path);
    if (k) return k < 0;
  }
  if (n->file_idx != o->file_idx) return n->file_idx < o->file_idx;
  return n->line < o->line;
}

/* Same key: the same message id and the same request id (both absent counts as same). */
int lumo_dedup_same_key(const lumo_cand *o, const lumo_cand *n) {
  if (!o->mid || !n->mid || strcmp(o->mid, n->mid) != 0) return 0;
  return same_opt(o->rid, n->rid);
}

static int grow(lumo_dedup *d) {
  int nb = d->nbucket ? d->nbucket * 2 : 4096;
  int *b = sqlite3_malloc64(sizeof(int) * (size_t)nb);
  if (!b) return SQLITE_NOMEM;
  for (int i = 0; i < nb; i++) b[i] = -1;
  for (int i = 0; i < d->n; i++) {
    int s = (int)(d->e[i].hash & (uint64_t)(nb - 1));
    d->e[i].next = b[s];
    b[s] = i;
  }
  sqlite3_free(d->bucket);
  d->bucket = b;
  d->nbucket = nb;
  return SQLITE_OK;
}

/* Offers one copy. Message-less copies (mid NULL) are never merged. On return
** *winner is 1 when the copy became (or stayed) the kept one, and *slot is its entry.
** Returns SQLITE_OK or SQLITE_NOMEM. */
int lumo_dedup_offer(lumo_dedup *d, const lumo_cand *c, int *slot, int *winner) {
  uint64_t h = c->mid ? hash_str(c->mid) : 0;
  if (c->mid && d->nbucket) {
    int s = (int)(h & (uint64_t)(d->nbucket - 1));
    for (int i = d->bucket[s]; i >= 0; i = d->e[i].next) {
      lumo_dedup_entry *e = &d->e[i];
      if (e->hash != h || !lumo_dedup_same_key(&e->best, c)) continue;
      e->copies += c->copies;
      if (!c->is_sidechain || c->has_parent) e->has_parent = 1;
      *slot = i;
      *winner = lumo_dedup_beats(c, &e->best);
      if (*winner) {
        /* Keep the old copy's id strings when they are equal: the caller then
        ** sees they are not its scratch pointers and need not copy them again. */
        const char *om = e->best.mid, *orid = e->best.rid;
        e->best = *c;
        e->best.mid = om;
        if (orid && c->rid && strcmp(orid, c->rid) == 0) e->best.rid = orid;
      }
      return SQLITE_OK;
    }
  }
  if (d->n == d->cap) {
    /* by half again, not double: the table is most of a large scan's memory, and the
    ** spare room of a doubled one up to half of it (a large realloc moves no bytes) */
    int cap = d->cap ? d->cap + d->cap / 2 : 1024;
    lumo_dedup_entry *e = sqlite3_realloc64(d->e, sizeof(*e) * (size_t)cap);
    if (!e) return SQLITE_NOMEM;
    d->e = e;
    d->cap = cap;
  }
  if (d->n * 2 >= d->nbucket && grow(d)) return SQLITE_NOMEM;
  lumo_dedup_entry *e = &d->e[d->n];
  e->best = *c;
  e->hash = h;
  e->copies = c->copies;
  e->has_parent = !c->is_sidechain || c->has_parent;
  e->dropped = e->group_done = 0;
  int s = (int)(h & (uint64_t)(d->nbucket - 1));
  e->next = c->mid ? d->bucket[s] : -1;
  if (c->mid) d->bucket[s] = d->n;
  *slot = d->n++;
  *winner = 1;
  return SQLITE_OK;
}

int lumo_dedup_merge(lumo_dedup *d, const lumo_dedup_entry *src, int *slot, int *winner) {
  lumo_cand c = src->best;
  c.copies = src->copies;
  c.has_parent = src->has_parent;
  return lumo_dedup_offer(d, &c, slot, winner);
}

void lumo_dedup_clear(lumo_dedup *d) {
  d->n = 0;
  for (int i = 0; i < d->nbucket; i++) d->bucket[i] = -1;
}

static int by_position(const void *a, const void *b) {
  const lumo_dedup_entry *x = a, *y = b;
  if (x->best.file_idx != y->best.file_idx) return x->best.file_idx < y->best.file_idx ? -1 : 1;
  if (x->best.line != y->best.line) return x->best.line < y->best.line ? -1 : 1;
  return 0;
}

/* Decides each message id's group of keys (rule 4, see the top of the file): drops the
** replays, adding their copies to the response they replay (the best parent key, or the
** group's best key), then orders the kept rows by where they were written. The hash
** chains are void after. A group's keys share a hash, so they share a chain. */
void lumo_dedup_finish(lumo_dedup *d) {
  for (int b = 0; b < d->nbucket; b++) {
    for (int i = d->bucket[b]; i >= 0; i = d->e[i].next) {
      lumo_dedup_entry *e = &d->e[i];
      if (e->dropped || e->group_done) continue;
      /* the group of e's message id: its best key (parents first, by beats) */
      int best = i, any_parent = 0;
      for (int j = i; j >= 0; j = d->e[j].next) {
        lumo_dedup_entry *g = &d->e[j];
        if (g->hash != e->hash || strcmp(g->best.mid, e->best.mid) != 0) continue;
        g->group_done = 1;
        any_parent |= g->has_parent;
        lumo_dedup_entry *k = &d->e[best];
        if (g->has_parent != k->has_parent ? g->has_parent : lumo_dedup_beats(&g->best, &k->best)) best = j;
      }
      for (int j = i; j >= 0; j = d->e[j].next) {
        lumo_dedup_entry *g = &d->e[j];
        if (j == best || g->hash != e->hash || strcmp(g->best.mid, e->best.mid) != 0) continue;
        if (any_parent && g->has_parent) continue; /* a response of its own */
        g->dropped = 1;
        d->e[best].copies += g->copies;
      }
    }
  }
  int n = 0;
  for (int i = 0; i < d->n; i++)
    if (!d->e[i].dropped) d->e[n++] = d->e[i];
  d->n = n;
  if (d->n > 1) qsort(d->e, (size_t)d->n, sizeof(*d->e), by_position);
  sqlite3_free(d->bucket);
  d->bucket = NULL;
  d->nbucket = 0;
}

void lumo_dedup_free(lumo_dedup *d) {
  sqlite3_free(d->e);
  sqlite3_free(d->bucket);
  memset(d, 0, sizeof(*d));
}
