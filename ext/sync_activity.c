/* sync_activity.c: lumo_sync's writes of what tool calls did: a tool_uses row per call
** (with its MCP server, input size and project), its outcome when the result comes (error,
** result size and text, duration), and the rows activity.c derives from a new call:
** file_changes (files and lines) and git_ops (git and gh commands). sync.c calls these
** for Claude, Codex and Gemini records alike; the decisions are activity.c's, the same the
** SQL functions lumo_tool_changes and lumo_git_ops make over the source tables.
** A call is held (staged) until its result comes, usually on the next line, and then
** written once with its outcome: adding the outcome by an UPDATE rewrote the whole row,
** input included (a Claude Write holds the whole file), and an edit's line counts were
** worked out from its strings, then again from Claude Code's own figures that replace
** them. A call whose result has not come when its file ends, when the stage is full, or
** when another statement needs its row (Codex's end events), is written without it and
** its outcome, if one comes later, updates it: the rows are the same either way. */
#include "sync_int.h"
#include "activity.h"

#include <string.h>

/* The statements, prepared on the sync's first call (syncer_close finalizes them). */
static const char *const activity_sql[] = {
  /* a cut or non-JSON input (Codex's custom_tool_call input is a patch, not JSON) is kept
  ** as a JSON string, so json_extract never fails on the column; ?16: valid by
  ** lumo_json_valid_strict, so SQLite's json_valid() (wrong under OOM in 3.40) is asked
  ** only about the rest */
  "INSERT INTO tool_uses (key, agent, machine, session_id, timestamp, message_id, tool_name, input, file, line,"
  " project, mcp_server, mcp_tool, input_bytes, input_truncated, is_error, result_bytes, result_text, duration_ms)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?16 OR json_valid(?8) THEN ?8 ELSE json_quote(?8) END, ?9, ?10,"
  " ?11, ?12, ?13, ?14, ?15, ?18, ?19, ?20, CAST(round((julianday(?21) - julianday(?5)) * 86400000) AS INTEGER))"
  " ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id,"
  " project = excluded.project, file = excluded.file, line = excluded.line WHERE ?17",
  /* an outcome not said (NULL) keeps one said before (Codex: exec_command_end, then the
  ** output); a duration the agent logged stays over the timestamps' */
  "UPDATE tool_uses SET is_error = coalesce(?2, is_error), result_bytes = ?3, result_text = ?4,"
  " duration_ms = coalesce(duration_ms, CAST(round((julianday(?5) - julianday(timestamp)) * 86400000) AS INTEGER))"
  " WHERE key = ?1",
  "UPDATE tool_uses SET is_error = coalesce(?2, is_error), duration_ms = coalesce(?3, duration_ms),"
  " mcp_server = coalesce(?4, mcp_server), mcp_tool = coalesce(?5, mcp_tool) WHERE key = ?1",
  "INSERT INTO file_changes (key, tool_key, agent, machine, session_id, project, timestamp, tool_name,"
  " path, language, operation, lines_added, lines_removed, file, line)"
  " VALUES (?1 || ':' || ?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
  " ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id, project = excluded.project,"
  " file = excluded.file, line = excluded.line WHERE ?16",
  "INSERT INTO git_ops (key, tool_key, agent, machine, session_id, project, timestamp, operation,"
  " command, file, line) VALUES (?1 || ':' || ?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
  " ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id, project = excluded.project,"
  " file = excluded.file, line = excluded.line WHERE ?12",
  /* a Claude edit's own figures, from its result record (activity_result_put) */
  "SELECT tool_name, input FROM tool_uses WHERE key = ?1 AND tool_name IN ('Edit', 'MultiEdit', 'Write')",
  "UPDATE file_changes SET lines_added = ?2, lines_removed = ?3 WHERE key = ?1 || ':' || ?4",
  /* a patch Codex applied for a call whose input held none (a script cell calling apply_patch) */
  "SELECT 1 FROM file_changes WHERE tool_key = ?1 LIMIT 1",
};
enum { ACT_CALL, ACT_RESULT, ACT_END, ACT_FILE, ACT_GIT, ACT_EDIT_GET, ACT_EDIT_SET, ACT_HAS_FILES, ACT_N };

