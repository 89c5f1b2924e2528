/* sync_search.c: the search indexes (search_messages, search_tools: FTS5 over messages and
** tool_uses, schema.sql) brought up to date at the end of a sync or a merge, once `lumo
** search` has turned them on: the schema's search_catch_up trigger indexes the rows changed
** and added since the last pass, one INSERT ... SELECT each, far cheaper than indexing
** row by row while a sync writes hundreds of thousands. The UPDATE that runs the pass
** writes FTS5 tables (through its trigger), so SQLite opens them when it starts: it runs
** only when search is on, and a sync with search off touches no FTS5 table at all. */
#include "sync_int.h"

int search_catch_up(sqlite3 *db) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "SELECT enabled FROM search_state", -1, &st, NULL);
  if (rc) return rc;
  int on = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
  rc = sqlite3_finalize(st);
  if (!rc && on) rc = sqlite3_exec(db, "UPDATE search_state SET runs = runs + 1", NULL, NULL, NULL);
  return rc;
}
