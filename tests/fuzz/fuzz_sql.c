/* fuzz_sql.c: libFuzzer targets that drive each reader end to end through SQL, the way a
** user does: the input becomes a file (or opencode.db rows) where the reader looks, and
** every row and column of the reader's tables is read. Which reader: the environment
** variable LUMO_FUZZ_TARGET (claude, codex, gemini_json, gemini_jsonl, opencode_json,
** opencode_db, otlp, prices, sync). One binary for all, so one build serves every run and
** the replay of the corpora in `make test` (tests/fuzz/replay.c supplies main() there).
** Any crash, out-of-bounds access, leak (ASan) or undefined behaviour (UBSan) is a finding;
** SQL errors are not (a reader may refuse an input, with an error).
**   sync: the input is split into sections by lines "@@claude", "@@codex", "@@gemini",
**   "@@opencode", "@@otlp" (text before the first marker goes to Claude); each section
**   becomes one file of that agent in a small tree beside fixed valid sessions; the tree
**   is synced into a fresh database, the Claude file grows by the whole input and is
**   synced again, and the database must pass PRAGMA integrity_check. */
#include <sqlite3.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sqlite3_lumo_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

enum { T_CLAUDE, T_CODEX, T_GEMINI_JSON, T_GEMINI_JSONL, T_OPENCODE_JSON, T_OPENCODE_DB, T_OTLP, T_PRICES, T_SYNC };
static const char *const target_names[] = {"claude", "codex", "gemini_json", "gemini_jsonl", "opencode_json",
                                           "opencode_db", "otlp", "prices", "sync", NULL};
static int target = -1;
static char root[256]; /* this process's scratch directory */

static void die(const char *what) {
  fprintf(stderr, "fuzz_sql: %s: %s\n", what, strerror(errno));
  abort();
}

static void mkdirs(const char *rel) { /* rel below root, every component created */
  char p[512];
  snprintf(p, sizeof(p), "%s/%s", root, rel);
  for (char *s = p + strlen(root) + 1; *s; s++)
    if (*s == '/') {
      *s = 0;
      if (mkdir(p, 0700) && errno != EEXIST) die(p);
      *s = '/';
    }
  if (mkdir(p, 0700) && errno != EEXIST) die(p);
}

static void put(const char *rel, const void *data, size_t n, const char *mode) {
  char p[512];
  snprintf(p, sizeof(p), "%s/%s", root, rel);
  FILE *f = fopen(p, mode);
  if (!f) die(p);
  if (n && fwrite(data, 1, n, f) != n) die(p);
  if (fclose(f)) die(p);
}

/* Every row, every column, as the type SQLite has and as text: errors are fine. */
static void drain(sqlite3 *db, const char *sql_fmt) {
  char *sql = sqlite3_mprintf(sql_fmt, root);
  sqlite3_stmt *st = NULL;
  long rows = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW && ++rows)
      for (int i = 0; i < sqlite3_column_count(st); i++) {
        (void)sqlite3_column_bytes(st, i);
        (void)sqlite3_column_text(st, i);
      }
  }
  /* LUMO_FUZZ_VERBOSE=1: what each query gave, to see that the seeds reach the readers */
  if (getenv("LUMO_FUZZ_VERBOSE"))
    fprintf(stderr, "%ld rows, %s: %.80s\n", rows, sqlite3_errmsg(db), sql + (strlen(sql) > 80 ? strlen(sql) - 80 : 0));
  sqlite3_finalize(st);
  sqlite3_free(sql);
}

static sqlite3 *open_db(const char *file) {
  sqlite3 *db = NULL;
  char *err = NULL;
  if (sqlite3_open(file, &db) != SQLITE_OK || sqlite3_lumo_init(db, &err, NULL) != SQLITE_OK) {
    fprintf(stderr, "fuzz_sql: open: %s\n", err ? err : sqlite3_errmsg(db));
    abort();
  }
  return db;
}

/* Fixed valid sessions of the sync tree, so the fuzzed files sit beside real ones. */
static const char claude_ok[] =
    "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"timestamp\":\"2026-01-01T10:00:00Z\",\"requestId\":\"r1\","
    "\"message\":{\"id\":\"m1\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":3,\"output_tokens\":5}}}\n";
static const char codex_ok[] =
    "{\"timestamp\":\"2026-01-01T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"0199aaaa\"}}\n"
    "{\"timestamp\":\"2026-01-01T10:00:01Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\"gpt-5\"}}\n"
    "{\"timestamp\":\"2026-01-01T10:00:02Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\","
    "\"info\":{\"total_token_usage\":{\"input_tokens\":10,\"cached_input_tokens\":2,\"output_tokens\":4,"
    "\"reasoning_output_tokens\":1,\"total_tokens\":14},\"last_token_usage\":{\"input_tokens\":10,"
    "\"cached_input_tokens\":2,\"output_tokens\":4,\"reasoning_output_tokens\":1,\"total_tokens\":14}}}}\n";

