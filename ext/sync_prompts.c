/* sync_prompts.c: lumo_sync's writes of the user_prompts table: a row for each user record
** prompts.c calls a prompt, a command or an interrupted turn (Claude and Gemini records,
** Codex's user_message and turn_aborted events). sync.c calls these; the decisions are
** prompts.c's, the same the SQL function lumo_prompt makes over the source tables. */
#include "sync_int.h"
#include "prompts.h"

#include <string.h>

struct prompt_sync {
  sqlite3_stmt *ins;
  lumo_buf text, ts; /* a Codex event's message and timestamp */
};

/* ?12 = 1: a row read again replaces the stored one (Gemini rewrites a message as it
** changes; a Claude record whose kept copy in messages moved to this one: a resumed
** session repeats the records of the one it resumes, under their uuids); else the stored
** copy stays */
static const char prompt_ins_sql[] =
  "INSERT INTO user_prompts (key, agent, machine, session_id, project, timestamp, kind, command, chars, file, line)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id,"
  " project = excluded.project, timestamp = excluded.timestamp,"
  " kind = excluded.kind, command = excluded.command, chars = excluded.chars, file = excluded.file, line = excluded.line"
  " WHERE ?12";

static int prompt_open(syncer *y) {
  if (y->prm) return SQLITE_OK;
  y->prm = sqlite3_malloc64(sizeof(*y->prm));
  if (!y->prm) return SQLITE_NOMEM;
  memset(y->prm, 0, sizeof(*y->prm));
  return sqlite3_prepare_v2(y->db, prompt_ins_sql, -1, &y->prm->ins, NULL);
}

void prompt_sync_close(syncer *y) {
  if (!y->prm) return;
  sqlite3_finalize(y->prm->ins);
  lumo_buf_free(&y->prm->text);
  lumo_buf_free(&y->prm->ts);
  sqlite3_free(y->prm);
  y->prm = NULL;
}

int prompt_put(syncer *y, const prompt_rec *r, const lumo_prompt *p) {
  static const char *const kinds[] = {NULL, "prompt", "command", "interrupted"};
  if (p->kind == LUMO_PROMPT_NONE) return SQLITE_OK;
  int rc = prompt_open(y);
  if (rc) return rc;
  sqlite3_stmt *st = y->prm->ins;
  bind_text(st, 1, r->key);
  bind_text(st, 2, r->agent);
  bind_text(st, 3, y->machine);
  bind_text(st, 4, r->session);
  bind_text(st, 5, r->project);
  bind_text(st, 6, r->timestamp);
  bind_text(st, 7, kinds[p->kind]);
  bind_text(st, 8, p->command[0] ? p->command : NULL);
  sqlite3_bind_int64(st, 9, p->chars);
  bind_text(st, 10, r->file);
  sqlite3_bind_int64(st, 11, r->line);
  sqlite3_bind_int(st, 12, r->replace);
  return step_done(st);
}

int prompt_codex_event(syncer *y, const char *line, size_t n, const codex_prompt_ctx *c) {
  /* most lines are neither: a look for the words before any parsing */
  size_t head = n < 300 ? n : 300;
  if (!memmem(line, head, "user_message\"", 13) && !memmem(line, head, "turn_aborted\"", 13)) return SQLITE_OK;
  int rc = prompt_open(y);
  if (rc) return rc;
  struct prompt_sync *s = y->prm;
  lumo_prompt p;
  if (!lumo_codex_prompt_event(line, n, &s->text, &p)) return s->text.oom ? SQLITE_NOMEM : SQLITE_OK;
  if (c->is_subagent && p.kind != LUMO_PROMPT_INTERRUPTED) return SQLITE_OK; /* the spawning model's task */
  lumo_span t;
  s->ts.len = 0;
  if (lumo_json_get((lumo_span){line, n}, "timestamp", &t) == 1 && lumo_json_is_string(t)) lumo_json_decode(t, &s->ts);
  lumo_buf_nul(&s->ts);
  if (s->ts.oom) return SQLITE_NOMEM;
  const char *ts = s->ts.len ? s->ts.p : NULL;
  /* a fork's copy of its parent's history is written in a burst at the fork instant: the
  ** parent's prompts, stored with the parent */
  int64_t at;
  if (c->is_fork && c->start_ms && ts && lumo_iso_to_ms(ts, &at) == 1 && at - c->start_ms < 1000) return SQLITE_OK;
  char *key = sqlite3_mprintf("codex:%s:%lld", c->thread ? c->thread : c->file, (long long)c->line);
  char *project = lumo_project_new(c->cwd, &rc);
  if (!key || rc) rc = SQLITE_NOMEM;
  else {
    prompt_rec r = {key, "codex", c->thread, project, ts, c->file, c->line, 0};
    rc = prompt_put(y, &r, &p);
  }
  sqlite3_free(key);
  sqlite3_free(project);
  return rc;
}

/* Schema 10 on a database synced before: the Claude, Codex and Gemini files already read
** are read again from their start at the next sync, so the prompts of the history they
** hold come in (every other row they give is keyed, and stays as it is). */
const char prompts_migrate_sql[] =
  "UPDATE lumo_files SET mtime_ns = -1, inode = -1 WHERE agent IN ('claude', 'codex', 'gemini')";
