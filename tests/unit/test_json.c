/* test_json.c: unit tests of the JSON scanner (ext/json.c) and the line reader
** (ext/reader.c): escapes, surrogate pairs, deep nesting, int64 edges, truncated
** input, lines across chunks, gzip, torn and over-long lines. Linked against the
** system libsqlite3, with the extension sources built as -DSQLITE_CORE. `--replay FILE` runs one input through the
** scanner (fuzz regressions); it must not crash. */
#include <sqlite3.h>
#include "lumo_int.h"
#include "codex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>


static int failures = 0, cases = 0;
#define CHECK(cond, name)                                   \
  do {                                                      \
    cases++;                                                \
    if (cond) printf("ok   %s\n", name);                    \
    else {                                                  \
      printf("FAIL %s (%s:%d)\n", name, __FILE__, __LINE__); \
      failures++;                                           \
    }                                                       \
  } while (0)

static lumo_span S(const char *s) {
  lumo_span x = {s, strlen(s)};
  return x;
}

static int decodes_to(const char *json, const char *want, size_t want_n) {
  lumo_buf b = {0};
  int rc = lumo_json_decode(S(json), &b);
  int ok = rc == 0 && b.len == want_n && memcmp(b.p ? b.p : "", want, want_n) == 0;
  lumo_buf_free(&b);
  return ok;
}

static int skips_whole(const char *json) {
  const char *e = lumo_json_skip(json, json + strlen(json));
  return e == json + strlen(json);
}