#define CLAUDE_FILE "claude/projects/-p/11111111-0000-4000-8000-000000000001.jsonl"
#define CODEX_FILE "codex/sessions/2026/01/01/rollout-2026-01-01T10-00-00-0199aaaa-0000-7000-8000-000000000001.jsonl"
#define GEMINI_FILE "gemini/tmp/proj/chats/session-2026-01-01T10-00-abcd1234"
#define OPENCODE_FILE "opencode/storage/message/ses_1/msg_1.json"
#define OTLP_FILE "otlp/dump.jsonl"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *t = getenv("LUMO_FUZZ_TARGET");
  for (int i = 0; t && target_names[i]; i++)
    if (strcmp(t, target_names[i]) == 0) target = i;
  if (target < 0) {
    fprintf(stderr, "fuzz_sql: set LUMO_FUZZ_TARGET to one of:");
    for (int i = 0; target_names[i]; i++) fprintf(stderr, " %s", target_names[i]);
    fprintf(stderr, "\n");
    exit(2);
  }
  const char *tmp = getenv("TMPDIR");
  snprintf(root, sizeof(root), "%s/lumo-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(root)) die("mkdtemp");
  setenv("LUMO_THREADS", "1", 1); /* the threaded scan is TSan's and the suite's */
  setenv("LUMO_MACHINE", "fuzz", 1);
  setenv("TZ", "UTC", 1);
  /* No source outside the scratch tree: a sync names every root. */
  setenv("HOME", root, 1);
  mkdirs("claude/projects/-p");
  mkdirs("codex/sessions/2026/01/01");
  mkdirs("gemini/tmp/proj/chats");
  mkdirs("opencode/storage/message/ses_1");
  mkdirs("opencodedb");
  mkdirs("otlp");
  sqlite3_initialize();
  return 0;
}

/* opencode.db rows: one per input line, "id<TAB>session_id<TAB>data" or just data
** (ids then made up); a line starting with byte 1 binds its data as a BLOB. */
static void opencode_db(const uint8_t *data, size_t size) {
  char p[512];
  snprintf(p, sizeof(p), "%s/opencodedb/opencode.db", root);
  unlink(p);
  sqlite3 *odb = NULL;
  if (sqlite3_open(p, &odb) != SQLITE_OK) die(p);
  sqlite3_exec(odb, "CREATE TABLE message(id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, data TEXT);"
                    "CREATE TABLE session(id TEXT PRIMARY KEY, directory TEXT, data TEXT);"
                    "BEGIN", NULL, NULL, NULL);
  sqlite3_stmt *ins = NULL;
  sqlite3_prepare_v2(odb, "INSERT OR IGNORE INTO message(id, session_id, data) VALUES (?1, ?2, ?3)", -1, &ins, NULL);
  const char *s = (const char *)data, *end = s + size;
  for (int line = 0; s < end && line < 64; line++) {
    const char *e = memchr(s, '\n', (size_t)(end - s));
    if (!e) e = end;
    const char *t1 = memchr(s, '\t', (size_t)(e - s));
    const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(e - t1 - 1)) : NULL;
    char id[32];
    snprintf(id, sizeof(id), "msg_%d", line);
    if (t2) {
      sqlite3_bind_text(ins, 1, s, (int)(t1 - s), SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 2, t1 + 1, (int)(t2 - t1 - 1), SQLITE_TRANSIENT);
      s = t2 + 1;
    } else {
      sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 2, "ses_1", -1, SQLITE_STATIC);
    }
    if (s < e && *s == 1) sqlite3_bind_blob(ins, 3, s + 1, (int)(e - s - 1), SQLITE_TRANSIENT);
    else sqlite3_bind_text(ins, 3, s, (int)(e - s), SQLITE_TRANSIENT);
    sqlite3_step(ins);
    sqlite3_reset(ins);
    s = e + 1;
  }
  sqlite3_finalize(ins);
  sqlite3_exec(odb, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(odb);
}

