/* opencode.h: one OpenCode message as opencode.c reads it. */
#ifndef LUMO_OPENCODE_H
#define LUMO_OPENCODE_H

#include "lumo_int.h"

typedef struct oc_row { /* strings owned, freed by opencode_row_free */
  char *timestamp, *session, *project, *provider, *model, *id, *file; /* owned */
  int64_t input, output, cache_read, cache_write, reasoning;
  int aborted, from_db;
  double stored_cost; /* <= 0: none */
  int64_t mtime_ns;   /* of the file it came from (opencode_usage's winner rule) */
  const char *bad_kind; /* wrong_type or out_of_range: a count that is not one (counted 0) */
  char *bad_detail;   /* owned: its diagnostic's text */
} oc_row;

/* One message object (a JSON file, or opencode.db's data column with the id and session
** given apart). Returns 1 with *r filled, 0 when it has no tokens, -1 when memory ran
** out (*r then holds nothing). */
LUMO_API int opencode_parse_message(lumo_span m, const char *id, const char *session, oc_row *r);
LUMO_API void opencode_row_free(oc_row *r);
/* The data directories of an argument (default $XDG_DATA_HOME/opencode, else
** ~/.local/share/opencode), and the files OpenCode keeps in them. */
LUMO_API int opencode_roots(const char *arg, char ***roots, int *n);
LUMO_API int opencode_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source);
/* Hands every message with tokens of one listed file (a database or a message file) to
** fn, which takes the row over; an unreadable file is a diagnostic of source. Returns
** SQLITE_OK, SQLITE_NOMEM or fn's error. */
typedef int (*opencode_row_fn)(void *ctx, const lumo_file *f, oc_row *r);
LUMO_API int opencode_read(const lumo_file *f, lumo_conn *c, const char *source, opencode_row_fn fn, void *ctx);
/* opencode_read's answer when a database's rows stopped early (BUSY, I/O error) or a
** message file could not be read: what was read is handed over, the stop is reported,
** and the file is not complete. */
#define OPENCODE_INCOMPLETE (-1)
/* One tool call of opencode.db's part table (a part of type "tool"), spans borrowed from
** the row until fn returns. */
typedef struct oc_tool {
  const char *key;       /* callID, else the part's id */
  const char *session;   /* session_id */
  const char *directory; /* the session's directory (NULL: unknown) */
  const char *tool;      /* tool name: bash, edit, write, read, ... */
  lumo_span input;       /* state.input JSON (empty: none) */
  int is_error;          /* state.status: error 1, completed 0, else -1 (pending, running) */
  lumo_span output;      /* state.output, or state.error: a JSON string (empty: none) */
  int64_t start_ms, end_ms; /* state.time (0: not written) */
} oc_tool;
typedef int (*opencode_tool_fn)(void *ctx, const lumo_file *f, const oc_tool *t);
/* Hands every tool part of a database file to fn (message files: none; a database
** without a part table: none). Returns SQLITE_OK, SQLITE_NOMEM or fn's error. */
LUMO_API int opencode_read_tools(const lumo_file *f, lumo_conn *c, const char *source, opencode_tool_fn fn, void *ctx);
struct lumo_cand;
/* The winner rule's view of a row (f NULL: the row's own file); strings borrowed. */
LUMO_API void opencode_cand(const lumo_file *f, const oc_row *r, int64_t mtime_ns, struct lumo_cand *k);

#endif
