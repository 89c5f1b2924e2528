/* lumo.c: registration. Two entry points:
**   .load dist/lumo                          -> sqlite3_lumo_init: everything
**   dist/lumo.so:sqlite3_lumo_nofs_init      -> functions and compiled-in tables only
** The second is for servers that run visitors' SQL (Datasette): nothing it registers
** opens a file. Registration stops at, and names, the first failure. Loading twice on
** one connection replaces the objects (sqlite3_create_* overwrite), so it is harmless. */
#define LUMO_MAIN_FILE
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include "lumo_int.h"
#include "lumo.h"
#include "activity.h"
#include "prompts.h"

#include <string.h>
#include <zlib.h>

#ifndef LUMO_COMMIT
#define LUMO_COMMIT "unknown"
#endif
#ifndef LUMO_DATE
#define LUMO_DATE "unknown"
#endif

static const lumo_col version_args[] = {{"(none)", "", "returns the semantic version, e.g. '" LUMO_VERSION "'", 0}};
static const lumo_col debug_args[] = {{"(none)", "", "key: value lines: version, commit, SQLite, zlib", 0}};
static const lumo_object version_object = {"function", "lumo_version", "lumo's version", version_args, 1};
static const lumo_object debug_object = {"function", "lumo_debug", "build and runtime facts", debug_args, 1};

extern const lumo_object lumo_cost_object, lumo_model_object, lumo_price_object,
    lumo_prices_object, lumo_prices_load_object, lumo_price_set_object;

const lumo_object *const lumo_objects[] = {
  &claude_messages_object, &claude_usage_object, &claude_tool_uses_object,
  &lumo_diagnostics_object, &lumo_reference_object, &lumo_prices_object,
  &version_object, &debug_object, &lumo_cost_object, &lumo_model_object, &lumo_price_object,
  &lumo_prices_load_object, &lumo_price_set_object, &lumo_sync_object, &lumo_merge_object, &lumo_reprice_object,
  &lumo_active_seconds_object, &lumo_rest_level_object, &gemini_usage_object, &gemini_messages_object, &codex_usage_object, &codex_messages_object,
  &opencode_usage_object, &otlp_metrics_object, &otlp_logs_object, &lumo_tool_changes_object, &lumo_git_ops_object,
  &lumo_language_object, &lumo_mcp_server_object, &lumo_mcp_tool_object, &lumo_prompt_object, NULL};

static void version_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, LUMO_VERSION, -1, SQLITE_STATIC);
}

static void debug_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  const char *entry = sqlite3_user_data(ctx);
  char *s = sqlite3_mprintf(
      "version: %s\ncommit: %s\ndate: %s\nsqlite compiled: %s\nsqlite running: %s\n"
      "zlib: %s\nentry point: %s",
      LUMO_VERSION, LUMO_COMMIT, LUMO_DATE, SQLITE_VERSION, sqlite3_libversion(), zlibVersion(),
      entry);
  if (!s) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_text(ctx, s, -1, sqlite3_free);
}

static int lumo_init(sqlite3 *db, char **err, const sqlite3_api_routines *api, int with_files) {
  SQLITE_EXTENSION_INIT2(api);
  if (sqlite3_libversion_number() < 3031000) {
    *err = sqlite3_mprintf("lumo: needs SQLite 3.31.0 or newer (DIRECTONLY), found %s",
                           sqlite3_libversion());
    return SQLITE_ERROR;
  }
  const int pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  const char *what = "lumo_version";
  int rc = sqlite3_create_function(db, "lumo_version", 0, pure, NULL, version_fn, NULL, NULL);
  if (!rc) {
    what = "lumo_debug";
    rc = sqlite3_create_function(db, "lumo_debug", 0, pure,
                                 (void *)(with_files ? "sqlite3_lumo_init" : "sqlite3_lumo_nofs_init"),
                                 debug_fn, NULL, NULL);
  }
  lumo_conn *conn = NULL;
  if (!rc) {
    conn = sqlite3_malloc(sizeof(*conn));
    if (!conn) rc = SQLITE_NOMEM;
    else {
      memset(conn, 0, sizeof(*conn));
      conn->nref = 1; /* held by this function until the modules take it */
    }
  }
  if (!rc) {
    what = "time functions";
    rc = lumo_register_time(db);
  }
  if (!rc) {
    what = "activity functions";
    rc = lumo_register_activity(db);
  }
  if (!rc) {
    what = "prompt function";
    rc = lumo_register_prompts(db);
  }
  if (!rc) {
    what = "pricing";
    rc = lumo_pricing_register(db, with_files, &conn->prices);
  }
  if (!rc) {
    what = "lumo_reference/lumo_diagnostics";
    rc = lumo_register_meta(db, conn, with_files);
  }
  if (!rc && with_files) {
    what = "claude tables";
    rc = lumo_register_claude(db, conn);
  }
  if (!rc && with_files) {
    what = "gemini tables";
    rc = lumo_register_gemini(db, conn);
  }
  if (!rc && with_files) {
    what = "codex tables";
    rc = lumo_register_codex(db, conn);
  }
  if (!rc && with_files) {
    what = "opencode tables";
    rc = lumo_register_opencode(db, conn);
  }
  if (!rc && with_files) {
    what = "otlp tables";
    rc = lumo_register_otlp(db, conn);
  }
  if (!rc && with_files) {
    what = "lumo_sync/lumo_merge";
    rc = lumo_register_sync(db, conn);
  }
  if (conn) lumo_conn_release(conn);
  if (rc) {
    *err = sqlite3_mprintf("lumo: registering %s failed: %s", what, sqlite3_errstr(rc));
    return rc;
  }
  return SQLITE_OK;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
__attribute__((visibility("default"))) int sqlite3_lumo_init(sqlite3 *db, char **err,
                                                             const sqlite3_api_routines *api) {
  return lumo_init(db, err, api, 1);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
__attribute__((visibility("default"))) int sqlite3_lumo_nofs_init(sqlite3 *db, char **err,
                                                                  const sqlite3_api_routines *api) {
  return lumo_init(db, err, api, 0);
}
