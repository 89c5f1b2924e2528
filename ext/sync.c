/* sync.c: lumo_sync(), the incremental import into the lumo database (the database's
** schema and settings are sync_db.c's, lumo_merge is merge.c's).
**   SELECT lumo_sync();                 -- every source lumo knows, into the main database
**   SELECT lumo_sync('~/.claude');      -- one Claude root
**   SELECT lumo_merge('laptop.db');     -- another machine's lumo database
** For each source file it compares (size, mtime, inode, bytes consumed, head hash)
** with lumo_files: an unchanged file costs one stat; an appended file is read from
** where the last sync stopped; a truncated or rewritten one is read again from the
** start, and the upserts keep every count single. Usage rows are upserted with the
** winner rule of dedup.c, so a copy that straddles two syncs, two machines or a merge
** still counts once and the larger copy wins. A torn last line is not consumed: the
** next sync reads it again. Rows whose file disappeared are never deleted.
** Changed files are written in batched transactions (BEGIN IMMEDIATE), so concurrent
** syncs serialise on the database lock and each file's rows and offset commit together.
** DIRECTONLY: they read files and write the database. Not in sqlite3_lumo_nofs_init. */
#include "sync_int.h"
#include "codex.h"
#include "gemini.h"
#include "opencode.h"
#include "otlp.h"
#include "activity.h"
#include "prompts.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The record fields bound to the two telemetry INSERTs of syncer_sql (sync_db.c), in order; the negative ones are the
** syncer's own. */
enum { OTEL_MACHINE = -1, OTEL_LUMO_COST = -2 };
static const int point_fields[] = {
  OF_KEY, OF_SERIES, OTEL_MACHINE, OF_AGENT, OF_TIME, OF_TIME_NS, OF_START_NS, OF_METRIC, OF_UNIT,
  OF_KIND, OF_TEMPORALITY, OF_MONOTONIC, OF_VALUE, OF_COUNT, OF_SUM, OF_SESSION_ID, OF_MODEL, OF_TYPE,
  OF_DECISION, OF_SOURCE, OF_TOOL_NAME, OF_LANGUAGE, OF_USER_ID, OF_ORGANIZATION_ID, OF_TERMINAL_TYPE,
  OF_SERVICE_VERSION, OF_ATTRIBUTES, OF_RESOURCE, OF_SCOPE_NAME, OF_FILE, OF_LINE};
static const int event_fields[] = {
  OF_KEY, OTEL_MACHINE, OF_AGENT, OF_TIME, OF_TIME_NS, OF_TIME_SOURCE, OF_EVENT_NAME, OF_SEVERITY_NUMBER,
  OF_SESSION_ID, OF_SEQUENCE, OF_PROMPT_ID, OF_PROMPT_LENGTH, OF_MODEL, OF_REQUEST_ID, OF_TOOL_NAME,
  OF_SUCCESS, OF_DURATION_MS, OF_DECISION, OF_SOURCE, OF_COST, OTEL_LUMO_COST, OF_INPUT, OF_OUTPUT,
  OF_CACHE_READ, OF_CACHE_CREATION, OF_REASONING, OF_BODY, OF_ATTRIBUTES, OF_RESOURCE, OF_SCOPE_NAME,
  OF_SERVICE_VERSION, OF_FILE, OF_LINE};

/* One row of the messages table (strings are the caller's; NULL for none). */
typedef struct msg_row {
  const char *key, *agent, *session, *uuid, *parent_uuid, *timestamp, *type, *role, *model, *message_id;
  int is_sidechain, has_text, replace;
  const char *text;
  size_t text_len;
  int64_t content_bytes;
  const char *file;
  int64_t line;
  int is_rewound; /* Gemini: no longer in the conversation */
  int ranked;     /* Claude: of two copies of a record, the one that ranks first is kept */
  int64_t rank_mtime_ns; /* the rank: its file's mtime (then its file and line) */
} msg_row;

/* Writes a message row; *moved (if given) is set to 1 when this copy replaced a stored
** copy of another file or line (a ranked copy that ranks first), whose derived rows (tool
** calls, prompts) then move too. */
static int message_put(syncer *y, const msg_row *m, int *moved) {
  sqlite3_stmt *st = y->msg_ins;
  bind_text(st, 1, m->key);
  bind_text(st, 2, m->agent);
  bind_text(st, 3, y->machine);
  bind_text(st, 4, m->session);
  bind_text(st, 5, m->uuid);
  bind_text(st, 6, m->parent_uuid);
  bind_text(st, 7, m->timestamp);
  bind_text(st, 8, m->type);
  bind_text(st, 9, m->role);
  bind_text(st, 10, m->model);
  bind_text(st, 11, m->message_id);
  sqlite3_bind_int(st, 12, m->is_sidechain);
  /* static: the text (up to a line's size) is not copied once more; unbound after the step */
  if (m->has_text) sqlite3_bind_text64(st, 13, m->text ? m->text : "", m->text_len, SQLITE_STATIC, SQLITE_UTF8);
  else sqlite3_bind_null(st, 13);
  sqlite3_bind_int64(st, 14, m->content_bytes);
  bind_text(st, 15, m->file);
  sqlite3_bind_int64(st, 16, m->line);
  sqlite3_bind_int(st, 17, m->replace);
  sqlite3_bind_int(st, 18, m->is_rewound);
  if (m->ranked) sqlite3_bind_int64(st, 19, m->rank_mtime_ns);
  else sqlite3_bind_null(st, 19);
  /* an upsert that updates leaves the last insert rowid as it was: 0 tells the two apart */
  sqlite3_set_last_insert_rowid(y->db, 0);
  int rc = step_done(st);
  sqlite3_bind_null(st, 13);
  if (!rc) y->st.message_rows++;
  if (moved) *moved = !rc && m->ranked && sqlite3_changes(y->db) > 0 && sqlite3_last_insert_rowid(y->db) == 0;
  return rc;
}

/* ----------------------------------------------------------------- usage */

/* Writes candidate c (all fields set) as the kept copy, replacing old_key if given. */
static int usage_write(syncer *y, const lumo_cand *c, const char *key, const char *old_key,
                       const char *agent, const char *machine, const char *file) {
  if (old_key) { /* a DELETE, not a REPLACE: the usage_buckets trigger subtracts it */
    sqlite3_bind_text(y->usage_del, 1, old_key, -1, SQLITE_TRANSIENT);
    int rc = step_done(y->usage_del);
    if (rc) return rc;
  }
  sqlite3_stmt *st = y->usage_ins;
  int known = 0;
  const char *src = NULL;
  double usd = lumo_cost_request(y->conn->prices, c->model, c->input, c->output, c->cache_read,
                                 c->cache_5m, c->cache_1h, c->speed, c->inference_geo,
                                 c->service_tier, c->web_search, c->timestamp, &known);
  if (known) src = lumo_price_source(y->conn->prices, c->model);
  bind_text(st, 1, key);
  bind_text(st, 2, agent);
  bind_text(st, 3, machine);
  bind_text(st, 4, c->session_id);
  bind_text(st, 5, c->project);
  bind_text(st, 6, c->cwd);
  bind_text(st, 7, c->git_branch);
  bind_text(st, 8, c->timestamp);
  bind_text(st, 9, c->model);
  sqlite3_bind_int64(st, 10, c->input);
  sqlite3_bind_int64(st, 11, c->output);
  sqlite3_bind_int64(st, 12, c->cache_read);
  sqlite3_bind_int64(st, 13, c->cache_5m);
  sqlite3_bind_int64(st, 14, c->cache_1h);
  /* Claude transcripts log no reasoning count: NULL there, a number (0 too) elsewhere,
  ** as the source tables show it */
  if (c->reasoning || strcmp(agent, "claude") != 0) sqlite3_bind_int64(st, 15, c->reasoning);
  else sqlite3_bind_null(st, 15);
  sqlite3_bind_int64(st, 16, c->web_search);
  bind_text(st, 17, c->service_tier);
  bind_text(st, 18, c->speed);
  bind_text(st, 19, c->inference_geo);
  sqlite3_bind_int(st, 20, c->is_sidechain);
  bind_text(st, 21, claude_is_placeholder(c->output, c->content_bytes) ? "low" : "high");
  if (known) sqlite3_bind_double(st, 22, usd);
  else sqlite3_bind_null(st, 22);
  bind_text(st, 23, src);
  bind_text(st, 24, c->mid);
  bind_text(st, 25, c->rid);
  bind_text(st, 26, file);
  sqlite3_bind_int64(st, 27, c->line);
  sqlite3_bind_int64(st, 28, c->total);
  sqlite3_bind_int(st, 29, c->has_speed);
  sqlite3_bind_int64(st, 30, c->mtime_ns);
  sqlite3_bind_int(st, 31, c->prefer);
  sqlite3_bind_int64(st, 32, c->content_bytes);
  if (c->has_stored_cost) sqlite3_bind_double(st, 33, c->stored_cost);
  else sqlite3_bind_null(st, 33);
  /* what priced it, so that a later change of this model's prices finds the row */
  sqlite3_bind_int64(st, 34, lumo_price_fingerprint(y->conn->prices, c->model));
  int rc = step_done(st);
  if (!rc) y->st.usage_rows++;
  return rc;
}