static void sync_tree(const uint8_t *data, size_t size) {
  static const char *const agents[] = {"claude", "codex", "gemini", "opencode", "otlp"};
  static const char *const files[] = {CLAUDE_FILE, CODEX_FILE, GEMINI_FILE ".jsonl", OPENCODE_FILE, OTLP_FILE};
  put("claude/projects/-p/00000000-0000-4000-8000-000000000000.jsonl", claude_ok, sizeof(claude_ok) - 1, "wb");
  put("codex/sessions/2026/01/01/rollout-2026-01-01T09-00-00-0199bbbb-0000-7000-8000-000000000000.jsonl", codex_ok,
      sizeof(codex_ok) - 1, "wb");
  for (int a = 0; a < 5; a++) put(files[a], "", 0, "wb");
  const char *s = (const char *)data, *end = s + size;
  int agent = 0;
  while (s < end) {
    const char *e = memchr(s, '\n', (size_t)(end - s));
    const char *next = e ? e + 1 : end;
    int marker = -1;
    for (int a = 0; a < 5; a++) {
      size_t n = strlen(agents[a]);
      if ((size_t)(end - s) >= n + 2 && s[0] == '@' && s[1] == '@' && memcmp(s + 2, agents[a], n) == 0) marker = a;
    }
    if (marker >= 0) agent = marker;
    else put(files[agent], s, (size_t)(next - s), "ab");
    s = next;
  }
  char dbp[512];
  snprintf(dbp, sizeof(dbp), "%s/sync.db", root);
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (int i = 0; i < 4; i++) {
    char p[600];
    snprintf(p, sizeof(p), "%s%s", dbp, suffixes[i]);
    unlink(p);
  }
  sqlite3 *db = open_db(dbp);
  /* drain() formats with the root once more: the root has no '%' (mkdtemp) */
  char *sync = sqlite3_mprintf("SELECT lumo_sync('%s/claude', '%s/gemini', '%s/codex', '%s/opencode', '%s/otlp')",
                               root, root, root, root, root);
  drain(db, sync);
  put(CLAUDE_FILE, data, size, "ab"); /* grown: the incremental path */
  drain(db, sync);
  sqlite3_free(sync);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
      strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
    fprintf(stderr, "fuzz_sql: sync left a corrupt database: %s\n", sqlite3_column_text(st, 0));
    abort();
  }
  sqlite3_finalize(st);
  drain(db, "SELECT * FROM usage");
  drain(db, "SELECT * FROM lumo_diagnostics");
  sqlite3_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (target < 0) LLVMFuzzerInitialize(NULL, NULL);
  if (size > (1 << 20)) return 0;
  sqlite3 *db = NULL;
  switch (target) {
  case T_CLAUDE:
    put(CLAUDE_FILE, data, size, "wb");
    db = open_db(":memory:");
    drain(db, "SELECT * FROM claude_usage('%s/claude')");
    drain(db, "SELECT * FROM claude_messages('%s/claude')");
    drain(db, "SELECT * FROM claude_tool_uses('%s/claude')");
    drain(db, "SELECT * FROM lumo_diagnostics");
    break;
  case T_CODEX:
    put(CODEX_FILE, data, size, "wb");
    db = open_db(":memory:");
    drain(db, "SELECT * FROM codex_usage('%s/codex')");
    drain(db, "SELECT * FROM codex_messages('%s/codex')");
    drain(db, "SELECT * FROM lumo_diagnostics");
    break;
  case T_GEMINI_JSON:
  case T_GEMINI_JSONL:
    put(target == T_GEMINI_JSON ? GEMINI_FILE ".json" : GEMINI_FILE ".jsonl", data, size, "wb");
    db = open_db(":memory:");
    drain(db, "SELECT * FROM gemini_usage('%s/gemini')");
    drain(db, "SELECT * FROM gemini_messages('%s/gemini')");
    drain(db, "SELECT * FROM lumo_diagnostics");
    break;
  case T_OPENCODE_JSON:
    put(OPENCODE_FILE, data, size, "wb");
    db = open_db(":memory:");
    drain(db, "SELECT * FROM opencode_usage('%s/opencode')");
    drain(db, "SELECT * FROM lumo_diagnostics");
    break;
  case T_OPENCODE_DB:
    opencode_db(data, size);
    db = open_db(":memory:");
    drain(db, "SELECT * FROM opencode_usage('%s/opencodedb')");
    drain(db, "SELECT * FROM lumo_diagnostics");
    break;
  case T_OTLP:
    put(OTLP_FILE, data, size, "wb");
    db = open_db(":memory:");
    drain(db, "SELECT * FROM otlp_metrics('%s/otlp')");
    drain(db, "SELECT * FROM otlp_logs('%s/otlp')");
    drain(db, "SELECT * FROM lumo_diagnostics");
    break;
  case T_PRICES:
    put("prices.json", data, size, "wb");
    db = open_db(":memory:");
    drain(db, "SELECT lumo_prices_load('%s/prices.json')");
    drain(db, "SELECT * FROM lumo_prices");
    drain(db, "SELECT lumo_cost(model, 1000, 1000, 1000, 1000, 1000) FROM lumo_prices LIMIT 100");
    drain(db, "SELECT lumo_cost('claude-sonnet-4-5', 1000000, 1000000, 1000000, 1000000, 1000000, "
              "'{\"speed\":\"fast\"}', '2026-01-01T00:00:00Z')");
    break;
  case T_SYNC:
    sync_tree(data, size);
    break;
  }
  if (db) sqlite3_close(db);
  return 0;
}