/* A call's outcome: its result record's (activity_result_put). */
typedef struct call_result {
  int is_error;          /* -1: not said */
  int64_t result_bytes;
  const char *text;      /* NULL: none */
  size_t text_len;
  const char *timestamp; /* of the result (NULL: none) */
  lumo_span recount;     /* Claude's toolUseResult: Claude Code's own figures of an edit */
} call_result;

/* A call held until its result: its strings copied into mem (one allocation). */
typedef struct staged_call {
  activity_call c;
  char *mem;
  size_t bytes;
} staged_call;

/* A stage of at most this many calls and bytes (an assistant message runs a few calls at
** once; their results come together on the next line). */
#define STAGE_CALLS 32
#define STAGE_BYTES ((size_t)16 << 20)

struct activity_sync {
  sqlite3_stmt *st[ACT_N];
  staged_call stage[STAGE_CALLS]; /* oldest first */
  int nstage;
  size_t stage_bytes;
  lumo_buf cmd;                /* a shell call's command */
  const activity_call *call;   /* the call being derived */
  int cut;                     /* its input may not be whole: its line counts are not known */
  int n;                       /* rows derived from it so far */
  int rc;
};

static int activity_open(syncer *y) {
  if (y->act) return SQLITE_OK;
  y->act = sqlite3_malloc64(sizeof(*y->act));
  if (!y->act) return SQLITE_NOMEM;
  memset(y->act, 0, sizeof(*y->act));
  for (int i = 0; i < ACT_N; i++) {
    int rc = sqlite3_prepare_v2(y->db, activity_sql[i], -1, &y->act->st[i], NULL);
    if (rc) return rc;
  }
  return SQLITE_OK;
}

void activity_sync_close(syncer *y) {
  if (!y->act) return;
  activity_discard(y);
  for (int i = 0; i < ACT_N; i++) sqlite3_finalize(y->act->st[i]);
  lumo_buf_free(&y->act->cmd);
  sqlite3_free(y->act);
  y->act = NULL;
}

/* The columns every derived row shares with its call: ?1 tool key to ?6 timestamp. */
static void bind_call(sqlite3_stmt *st, syncer *y, const activity_call *c) {
  bind_text(st, 1, c->key);
  bind_text(st, 2, c->agent);
  bind_text(st, 3, y->machine);
  bind_text(st, 4, c->session);
  bind_text(st, 5, c->project);
  bind_text(st, 6, c->timestamp);
}

static void on_change(void *ctx, const lumo_change *ch) {
  syncer *y = ctx;
  struct activity_sync *a = y->act;
  if (a->rc) return;
  const activity_call *c = a->call;
  sqlite3_stmt *st = a->st[ACT_FILE];
  bind_call(st, y, c);
  bind_text(st, 7, c->tool_name);
  bind_text(st, 8, ch->path);
  bind_text(st, 9, lumo_language(ch->path, strlen(ch->path)));
  bind_text(st, 10, ch->operation);
  if (ch->added >= 0 && !a->cut) sqlite3_bind_int64(st, 11, ch->added);
  else sqlite3_bind_null(st, 11);
  if (ch->removed >= 0 && !a->cut) sqlite3_bind_int64(st, 12, ch->removed);
  else sqlite3_bind_null(st, 12);
  bind_text(st, 13, c->file);
  sqlite3_bind_int64(st, 14, c->line);
  sqlite3_bind_int(st, 15, ++a->n);
  sqlite3_bind_int(st, 16, c->moved);
  a->rc = step_done(st);
}

static void on_git(void *ctx, const char *op, const char *seg, size_t n) {
  syncer *y = ctx;
  struct activity_sync *a = y->act;
  if (a->rc) return;
  sqlite3_stmt *st = a->st[ACT_GIT];
  bind_call(st, y, a->call);
  bind_text(st, 7, op);
  sqlite3_bind_text64(st, 8, seg, n, SQLITE_TRANSIENT, SQLITE_UTF8);
  bind_text(st, 9, a->call->file);
  sqlite3_bind_int64(st, 10, a->call->line);
  sqlite3_bind_int(st, 11, ++a->n);
  sqlite3_bind_int(st, 12, a->call->moved);
  a->rc = step_done(st);
}

/* One file of a call derived again with its result's figures: the row's counts. */
typedef struct recount {
  syncer *y;
  const char *key;
  int n, rc;
} recount;