/* Upserts one copy with dedup.c's rule, kept incrementally: the stored rows of its
** message id are the kept copies so far, either parent rows (one per request id) or a
** single sidechain row (the group's best while it has no parent copy). A parent copy
** replaces the sidechain row, or the row of its own key when it beats it, or is a new
** response; a sidechain copy is a replay once a parent row exists, else it competes with
** the sidechain row. Since a parent copy beats any sidechain copy, these are the rows
** lumo_dedup_finish keeps from all the copies at once, whatever their order. */
int usage_upsert(syncer *y, const lumo_cand *c, const char *agent, const char *machine,
                        const char *file) {
  char *key = c->mid ? sqlite3_mprintf("%s:%s:%s", agent, c->mid, c->rid ? c->rid : "")
                     : sqlite3_mprintf("%s:%s:%s:%lld", agent, machine, file, (long long)c->line);
  if (!key) return SQLITE_NOMEM;
  int rc = SQLITE_OK, wins = 1, any_parent = 0;
  char *old_key = NULL; /* the stored row the copy replaces */
  if (c->mid) {
    sqlite3_stmt *f = y->usage_find;
    sqlite3_bind_text(f, 1, c->mid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(f, 2, agent, -1, SQLITE_STATIC);
    int decided = 0;
    while ((rc = sqlite3_step(f)) == SQLITE_ROW) {
      lumo_cand o;
      memset(&o, 0, sizeof(o));
      o.mid = c->mid;
      o.rid = (const char *)sqlite3_column_text(f, 1);
      o.is_sidechain = sqlite3_column_int(f, 2);
      o.total = sqlite3_column_int64(f, 3);
      o.has_speed = sqlite3_column_int(f, 4);
      o.mtime_ns = sqlite3_column_int64(f, 5);
      o.path = (const char *)sqlite3_column_text(f, 6);
      o.line = sqlite3_column_int64(f, 7);
      o.prefer = sqlite3_column_int(f, 8);
      o.newest_wins = c->newest_wins;
      if (!o.is_sidechain) any_parent = 1;
      if (decided) continue;
      /* the row this copy competes with: its own key's, or the sidechain row */
      if (!lumo_dedup_same_key(&o, c) && !o.is_sidechain) continue;
      decided = 1;
      wins = lumo_dedup_beats(c, &o);
      /* The very same copy read again (a re-read file): nothing to do. */
      if (o.total == c->total && o.line == c->line && o.path && file && strcmp(o.path, file) == 0) wins = 0;
      if (wins) {
        old_key = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(f, 0));
        if (!old_key) rc = SQLITE_NOMEM;
      }
      if (rc == SQLITE_NOMEM) break;
    }
    sqlite3_reset(f);
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    /* a sidechain copy of a message that has a parent row is a replay */
    if (c->is_sidechain && any_parent) wins = 0;
  } else {
    old_key = sqlite3_mprintf("%s", key); /* an id-less row read again: replace it */
    if (!old_key) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK && wins) rc = usage_write(y, c, key, old_key, agent, machine, file);
  sqlite3_free(old_key);
  sqlite3_free(key);
  return rc;
}

/* ------------------------------------------------------- messages, tools */

typedef struct tool_ctx {
  syncer *y;
  const char *session, *project, *timestamp, *mid, *file;
  int64_t line;
  int moved; /* the record's kept copy moved to this line (message_put) */
  int rc;
  lumo_span tool_use_result; /* the record's toolUseResult: Claude Code's own figures of an edit */
} tool_ctx;

/* The stable key of a tool call: claude:<tool_use_id>. Sets t->rc on OOM. */
static char *tool_key(tool_ctx *t, lumo_span id) {
  const char *ids = t->rc || !id.n ? NULL : dec(t->y, 10, id);
  if (!ids) return NULL;
  char *key = sqlite3_mprintf("claude:%s", ids);
  if (!key) t->rc = SQLITE_NOMEM;
  return key;
}

static void tool_use_block(void *p, const claude_tool *u) {
  tool_ctx *t = p;
  syncer *y = t->y;
  char *key = tool_key(t, u->id);
  if (!key) return;
  activity_call c = {key, "claude", t->session, t->project, t->timestamp, t->mid,
                     u->name.n ? dec(y, 11, u->name) : NULL, u->input.n ? u->input.p : NULL, u->input.n,
                     t->file, t->line, {NULL, 0}, t->moved, 0};
  t->rc = activity_call_put(y, &c);
  sqlite3_free(key);
}

static void tool_result_block(void *p, const claude_result *r) {
  tool_ctx *t = p;
  char *key = tool_key(t, r->tool_use_id);
  if (!key) return;
  lumo_buf *text = &t->y->s[12];
  text->len = 0;
  /* the first LUMO_RESULT_TEXT_MAX bytes are kept (whole characters: 4 more read) */
  lumo_json_texts_upto(r->content, text, LUMO_RESULT_TEXT_MAX + 4);
  t->rc = text->oom ? SQLITE_NOMEM
                    : activity_result_put(t->y, key, r->is_error, (int64_t)r->content.n, text->len ? text->p : NULL,
                                          text->len, t->timestamp, t->tool_use_result);
  sqlite3_free(key);
}

/* ------------------------------------------------------------------ files */

/* Hash of the bytes [from, from + n) of a file (n <= HEAD_BYTES), 63 bits: the head of a
** file (from 0) and the bytes just before its consumed offset tell an append from a
** rewrite in place (an editor's save, a restore) that kept the inode and the head. */
static uint64_t range_hash(const char *path, int64_t from, int64_t n) {
  if (n > HEAD_BYTES) n = HEAD_BYTES;
  if (n < 0) n = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char buf[HEAD_BYTES];
  size_t got = fseeko(f, (off_t)from, SEEK_SET) == 0 ? fread(buf, 1, (size_t)n, f) : 0;
  fclose(f);
  return lumo_hash(buf, got) & 0x7fffffffffffffffULL;
}

static uint64_t head_hash(const char *path, int64_t consumed) { return range_hash(path, 0, consumed); }

static uint64_t tail_hash(const char *path, int64_t consumed) {
  int64_t from = consumed > HEAD_BYTES ? consumed - HEAD_BYTES : 0;
  return range_hash(path, from, consumed - from);
}

/* Records what was consumed of a file, in the same transaction as its rows. */
static int file_done(syncer *y, const lumo_file *f, const char *agent, int64_t consumed, int64_t lines,
                     const char *first_cwd) {
  sqlite3_stmt *st = y->file_put;
  if (y->read_from < 0) y->read_from = 0; /* read whole, unless resume_point said otherwise */
  bind_text(st, 1, f->path);
  bind_text(st, 2, y->machine);
  bind_text(st, 3, agent);
  sqlite3_bind_int64(st, 4, y->read_failed ? -1 : f->size);
  sqlite3_bind_int64(st, 5, f->mtime_ns);
  sqlite3_bind_int64(st, 6, f->inode);
  sqlite3_bind_int64(st, 7, consumed);
  sqlite3_bind_int64(st, 8, lines);
  sqlite3_bind_int64(st, 9, (int64_t)head_hash(f->path, consumed));
  bind_text(st, 10, first_cwd);
  sqlite3_bind_int64(st, 11, (int64_t)tail_hash(f->path, consumed));
  return step_done(st);
}

/* How a file's read ended: a read error (the reader reported it, 'unreadable') leaves
** the rest of the file for the next sync (read_failed); running out of memory is the
** sync's error, as everywhere else. */
static int read_ended(syncer *y, const lumo_reader *rd) {
  if (rd->err == ENOMEM) return SQLITE_NOMEM;
  if (rd->err) y->read_failed = 1;
  return SQLITE_OK;
}

/* Where to read an append-only file from: the offset and line count the last sync
** consumed when the file only grew since (same inode, same first bytes and same bytes
** before the offset), else 0 (new,
** rewritten or truncated: read it all; the upserts keep counts single). Returns 1 when
** the file is unchanged since the last sync (another sync got here first). */
static int resume_point(syncer *y, const lumo_file *f, int64_t *start, int64_t *start_line, char **first_cwd) {
  sqlite3_stmt *g = y->file_get;
  *start = *start_line = 0;
  bind_text(g, 1, y->machine);
  bind_text(g, 2, f->path);
  int same = 0;
  if (sqlite3_step(g) == SQLITE_ROW) {
    int64_t old_size = sqlite3_column_int64(g, 0), mt = sqlite3_column_int64(g, 1), ino = sqlite3_column_int64(g, 2);
    int64_t consumed = sqlite3_column_int64(g, 3), lines = sqlite3_column_int64(g, 4);
    uint64_t hh = (uint64_t)sqlite3_column_int64(g, 5);
    const char *fc = (const char *)sqlite3_column_text(g, 6);
    int tail_known = sqlite3_column_type(g, 7) != SQLITE_NULL;
    uint64_t th = (uint64_t)sqlite3_column_int64(g, 7);
    same = old_size == f->size && mt == f->mtime_ns && ino == f->inode;
    if (!same && !lumo_ends_with(f->path, ".gz") && ino == f->inode && f->size >= consumed &&
        head_hash(f->path, consumed) == hh && (!tail_known || tail_hash(f->path, consumed) == th)) {
      *start = consumed; /* appended */
      *start_line = lines;
      y->read_from = lines;
      if (fc && first_cwd) *first_cwd = sqlite3_mprintf("%s", fc);
    }
  }
  sqlite3_reset(g);
  return same;
}