static void test_strings(void) {
  CHECK(decodes_to("\"abc\"", "abc", 3), "plain string");
  CHECK(decodes_to("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t", 12), "all simple escapes");
  CHECK(decodes_to("\"\\u00e9\"", "\xc3\xa9", 2), "\\u00e9 -> 2-byte UTF-8");
  CHECK(decodes_to("\"\\u20AC\"", "\xe2\x82\xac", 3), "\\u20AC -> 3-byte UTF-8");
  CHECK(decodes_to("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4), "surrogate pair -> 4-byte UTF-8");
  CHECK(decodes_to("\"\\ud83d x\"", "\xef\xbf\xbd x", 5), "lone high surrogate -> U+FFFD");
  CHECK(decodes_to("\"\\ude00\"", "\xef\xbf\xbd", 3), "lone low surrogate -> U+FFFD");
  CHECK(decodes_to("\"a\\u0000b\"", "a\xef\xbf\xbd" "b", 5), "\\u0000 -> U+FFFD (a NUL would cut ids short)");
  CHECK(decodes_to("\"na\xc3\xafve \xff\"", "na\xc3\xafve \xff", 8), "raw UTF-8 and invalid bytes kept");
  lumo_buf b = {0};
  CHECK(lumo_json_decode(S("\"\\x\""), &b) < 0, "bad escape refused");
  CHECK(lumo_json_decode(S("\"\\u12\""), &b) < 0, "short \\u refused");
  CHECK(lumo_json_decode(S("\"abc"), &b) < 0, "unterminated string refused");
  lumo_buf_free(&b);
  CHECK(skips_whole("\"a\\\\\""), "string ending in escaped backslash");
  CHECK(skips_whole("\"a\\\"b\""), "string with escaped quote");
  const char *t = "\"abc\\\"";
  CHECK(lumo_json_skip(t, t + strlen(t)) == NULL, "string ending in escaped quote is truncated");
}

static void test_numbers(void) {
  int64_t v;
  CHECK(lumo_json_int(S("9223372036854775807"), &v) == 0 && v == INT64_MAX, "INT64_MAX");
  CHECK(lumo_json_int(S("-9223372036854775808"), &v) == 0 && v == INT64_MIN, "INT64_MIN");
  CHECK(lumo_json_int(S("9223372036854775808"), &v) < 0, "INT64_MAX+1 refused");
  CHECK(lumo_json_int(S("-9223372036854775809"), &v) < 0, "INT64_MIN-1 refused");
  CHECK(lumo_json_int(S("18446744073709551616"), &v) < 0, "2^64 refused");
  CHECK(lumo_json_int(S("0"), &v) == 0 && v == 0, "zero");
  CHECK(lumo_json_int(S("01"), &v) < 0, "leading zero refused");
  CHECK(lumo_json_int(S("1e3"), &v) == 0 && v == 1000, "integral exponent accepted");
  CHECK(lumo_json_int(S("2.0"), &v) == 0 && v == 2, "integral fraction accepted");
  CHECK(lumo_json_int(S("2.5"), &v) < 0, "fraction refused");
  CHECK(lumo_json_int(S("\"5\""), &v) < 0, "string refused");
  CHECK(lumo_json_int(S("-"), &v) < 0, "lone minus refused");
  double d;
  CHECK(lumo_json_double(S("3e-06"), &d) == 0 && d == 3e-06, "double with exponent");
  CHECK(lumo_json_double(S("1."), &d) < 0, "1. refused");
  CHECK(lumo_json_double(S("-0.5E+2"), &d) == 0 && d == -50, "signed exponent");
}

static void test_objects(void) {
  const char *j = "{\"a\":1, \"b\" : [1,{\"x\":\"}\"}], \"c\":{\"d\":null}, \"e\":true}";
  lumo_span v;
  CHECK(lumo_json_get(S(j), "c", &v) == 1 && v.n == 10, "find member after nested array");
  CHECK(lumo_json_get(S(j), "e", &v) == 1 && lumo_json_bool(v) == 1, "bool member");
  CHECK(lumo_json_get(S(j), "zz", &v) == 0, "absent member");
  CHECK(lumo_json_get(S("{\"a\":1 \"b\":2}"), "b", &v) < 0, "missing comma refused");
  CHECK(lumo_json_get(S("{\"a\" 1}"), "a", &v) < 0, "missing colon refused");
  CHECK(lumo_json_get(S("{\"a\":1,}"), "b", &v) < 0, "trailing comma refused");
  CHECK(lumo_json_get(S("{\"a\":[1,2}"), "b", &v) < 0, "mismatched bracket refused");
  CHECK(lumo_json_get(S("{\"a\":tru}"), "b", &v) < 0, "bad literal refused");
  CHECK(lumo_json_get(S("{\"a\":@}"), "b", &v) < 0, "stray byte refused");
  CHECK(lumo_json_get(S("{\"\\u0061\":5}"), "a", &v) == 1, "escaped key matched after decoding");
  CHECK(lumo_json_get(S("[1]"), "a", &v) < 0, "array is not an object");
  /* every prefix of a valid object is refused and never read out of bounds */
  int all = 1;
  size_t n = strlen(j);
  for (size_t k = 0; k < n; k++) {
    char *cut = malloc(k ? k : 1);
    memcpy(cut, j, k);
    lumo_json_obj o;
    lumo_span kk, vv;
    int rc = 0;
    if (lumo_json_obj_open(&o, cut, cut + k) == 0)
      while ((rc = lumo_json_obj_next(&o, &kk, &vv)) == 1) {
      }
    if (rc == 0 && k > 0) all = 0;
    free(cut);
  }
  CHECK(all, "every truncation of an object is an error (ASan checks the bounds)");
}

static void test_depth(void) {
  size_t n = 3000;
  char *s = malloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) s[i] = '[', s[n + i] = ']';
  s[2 * n] = 0;
  CHECK(skips_whole(s), "3000 nested arrays skipped without recursion");
  s[2 * n - 1] = '}';
  CHECK(lumo_json_skip(s, s + 2 * n) == NULL, "deep mismatch refused");
  free(s);
  n = 5000;
  s = malloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) s[i] = '[', s[n + i] = ']';
  CHECK(lumo_json_skip(s, s + 2 * n) == NULL, "nesting beyond 4096 refused");
  free(s);
}

