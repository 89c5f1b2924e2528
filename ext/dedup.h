/* dedup.h: the common usage record and the winner table of dedup.c.
** A lumo_cand is one billed response as every source hands it over: where it was
** written, its ranking fields, and the normalised token buckets (spec: transcripts.md
** section 0). Strings are borrowed from the scan's arena and live as long as it. */
#ifndef LUMO_DEDUP_H
#define LUMO_DEDUP_H

#include <stdint.h>

typedef struct lumo_cand {
  /* identity and ranking */
  const char *mid, *rid;  /* message id (NULL: never merged), request id (NULL: none) */
  int64_t total;          /* input + output + cache writes + cache reads */
  int64_t mtime_ns;       /* of the file holding this copy */
  const char *path;       /* file of this copy: tie-break after mtime (NULL: use file_idx) */
  int64_t line;           /* 1-based */
  int64_t content_bytes;  /* raw bytes of the kept copy's content: placeholder rule */
  double stored_cost;     /* the agent's own cost estimate, USD (has_stored_cost) */
  /* the record */
  const char *timestamp, *session_id, *project, *cwd, *git_branch, *version, *model;
  const char *service_tier, *speed, *inference_geo, *agent_id;
  const char *label;      /* the id a source shows (Gemini: message id; the key adds the session) */
  int64_t input, output, cache_read, cache_5m, cache_1h, web_search;
  int64_t reasoning;      /* informational part of output, where logged */
  int file_idx;           /* index in the scan's sorted file list */
  int copies;             /* lines this candidate stands for (1, or a merged entry's) */
  /* flags, 0 or 1 (bytes: a large scan holds one of these per distinct response) */
  unsigned char has_speed, is_sidechain;
  unsigned char prefer;   /* an authoritative copy (OpenCode's database over its JSON files) */
  unsigned char has_parent; /* a merged entry had a parent (non-sidechain) copy */
  unsigned char newest_wins; /* the source's later copy of a file is the more complete one
                          ** (Codex: a live and an archived rollout of one thread) */
  unsigned char has_stored_cost; /* the agent wrote its own cost estimate (Claude's costUSD) */
  unsigned char is_rewound; /* Gemini: removed from the conversation by $rewindTo, still billed */
} lumo_cand;

typedef struct lumo_dedup_entry {
  lumo_cand best;         /* the kept copy */
  uint64_t hash;
  int next;               /* hash chain, -1 ends */
  int copies;             /* lines seen for this response */
  unsigned char has_parent; /* a copy of this key is not a sidechain copy */
  unsigned char dropped, group_done; /* lumo_dedup_finish: a replay; its group decided */
} lumo_dedup_entry;

typedef struct lumo_dedup {
  lumo_dedup_entry *e;    /* owned; insertion order until lumo_dedup_sort */
  int n, cap;
  int *bucket;            /* owned */
  int nbucket;
} lumo_dedup;

LUMO_API int lumo_dedup_beats(const lumo_cand *n, const lumo_cand *o);
LUMO_API int lumo_dedup_same_key(const lumo_cand *o, const lumo_cand *n);
LUMO_API int lumo_dedup_offer(lumo_dedup *d, const lumo_cand *c, int *slot, int *winner);
/* Offers another table's entry, carrying its copy count and parent flag. */
LUMO_API int lumo_dedup_merge(lumo_dedup *d, const lumo_dedup_entry *src, int *slot, int *winner);
/* Empties the table, keeping its memory for the next use. */
LUMO_API void lumo_dedup_clear(lumo_dedup *d);
/* Drops sidechain replays (rule 4, over each message id's whole group) and orders the
** kept rows by file and line; call once, after the last offer. */
LUMO_API void lumo_dedup_finish(lumo_dedup *d);
LUMO_API void lumo_dedup_free(lumo_dedup *d);

#endif