/* The string fields of a candidate, copied when it is held. */
static const size_t held_strings[14] = {
  offsetof(lumo_cand, mid), offsetof(lumo_cand, rid), offsetof(lumo_cand, timestamp),
  offsetof(lumo_cand, session_id), offsetof(lumo_cand, project), offsetof(lumo_cand, cwd),
  offsetof(lumo_cand, git_branch), offsetof(lumo_cand, version), offsetof(lumo_cand, model),
  offsetof(lumo_cand, service_tier), offsetof(lumo_cand, speed), offsetof(lumo_cand, inference_geo),
  offsetof(lumo_cand, agent_id), offsetof(lumo_cand, label)};

/* Upserts the held copy, if any. */
static int usage_flush(syncer *y, const char *agent, const char *file) {
  if (!y->has_held) return SQLITE_OK;
  y->has_held = 0;
  return usage_upsert(y, &y->held, agent, y->machine, file);
}

/* Offers a copy read from one file to the stored rows. Claude writes a response as 1-4
** streaming lines of one key in a row, each with larger counts: upserting each replaced
** the stored row (a delete and an insert, and their rollup triggers) up to three times.
** The best copy of a run of one key (dedup.c's order: within one file, the larger
** total, then the earlier line) is held and upserted once when the run ends; since the
** order is total, the stored row is the one the copy-by-copy upserts left. */
static int usage_hold(syncer *y, const lumo_cand *c, const char *agent, const char *file) {
  if (y->has_held && c->mid && lumo_dedup_same_key(&y->held, c) && y->held.is_sidechain == c->is_sidechain) {
    if (!lumo_dedup_beats(c, &y->held)) return SQLITE_OK;
  } else {
    int rc = usage_flush(y, agent, file);
    if (rc) return rc;
    if (!c->mid) return usage_upsert(y, c, agent, y->machine, file); /* never merged */
  }
  y->held = *c;
  for (int i = 0; i < 14; i++) {
    const char **f = (const char **)((char *)&y->held + held_strings[i]);
    if (!*f) continue;
    lumo_buf *b = &y->held_s[i];
    b->len = 0;
    lumo_buf_append(b, *f, strlen(*f));
    lumo_buf_nul(b);
    if (b->oom) return SQLITE_NOMEM;
    *f = b->p;
  }
  y->has_held = 1;
  return SQLITE_OK;
}

/* Syncs one Claude file; the caller holds the write transaction. */
static int sync_claude_file(syncer *y, const lumo_file *f) {
  int rc;
  int64_t start, start_line;
  char *first_cwd = NULL;
  if (resume_point(y, f, &start, &start_line, &first_cwd)) return SQLITE_OK;
  lumo_reader rd;
  rc = lumo_reader_open(&rd, f->path, start, start_line);
  if (rc) {
    sqlite3_free(first_cwd);
    if (rc == SQLITE_NOMEM) return rc;
    lumo_diag_add(y->conn, "lumo_sync", f->rel, 0, "unreadable", "cannot open: %s", strerror(rd.err));
    return SQLITE_OK;
  }
  y->st.files_read++;
  int sub;
  lumo_span sid_span = claude_file_session(f, &sub);
  char *file_sid = sid_span.n ? sqlite3_mprintf("%.*s", (int)sid_span.n, sid_span.p) : NULL;
  if (sid_span.n && !file_sid) rc = SQLITE_NOMEM; /* not a file without a session */
  char *project = NULL; /* of first_cwd: made once */
  int64_t consumed = start, lines = start_line;
  int status;
  claude_line L;
  /* every line as the tables read it (claude.c): a torn last line is not consumed */
  while (rc == SQLITE_OK &&
         (status = claude_next_line(&rd, f, y->conn, "lumo_sync", 0, &L, &y->st.skipped)) != CLAUDE_LINE_END &&
         status != CLAUDE_LINE_TORN) {
    consumed = rd.next_off;
    lines = rd.line_no;
    y->line_cut = rd.line_cut; /* a tool input on a cut line may not be whole */
    if (status != CLAUDE_LINE_RECORD) continue;
    if (!first_cwd && L.cwd.n) {
      const char *cwd = dec(y, 0, L.cwd);
      if (cwd && !(first_cwd = sqlite3_mprintf("%s", cwd))) rc = SQLITE_NOMEM;
    }
    const char *session = file_sid ? file_sid : dec(y, 1, L.session_id);
    const char *timestamp = dec(y, 2, L.timestamp);
    const char *mid = dec(y, 3, L.message_id);
    const char *model = dec(y, 4, L.model);
    if (first_cwd && !project) project = lumo_project_new(first_cwd, &rc);
    if (rc) break; /* out of memory: not a response without its project */
    if (claude_line_bills(&L)) {
      lumo_cand k;
      memset(&k, 0, sizeof(k));
      claude_cand_numbers(&L, &k);
      k.mid = mid;
      k.rid = dec(y, 5, L.request_id);
      k.mtime_ns = f->mtime_ns;
      k.path = f->rel;
      k.line = rd.line_no;
      k.timestamp = timestamp;
      k.session_id = session;
      k.project = project;
      k.cwd = dec(y, 6, L.cwd);
      k.git_branch = dec(y, 7, L.git_branch);
      k.model = model;
      k.service_tier = dec(y, 8, L.service_tier);
      k.speed = dec(y, 9, L.speed);
      k.inference_geo = dec(y, 12, L.inference_geo);
      rc = usage_hold(y, &k, "claude", f->rel);
    }
    if (rc == SQLITE_OK && claude_line_is_record(&L)) {
      const char *uuid = dec(y, 13, L.uuid);
      char *key = uuid ? sqlite3_mprintf("claude:%s", uuid)
                       : sqlite3_mprintf("claude:%s:%s:%lld", y->machine, f->rel, (long long)rd.line_no);
      y->text.len = 0;
      lumo_buf_nul(&y->text);
      int has_text = claude_line_text(&L, &y->text);
      msg_row m = {key, "claude", session, uuid, dec(y, 14, L.parent_uuid), timestamp, dec(y, 15, L.type),
                   dec(y, 11, L.role), model, mid, L.is_sidechain, has_text, 0,
                   y->text.p, y->text.len, (int64_t)L.content.n, f->rel, rd.line_no, 0, 1, f->mtime_ns};
      int moved = 0;
      rc = key ? message_put(y, &m, &moved) : SQLITE_NOMEM;
      if (!rc && has_text && L.role.n == 6 && memcmp(L.role.p, "\"user\"", 6) == 0) {
        lumo_prompt p;
        int flags = (L.is_meta ? LUMO_PROMPT_META : 0) | (L.is_sidechain ? LUMO_PROMPT_SUBAGENT : 0);
        prompt_rec r = {key, "claude", session, project, timestamp, f->rel, rd.line_no, moved};
        if (lumo_prompt_of("claude", y->text.p, y->text.len, NULL, 0, flags, &p)) rc = prompt_put(y, &r, &p);
      }
      sqlite3_free(key);
      tool_ctx t = {y, session, project, timestamp, mid, f->rel, rd.line_no, moved, SQLITE_OK, L.tool_use_result};
      if (!rc) claude_line_tools(&L, tool_use_block, tool_result_block, &t);
      if (!rc) rc = t.rc;
    }
  }
  if (rc == SQLITE_OK) rc = usage_flush(y, "claude", f->rel);
  y->has_held = 0;
  y->st.bytes_read += consumed - start;
  if (rc == SQLITE_OK) rc = read_ended(y, &rd);
  lumo_reader_close(&rd);
  if (rc == SQLITE_OK) rc = file_done(y, f, "claude", consumed, lines, first_cwd);
  sqlite3_free(first_cwd);
  sqlite3_free(project);
  sqlite3_free(file_sid);
  return rc;
}

static void gemini_bad_line(void *ctx, int64_t line, const char *kind, const char *detail) {
  const void **p = ctx;
  syncer *y = (syncer *)p[0];
  const lumo_file *f = p[1];
  if (gemini_kind_skips(kind)) y->st.skipped++;
  lumo_diag_add(y->conn, "lumo_sync", f->rel, line, kind, "%s", detail);
}

typedef struct gemini_tool_ctx {
  syncer *y;
  const lumo_file *f;
  const char *session, *project, *timestamp;
  int64_t line;
  int rc;
} gemini_tool_ctx;

