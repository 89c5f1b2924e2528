/* vt_meta.c: lumo_diagnostics and lumo_reference, eponymous tables about lumo itself.
**   SELECT source, file, line, kind, detail FROM lumo_diagnostics;
**   SELECT kind, name, column, type, doc FROM lumo_reference;
** lumo_diagnostics lists what the last scan of each source table could not use: the
** lines skipped (malformed, torn, too long) and files it could not read. At most
** LUMO_DIAG_MAX are kept; a last row of kind 'dropped' says how many more there were,
** so a flood of bad lines is never silently cut short. It holds
** file paths, so it is DIRECTONLY like the tables that fill it. lumo_reference is
** compiled-in text: INNOCUOUS. */
#include "lumo_int.h"

#include <string.h>

static const lumo_col diag_cols[] = {
  {"source", "TEXT", "the table whose scan reported it (claude_messages, claude_usage, ...)", 0},
  {"file", "TEXT", "file relative to the table's root (a directory for walk errors)", 0},
  {"line", "INTEGER", "1-based line, 0 for the whole file", 0},
  {"kind", "TEXT", "malformed, torn (incomplete last line), too_long, unreadable, unsupported, wrong_type (a field of the wrong type, not kept; the row stays: a token count that is not a whole number counts 0), out_of_range (a token count below 0 or above 10^12: counts 0, the row stays), invalid_utf8 (bytes that are not UTF-8, or NUL, replaced by U+FFFD; the line is kept), skipped_entry (a directory entry not read: a FIFO or device with a transcript's name, a symbolic link into the root or into a loop, a directory deeper than 32 levels), superseded (an older copy of a Codex thread, not read), cut (a line over 64 MiB read with its strings cut to their first MiB; its counts are whole), or dropped (a last row counting the diagnostics beyond the 10,000 kept)", 0},
  {"detail", "TEXT", "what was wrong", 0},
};

static const lumo_col ref_cols[] = {
  {"kind", "TEXT", "table or function", 0},
  {"name", "TEXT", "object name", 0},
  {"column", "TEXT", "column or argument name, NULL for the row describing the object", 0},
  {"type", "TEXT", "declared type of the column", 0},
  {"hidden", "INTEGER", "1 for table-valued-function arguments", 0},
  {"doc", "TEXT", "one-line documentation", 0},
};

const lumo_object lumo_diagnostics_object = {
  "table", "lumo_diagnostics", "lines and files the last scan of each source table skipped",
  diag_cols, 5};
const lumo_object lumo_reference_object = {
  "table", "lumo_reference", "every table, column and function lumo defines, with its documentation",
  ref_cols, 6};

typedef struct meta_vtab {
  sqlite3_vtab base;
  lumo_conn *conn; /* NULL for lumo_reference */
  int is_ref;
} meta_vtab;

typedef struct meta_cursor {
  sqlite3_vtab_cursor base;
  int i;     /* diagnostics row, or object index */
  int j;     /* reference: -1 for the object row, else column index */
  int64_t rowid;
  lumo_conn snap; /* diagnostics: a copy taken in xFilter, since a source table scanned
                  ** during this scan (a correlated subquery) resets the connection's */
} meta_cursor;

static int meta_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **pp, char **err, int is_ref) {
  (void)argc;
  (void)argv;
  const lumo_object *o = is_ref ? &lumo_reference_object : &lumo_diagnostics_object;
  int rc = lumo_declare_object(db, o, err);
  if (rc) return rc;
  sqlite3_vtab_config(db, is_ref ? SQLITE_VTAB_INNOCUOUS : SQLITE_VTAB_DIRECTONLY);
  meta_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (!vt) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->is_ref = is_ref;
  if (!is_ref) {
    vt->conn = aux;
    vt->conn->nref++;
  }
  *pp = &vt->base;
  return SQLITE_OK;
}

static int diag_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **pp, char **err) {
  return meta_connect(db, aux, argc, argv, pp, err, 0);
}
static int ref_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                       sqlite3_vtab **pp, char **err) {
  return meta_connect(db, aux, argc, argv, pp, err, 1);
}

static int meta_disconnect(sqlite3_vtab *p) {
  meta_vtab *vt = (meta_vtab *)p;
  if (vt->conn) lumo_conn_release(vt->conn);
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int meta_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii) {
  (void)tab;
  ii->estimatedCost = 1000;
  return SQLITE_OK;
}

static int meta_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp) {
  (void)tab;
  meta_cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}

static int meta_close(sqlite3_vtab_cursor *cur) {
  lumo_conn_release_diags(&((meta_cursor *)cur)->snap);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int meta_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                       sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  meta_cursor *c = (meta_cursor *)cur;
  meta_vtab *vt = (meta_vtab *)cur->pVtab;
  c->i = 0;
  c->j = -1;
  c->rowid = 1;
  lumo_conn_release_diags(&c->snap);
  if (vt->is_ref) return SQLITE_OK;
  const lumo_conn *from = vt->conn;
  for (int i = 0; i < from->ndiag; i++) {
    const lumo_diag *d = &from->diags[i];
    lumo_diag_add(&c->snap, d->source, d->file, d->line, d->kind, "%s", d->detail);
  }
  if (c->snap.ndiag < from->ndiag) return SQLITE_NOMEM;
  c->snap.dropped = from->dropped;
  c->snap.diag_oom = from->diag_oom;
  memcpy(c->snap.dropped_source, from->dropped_source, sizeof(c->snap.dropped_source));
  return SQLITE_OK;
}

