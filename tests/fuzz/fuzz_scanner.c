/* fuzz_scanner.c: libFuzzer target for the JSON scanner, the Claude and Codex line parsers
** and the OTLP document walker (every value of every record it yields is read).
** One input is one transcript line: it goes through claude_parse_line in both modes and
** through codex_line twice and codex_item_line,
** then every member of it is walked, skipped, and decoded as string, integer and
** double, and the content text extractor runs on its message content. Any crash,
** out-of-bounds read (ASan) or undefined behaviour (UBSan) is a finding, and so is an
** input lumo_json_valid_strict takes for JSON that SQLite's json_valid() refuses (the
** sync stores a tool input as JSON on the strict check's word).
**   make fuzz FUZZ_SECONDS=600 */
#include <sqlite3.h>
#include "lumo_int.h"
#include "codex.h"
#include "otlp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void walk(lumo_span v, int depth) {
  if (depth > 8 || !v.n) return;
  lumo_buf b = {0};
  int64_t i;
  double d;
  lumo_json_decode(v, &b);
  lumo_buf_free(&b);
  lumo_json_int(v, &i);
  lumo_json_double(v, &d);
  if (v.p[0] == '{') {
    lumo_json_obj o;
    lumo_span k, x;
    if (lumo_json_obj_open(&o, v.p, v.p + v.n) == 0)
      while (lumo_json_obj_next(&o, &k, &x) == 1) {
        (void)LUMO_KEY(k, "usage");
        walk(x, depth + 1);
      }
  }
}

static int read_all(void *ctx, otlp_rec *r) {
  (void)ctx;
  otlp_val v;
  for (int f = 0; f <= OF_KEY; f++) otlp_get(r, f, &v);
  return SQLITE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int init;
  if (!init) {
    sqlite3_initialize();
    init = 1;
  }
  const char *p = (const char *)data;
  claude_line L;
  claude_parse_line(p, size, &L, 1);
  if (claude_parse_line(p, size, &L, 0) == NULL) {
    lumo_buf t = {0};
    claude_content_text(L.content, &t);
    lumo_buf_free(&t);
  }
  codex_state cs;
  codex_row row;
  codex_state_init(&cs);
  codex_line(&cs, p, size, &row);
  codex_line(&cs, p, size, &row); /* a second time: re-emission and delta paths */
  codex_item item;
  memset(&item, 0, sizeof(item));
  codex_item_line(&cs, p, size, &item); /* a conversation item (codex_messages) */
  codex_item_free(&item);
  codex_state_free(&cs);
  lumo_arena arena = {0};
  const char *why;
  int64_t nrec;
  otlp_walk(p, size, OTLP_METRIC | OTLP_LOG, 0, &arena, read_all, NULL, &why, &nrec);
  lumo_arena_free(&arena);
  const char *e = lumo_json_skip(p, p + size);
  lumo_span all = {p, e ? (size_t)(e - p) : size};
  walk(all, 0);
  static sqlite3 *db;
  static sqlite3_stmt *valid;
  if (!db && (sqlite3_open(":memory:", &db) || sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &valid, NULL)))
    abort();
  if (lumo_json_valid_strict(p, size)) {
    sqlite3_bind_text64(valid, 1, p, size, SQLITE_STATIC, SQLITE_UTF8);
    if (sqlite3_step(valid) != SQLITE_ROW || sqlite3_column_int(valid, 0) != 1) abort();
    sqlite3_reset(valid);
  }
  return 0;
}