/* One entry of a message's toolCalls: a tool_uses row with its outcome (status success
** 0; error or cancelled 1; another or none: not said). */
static void gemini_tool_call(void *p, lumo_span call) {
  gemini_tool_ctx *t = p;
  syncer *y = t->y;
  lumo_span id, name, args, status, result;
  if (t->rc || lumo_json_get(call, "id", &id) != 1 || !lumo_json_is_string(id)) return;
  const char *ids = dec(y, 1, id);
  char *key = ids ? sqlite3_mprintf("gemini:%s", ids) : NULL;
  if (!key) {
    if (ids) t->rc = SQLITE_NOMEM;
    return;
  }
  int has_args = lumo_json_get(call, "args", &args) == 1;
  lumo_span display = {NULL, 0};
  lumo_json_get(call, "resultDisplay", &display);
  activity_call c = {key, "gemini", t->session, t->project, t->timestamp, NULL,
                     lumo_json_get(call, "name", &name) == 1 ? dec(y, 2, name) : NULL, has_args ? args.p : NULL,
                     has_args ? args.n : 0, t->f->rel, t->line, display, 0, 0};
  t->rc = activity_call_put(y, &c);
  if (!t->rc && lumo_json_get(call, "status", &status) == 1 && lumo_json_is_string(status)) {
    const char *s = dec(y, 3, status);
    int err = !s ? -1 : strcmp(s, "success") == 0 ? 0 : strcmp(s, "error") == 0 || strcmp(s, "cancelled") == 0 ? 1 : -1;
    lumo_buf *text = &y->s[12];
    text->len = 0;
    lumo_gemini_result_text(call, text);
    t->rc = activity_result_put(y, key, err, lumo_json_get(call, "result", &result) == 1 ? (int64_t)result.n : 0,
                                text->len ? text->p : NULL, text->len, NULL, (lumo_span){NULL, 0});
  }
  sqlite3_free(key);
}

/* A chat message: a messages row (key: session and message id; a message re-read with
** more content replaces its text), and its tool calls. */
static int gemini_message_put(syncer *y, const lumo_file *f, const gemini_file *g, const gemini_msg *msg,
                              const char *session, const char *project) {
  char *key = sqlite3_mprintf("gemini:%s:%s", session ? session : "", msg->id);
  if (!key) return SQLITE_NOMEM;
  const char *role = gemini_role(msg->type);
  const char *type = role ? role : msg->type && strcmp(msg->type, "info") == 0 ? "system" : msg->type;
  size_t text_len = msg->text ? strlen(msg->text) : 0;
  msg_row m = {key, "gemini", session, msg->id, NULL, msg->timestamp, type, role,
               msg->is_gemini ? msg->model : NULL, NULL, g->is_subagent, msg->text != NULL, 1,
               msg->text, text_len, (int64_t)text_len, f->rel, msg->line, msg->is_rewound, 0, 0};
  int rc = message_put(y, &m, NULL);
  int user = msg->type && strcmp(msg->type, "user") == 0, notice = msg->type && strcmp(msg->type, "info") == 0;
  if (!rc && (user || notice)) {
    lumo_prompt p;
    int flags = (g->is_subagent ? LUMO_PROMPT_SUBAGENT : 0) | (notice ? LUMO_PROMPT_NOTICE : 0);
    prompt_rec r = {key, "gemini", session, project, msg->timestamp, f->rel, msg->line, 1};
    if (lumo_prompt_of("gemini", msg->text, text_len, msg->display, msg->display ? strlen(msg->display) : 0, flags, &p))
      rc = prompt_put(y, &r, &p);
  }
  sqlite3_free(key);
  if (rc || !msg->tool_calls) return rc;
  gemini_tool_ctx t = {y, f, session, project, msg->timestamp, msg->line, SQLITE_OK};
  y->line_cut = msg->cut; /* a tool input on a cut line may not be whole (sync_activity.c) */
  lumo_json_each_object((lumo_span){msg->tool_calls, strlen(msg->tool_calls)}, gemini_tool_call, &t);
  return t.rc;
}

/* Syncs one Gemini chat file: it is rewritten or appended in place, so a changed file is
** read whole and every response upserted (same keys: nothing counts twice). */
static int sync_gemini_file(syncer *y, const lumo_file *f) {
  gemini_file g;
  memset(&g, 0, sizeof(g));
  const void *ctx[2] = {y, f};
  const char *why = NULL;
  int rc = gemini_read(&g, f->path, (void *)ctx, gemini_bad_line, &why);
  if (rc == SQLITE_ERROR) { /* half-written legacy file: keep the old rows, retry next sync */
    lumo_diag_add(y->conn, "lumo_sync", f->rel, 0, "unreadable", "%s", why ? why : "cannot read");
    gemini_file_free(&g);
    return SQLITE_OK;
  }
  y->st.files_read++;
  y->st.bytes_read += f->size;
  y->read_failed = g.read_failed; /* read whole again next sync */
  int oom = 0;
  char *session = gemini_session_new(f, &g);
  char *project = gemini_project_new(f, &oom);
  if (!session || oom) rc = SQLITE_NOMEM;
  for (int i = 0; rc == SQLITE_OK && i < g.n; i++) rc = gemini_message_put(y, f, &g, &g.msgs[i], session, project);
  for (int i = 0; rc == SQLITE_OK && i < g.n; i++) {
    gemini_msg *m = &g.msgs[i];
    if (!m->billable) continue;
    char *mid = sqlite3_mprintf("%s:%s", session ? session : "", m->id);
    if (!mid) {
      rc = SQLITE_NOMEM;
      break;
    }
    lumo_cand k;
    memset(&k, 0, sizeof(k));
    gemini_cand_numbers(&g, m, &k);
    k.mid = mid;
    k.mtime_ns = f->mtime_ns;
    k.path = f->rel;
    k.timestamp = m->timestamp;
    k.session_id = session;
    k.project = project;
    k.model = m->model;
    rc = usage_upsert(y, &k, "gemini", y->machine, f->rel);
    sqlite3_free(mid);
  }
  if (rc == SQLITE_OK) rc = file_done(y, f, "gemini", f->size, 0, NULL);
  sqlite3_free(session);
  sqlite3_free(project);
  gemini_file_free(&g);
  return rc;
}

/* The messages-table type of a Codex item, in Claude's words where there is one. */
static const char *codex_msg_type(const codex_item *it) {
  const char *t = it->type.p;
  if (strcmp(t, "message") == 0)
    return it->role && (strcmp(it->role, "developer") == 0 || strcmp(it->role, "system") == 0) ? "system"
           : it->role ? it->role : t;
  if (strcmp(t, "reasoning") == 0) return "reasoning";
  if (it->role && strcmp(it->role, "tool") == 0) return "tool_result";
  if (it->role && strcmp(it->role, "assistant") == 0) return "tool_use";
  return t;
}

/* A conversation item: a messages row (key: thread and line, so a live and an archived
** copy of one thread are one), and for a tool call a tool_uses row keyed by its call id,
** whose output fills in the result size. */
static int codex_item_put(syncer *y, const lumo_file *f, const codex_state *cs, const codex_item *it, int64_t line) {
  const char *thread = cs->thread_id.len ? cs->thread_id.p : f->rel;
  char *key = sqlite3_mprintf("codex:%s:%lld", thread, (long long)line);
  const char *ts = NULL;
  y->s[0].len = 0;
  if (it->timestamp.n && lumo_json_decode(it->timestamp, &y->s[0]) == 0) ts = y->s[0].p;
  const char *type = codex_msg_type(it);
  int assistant = it->role && strcmp(it->role, "assistant") == 0;
  msg_row m = {key, "codex", cs->thread_id.len ? cs->thread_id.p : NULL, NULL, NULL, ts, type, it->role,
               assistant && cs->model.len ? cs->model.p : NULL, NULL, cs->is_fork, 1, 0,
               it->text.p, it->text.len, it->content_bytes, f->rel, line, 0, 0, 0};
  int rc = key ? message_put(y, &m, NULL) : SQLITE_NOMEM;
  sqlite3_free(key);
  if (rc || !it->call_id.len) return rc;
  char *tkey = sqlite3_mprintf("codex:%s", it->call_id.p);
  if (!tkey) return SQLITE_NOMEM;
  if (strcmp(type, "tool_use") == 0) {
    char *project = lumo_project_new(cs->cwd.len ? cs->cwd.p : NULL, &rc);
    if (rc) {
      sqlite3_free(tkey);
      return rc;
    }
    activity_call c = {tkey, "codex", m.session, project, ts, NULL, it->tool_name.len ? it->tool_name.p : NULL,
                       it->text.len ? it->text.p : NULL, it->text.len, f->rel, line, {NULL, 0}, 0, 0};
    rc = activity_call_put(y, &c);
    sqlite3_free(project);
  } else if (strcmp(type, "tool_result") == 0) {
    rc = activity_result_put(y, tkey, lumo_codex_output_status(it->text.p, it->text.len), it->content_bytes,
                             it->text.len ? it->text.p : NULL, it->text.len, ts, (lumo_span){NULL, 0});
  }
  sqlite3_free(tkey);
  return rc;
}

static const char *codex_find(void *ctx, const char *thread_id) {
  return ctx ? codex_thread_file(ctx, thread_id) : NULL;
}

/* UTC ISO-8601 text with milliseconds of ms since 1970 into out (32 bytes). */
static const char *iso_ms(int64_t ms, char *out) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  if (!gmtime_r(&t, &tm)) return NULL;
  size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
  return out;
}

