/* sync_search.c: the search indexes (search_messages, search_tools: FTS5 over messages and
** tool_uses, schema.sql) brought up to date at the end of a sync or a merge, once `lumo
** search` has turned them on: the schema's search_catch_up trigger indexes the rows added
** since the last pass in one INSERT ... SELECT each, far cheaper than a trigger per row
** while a sync writes hundreds of thousands. Off (the default), this is one UPDATE that
** matches no row, so a first sync pays nothing for search. */
#include "sync_int.h"

int search_catch_up(sqlite3 *db) {
  return sqlite3_exec(db, "UPDATE search_state SET runs = runs + 1 WHERE enabled", NULL, NULL, NULL);
}