static void on_recount(void *ctx, const lumo_change *ch) {
  recount *r = ctx;
  if (r->rc) return;
  sqlite3_stmt *st = r->y->act->st[ACT_EDIT_SET];
  bind_text(st, 1, r->key);
  if (ch->added >= 0) sqlite3_bind_int64(st, 2, ch->added);
  else sqlite3_bind_null(st, 2);
  if (ch->removed >= 0) sqlite3_bind_int64(st, 3, ch->removed);
  else sqlite3_bind_null(st, 3);
  sqlite3_bind_int(st, 4, ++r->n);
  r->rc = step_done(st);
}

/* A Claude result record's toolUseResult: the file rows of an Edit, MultiEdit or Write call
** take Claude Code's own figures (activity.c decides, as lumo_tool_changes(tool_name,
** input, tool_use_result)). */
static int edit_recount(syncer *y, const char *key, const char *tool, const char *input, size_t input_len,
                        lumo_span result) {
  if (!tool || !input || (strcmp(tool, "Edit") && strcmp(tool, "MultiEdit") && strcmp(tool, "Write")))
    return SQLITE_OK;
  recount r = {y, key, 0, SQLITE_OK};
  lumo_tool_changes(tool, input, input_len, result, on_recount, &r);
  return r.rc;
}

/* The same for a call stored before: its name and input read back. */
static int edit_recount_stored(syncer *y, const char *key, lumo_span result) {
  sqlite3_stmt *st = y->act->st[ACT_EDIT_GET];
  bind_text(st, 1, key);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    rc = edit_recount(y, key, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                      (size_t)sqlite3_column_bytes(st, 1), result);
  else
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
  sqlite3_reset(st);
  return rc;
}