/* The windows of a token_count's rate_limits that changed since the rollout's previous
** observation (prev): Codex repeats them with every event, and the reset time of an
** unchanged window drifts by seconds when it is written as resets_in_seconds. */
static int limits_put(syncer *y, const lumo_file *f, const codex_state *cs, int64_t line, codex_window prev[2]) {
  static const char *const names[] = {"primary", "secondary"};
  const codex_limits *l = &cs->limits;
  int rc = SQLITE_OK;
  for (int i = 0; rc == SQLITE_OK && i < 2; i++) {
    const codex_window *w = &l->w[i];
    if (!w->has || !l->at_ms) continue;
    int64_t drift = w->resets_at_ms - prev[i].resets_at_ms;
    if (prev[i].has && prev[i].used_percent == w->used_percent && prev[i].window_minutes == w->window_minutes &&
        drift > -120000 && drift < 120000)
      continue;
    prev[i] = *w;
    char at[32], resets[32];
    /* keyed by thread and line, as usage and messages: a rollout moved to archived_sessions
    ** holds the same observations under another path */
    char *key = sqlite3_mprintf("%s:%s:%lld:%s", y->machine, cs->thread_id.len ? cs->thread_id.p : f->rel,
                                (long long)line, names[i]);
    if (!key || !iso_ms(l->at_ms, at)) {
      sqlite3_free(key);
      return SQLITE_NOMEM;
    }
    sqlite3_stmt *st = y->limit_ins;
    bind_text(st, 1, key);
    bind_text(st, 2, "codex");
    bind_text(st, 3, y->machine);
    bind_text(st, 4, cs->thread_id.len ? cs->thread_id.p : NULL);
    bind_text(st, 5, at);
    bind_text(st, 6, l->limit_id[0] ? l->limit_id : NULL);
    bind_text(st, 7, l->plan_type[0] ? l->plan_type : NULL);
    bind_text(st, 8, names[i]);
    if (w->window_minutes) sqlite3_bind_int64(st, 9, w->window_minutes);
    else sqlite3_bind_null(st, 9);
    sqlite3_bind_double(st, 10, w->used_percent);
    bind_text(st, 11, w->resets_at_ms ? iso_ms(w->resets_at_ms, resets) : NULL);
    bind_text(st, 12, f->rel);
    sqlite3_bind_int64(st, 13, line);
    rc = step_done(st);
    sqlite3_free(key);
  }
  return rc;
}

/* Syncs one Codex rollout. A changed rollout is read again from the start (the running
** totals and the fork state are not kept between syncs); rows are keyed by thread and
** line, so nothing counts twice. */
static int sync_codex_file(syncer *y, const lumo_file *f) {
  /* an older copy of a thread: the newest is read, as codex_usage does */
  if (y->codex_skip && y->codex_skip[f - y->codex_files->f]) return file_done(y, f, "codex", f->size, 0, NULL);
  lumo_reader rd;
  int rc = lumo_reader_open(&rd, f->path, 0, 0);
  if (rc) {
    if (rc == SQLITE_NOMEM) return rc;
    const char *kind, *why = codex_open_error(f, &kind);
    lumo_diag_add(y->conn, "lumo_sync", f->rel, 0, kind, "%s", why);
    return SQLITE_OK;
  }
  y->st.files_read++;
  codex_state cs;
  codex_state_init(&cs);
  cs.find = codex_find;
  cs.find_ctx = (void *)y->codex_files;
  codex_row r;
  codex_item item;
  memset(&item, 0, sizeof(item));
  const char *p;
  size_t n;
  int st;
  lumo_buf ts = {0};
  codex_window prev_limits[2];
  memset(prev_limits, 0, sizeof(prev_limits));
  while (rc == SQLITE_OK &&
         (st = codex_next_line(&cs, &rd, f, y->conn, "lumo_sync", &r, &p, &n, &y->st.skipped)) != CODEX_LINE_END &&
         st != CODEX_LINE_TORN) {
    if (st == CODEX_LINE_SKIP) continue;
    y->line_cut = rd.line_cut;
    if (codex_state_oom(&cs)) { /* out of memory: no row without its thread */
      rc = SQLITE_NOMEM;
      break;
    }
    if (cs.limits.seen && (rc = limits_put(y, f, &cs, rd.line_no, prev_limits)) != SQLITE_OK) break;
    if (st == CODEX_LINE_OTHER) {
      int ir = codex_item_line(&cs, p, n, &item);
      if (ir == CODEX_NOMEM) rc = SQLITE_NOMEM;
      else if (ir == CODEX_ROW) rc = codex_item_put(y, f, &cs, &item, rd.line_no);
      else { /* exec_command_end and the like: a call's outcome; user_message, turn_aborted: a prompt */
        rc = activity_codex_end(y, p, n, cs.thread_id.len ? cs.thread_id.p : NULL, cs.cwd.len ? cs.cwd.p : NULL,
                                f->rel, rd.line_no);
        codex_prompt_ctx pc = {cs.thread_id.len ? cs.thread_id.p : NULL, cs.cwd.len ? cs.cwd.p : NULL, f->rel,
                               rd.line_no, cs.start_ms, cs.is_fork, cs.is_subagent};
        if (!rc) rc = prompt_codex_event(y, p, n, &pc);
      }
      continue;
    }
    ts.len = 0;
    if (r.timestamp.n) lumo_json_decode(r.timestamp, &ts);
    lumo_buf_nul(&ts);
    char *mid = sqlite3_mprintf("%s:%lld", cs.thread_id.len ? cs.thread_id.p : f->rel, (long long)rd.line_no);
    char *project = lumo_project_new(cs.cwd.len ? cs.cwd.p : NULL, &rc);
    if (!mid || rc || ts.oom) { /* out of memory: no row without its fields */
      sqlite3_free(mid);
      sqlite3_free(project);
      rc = SQLITE_NOMEM;
      break;
    }
    lumo_cand c;
    memset(&c, 0, sizeof(c));
    c.mid = mid;
    c.total = r.input + r.output + r.cache_read + r.cache_write;
    c.mtime_ns = f->mtime_ns;
    c.path = f->rel;
    c.line = rd.line_no;
    c.input = r.input;
    c.output = r.output;
    c.cache_read = r.cache_read;
    c.cache_5m = r.cache_write;
    c.reasoning = r.reasoning;
    c.is_sidechain = cs.is_fork;
    c.timestamp = ts.len ? ts.p : NULL;
    c.session_id = cs.thread_id.len ? cs.thread_id.p : NULL;
    c.project = project;
    c.cwd = cs.cwd.len ? cs.cwd.p : NULL;
    c.model = cs.model.len ? cs.model.p : NULL;
    c.newest_wins = 1; /* as codex_superseded: the newest copy of a thread is read */
    rc = usage_upsert(y, &c, "codex", y->machine, f->rel);
    sqlite3_free(mid);
    sqlite3_free(project);
  }
  y->st.bytes_read += rd.next_off;
  if (rc == SQLITE_OK) rc = read_ended(y, &rd);
  lumo_reader_close(&rd);
  lumo_buf_free(&ts);
  codex_state_free(&cs);
  codex_item_free(&item);
  if (rc == SQLITE_OK) rc = file_done(y, f, "codex", f->size, 0, NULL);
  return rc;
}

static int opencode_upsert(void *ctx, const lumo_file *f, oc_row *r) {
  syncer *y = ctx;
  lumo_cand k;
  opencode_cand(f, r, f->mtime_ns, &k);
  int rc = r->id ? usage_upsert(y, &k, "opencode", y->machine, f->rel) : SQLITE_OK;
  opencode_row_free(r);
  return rc;
}

/* Syncs one OpenCode message file, or its whole database (read-only). */
/* A tool part of opencode.db: a tool_uses row and, once it ended, its outcome. */
static int opencode_tool_put(void *ctx, const lumo_file *f, const oc_tool *t) {
  syncer *y = ctx;
  char at[32], done[32];
  char *key = sqlite3_mprintf("opencode:%s", t->key);
  if (!key) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  char *project = lumo_project_new(t->directory, &rc);
  if (rc) {
    sqlite3_free(key);
    return rc;
  }
  activity_call c = {key, "opencode", t->session, project, t->start_ms ? iso_ms(t->start_ms, at) : NULL, NULL,
                     t->tool, t->input.n ? t->input.p : NULL, t->input.n, f->rel, 0, {NULL, 0}, 0, 0};
  rc = activity_call_put(y, &c);
  if (!rc && (t->is_error >= 0 || t->output.n)) {
    lumo_buf *text = &y->s[12];
    text->len = 0;
    if (t->output.n) lumo_json_decode(t->output, text);
    rc = text->oom ? SQLITE_NOMEM
                   : activity_result_put(y, key, t->is_error, (int64_t)t->output.n, text->len ? text->p : NULL,
                                         text->len, t->end_ms ? iso_ms(t->end_ms, done) : NULL, (lumo_span){NULL, 0});
  }
  sqlite3_free(project);
  sqlite3_free(key);
  return rc;
}

