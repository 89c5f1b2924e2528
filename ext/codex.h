/* codex.h: the state codex.c keeps while it follows one rollout file. */
#ifndef LUMO_CODEX_H
#define LUMO_CODEX_H

#include "lumo_int.h"

typedef struct codex_counts {
  int64_t input, cached, cache_write, output, reasoning;
} codex_counts;

/* One window of a plan limit (ratelimits.c): used share, length, reset time. */
typedef struct codex_window {
  int has;
  double used_percent;
  int64_t window_minutes, resets_at_ms; /* 0: not written */
} codex_window;

/* The rate_limits of one token_count event; seen is 0 on lines without any. */
typedef struct codex_limits {
  int seen;
  int64_t at_ms;                  /* the event's time */
  codex_window w[2];              /* primary, secondary */
  char limit_id[64], plan_type[64]; /* "" when not written */
} codex_limits;

/* Finds a thread's rollout among the files being read and returns its path (NULL: not
** there); the parent of a fork, for replay rule a. */
typedef const char *(*codex_find_thread)(void *ctx, const char *thread_id);

typedef struct codex_state {
  lumo_buf thread_id, cwd;        /* owned */
  lumo_buf model;                 /* owned: the latest turn_context's (or event's); before any, the
                                  ** first session_meta's payload.model; empty when none was seen */
  lumo_buf parent_id;             /* forked_from_id, else the spawning thread's id */
  int meta_lines, is_fork;
  int is_subagent;                /* session_meta.source.subagent: a review, compaction or spawned thread */
  codex_find_thread find;         /* optional, with find_ctx: enables rule a */
  void *find_ctx;
  int parent_loaded, parent_done; /* the parent's moving totals up to the fork, matched in order */
  codex_counts *parent;
  int nparent, parent_pos;
  int64_t start_ms;               /* first session_meta timestamp */
  int has_turn;
  int64_t turn_started_ms;        /* latest task_started.started_at */
  int opening_run;                /* still inside a fork's opening burst (rule c) */
  int64_t last_event_ms;
  int has_prev;
  codex_counts prev;              /* the previous running total */
  int64_t replayed;               /* events skipped as replay */
  codex_limits limits;            /* the current line's rate_limits (limits.seen), for lumo_sync */
  lumo_count_issue bad_counts;    /* the current line's values that are not counts (reported) */
} codex_state;

/* 1 when one of the state's strings lost an allocation: its rows must not be given out
** (a row without its thread, folder or model would be a wrong row, not a missing one). */
LUMO_API int codex_state_oom(const codex_state *s);

typedef struct codex_row {
  lumo_span timestamp;            /* borrowed from the line */
  int64_t timestamp_ms;
  int64_t input, cache_read, cache_write, output, reasoning;
} codex_row;

/* One response_item of a rollout: a conversation message, reasoning, a tool call or its
** output (spec 2.2). Buffers are owned (codex_item_free). */
typedef struct codex_item {
  lumo_span timestamp;            /* borrowed from the line */
  lumo_buf type;                  /* payload.type: message, reasoning, function_call, ... */
  const char *role;               /* user, assistant, developer, system; tool for outputs */
  lumo_buf text;                  /* message text, reasoning summary, call arguments or output */
  lumo_buf tool_name, call_id;
  int64_t content_bytes;          /* size of the payload JSON */
  int is_replay;                  /* in a fork: the turn started before the thread existed */
} codex_item;

enum { CODEX_NONE = 0, CODEX_ROW = 1, CODEX_BAD = -1, CODEX_NOMEM = -2 };

LUMO_API void codex_state_init(codex_state *s);
/* ratelimits.c: a token_count's rate_limits object into *out (out->seen: any window). */
LUMO_API void codex_rate_limits(lumo_span rate_limits, int64_t at_ms, codex_limits *out);
LUMO_API void codex_state_free(codex_state *s);
LUMO_API int codex_line(codex_state *s, const char *p, size_t n, codex_row *row);
/* A response_item line (after codex_line has seen it): CODEX_ROW with *it filled, else
** CODEX_NONE, or CODEX_NOMEM when memory ran out (the item must not be taken as read);
** the line is known to be a JSON object. */
LUMO_API int codex_item_line(const codex_state *s, const char *p, size_t n, codex_item *it);
LUMO_API void codex_item_free(codex_item *it);
enum { CODEX_LINE_END = 0, CODEX_LINE_ROW = 1, CODEX_LINE_OTHER = 2, CODEX_LINE_SKIP = 3, CODEX_LINE_TORN = 4 };
LUMO_API int codex_next_line(codex_state *s, lumo_reader *rd, const lumo_file *f, lumo_conn *c, const char *source,
                             codex_row *row, const char **p, size_t *n, int64_t *skipped);
LUMO_API int codex_superseded(const lumo_filelist *fl, char **skip, lumo_conn *c, const char *source);
LUMO_API const char *codex_thread_file(const lumo_filelist *fl, const char *thread_id);
LUMO_API const char *codex_open_error(const lumo_file *f, const char **kind);
LUMO_API int codex_roots(const char *arg, char ***roots, int *n);
LUMO_API int codex_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source);

#endif