static char *write_tmp(const char *name, const char *data, size_t n, int gz) {
  char *path = malloc(512);
  snprintf(path, 512, "%s/%s", getenv("LUMO_TEST_OUT") ? getenv("LUMO_TEST_OUT") : "/tmp", name);
  if (gz) {
    gzFile g = gzopen(path, "wb");
    gzwrite(g, data, (unsigned)n);
    gzclose(g);
  } else {
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
  }
  return path;
}

static void test_reader(void) {
  /* A 3 MiB line between two short ones crosses several 1 MiB reads. */
  size_t big = 3u << 20;
  size_t total = big + 64;
  char *data = malloc(total);
  size_t k = 0;
  k += (size_t)sprintf(data + k, "{\"a\":1}\n");
  memset(data + k, 'x', big);
  k += big;
  data[k++] = '\n';
  k += (size_t)sprintf(data + k, "tail-no-newline");
  for (int gz = 0; gz < 2; gz++) {
    char *path = write_tmp(gz ? "reader.jsonl.gz" : "reader.jsonl", data, k, gz);
    lumo_reader r;
    const char *line;
    size_t len;
    int ok = lumo_reader_open(&r, path, 0, 0) == SQLITE_OK;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_OK && len == 7 && r.line_no == 1;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_OK && len == big && r.offset == 8;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_TORN && len == 15 && r.line_no == 3;
    ok = ok && r.next_off == (int64_t)k;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_EOF;
    lumo_reader_close(&r);
    CHECK(ok, gz ? "gzip reader: long line, offsets, torn tail" : "reader: long line, offsets, torn tail");
    /* resume from a remembered offset */
    ok = lumo_reader_open(&r, path, 8 + (int64_t)big + 1, 2) == SQLITE_OK;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_TORN && r.line_no == 3 &&
         memcmp(line, "tail", 4) == 0;
    lumo_reader_close(&r);
    CHECK(ok, gz ? "gzip reader resumes at an offset" : "reader resumes at an offset");
    /* an over-long line is skipped, not buffered */
    ok = lumo_reader_open(&r, path, 0, 0) == SQLITE_OK;
    r.max_line = 1u << 20;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_OK;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_TOOLONG && r.line_no == 2 && r.offset == 8;
    ok = ok && lumo_reader_next(&r, &line, &len) == LUMO_LINE_TORN && r.line_no == 3;
    ok = ok && r.cap <= (2u << 20);
    lumo_reader_close(&r);
    CHECK(ok, gz ? "gzip reader skips an over-long line in bounded memory" : "reader skips an over-long line in bounded memory");
    unlink(path);
    free(path);
  }
  free(data);
  lumo_reader r;
  CHECK(lumo_reader_open(&r, "/nonexistent/x.jsonl", 0, 0) == SQLITE_CANTOPEN, "missing file: CANTOPEN");
  char *path = write_tmp("empty.jsonl", "", 0, 0);
  const char *line;
  size_t len;
  int ok = lumo_reader_open(&r, path, 0, 0) == SQLITE_OK && lumo_reader_next(&r, &line, &len) == LUMO_LINE_EOF;
  lumo_reader_close(&r);
  CHECK(ok, "empty file: no lines");
  unlink(path);
  free(path);
}

