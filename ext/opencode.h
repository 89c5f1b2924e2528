/* opencode.h: one OpenCode message as opencode.c reads it. */
#ifndef LUMO_OPENCODE_H
#define LUMO_OPENCODE_H

#include "lumo_int.h"

typedef struct oc_row { /* strings owned, freed by opencode_row_free */
  char *timestamp, *session, *project, *provider, *model, *id, *file; /* owned */
  int64_t input, output, cache_read, cache_write, reasoning;
  int aborted, from_db;
  double stored_cost; /* <= 0: none */
} oc_row;

/* One message object (a JSON file, or opencode.db's data column with the id and session
** given apart). Returns 1 with *r filled, 0 when it has no tokens. */
LUMO_API int opencode_parse_message(lumo_span m, const char *id, const char *session, oc_row *r);
LUMO_API void opencode_row_free(oc_row *r);
enum { OC_FILE_NONE = 0, OC_FILE_ROW = 1, OC_FILE_BAD = -1, OC_FILE_NOMEM = -2 };
LUMO_API int opencode_read_message_file(const char *path, oc_row *r);

#endif