static int sync_opencode_file(syncer *y, const lumo_file *f) {
  y->st.files_read++;
  y->st.bytes_read += f->size;
  int rc = opencode_read(f, y->conn, "lumo_sync", opencode_upsert, y);
  if (rc == SQLITE_OK) rc = opencode_read_tools(f, y->conn, "lumo_sync", opencode_tool_put, y);
  if (rc == OPENCODE_INCOMPLETE) return SQLITE_OK; /* kept as read; read again next sync */
  if (rc == SQLITE_OK) rc = file_done(y, f, "opencode", f->size, 0, NULL);
  return rc;
}

/* ------------------------------------------------------------------ OTLP */

typedef struct otel_ctx {
  syncer *y;
  const lumo_file *f;
  int64_t line;
} otel_ctx;

/* Stores one point or event; the natural key makes a re-read or retried batch a no-op. */
static int otel_store(void *p, otlp_rec *r) {
  otel_ctx *o = p;
  syncer *y = o->y;
  int points = r->signal == OTLP_METRIC;
  sqlite3_stmt *st = points ? y->point_ins : y->event_ins;
  const int *fields = points ? point_fields : event_fields;
  int n = points ? (int)(sizeof(point_fields) / sizeof(int)) : (int)(sizeof(event_fields) / sizeof(int));
  for (int i = 0; i < n; i++) {
    otlp_val v;
    switch (fields[i]) {
      case OTEL_MACHINE: bind_text(st, i + 1, y->machine); continue;
      case OF_FILE: bind_text(st, i + 1, o->f->rel); continue;
      case OF_LINE: sqlite3_bind_int64(st, i + 1, o->line); continue;
      case OTEL_LUMO_COST: {
        unsigned need = 1u << ON_INPUT | 1u << ON_OUTPUT;
        int known = 0;
        double usd = 0;
        if ((r->has_num & need) == need && r->model)
          usd = lumo_cost_request_ms(y->conn->prices, r->model, r->num[ON_INPUT], r->num[ON_OUTPUT],
                                  r->has_num & (1u << ON_CACHE_READ) ? r->num[ON_CACHE_READ] : 0,
                                  r->has_num & (1u << ON_CACHE_CREATION) ? r->num[ON_CACHE_CREATION] : 0, 0,
                                  NULL, NULL, NULL, 0, r->time_ns / 1000000, &known);
        if (known) sqlite3_bind_double(st, i + 1, usd);
        else sqlite3_bind_null(st, i + 1);
        continue;
      }
    }
    switch (otlp_get(r, fields[i], &v)) {
      case OTLP_V_INT: sqlite3_bind_int64(st, i + 1, v.i); break;
      case OTLP_V_REAL: sqlite3_bind_double(st, i + 1, v.d); break;
      case OTLP_V_TEXT: sqlite3_bind_text(st, i + 1, v.s, -1, SQLITE_TRANSIENT); break;
      default: sqlite3_bind_null(st, i + 1);
    }
  }
  int rc = step_done(st);
  if (rc == SQLITE_OK) y->st.otel_rows += sqlite3_changes(y->db);
  return rc;
}

/* Syncs one OTLP dump: from where the last sync stopped when the file only grew (the
** Collector and the receiver append), else whole; a document still being written at
** the end is left for the next sync. */
static int sync_otlp_file(syncer *y, const lumo_file *f) {
  int64_t start, start_line;
  if (resume_point(y, f, &start, &start_line, NULL)) return SQLITE_OK;
  const char *why = otlp_sniff(f->path);
  if (why) {
    lumo_diag_add(y->conn, "lumo_sync", f->rel, 0, "unsupported", "%s", why);
    return file_done(y, f, "otel", f->size, 0, NULL);
  }
  otlp_docs d;
  int rc = otlp_docs_open(&d, f->path, start, start_line);
  if (rc) {
    otlp_docs_close(&d);
    if (rc == SQLITE_NOMEM) return rc;
    lumo_diag_add(y->conn, "lumo_sync", f->rel, 0, "unreadable", "cannot open");
    return SQLITE_OK;
  }
  y->st.files_read++;
  lumo_arena arena = {0};
  otel_ctx o = {y, f, 0};
  int traces = 0;
  for (;;) {
    lumo_span doc;
    int st = otlp_docs_next(&d, &doc, &o.line, &why);
    if (st == OTLP_DOC_EOF || st == OTLP_DOC_TORN) break; /* torn: read again next sync */
    if (st == OTLP_DOC_ERROR) {
      if (d.acc.oom || d.rd.err == ENOMEM) {
        rc = SQLITE_NOMEM;
        break;
      }
      lumo_diag_add(y->conn, "lumo_sync", f->rel, d.rd.line_no + 1, "unreadable", "read error (%s)",
                    d.rd.gz || d.rd.zst || !d.rd.err ? "corrupt compressed data?" : strerror(d.rd.err));
      y->read_failed = 1;
      break;
    }
    if (st == OTLP_DOC_BAD) {
      y->st.skipped++;
      lumo_diag_add(y->conn, "lumo_sync", f->rel, o.line, "malformed", "%s", why);
      continue;
    }
    int64_t n;
    lumo_arena_free(&arena);
    rc = otlp_walk(doc.p, doc.n, OTLP_METRIC | OTLP_LOG, f->mtime_ns, &arena, otel_store, &o, &why, &n);
    if (rc > 0) break;
    if (rc == OTLP_TRACES) traces++;
    else if (rc == OTLP_NOT_OTLP || rc == OTLP_BAD) {
      y->st.skipped++;
      lumo_diag_add(y->conn, "lumo_sync", f->rel, o.line, "malformed", "%s",
                    rc == OTLP_BAD ? why : "not an OTLP document (no resourceMetrics or resourceLogs)");
    } else if (why) {
      lumo_diag_add(y->conn, "lumo_sync", f->rel, o.line, "wrong_type", "%s: element skipped", why);
    }
    rc = SQLITE_OK;
  }
  if (traces) lumo_diag_add(y->conn, "lumo_sync", f->rel, 0, "traces_skipped", "%d trace document(s) not read", traces);
  lumo_arena_free(&arena);
  y->st.bytes_read += d.consumed - start;
  int64_t consumed = d.consumed, lines = d.lines;
  otlp_docs_close(&d);
  if (rc == SQLITE_OK) rc = file_done(y, f, "otel", consumed, lines, NULL);
  return rc;
}

static int seen_cmp(const void *a, const void *b) {
  return strcmp(((const seen_file *)a)->path, ((const seen_file *)b)->path);
}

/* Once per lumo_sync(), not once per source: a snapshot is enough, since a file whose
** size, mtime and inode match any recorded state was synced in that state, and a file
** that does not match is checked again inside its write transaction (file_get). */
static int load_seen(syncer *y, seen_file **out, int *n) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(y->db, "SELECT path, size, mtime_ns, inode FROM lumo_files WHERE machine = ?1", -1, &st, NULL);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, y->machine, -1, SQLITE_STATIC);
  seen_file *v = NULL;
  int cnt = 0, cap = 0, sorted = 1;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (cnt == cap) {
      cap = cap ? cap * 2 : 256;
      seen_file *nv = sqlite3_realloc64(v, sizeof(*v) * (size_t)cap);
      if (!nv) {
        rc = SQLITE_NOMEM;
        break;
      }
      v = nv;
    }
    const char *p = (const char *)sqlite3_column_text(st, 0);
    v[cnt].path = p ? lumo_arena_dup(&y->seen_paths, p, (size_t)sqlite3_column_bytes(st, 0)) : NULL;
    v[cnt].size = sqlite3_column_int64(st, 1);
    v[cnt].mtime_ns = sqlite3_column_int64(st, 2);
    v[cnt].inode = sqlite3_column_int64(st, 3);
    if (!v[cnt].path) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (cnt && sorted && strcmp(v[cnt - 1].path, v[cnt].path) > 0) sorted = 0;
    cnt++;
  }
  int end = sqlite3_finalize(st); /* the error of a step that failed (a read error is no end) */
  if (rc == SQLITE_OK) rc = end;
  /* the index lumo_files_state yields them in path order already */
  if (cnt > 1 && !sorted) qsort(v, (size_t)cnt, sizeof(*v), seen_cmp);
  *out = v;
  *n = cnt;
  return rc;
}

static int unchanged(const seen_file *v, int n, const lumo_file *f) {
  seen_file key = {f->path, 0, 0, 0};
  const seen_file *s = n ? bsearch(&key, v, (size_t)n, sizeof(*v), seen_cmp) : NULL;
  return s && s->size == f->size && s->mtime_ns == f->mtime_ns && s->inode == f->inode;
}