static void test_claude_line(void) {
  claude_line L;
  const char *ok = "{\"type\":\"assistant\",\"sessionId\":\"s\",\"message\":{\"id\":\"m\",\"model\":\"x\","
                   "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":3,"
                   "\"output_tokens\":7,\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":2}},"
                   "\"requestId\":\"r\"}";
  CHECK(claude_parse_line(ok, strlen(ok), &L, 0) == NULL && L.has_usage && L.input == 3 && L.output == 7 &&
            L.cache_5m == 5 && L.cache_1h == 0 && L.cache_read == 2,
        "claude line: usage without split -> 5m writes");
  const char *two = "{\"a\":1}{\"b\":2}";
  CHECK(claude_parse_line(two, strlen(two), &L, 0) != NULL, "two records on one line refused");
  const char *nul = "{\"message\":{\"id\":null,\"usage\":{\"input_tokens\":null,\"output_tokens\":1}}}";
  CHECK(claude_parse_line(nul, strlen(nul), &L, 0) == NULL && L.has_usage && L.input == 0 && L.message_id.n == 0 &&
            L.bad_counts.n == 1 && L.bad_counts.status == LUMO_COUNT_WRONG_TYPE,
        "a null id is absent; a null count counts 0 and is noted (the response is kept)");
  int64_t x;
  CHECK(lumo_json_count(S("12"), &x) == LUMO_COUNT_OK && x == 12, "count 12");
  CHECK(lumo_json_count(S("1.2e1"), &x) == LUMO_COUNT_OK && x == 12, "count 1.2e1");
  CHECK(lumo_json_count(S("\"12\""), &x) == LUMO_COUNT_OK && x == 12, "count \"12\"");
  CHECK(lumo_json_count(S("\"1 2\""), &x) == LUMO_COUNT_WRONG_TYPE && x == 0, "count \"1 2\" refused");
  CHECK(lumo_json_count(S("12.5"), &x) == LUMO_COUNT_WRONG_TYPE && x == 0, "count 12.5 refused");
  CHECK(lumo_json_count(S("-1"), &x) == LUMO_COUNT_OUT_OF_RANGE && x == 0, "count -1 out of range");
  CHECK(lumo_json_count(S("1000000000001"), &x) == LUMO_COUNT_OUT_OF_RANGE, "count 10^12+1 out of range");
  CHECK(lumo_json_count(S("1000000000000"), &x) == LUMO_COUNT_OK && x == 1000000000000LL, "count 10^12");
  CHECK(lumo_json_count(S("\"99999999999999999999\""), &x) == LUMO_COUNT_OUT_OF_RANGE, "digit string beyond int64");
  CHECK(lumo_json_count(S("1e400"), &x) == LUMO_COUNT_OUT_OF_RANGE, "count 1e400 out of range");
  { /* a decode up to a limit: the whole decode's first bytes, stopping at the limit (an
    ** escape may pass it by its few bytes), whether the runs are long or cut by escapes */
    const char *vals[] = {"\"abcdefghijklmnop\\nqr\\u00e9st\\\"uvwxyz0123456789\"",
                          "[{\"text\":\"first part\"},{\"text\":\"second\\tpart\"}]"};
    int all = 1;
    for (int k = 0; k < 2; k++) {
      lumo_buf whole = {0}, part = {0};
      lumo_json_texts(S(vals[k]), &whole);
      for (size_t limit = 1; limit <= whole.len + 2; limit++) {
        part.len = 0;
        lumo_json_texts_upto(S(vals[k]), &part, limit);
        size_t want = limit < whole.len ? limit : whole.len;
        all &= part.len >= want && part.len <= want + 3 && part.len <= whole.len &&
               memcmp(part.p, whole.p, part.len) == 0;
      }
      lumo_buf_free(&whole);
      lumo_buf_free(&part);
    }
    CHECK(all, "texts decoded up to a limit: the whole decode's first bytes, the limit reached");
  }
  lumo_buf u = {0};
  CHECK(lumo_utf8_fix("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, &u) == 0 && u.len == 0, "valid UTF-8 left alone");
  CHECK(lumo_utf8_fix("a\xff\xc0\x80" "b\xed\xa0\x80", 8, &u) == 6 && u.len == 2 + 18 &&
            memcmp(u.p, "a\xef\xbf\xbd", 4) == 0 && u.p[10] == 'b',
        "invalid bytes, overlongs and surrogates -> one U+FFFD each");
  CHECK(lumo_utf8_fix("a\0b", 3, &u) == 1 && u.len == 5, "NUL -> U+FFFD");
  CHECK(lumo_utf8_fix("\xe2\x82", 2, &u) == 2, "a cut sequence -> U+FFFD per byte");
  { /* the ASCII fast path reads 8 bytes at a time: a NUL, a wrong byte or a character at
    ** every place of a 20-byte line, then the 8-byte words of a 2-byte character */
    int all = 1;
    for (int at = 0; at < 20; at++) {
      char line[21];
      memset(line, 'x', 20);
      line[20] = 0;
      line[at] = 0;
      all &= lumo_utf8_fix(line, 20, &u) == 1 && u.len == 22 && memcmp(u.p + at, "\xef\xbf\xbd", 3) == 0;
      line[at] = (char)0xff;
      all &= lumo_utf8_fix(line, 20, &u) == 1 && u.len == 22 && u.p[at + 3] == (at < 19 ? 'x' : 0);
      if (at < 19) {
        line[at] = (char)0xc3, line[at + 1] = (char)0xa9;
        all &= lumo_utf8_fix(line, 20, &u) == 0;
        line[at + 1] = 'x'; /* a lead byte without its continuation */
        all &= lumo_utf8_fix(line, 20, &u) == 1 && u.len == 22;
      }
    }
    CHECK(all, "NUL, wrong bytes and characters at every place of a long line");
  }
  CHECK(lumo_utf8_unfinished("a\xe2\x82", 3) == 2 && lumo_utf8_unfinished("a\xf0\x9f\x98", 4) == 3 &&
            lumo_utf8_unfinished("a\xc3", 2) == 1,
        "the bytes of a character cut at the end");
  CHECK(lumo_utf8_unfinished("a\xe2\x82\xac", 4) == 0 && lumo_utf8_unfinished("ab", 2) == 0 &&
            lumo_utf8_unfinished("a\xff", 2) == 0 && lumo_utf8_unfinished("\x82\x82\x82\x82", 4) == 0 &&
            lumo_utf8_unfinished("", 0) == 0,
        "a whole last character, ASCII, a wrong byte, stray continuations: none cut");
  lumo_buf_free(&u);
}

/* ------------------------------------------------------- a sync out of memory */

/* Every allocation of a small Claude and Codex sync fails in turn (one at a time): the sync then
** fails, or stores the rows a sync with memory stores. A decode that ran out of memory
** read as an absent field: a response without its message id was stored as a row of its
** own (billed twice), without its project, its text. */
static sqlite3_mem_methods real_mem;
static long alloc_count, fail_at = -1;
static void *failing_malloc(int n) { return ++alloc_count == fail_at ? NULL : real_mem.xMalloc(n); }
static void *failing_realloc(void *p, int n) { return ++alloc_count == fail_at ? NULL : real_mem.xRealloc(p, n); }

int sqlite3_lumo_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

/* The allocations between the sync's first BEGIN IMMEDIATE and its run record: where the
** files are read and their rows written (the rest applies settings and builds views). */
static long window_from, window_to;
static int trace_window(unsigned type, void *ctx, void *stmt, void *sql) {
  (void)type, (void)ctx, (void)stmt;
  /* statements run inside lumo_sync() are traced as "-- " and their text */
  if (fail_at >= 0 || !sql) return 0;
  if (!window_from && strcmp((const char *)sql, "-- BEGIN IMMEDIATE") == 0) window_from = alloc_count;
  else if (window_from && !window_to && strncmp((const char *)sql, "-- INSERT INTO lumo_sync_runs", 29) == 0)
    window_to = alloc_count;
  return 0;
}

static void write_file(const char *path, const char *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(data, 1, n, f);
    fclose(f);
  }
}

