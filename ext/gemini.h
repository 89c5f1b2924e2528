/* gemini.h: what gemini.c reads from one Gemini CLI chat file. */
#ifndef LUMO_GEMINI_H
#define LUMO_GEMINI_H

#include "lumo_int.h"

typedef struct gemini_msg {
  const char *id, *timestamp, *model; /* borrowed from the file's arena; model: the message's, else the
                                      ** session's, else the previous message's (spec 3.5.5) */
  const char *type;                   /* user, gemini, info, error, warning */
  const char *text;                   /* content: the string, or its parts' text joined */
  const char *display;                /* displayContent's text ("" without text), NULL when absent */
  const char *tool_calls;             /* the toolCalls array as JSON, NULL without one */
  int ntool_calls;
  int64_t line;                       /* of the last line that wrote the message (1 for .json) */
  int is_gemini, has_tokens, is_rewound;
  int64_t cut;                        /* bytes the reader left out of its line (over LUMO_CUT_AT: strings keep their first LUMO_CUT_KEEP bytes) */
  int billable;                       /* gemini message with non-zero tokens */
  int64_t input, cache_read, output, reasoning, tool; /* normalised (spec 3.5) */
} gemini_msg;

/* Told of a line (line 0: the whole file) gemini_read could not use as it is: kind is
** a lumo_diagnostics kind (too_long, torn, malformed: skipped; invalid_utf8, wrong_type,
** out_of_range: kept), detail its text. */
typedef void (*gemini_bad_fn)(void *ctx, int64_t line, const char *kind, const char *detail);

typedef struct gemini_file {
  const char *session_id;   /* from the metadata; NULL when absent */
  const char *session_model; /* the session's top-level "model" (legacy JSON, metadata line or $set); NULL when absent */
  int is_subagent;
  gemini_msg *msgs;         /* owned, in first-appearance order */
  int n, cap, oom;
  int read_failed;          /* a JSONL read failed midway (reported, kind unreadable): what
                               precedes it is in msgs, the rest was not read */
  lumo_arena arena;         /* owns the strings */
  lumo_buf tmp;
  int64_t line_cut;         /* bytes the reader left out of the line being taken (0: whole) */
  gemini_bad_fn bad_line;   /* the reader's caller's, with bad_ctx */
  void *bad_ctx;
} gemini_file;

LUMO_API int gemini_read(gemini_file *g, const char *path, void *ctx, gemini_bad_fn bad_line, const char **why);
/* Whether a bad_line kind means the line was skipped (counted in skipped_lines). */
LUMO_API int gemini_kind_skips(const char *kind);
LUMO_API void gemini_file_free(gemini_file *g);
LUMO_API int gemini_roots(const char *arg, char ***roots, int *n);
LUMO_API int gemini_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source);
/* The names of a chat file, freed by the caller with sqlite3_free: its project (NULL:
** none, or *oom set when memory ran out) and its session (NULL only when memory ran out). */
LUMO_API char *gemini_project_new(const lumo_file *f, int *oom);
LUMO_API char *gemini_session_new(const lumo_file *f, const gemini_file *g);
LUMO_API void gemini_tool_names(const char *tool_calls, lumo_buf *out);
LUMO_API const char *gemini_role(const char *type); /* user, assistant or NULL */
struct lumo_cand;
LUMO_API void gemini_cand_numbers(const gemini_file *g, const gemini_msg *m, struct lumo_cand *k);

#endif