/* Keeps the connection's diagnostics [n0, n1) in the diagnostics table, after deleting
** the rows of file that its read replaces (from line y->read_from on); file NULL: the
** listing's, phase 'walk'. The ones the connection could not keep (past LUMO_DIAG_MAX),
** dropped, are counted in a row of kind dropped. */
static int diags_store(syncer *y, const char *agent, const char *file, int n0, int n1, int64_t dropped,
                       const char *phase) {
  lumo_conn *conn = y->conn;
  int rc = SQLITE_OK;
  if (file) { /* a file's rows, from the line its read started at */
    sqlite3_stmt *d = y->diag_del;
    bind_text(d, 1, y->machine);
    bind_text(d, 2, file);
    sqlite3_bind_int64(d, 3, y->read_from > 0 ? y->read_from : 0);
    rc = step_done(d);
  }
  sqlite3_stmt *st = y->diag_ins;
  for (int i = n0; rc == SQLITE_OK && i < n1; i++) {
    const lumo_diag *g = &conn->diags[i];
    if (strcmp(g->source, "lumo_sync") != 0) continue;
    bind_text(st, 1, y->machine);
    bind_text(st, 2, g->file);
    sqlite3_bind_int64(st, 3, g->line);
    bind_text(st, 4, g->kind);
    bind_text(st, 5, g->detail);
    bind_text(st, 6, phase);
    bind_text(st, 7, agent);
    rc = step_done(st);
  }
  if (rc == SQLITE_OK && dropped > 0) {
    char *why = sqlite3_mprintf("%lld more diagnostics than lumo keeps in one sync (%d)", (long long)dropped,
                                LUMO_DIAG_MAX);
    bind_text(st, 1, y->machine);
    bind_text(st, 2, file ? file : "");
    sqlite3_bind_int64(st, 3, 0);
    bind_text(st, 4, "dropped");
    bind_text(st, 5, why);
    bind_text(st, 6, phase);
    bind_text(st, 7, agent);
    rc = why ? step_done(st) : SQLITE_NOMEM;
    sqlite3_free(why);
  }
  return rc;
}

/* Files are synced in batches: one write transaction per ~32 MB or 256 files, so a
** first sync does not rewrite the indexes once per file, and a concurrent sync waits
** on the lock and then sees what this one committed (each file's offset commits with
** its rows). */
#define BATCH_BYTES (32 << 20)
#define BATCH_FILES 256

typedef int (*file_syncer)(syncer *y, const lumo_file *f);

/* A decode into the scratch buffers that ran out of memory (dec() then answers NULL, as
** for an absent field: a response without its message id would be stored as a row of
** its own and billed twice) fails the sync; the flag stays set once raised. */
static int scratch_oom(const syncer *y) {
  for (int i = 0; i < 16; i++)
    if (y->s[i].oom) return 1;
  return y->text.oom;
}