/* The rows a sync of root into a copy of template leaves, or NULL when it failed; *allocs:
** the allocations it made. */
static char *sync_rows(const char *dir, const char *template_db, size_t template_n, long fail, long *allocs) {
  char path[512], *rows = NULL;
  snprintf(path, sizeof(path), "%s/work.db", dir);
  write_file(path, template_db, template_n);
  sqlite3 *db;
  if (sqlite3_open(path, &db) != SQLITE_OK) return NULL;
  sqlite3_lumo_init(db, NULL, NULL);
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_window, NULL); /* in every run: the same allocations */
  char *sql = sqlite3_mprintf("SELECT lumo_sync('%q/claude', '', '%q/codex')", dir, dir);
  alloc_count = 0;
  fail_at = fail;
  char *err = NULL;
  int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, &err) : SQLITE_NOMEM;
  fail_at = -1;
  if (fail < 0 && rc) printf("     sync: %s\n", err ? err : "?");
  sqlite3_free(err);
  *allocs = alloc_count;
  sqlite3_free(sql);
  sqlite3_stmt *st;
  if (rc == SQLITE_OK &&
      sqlite3_prepare_v2(db,
                         "SELECT ifnull((SELECT group_concat(key || ' ' || input_tokens || ' ' || ifnull(project, '-')"
                         " || ' ' || line, ', ') FROM (SELECT * FROM usage ORDER BY key)), '-') || ' | ' || ifnull(("
                         "SELECT group_concat(key || ' ' || ifnull(text, '-') || ' ' || ifnull(session_id, '-'), ', ')"
                         " FROM (SELECT * FROM messages ORDER BY key)), '-') || ' | ' || ifnull((SELECT group_concat("
                         "key || ' ' || ifnull(is_error, '-'), ', ') FROM (SELECT * FROM tool_uses ORDER BY key)), '-') || ' | ' ||"
                         " ifnull((SELECT group_concat(key || ' ' || used_percent, ', ') FROM (SELECT * FROM"
                         " rate_limits ORDER BY key)), '-')",
                         -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      rows = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  } else if (rc == SQLITE_OK) printf("     rows: %s\n", sqlite3_errmsg(db));
  sqlite3_close(db);
  return rows;
}

