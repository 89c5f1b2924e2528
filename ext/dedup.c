/* dedup.c: the one deduplication mechanism (DESIGN: "dedup"): a hash table from a
** response's key to the best copy seen so far, global across files and sessions.
** Key = (message id, request id); with no request id, the message id alone. A copy that
** shares only the message id with a row, where either side is a sidechain, is the same
** response replayed (spec 1.6 rule 4): the non-sidechain copy wins. An authoritative copy
** (prefer) wins over any other. Otherwise the
** larger token total wins, then the copy with a `speed` field, then the older file
** (mtime), then the smaller path (file index), then the earlier line. The result does
** not depend on the order in which copies arrive. Payloads are opaque to this file. */
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

/* Does candidate n beat the current winner o of the same response? */
int lumo_dedup_beats(const lumo_cand *n, const lumo_cand *o, int replay) {
  if (n->prefer != o->prefer) return n->prefer;
  if (replay && n->is_sidechain != o->is_sidechain) return !n->is_sidechain;
  if (n->total != o->total) return n->total > o->total;
  if (n->has_speed != o->has_speed) return n->has_speed;
  if (n->mtime_ns != o->mtime_ns) return n->mtime_ns < o->mtime_ns;
  if (n->path && o->path) {
    int k = strcmp(n->path, o->path);
    if (k) return k < 0;
  }
  if (n->file_idx != o->file_idx) return n->file_idx < o->file_idx;
  return n->line < o->line;
}

/* Are a kept copy o (with the sidechain history any_side) and a new copy n the same
** response? Sets *replay when they match on the message id alone (rule 4). */
int lumo_dedup_same(const lumo_cand *o, int any_side, const lumo_cand *n, int *replay) {
  if (!o->mid || !n->mid || strcmp(o->mid, n->mid) != 0) return 0;
  int same_key = same_opt(o->rid, n->rid);
  *replay = !same_key && (o->is_sidechain || n->is_sidechain || any_side || n->any_sidechain);
  return same_key || *replay;
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
      int replay;
      if (e->hash != h || !lumo_dedup_same(&e->best, e->any_sidechain, c, &replay)) continue;
      e->copies += c->copies;
      if (c->is_sidechain || c->any_sidechain) e->any_sidechain = 1;
      *slot = i;
      *winner = lumo_dedup_beats(c, &e->best, replay);
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
    int cap = d->cap ? d->cap * 2 : 1024;
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
  e->any_sidechain = c->is_sidechain || c->any_sidechain;
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
  c.any_sidechain = src->any_sidechain;
  return lumo_dedup_offer(d, &c, slot, winner);
}

static int by_position(const void *a, const void *b) {
  const lumo_dedup_entry *x = a, *y = b;
  if (x->best.file_idx != y->best.file_idx) return x->best.file_idx < y->best.file_idx ? -1 : 1;
  if (x->best.line != y->best.line) return x->best.line < y->best.line ? -1 : 1;
  return 0;
}

/* Orders the winners by where they were written; the hash chains are void after. */
void lumo_dedup_sort(lumo_dedup *d) {
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