static int meta_next(sqlite3_vtab_cursor *cur) {
  meta_cursor *c = (meta_cursor *)cur;
  meta_vtab *vt = (meta_vtab *)cur->pVtab;
  c->rowid++;
  if (!vt->is_ref) {
    c->i++;
    return SQLITE_OK;
  }
  const lumo_object *o = lumo_objects[c->i];
  if (++c->j >= o->ncol) {
    c->i++;
    c->j = -1;
  }
  return SQLITE_OK;
}

static int meta_eof(sqlite3_vtab_cursor *cur) {
  meta_cursor *c = (meta_cursor *)cur;
  meta_vtab *vt = (meta_vtab *)cur->pVtab;
  if (vt->is_ref) return lumo_objects[c->i] == NULL;
  return c->i >= c->snap.ndiag + (c->snap.dropped > 0);
}

static int meta_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  meta_cursor *c = (meta_cursor *)cur;
  meta_vtab *vt = (meta_vtab *)cur->pVtab;
  if (!vt->is_ref && c->i >= c->snap.ndiag) { /* the count of those not kept */
    switch (col) {
      case 0: sqlite3_result_text(ctx, c->snap.dropped_source, -1, SQLITE_TRANSIENT); break;
      case 1: sqlite3_result_text(ctx, "", 0, SQLITE_STATIC); break;
      case 2: sqlite3_result_int(ctx, 0); break;
      case 3: sqlite3_result_text(ctx, "dropped", -1, SQLITE_STATIC); break;
      case 4: {
        char *m = c->snap.diag_oom
                    ? sqlite3_mprintf("%lld more diagnostics not kept (at most %d are; %lld for lack of memory)",
                                      (long long)c->snap.dropped, LUMO_DIAG_MAX, (long long)c->snap.diag_oom)
                    : sqlite3_mprintf("%lld more diagnostics not kept (at most %d are)",
                                      (long long)c->snap.dropped, LUMO_DIAG_MAX);
        if (m) sqlite3_result_text(ctx, m, -1, sqlite3_free);
        else sqlite3_result_error_nomem(ctx);
        break;
      }
    }
    return SQLITE_OK;
  }
  if (!vt->is_ref) {
    const lumo_diag *d = &c->snap.diags[c->i];
    switch (col) {
      case 0: sqlite3_result_text(ctx, d->source, -1, SQLITE_TRANSIENT); break;
      case 1: sqlite3_result_text(ctx, d->file, -1, SQLITE_TRANSIENT); break;
      case 2: sqlite3_result_int64(ctx, d->line); break;
      case 3: sqlite3_result_text(ctx, d->kind, -1, SQLITE_TRANSIENT); break;
      case 4: sqlite3_result_text(ctx, d->detail, -1, SQLITE_TRANSIENT); break;
    }
    return SQLITE_OK;
  }
  const lumo_object *o = lumo_objects[c->i];
  const lumo_col *k = c->j >= 0 ? &o->cols[c->j] : NULL;
  switch (col) {
    case 0: sqlite3_result_text(ctx, o->kind, -1, SQLITE_STATIC); break;
    case 1: sqlite3_result_text(ctx, o->name, -1, SQLITE_STATIC); break;
    case 2: if (k) sqlite3_result_text(ctx, k->name, -1, SQLITE_STATIC); break;
    case 3: if (k) sqlite3_result_text(ctx, k->type, -1, SQLITE_STATIC); break;
    case 4: sqlite3_result_int(ctx, k ? k->hidden : 0); break;
    case 5: sqlite3_result_text(ctx, k ? k->doc : o->doc, -1, SQLITE_STATIC); break;
  }
  return SQLITE_OK;
}

static int meta_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *r) {
  *r = ((meta_cursor *)cur)->rowid;
  return SQLITE_OK;
}

#define META_MODULE(name, connect)                                                          \
  static sqlite3_module name = {                                                            \
    .iVersion = 0, .xCreate = 0, .xConnect = connect, .xBestIndex = meta_best_index,        \
    .xDisconnect = meta_disconnect, .xDestroy = meta_disconnect, .xOpen = meta_open,        \
    .xClose = meta_close, .xFilter = meta_filter, .xNext = meta_next, .xEof = meta_eof,     \
    .xColumn = meta_column, .xRowid = meta_rowid};
META_MODULE(diag_module, diag_connect)
META_MODULE(ref_module, ref_connect)

int lumo_register_meta(sqlite3 *db, lumo_conn *conn, int with_files) {
  int rc = sqlite3_create_module(db, "lumo_reference", &ref_module, NULL);
  if (rc || !with_files) return rc;
  conn->nref++;
  return sqlite3_create_module_v2(db, "lumo_diagnostics", &diag_module, conn, lumo_conn_release);
}