static void test_sync_oom(void) {
  char dir[] = "/tmp/lumo-oom-XXXXXX", path[512];
  setenv("LUMO_MACHINE", "test", 1);
  if (!mkdtemp(dir)) return;
  snprintf(path, sizeof(path), "%s/claude", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof(path), "%s/claude/projects", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof(path), "%s/claude/projects/-home-u-app", dir);
  mkdir(path, 0755);
  /* two streaming copies of m1, m2 and a sidechain m3, tool calls, a result */
  static const char lines[] =
      "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"cwd\":\"/home/u/app\",\"requestId\":\"r1\",\"uuid\":\"u1\","
      "\"message\":{\"id\":\"m1\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"h\\u00e9\"},"
      "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{}}],\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n"
      "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"cwd\":\"/home/u/app\",\"requestId\":\"r1\",\"uuid\":\"u2\","
      "\"message\":{\"id\":\"m1\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}\n"
      "{\"type\":\"user\",\"sessionId\":\"s1\",\"uuid\":\"u3\",\"message\":{\"role\":\"user\",\"content\":"
      "[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"ok\",\"is_error\":true}]}}\n"
      "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"cwd\":\"/home/u/app\",\"requestId\":\"r2\",\"uuid\":\"u4\","
      "\"message\":{\"id\":\"m2\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n"
      "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"isSidechain\":true,\"requestId\":\"r3\",\"uuid\":\"u5\","
      "\"message\":{\"id\":\"m3\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":7,\"output_tokens\":1}}}\n";
  snprintf(path, sizeof(path), "%s/claude/projects/-home-u-app/s1.jsonl", dir);
  write_file(path, lines, sizeof(lines) - 1);
  /* a Codex rollout: its thread, cwd, a token count with a plan limit */
  static const char rollout[] =
      "{\"timestamp\":\"2025-10-31T17:00:00.000Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"th1\","
      "\"cwd\":\"/home/u/proj\"}}\n"
      "{\"timestamp\":\"2025-10-31T17:00:05.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\","
      "\"info\":{\"total_token_usage\":{\"input_tokens\":100,\"output_tokens\":10},\"last_token_usage\":"
      "{\"input_tokens\":100,\"output_tokens\":10}},\"rate_limits\":{\"primary\":{\"used_percent\":5.0,"
      "\"window_minutes\":300,\"resets_at\":1761950218}}}}\n";
  const char *const codex_dirs[] = {"codex", "codex/sessions", "codex/sessions/2025", "codex/sessions/2025/10",
                                    "codex/sessions/2025/10/31"};
  for (int i = 0; i < 5; i++) {
    snprintf(path, sizeof(path), "%s/%s", dir, codex_dirs[i]);
    mkdir(path, 0755);
  }
  snprintf(path, sizeof(path), "%s/codex/sessions/2025/10/31/rollout-2025-10-31T17-00-00-th1.jsonl", dir);
  write_file(path, rollout, sizeof(rollout) - 1);
  /* the schema, applied once: each run syncs into a copy */
  snprintf(path, sizeof(path), "%s/template.db", dir);
  sqlite3 *db;
  char *template_db = NULL;
  size_t template_n = 0;
  if (sqlite3_open(path, &db) == SQLITE_OK) {
    sqlite3_lumo_init(db, NULL, NULL);
    sqlite3_exec(db, "PRAGMA journal_mode = DELETE; SELECT lumo_sync('/nonexistent')", NULL, NULL, NULL);
    sqlite3_close(db);
    FILE *f = fopen(path, "rb");
    if (f) {
      fseek(f, 0, SEEK_END);
      template_n = (size_t)ftell(f);
      fseek(f, 0, SEEK_SET);
      template_db = malloc(template_n);
      if (template_db) template_n = fread(template_db, 1, template_n, f);
      fclose(f);
    }
  }
  long total = 0, allocs, wrong = 0, first_wrong = 0, failed = 0;
  char *want = template_db ? sync_rows(dir, template_db, template_n, -1, &total) : NULL;
  if (want) printf("     rows: %s\n", want);
  CHECK(want && strstr(want, "claude:m1:r1 20 app 2") && strstr(want, "claude:u1 h\xc3\xa9 s1") &&
            strstr(want, "claude:t1 1") && strstr(want, "codex:th1:2: 100 proj 2") && strstr(want, "test:th1:2:primary 5.0"),
        "sync of the small files: m1's larger copy, the text, the tool's outcome, the Codex thread and limit");
  for (long k = window_from; want && window_to && k <= window_to; k++) {
    char *got = sync_rows(dir, template_db, template_n, k, &allocs);
    if (!got) failed++;
    else if (strcmp(got, want) != 0 && !wrong++) {
      first_wrong = k;
      printf("     allocation %ld failing: %s\n", k, got);
    }
    free(got);
  }
  printf("     %ld allocations, those %ld-%ld read the file: %ld runs failed, %ld wrong (first at %ld)\n", total,
         window_from, window_to, failed, wrong, first_wrong);
  CHECK(want && failed > 0 && wrong == 0, "every allocation of a sync failing in turn: an error or the same rows");
  free(want);
  free(template_db);
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("     could not remove %s\n", dir);
}