static int sync_files(syncer *y, const lumo_filelist *fl, file_syncer sync_one, const char *agent) {
  int in_tx = 0, batch_files = 0;
  int64_t batch_bytes = 0;
  int rc = SQLITE_OK;
  if (fl->n && !y->seen_loaded) {
    rc = load_seen(y, &y->seen, &y->nseen);
    y->seen_loaded = 1;
  }
  const seen_file *seen = y->seen;
  int nseen = y->nseen;
  int progress = getenv("LUMO_PROGRESS") != NULL;
  struct timespec t0, tl, tn;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  tl = t0;
  for (int i = 0; rc == SQLITE_OK && i < fl->n; i++) {
    const lumo_file *f = &fl->f[i];
    y->st.files_seen++;
    if (!unchanged(seen, nseen, f)) { /* an unchanged file costs its stat and nothing else */
      if (!in_tx && !y->bulk) { /* a bulk load (sync_bulk.c) is one transaction, already open */
        rc = sqlite3_exec(y->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        in_tx = rc == SQLITE_OK;
      }
      int n0 = y->conn->ndiag;
      int64_t dropped0 = y->conn->dropped, oom0 = y->conn->diag_oom;
      y->read_from = -1;
      y->read_failed = 0;
      if (rc == SQLITE_OK) rc = sync_one(y, f);
      /* the calls still waiting for a result: written with the file (sync_activity.c) */
      if (rc == SQLITE_OK) rc = activity_flush(y);
      else activity_discard(y);
      if (rc == SQLITE_OK && (scratch_oom(y) || y->conn->diag_oom > oom0)) rc = SQLITE_NOMEM;
      if (rc == SQLITE_OK && (y->read_from >= 0 || y->conn->ndiag > n0 || y->conn->dropped > dropped0))
        rc = diags_store(y, agent, f->rel, n0, y->conn->ndiag, y->conn->dropped - dropped0, "read");
      batch_files++;
      batch_bytes += f->size;
      if (rc == SQLITE_OK && in_tx && (batch_bytes >= BATCH_BYTES || batch_files >= BATCH_FILES)) {
        rc = sqlite3_exec(y->db, "COMMIT", NULL, NULL, NULL);
        in_tx = 0;
        batch_files = 0;
        batch_bytes = 0;
      }
    }
    if (progress) {
      /* LUMO_PROGRESS (set by scripts/lumo): a progress line on stderr twice a second. */
      clock_gettime(CLOCK_MONOTONIC, &tn);
      double since = (double)(tn.tv_sec - tl.tv_sec) + (double)(tn.tv_nsec - tl.tv_nsec) / 1e9;
      if (since >= 0.5 || i + 1 == fl->n) {
        double el = (double)(tn.tv_sec - t0.tv_sec) + (double)(tn.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr, "\rlumo sync: %d/%d files, %.1f MB read, %lld usage rows, %.0f MB/s   ", i + 1,
                fl->n, (double)y->st.bytes_read / 1e6, (long long)y->st.usage_rows,
                el > 0 ? (double)y->st.bytes_read / 1e6 / el : 0.0);
        tl = tn;
      }
    }
  }
  if (progress && fl->n) fprintf(stderr, "\n");
  if (in_tx && rc == SQLITE_OK) rc = sqlite3_exec(y->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    y->fail_errno = sqlite3_system_errno(y->db); /* the ROLLBACK clears it (a full disk's ENOSPC) */
    sync_rollback(y->db); /* a failed COMMIT may leave the transaction open */
  }
  return rc;
}

/* ----------------------------------------------------------------- setup */

static void result_summary(sqlite3_context *ctx, const syncer *y) {
  char *s = sqlite3_mprintf(
      "{\"machine\":\"%w\",\"files_seen\":%lld,\"files_read\":%lld,\"bytes_read\":%lld,"
      "\"usage_rows_written\":%lld,\"message_rows_written\":%lld,\"tool_rows_written\":%lld,"
      "\"otel_rows_written\":%lld,\"skipped_lines\":%lld,\"repriced_rows\":%lld}",
      y->machine, (long long)y->st.files_seen, (long long)y->st.files_read,
      (long long)y->st.bytes_read, (long long)y->st.usage_rows, (long long)y->st.message_rows,
      (long long)y->st.tool_rows, (long long)y->st.otel_rows, (long long)y->st.skipped,
      (long long)y->st.repriced);
  if (s) sqlite3_result_text(ctx, s, -1, sqlite3_free);
  else sqlite3_result_error_nomem(ctx);
}

/* The agents in the order their files are listed. */
static const char *const walk_agents[5] = {"claude", "gemini", "codex", "opencode", "otel"};

/* The listing's diagnostics (the first of the connection's: those of agent i end at
** end[i], their dropped count at dropped_end[i]) replace the last sync's phase 'walk'
** rows of this machine and of each agent listed, so a sync of one source (the status
** line syncs Claude alone) keeps the others' rows. */
static int walk_diags_store(syncer *y, const int listed[5], const int end[5], const int64_t dropped_end[5]) {
  int rc = SQLITE_OK, from = 0;
  int64_t dropped_from = 0;
  for (int i = 0; rc == SQLITE_OK && i < 5; i++) {
    if (listed[i]) {
      char *del = sqlite3_mprintf("DELETE FROM diagnostics WHERE machine = %Q AND phase = 'walk'"
                                  " AND (agent = %Q OR agent IS NULL)", y->machine, walk_agents[i]);
      rc = del ? sqlite3_exec(y->db, del, NULL, NULL, NULL) : SQLITE_NOMEM;
      sqlite3_free(del);
      if (rc == SQLITE_OK)
        rc = diags_store(y, walk_agents[i], NULL, from, end[i], dropped_end[i] - dropped_from, "walk");
    }
    from = end[i];
    dropped_from = dropped_end[i];
  }
  return rc;
}

/* The diagnostics of the connection's earlier scans are set aside while the sync runs:
** kept in the connection's list, up to LUMO_DIAG_MAX of them left no room for the sync's
** (stored as a dropped count only), and their dropped count was stored as the sync's.
** They are put back after, the sync's own after them. diags_move: moves the diagnostics
** of from (and its dropped count) to to, which holds none. */
static void diags_move(lumo_conn *to, lumo_conn *from) {
  to->diags = from->diags;
  to->ndiag = from->ndiag;
  to->cap = from->cap;
  to->dropped = from->dropped;
  to->diag_oom = from->diag_oom;
  memcpy(to->dropped_source, from->dropped_source, sizeof(to->dropped_source));
  from->diags = NULL;
  from->ndiag = from->cap = 0;
  from->dropped = from->diag_oom = 0;
  from->dropped_source[0] = 0;
}

static void diags_put_back(lumo_conn *conn, lumo_conn *aside) {
  lumo_conn sync_own;
  memset(&sync_own, 0, sizeof(sync_own));
  diags_move(&sync_own, conn);
  diags_move(conn, aside);
  lumo_diag_absorb(conn, &sync_own);
}

/* lumo_sync(): every source at its default root. lumo_sync(claude_root [, gemini_root
** [, codex_root [, opencode_root [, otlp_path]]]]): only the sources whose root is given
** (NULL or '' skips one). A Claude "root" may be one transcript, ROOT/projects/.../x.jsonl:
** that file and its subagents' are synced as a sync of ROOT syncs them (same lumo_files
** paths), the walk's diagnostics are left alone. */
static void sync_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *root = argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
  const char *groot = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
  const char *xroot = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : NULL;
  const char *oroot = argc > 3 ? (const char *)sqlite3_value_text(argv[3]) : NULL;
  const char *troot = argc > 4 ? (const char *)sqlite3_value_text(argv[4]) : NULL;
  int do_opencode = argc == 0 || (oroot && *oroot), do_otlp = argc == 0 || (troot && *troot);
  int do_claude = argc == 0 || (root && *root), do_gemini = argc == 0 || (groot && *groot);
  int do_codex = argc == 0 || (xroot && *xroot);
  syncer y;
  char *err = NULL;
  int rc = syncer_begin(&y, ctx, &err);
  sqlite3 *db = y.db;
  lumo_conn *conn = y.conn;
  if (rc) {
    char *m = sqlite3_mprintf("lumo_sync(): cannot prepare the database: %s", err ? err : sqlite3_errmsg(db));
    sqlite3_result_error(ctx, m, -1);
    sqlite3_free(m);
    sqlite3_free(err);
    syncer_close(&y);
    return;
  }
  sync_machine_id(db, y.machine, sizeof(y.machine));
  lumo_diag_reset(conn, "lumo_sync");
  lumo_conn earlier;
  memset(&earlier, 0, sizeof(earlier));
  diags_move(&earlier, conn);
  char **roots = NULL, **groots = NULL, **xroots = NULL, **oroots = NULL, **troots = NULL;
  int nroot = 0, ngroot = 0, nxroot = 0, noroot = 0, ntroot = 0;
  lumo_filelist fl = {0}, gfl = {0}, xfl = {0}, ofl = {0}, tfl = {0};
  lumo_dircache dirs = {0};
  rc = dirs_load(db, y.machine, &dirs);
  conn->dirs = &dirs; /* only while the sources list their files */
  /* the listing's diagnostics, kept with phase 'walk': where each agent's rows end */
  int walk_end[5];
  int64_t walk_dropped[5];
#define WALK_DONE(i) (walk_end[i] = conn->ndiag, walk_dropped[i] = conn->dropped)
  if (!rc && do_claude) rc = claude_roots(root, &roots, &nroot);
  /* a root that is one transcript (the statusline's session) lists no roots: the walk's
  ** diagnostics of the last whole sync stay as they are */
  int partial = 0;
  for (int i = 0; i < nroot; i++) partial |= claude_transcript_root(roots[i]) > 0;
  if (!rc && do_claude) rc = claude_files(roots, nroot, &fl, conn, "lumo_sync");
  WALK_DONE(0);
  if (!rc && do_gemini) rc = gemini_roots(groot, &groots, &ngroot);
  if (!rc && do_gemini) rc = gemini_files(groots, ngroot, &gfl, conn, "lumo_sync");
  WALK_DONE(1);
  if (!rc && do_codex) rc = codex_roots(xroot, &xroots, &nxroot);
  if (!rc && do_codex) rc = codex_files(xroots, nxroot, &xfl, conn, "lumo_sync");
  if (!rc && do_codex) rc = codex_superseded(&xfl, &y.codex_skip, conn, "lumo_sync");
  WALK_DONE(2);
  if (!rc && do_opencode) rc = opencode_roots(oroot, &oroots, &noroot);
  if (!rc && do_opencode) rc = opencode_files(oroots, noroot, &ofl, conn, "lumo_sync");
  WALK_DONE(3);
  if (!rc && do_otlp) rc = otlp_roots(troot, &troots, &ntroot);
  if (!rc && do_otlp) rc = otlp_files(troots, ntroot, &tfl, conn, "lumo_sync");
  WALK_DONE(4);
#undef WALK_DONE
  const int listed[5] = {do_claude && !partial, do_gemini, do_codex, do_opencode, do_otlp};
  conn->dirs = NULL;
  if (!rc) rc = syncer_open(&y);
  /* stored rows first, so the rows this sync writes and the old ones share the prices */
  if (!rc) rc = prices_reprice(&y, 0, &y.st.repriced);
  char started[32];
  time_t now = time(NULL);
  strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  /* an empty database: one bulk transaction, indexes and rollups made at the end */
  if (rc == SQLITE_OK) rc = bulk_begin(&y);
  if (rc == SQLITE_OK) rc = sync_files(&y, &fl, sync_claude_file, "claude");
  if (rc == SQLITE_OK) rc = sync_files(&y, &gfl, sync_gemini_file, "gemini");
  y.codex_files = &xfl;
  if (rc == SQLITE_OK) rc = sync_files(&y, &xfl, sync_codex_file, "codex");
  if (rc == SQLITE_OK) rc = sync_files(&y, &ofl, sync_opencode_file, "opencode");
  if (rc == SQLITE_OK) rc = sync_files(&y, &tfl, sync_otlp_file, "otel");
  if (rc == SQLITE_OK) {
    char *ins = sqlite3_mprintf(
        "INSERT INTO lumo_sync_runs (started_at, finished_at, machine, files_seen, files_read,"
        " bytes_read, usage_rows, message_rows, skipped_lines) VALUES (%Q, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ','now'),"
        " %Q, %lld, %lld, %lld, %lld, %lld, %lld)",
        started, y.machine, (long long)y.st.files_seen, (long long)y.st.files_read,
        (long long)y.st.bytes_read, (long long)y.st.usage_rows, (long long)y.st.message_rows,
        (long long)y.st.skipped);
    rc = !ins ? SQLITE_NOMEM : y.bulk ? SQLITE_OK : sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, ins, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = dirs_store(db, y.machine, &dirs);
    if (rc == SQLITE_OK && y.conn->diag_oom) rc = SQLITE_NOMEM; /* a walk diagnostic lost to OOM */
    if (rc == SQLITE_OK) rc = walk_diags_store(&y, listed, walk_end, walk_dropped);
    if (rc == SQLITE_OK && y.bulk) rc = bulk_finish(&y);
    if (rc == SQLITE_OK) rc = blocks_refresh(db);
    if (rc == SQLITE_OK) rc = search_catch_up(db);
    if (ins && rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      y.fail_errno = sqlite3_system_errno(db); /* a bulk load's COMMIT writes most of it: a full disk shows here */
      sync_rollback(db);
    }
    sqlite3_free(ins);
  }
  lumo_dircache_free(&dirs);
  /* the error is read before bulk_end's statements (its journal switch) replace it */
  char *fail = rc == SQLITE_OK ? NULL : sqlite3_mprintf("lumo_sync(): %s", y.fail_errno ? sync_error_text_sys(db, rc, y.fail_errno)
                                                                                 : sync_error_text(db, rc));
  bulk_end(&y);
  if (rc == SQLITE_OK) sync_release_wal(db);
  if (rc == SQLITE_OK) result_summary(ctx, &y);
  else if (fail) sqlite3_result_error(ctx, fail, -1);
  else sqlite3_result_error_nomem(ctx);
  sqlite3_free(fail);
  syncer_close(&y);
  diags_put_back(conn, &earlier);
  lumo_filelist_free(&fl);
  lumo_filelist_free(&gfl);
  lumo_filelist_free(&xfl);
  lumo_filelist_free(&ofl);
  lumo_filelist_free(&tfl);
  lumo_roots_free(oroots, noroot);
  lumo_roots_free(troots, ntroot);
  lumo_roots_free(xroots, nxroot);
  lumo_roots_free(roots, nroot);
  lumo_roots_free(groots, ngroot);
}

static const lumo_col sync_args[] = {
  {"claude_root", "TEXT", "optional: the Claude root, or one transcript in it (ROOT/projects/.../x.jsonl: that file and its"
   " subagents' files, as a sync of ROOT reads them); with any argument given, only the sources named are synced", 0},
  {"gemini_root", "TEXT", "optional: the Gemini root (~/.gemini)", 0},
  {"codex_root", "TEXT", "optional: the Codex home (~/.codex)", 0},
  {"opencode_root", "TEXT", "optional: OpenCode's data directory", 0},
  {"otlp_path", "TEXT", "optional: OTLP dump file, directory or glob (~/.lumo/otlp); returns a JSON summary", 0}};
const lumo_object lumo_sync_object = {
  "function", "lumo_sync", "import what the source tables read into this database, incrementally", sync_args, 5};

int lumo_register_sync(sqlite3 *db, lumo_conn *conn) {
  const int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
  conn->nref++;
  int rc = sqlite3_create_function_v2(db, "lumo_sync", -1, flags, conn, sync_fn, NULL, NULL, lumo_conn_release);
  if (rc) return rc;
  rc = lumo_register_reprice(db, conn);
  if (rc) return rc;
  conn->nref++;
  return sqlite3_create_function_v2(db, "lumo_merge", 1, flags, conn, lumo_merge_fn, NULL, NULL, lumo_conn_release);
}