/* The outcome of a call stored before. */
static int result_update(syncer *y, const char *key, const call_result *r) {
  sqlite3_stmt *st = y->act->st[ACT_RESULT];
  bind_text(st, 1, key);
  if (r->is_error < 0) sqlite3_bind_null(st, 2);
  else sqlite3_bind_int(st, 2, r->is_error);
  sqlite3_bind_int64(st, 3, r->result_bytes);
  if (r->text)
    sqlite3_bind_text64(st, 4, r->text, lumo_utf8_cut(r->text, r->text_len, LUMO_RESULT_TEXT_MAX), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
  else sqlite3_bind_null(st, 4);
  bind_text(st, 5, r->timestamp);
  return step_done(st);
}

/* Writes call c, with its outcome r when known (NULL: none yet), and the rows derived from
** it. Kept: a call stored before keeps its outcome unless r says one (then updated, as an
** outcome that comes after its call was written). */
static int call_write(syncer *y, const activity_call *c, const call_result *r) {
  struct activity_sync *a = y->act;
  sqlite3_stmt *st = a->st[ACT_CALL];
  lumo_span server = {NULL, 0}, tool = {NULL, 0};
  if (c->tool_name) lumo_mcp_split(c->tool_name, strlen(c->tool_name), &server, &tool);
  bind_text(st, 1, c->key);
  bind_text(st, 2, c->agent);
  bind_text(st, 3, y->machine);
  bind_text(st, 4, c->session);
  bind_text(st, 5, c->timestamp);
  bind_text(st, 6, c->message_id);
  bind_text(st, 7, c->tool_name);
  /* static: the input (up to a line's size) is not copied once more; unbound after the step */
  if (c->input) sqlite3_bind_text64(st, 8, c->input, c->input_len, SQLITE_STATIC, SQLITE_UTF8);
  else sqlite3_bind_null(st, 8);
  bind_text(st, 9, c->file);
  sqlite3_bind_int64(st, 10, c->line);
  bind_text(st, 11, c->project);
  if (server.n) sqlite3_bind_text(st, 12, server.p, (int)server.n, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, 12);
  if (tool.n) sqlite3_bind_text(st, 13, tool.p, (int)tool.n, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, 13);
  /* a line over LUMO_CUT_AT keeps the first LUMO_CUT_KEEP bytes of each string: an input
  ** on it may have lost some (a Claude or Gemini input, the raw JSON, holds a cut string
  ** only if it is that long; Codex's arguments are decoded, so any of its inputs may) */
  int cut = c->line_cut > 0 && c->input && (strcmp(c->agent, "codex") == 0 || c->input_len >= LUMO_CUT_KEEP);
  if (c->input) sqlite3_bind_int64(st, 14, cut ? (int64_t)c->input_len + c->line_cut : (int64_t)c->input_len);
  else sqlite3_bind_null(st, 14);
  sqlite3_bind_int(st, 15, cut);
  int strict = c->input && lumo_json_valid_strict(c->input, c->input_len);
  sqlite3_bind_int(st, 16, strict);
  sqlite3_bind_int(st, 17, c->moved);
  if (r && r->is_error >= 0) sqlite3_bind_int(st, 18, r->is_error);
  else sqlite3_bind_null(st, 18);
  if (r) sqlite3_bind_int64(st, 19, r->result_bytes);
  else sqlite3_bind_null(st, 19);
  if (r && r->text)
    sqlite3_bind_text64(st, 20, r->text, lumo_utf8_cut(r->text, r->text_len, LUMO_RESULT_TEXT_MAX), SQLITE_STATIC,
                        SQLITE_UTF8);
  else sqlite3_bind_null(st, 20);
  bind_text(st, 21, r ? r->timestamp : NULL);
  /* an upsert that updates leaves the last insert rowid as it was: 0 tells the two apart */
  sqlite3_set_last_insert_rowid(y->db, 0);
  int rc = sqlite3_step(st);
  int added = rc == SQLITE_DONE && sqlite3_changes(y->db) > 0;
  int inserted = added && sqlite3_last_insert_rowid(y->db) != 0;
  sqlite3_reset(st);
  sqlite3_bind_null(st, 8);
  sqlite3_bind_null(st, 20);
  if (rc != SQLITE_DONE) return rc;
  rc = SQLITE_OK;
  y->st.tool_rows += added;
  /* a call read again (a file re-read from its start) has its rows already; a moved one
  ** (the copy of its record kept now) takes them along, by the same keys */
  /* an edit written with its result takes Claude Code's figures at once (not derived from
  ** the input, then recounted: the same rows, the diff of its strings not worked out);
  ** not on a cut line, whose counts the derivation leaves unknown and the recount sets */
  int at_once = inserted && strict && !cut && r && r->recount.n && !c->display.n;
  if (added && c->tool_name && c->input) {
    a->call = c;
    a->cut = cut;
    a->n = 0;
    a->rc = SQLITE_OK;
    lumo_tool_changes(c->tool_name, c->input, c->input_len, at_once ? r->recount : c->display, on_change, y);
    a->n = 0; /* git_ops keys count from 1 too */
    if (!a->rc && lumo_tool_command(c->tool_name, c->input, c->input_len, &a->cmd))
      lumo_git_ops(a->cmd.p, a->cmd.len, on_git, y);
    if (a->cmd.oom) a->rc = SQLITE_NOMEM;
    a->call = NULL;
    if (a->rc) return a->rc;
  }
  if (!r || at_once) return SQLITE_OK;
  if (!inserted) rc = result_update(y, c->key, r);
  /* the edit's own figures: from the input just written when it went in as it is (strict
  ** JSON), else from the stored row (a call stored before, or an input kept quoted) */
  if (!rc && r->recount.n)
    rc = inserted && strict ? edit_recount(y, c->key, c->tool_name, c->input, c->input_len, r->recount)
                            : edit_recount_stored(y, c->key, r->recount);
  return rc;
}

/* The staged call i written (with outcome r, or none) and taken off the stage. */
static int stage_write(syncer *y, int i, const call_result *r) {
  struct activity_sync *a = y->act;
  staged_call s = a->stage[i];
  memmove(&a->stage[i], &a->stage[i + 1], (size_t)(a->nstage - i - 1) * sizeof(s));
  a->nstage--;
  a->stage_bytes -= s.bytes;
  int rc = call_write(y, &s.c, r);
  sqlite3_free(s.mem);
  return rc;
}

static int stage_find(const struct activity_sync *a, const char *key) {
  for (int i = a->nstage - 1; i >= 0; i--)
    if (strcmp(a->stage[i].c.key, key) == 0) return i;
  return -1;
}

/* A copy of n bytes at *at, NUL-terminated (NULL stays NULL). */
static const char *stage_copy(char **at, const char *p, size_t n) {
  if (!p) return NULL;
  char *d = *at;
  memcpy(d, p, n);
  d[n] = 0;
  *at += n + 1;
  return d;
}

int activity_call_put(syncer *y, const activity_call *call) {
  int rc = activity_open(y);
  if (rc) return rc;
  struct activity_sync *a = y->act;
  activity_call c = *call;
  c.line_cut = y->line_cut;
  /* the same call again: the one held goes first, as they came */
  int i = stage_find(a, c.key);
  if (i >= 0 && (rc = stage_write(y, i, NULL))) return rc;
  /* its strings, copied into one allocation */
  const char **str[] = {&c.key, &c.agent, &c.session, &c.project, &c.timestamp, &c.message_id, &c.tool_name, &c.file};
  enum { NSTR = sizeof(str) / sizeof(*str) };
  size_t len[NSTR], bytes = c.input_len + 1 + c.display.n + 1;
  for (int k = 0; k < NSTR; k++) bytes += (len[k] = *str[k] ? strlen(*str[k]) : 0) + 1;
  if (bytes > STAGE_BYTES) return call_write(y, &c, NULL);
  while (a->nstage == STAGE_CALLS || (a->nstage && a->stage_bytes + bytes > STAGE_BYTES))
    if ((rc = stage_write(y, 0, NULL))) return rc;
  char *mem = sqlite3_malloc64(bytes), *at = mem;
  if (!mem) return SQLITE_NOMEM;
  for (int k = 0; k < NSTR; k++) *str[k] = stage_copy(&at, *str[k], len[k]);
  c.input = stage_copy(&at, c.input, c.input_len);
  c.display.p = stage_copy(&at, c.display.p, c.display.n);
  a->stage[a->nstage++] = (staged_call){c, mem, bytes};
  a->stage_bytes += bytes;
  return SQLITE_OK;
}

int activity_flush(syncer *y) {
  int rc = SQLITE_OK;
  while (y->act && y->act->nstage && !rc) rc = stage_write(y, 0, NULL);
  return rc;
}

void activity_discard(syncer *y) {
  struct activity_sync *a = y->act;
  if (!a) return;
  for (int i = 0; i < a->nstage; i++) sqlite3_free(a->stage[i].mem);
  a->nstage = 0;
  a->stage_bytes = 0;
}

int activity_result_put(syncer *y, const char *key, int is_error, int64_t result_bytes, const char *text,
                        size_t text_len, const char *timestamp, lumo_span result) {
  int rc = activity_open(y);
  if (rc) return rc;
  call_result r = {is_error, result_bytes, text, text_len, timestamp, result};
  int i = stage_find(y->act, key);
  if (i >= 0) return stage_write(y, i, &r);
  rc = result_update(y, key, &r);
  if (!rc && result.n) rc = edit_recount_stored(y, key, result);
  return rc;
}

/* A successful patch_apply_end's files, for a call with no file rows yet (its input was
** not a patch lumo reads: Codex's script cells call apply_patch themselves; when the
** input was one, its rows stand and these, the same files, are not added). */
static int patch_end_rows(syncer *y, const char *key, lumo_span changes, const char *session, const char *cwd,
                          const char *timestamp, const char *file, int64_t line_no) {
  struct activity_sync *a = y->act;
  sqlite3_stmt *st = a->st[ACT_HAS_FILES];
  bind_text(st, 1, key);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return SQLITE_OK;
  if (rc != SQLITE_DONE) return rc;
  rc = SQLITE_OK;
  char *project = lumo_project_new(cwd, &rc);
  if (rc) return rc;
  activity_call c = {key, "codex", session, project, timestamp, NULL, "apply_patch", NULL, 0, file, line_no,
                     {NULL, 0}, 0, 0};
  a->call = &c;
  a->cut = 0;
  a->n = 0;
  a->rc = SQLITE_OK;
  lumo_patch_end_changes(changes, on_change, y);
  a->call = NULL;
  sqlite3_free(project);
  return a->rc;
}

int activity_codex_end(syncer *y, const char *line, size_t n, const char *session, const char *cwd, const char *file,
                       int64_t line_no) {
  /* most lines are not an end event: a look for the word before any parsing */
  if (!memmem(line, n < 400 ? n : 400, "_end\"", 5)) return SQLITE_OK;
  int rc = activity_open(y);
  if (rc) return rc;
  int is_error;
  int64_t ms;
  lumo_buf id = {0}, server = {0}, tool = {0}, ts = {0};
  lumo_span changes, t;
  if (lumo_codex_call_end(line, n, &id, &is_error, &ms, &server, &tool, &changes)) {
    char *key = sqlite3_mprintf("codex:%s", id.p);
    sqlite3_stmt *st = y->act->st[ACT_END];
    int i = key ? stage_find(y->act, key) : -1;
    if (!key) rc = SQLITE_NOMEM;
    else if (i >= 0 && (rc = stage_write(y, i, NULL))) {
      /* the call's row first: the end updates it, and a patch's files look for its rows */
    } else {
      bind_text(st, 1, key);
      if (is_error < 0) sqlite3_bind_null(st, 2);
      else sqlite3_bind_int(st, 2, is_error);
      if (ms < 0) sqlite3_bind_null(st, 3);
      else sqlite3_bind_int64(st, 3, ms);
      bind_text(st, 4, server.len ? server.p : NULL);
      bind_text(st, 5, tool.len ? tool.p : NULL);
      rc = step_done(st);
      if (!rc && changes.n) {
        if (lumo_json_get((lumo_span){line, n}, "timestamp", &t) == 1 && lumo_json_is_string(t)) lumo_json_decode(t, &ts);
        lumo_buf_nul(&ts);
        rc = patch_end_rows(y, key, changes, session, cwd, ts.len ? ts.p : NULL, file, line_no);
      }
    }
    sqlite3_free(key);
  }
  lumo_buf_free(&id);
  lumo_buf_free(&server);
  lumo_buf_free(&tool);
  lumo_buf_free(&ts);
  return rc;
}

/* Schema 9 on a database that had tool_uses before, in three steps: the new columns ... */
const char activity_migrate_sql[] =
  "ALTER TABLE tool_uses ADD COLUMN project TEXT;"
  "ALTER TABLE tool_uses ADD COLUMN mcp_server TEXT;"
  "ALTER TABLE tool_uses ADD COLUMN mcp_tool TEXT;"
  "ALTER TABLE tool_uses ADD COLUMN input_bytes INTEGER;"
  "ALTER TABLE tool_uses ADD COLUMN input_truncated INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE tool_uses ADD COLUMN result_text TEXT;"
  "ALTER TABLE tool_uses ADD COLUMN duration_ms INTEGER;";
/* ... then the calls stored before: a cut input (stored before schema 7) kept as a JSON
** string and flagged, the MCP server and tool from the name (also run by lumo_merge for an
** older database's calls; a valid input and a derived MCP name are left as they are) ... */
const char activity_fixup_sql[] =
  "UPDATE tool_uses SET input_truncated = 1, input = json_quote(input) WHERE input IS NOT NULL AND NOT json_valid(input);"
  "UPDATE tool_uses SET mcp_server = lumo_mcp_server(tool_name), mcp_tool = lumo_mcp_tool(tool_name)"
  " WHERE mcp_server IS NULL AND tool_name LIKE 'mcp\\_\\_%' ESCAPE '\\';";
/* ... and their file and git rows, by the same rules (the SQL functions of activity.c;
** INSERT OR IGNORE: rows there already stay). */
const char activity_backfill_sql[] =
  "INSERT OR IGNORE INTO file_changes (key, tool_key, agent, machine, session_id, project, timestamp, tool_name,"
  " path, language, operation, lines_added, lines_removed, file, line)"
  " SELECT t.key || ':' || (c.key + 1), t.key, t.agent, t.machine, t.session_id, t.project, t.timestamp, t.tool_name,"
  " c.value ->> 'path', c.value ->> 'language', c.value ->> 'operation', c.value ->> 'lines_added',"
  " c.value ->> 'lines_removed', t.file, t.line"
  " FROM tool_uses t, json_each(lumo_tool_changes(t.tool_name, CASE WHEN t.input_truncated THEN NULL"
  " WHEN t.tool_name = 'apply_patch' AND json_type(t.input) = 'text' THEN t.input ->> '$' ELSE t.input END)) c;"
  "INSERT OR IGNORE INTO git_ops (key, tool_key, agent, machine, session_id, project, timestamp, operation,"
  " command, file, line)"
  " SELECT t.key || ':' || (g.key + 1), t.key, t.agent, t.machine, t.session_id, t.project, t.timestamp,"
  " g.value ->> 'operation', g.value ->> 'command', t.file, t.line"
  " FROM tool_uses t, json_each(lumo_git_ops(t.tool_name, t.input)) g WHERE NOT t.input_truncated;";