/* SQLite's json_valid() of p[0, n): 1, 0, or -1 when it could not be asked. */
static int sqlite_json_valid(const char *p, size_t n) {
  sqlite3 *db;
  sqlite3_stmt *st;
  int v = -1;
  if (sqlite3_open(":memory:", &db) == SQLITE_OK && sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text64(st, 1, p, n, SQLITE_STATIC, SQLITE_UTF8);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return v;
}

/* lumo_json_valid_strict: RFC 8259 strictly (answers decided by hand from the RFC), and
** never valid where SQLite's json_valid() is not (the sync trusts it in SQLite's place). */
static void test_strict_valid(void) {
  static const struct { const char *in; int want; } strict_cases[] = {
    {"{}", 1}, {"[]", 1}, {" {\"a\" : [1, -2.5e+3, true, false, null, \"x\"]} ", 1}, {"\"\\u00e9\\n\"", 1},
    {"0", 1}, {"-0.0E-1", 1}, {"[[[]],{}]", 1}, {"{\"a\":{\"b\":[{}]}}", 1}, {"\"\\/\"", 1},
    {"", 0}, {" ", 0}, {"{", 0}, {"[1,]", 0}, {"{\"a\":1,}", 0}, {"{\"a\" 1}", 0}, {"{a:1}", 0}, {"[01]", 0},
    {"[1.]", 0}, {"[.5]", 0}, {"[+1]", 0}, {"[1e]", 0}, {"\"\\x\"", 0}, {"\"\\u12g4\"", 0}, {"\"a\tb\"", 0},
    {"[1] [2]", 0}, {"[1}", 0}, {"{\"a\":1]", 0}, {"tru", 0}, {"nul", 0}, {"[NaN]", 0}, {"'a'", 0},
    {"{\"a\":1 \"b\":2}", 0}, {"[1 2]", 0}, {"\"abc", 0}, {"{\"a\"}", 0}, {"{,}", 0}, {"[,1]", 0},
  };
  int wrong = 0, not_subset = 0;
  for (size_t i = 0; i < sizeof(strict_cases) / sizeof(strict_cases[0]); i++) {
    int got = lumo_json_valid_strict(strict_cases[i].in, strlen(strict_cases[i].in));
    if (got != strict_cases[i].want) {
      printf("     strict(%s) = %d, want %d\n", strict_cases[i].in, got, strict_cases[i].want);
      wrong++;
    }
    if (got && sqlite_json_valid(strict_cases[i].in, strlen(strict_cases[i].in)) != 1) not_subset++;
  }
  CHECK(wrong == 0, "lumo_json_valid_strict: RFC 8259 cases decided by hand");
  CHECK(not_subset == 0, "lumo_json_valid_strict accepts nothing SQLite's json_valid refuses");
  /* a NUL inside: SQLite reads up to it; strict refuses (a control character) */
  CHECK(!lumo_json_valid_strict("\"a\0b\"", 5) && !lumo_json_valid_strict("{}\0", 3), "a NUL byte is refused");
  /* depth: 1000 levels are taken, 1001 are left to SQLite */
  static char deep[2 * 1001 + 1];
  for (int i = 0; i < 1001; i++) deep[i] = '[', deep[1001 + i] = ']';
  CHECK(!lumo_json_valid_strict(deep, 2002) && lumo_json_valid_strict(deep + 1, 2000) &&
            sqlite_json_valid(deep + 1, 2000) == 1,
        "1000 nested arrays are valid, 1001 are left to SQLite");
}

int main(int argc, char **argv) {
  /* an allocator that fails the allocation test_sync_oom names, else the real one */
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem);
  sqlite3_mem_methods mem = real_mem;
  mem.xMalloc = failing_malloc;
  mem.xRealloc = failing_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
  if (sqlite3_initialize() != SQLITE_OK) return 2;
  if (argc == 3 && strcmp(argv[1], "--replay") == 0) {
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 2;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    claude_line L;
    claude_parse_line(buf, n, &L, 0);
    claude_parse_line(buf, n, &L, 1);
    codex_state cs;
    codex_row row;
    codex_state_init(&cs);
    codex_line(&cs, buf, n, &row);
    codex_state_free(&cs);
    lumo_span v;
    lumo_json_get((lumo_span){buf, n}, "message", &v);
    /* what the sync trusts as valid JSON must be valid to SQLite */
    return lumo_json_valid_strict(buf, n) && sqlite_json_valid(buf, n) == 0 ? 1 : 0;
  }
  test_strings();
  test_numbers();
  test_objects();
  test_depth();
  test_strict_valid();
  test_reader();
  test_claude_line();
  test_sync_oom();
  printf("%d cases, %d failed\n", cases, failures);
  return failures ? 1 : 0;
}
