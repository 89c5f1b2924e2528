/* lumo_int.h: internal declarations shared by the extension's files; never installed.
** Layers, each one file: json.c (scanner) -> reader.c (lines, gzip) -> walk.c (file
** lists) -> claude.c (records of one agent) -> dedup.c (winner table) -> vt_*.c
** (virtual tables) -> lumo.c (registration). A file uses only layers to its left,
** plus util.c (buffers, diagnostics, errors). */
#ifndef LUMO_INT_H
#define LUMO_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3ext.h>
#ifndef LUMO_MAIN_FILE
SQLITE_EXTENSION_INIT3
#endif

#define LUMO_API __attribute__((visibility("hidden")))

/* ------------------------------------------------------------------ util.c */

/* A span of bytes borrowed from a buffer; valid while its owner is. */
typedef struct lumo_span {
  const char *p;
  size_t n;
} lumo_span;

/* Growable byte buffer, heap from sqlite3_malloc64. Always NUL-terminated
** when len > 0 or after lumo_buf_nul(). */
typedef struct lumo_buf {
  char *p;    /* owned */
  size_t len;
  size_t cap;
  int oom;    /* set once an allocation failed; later appends are no-ops */
} lumo_buf;

LUMO_API int lumo_buf_reserve(lumo_buf *b, size_t extra);
LUMO_API void lumo_buf_append(lumo_buf *b, const char *p, size_t n);
LUMO_API void lumo_buf_putc(lumo_buf *b, char c);
LUMO_API void lumo_buf_nul(lumo_buf *b);
LUMO_API void lumo_buf_free(lumo_buf *b);
LUMO_API int lumo_read_file(const char *path, size_t cap, lumo_buf *out);

/* Bump allocator for many small strings that live as long as one scan. */
typedef struct lumo_arena_block lumo_arena_block;
typedef struct lumo_arena {
  lumo_arena_block *head; /* owned chain */
  size_t used, cap;       /* of head */
  size_t total;           /* bytes allocated, for memory accounting */
} lumo_arena;

LUMO_API char *lumo_arena_dup(lumo_arena *a, const char *p, size_t n); /* NUL added */
LUMO_API void lumo_arena_free(lumo_arena *a);

LUMO_API uint64_t lumo_hash(const char *p, size_t n); /* FNV-1a */
LUMO_API uint64_t lumo_hash_more(uint64_t h, const char *p, size_t n);
LUMO_API int lumo_ends_with(const char *s, const char *suffix); /* a non-empty stem, then suffix */

/* A set of interned strings, stored in an arena; the set only holds pointers. */
typedef struct lumo_intern_set {
  const char **slots; /* owned array; strings borrowed from the arena */
  int n, cap;
} lumo_intern_set;
LUMO_API const char *lumo_intern(lumo_intern_set *t, lumo_arena *a, const char *p, size_t n);
LUMO_API void lumo_intern_free(lumo_intern_set *t);

/* One diagnostic: a line or file a scan could not use. */
typedef struct lumo_diag {
  char *source;  /* owned: 'claude_messages', ... */
  char *file;    /* owned */
  int64_t line;  /* 1-based, 0 for the whole file */
  char *kind;    /* owned: 'malformed', 'torn', 'too_long', 'unreadable', ... */
  char *detail;  /* owned: human text */
} lumo_diag;

/* Threads a scan (claude_usage's readers) or a walk (the top directory's entries) uses
** at most: one per core, up to this; LUMO_THREADS overrides. */
#define LUMO_MAX_THREADS 4
/* LUMO_THREADS, else the number of cores, at most LUMO_MAX_THREADS and items, at least 1. */
LUMO_API int lumo_threads(int items);

/* Directory listings remembered between syncs (walk.c). lumo_sync lends a snapshot to
** the walker through lumo_conn.dirs: a directory whose mtime and inode are those of the
** remembered listing is not read again (its files are still stat'ed, since appending
** to a file does not change its directory's mtime). Entries are "<t><name>/" with t =
** d (directory), f (file) or u (unknown type); a name never holds '/'. */
typedef struct lumo_dirrec {
  char *path;
  int64_t mtime_ns, inode;
  char *entries;
} lumo_dirrec;
typedef struct lumo_dircache {
  lumo_dirrec *known;  /* the last sync's listings, sorted by path; read-only in a walk */
  int nknown, known_cap;
  lumo_arena known_text; /* the known listings' paths and entries */
  lumo_dirrec *fresh;  /* listings read by this walk, to be remembered */
  int nfresh, fresh_cap;
} lumo_dircache;
/* Takes copies of path and entries; to the known (fresh = 0) or fresh list. */
LUMO_API int lumo_dircache_add(lumo_dircache *dc, int fresh, const char *path, int64_t mtime_ns,
                               int64_t inode, const char *entries);
/* Sorts known, after loading (nothing to do when they were loaded in path order). */
LUMO_API void lumo_dircache_sort(lumo_dircache *dc);
LUMO_API void lumo_dircache_free(lumo_dircache *dc);

/* Per-connection state shared by every module of one sqlite3_lumo_init call. */
typedef struct lumo_conn {
  lumo_diag *diags; /* owned array */
  int ndiag, cap;
  int64_t dropped;  /* diagnostics beyond LUMO_DIAG_MAX, counted not kept */
  int64_t diag_oom; /* of those, the ones lost to an allocation failure: a sync then fails
                    ** with SQLITE_NOMEM (and is redone whole) rather than store a count
                    ** whose stated reason is wrong; lumo_diagnostics says which they were */
  char dropped_source[64]; /* the scan that dropped the last of them (lumo_diagnostics names it) */
  int nref;         /* modules holding this struct */
  void *prices;     /* the connection's price state (pricing.c), one reference held */
  lumo_dircache *dirs; /* set by lumo_sync while it lists files, else NULL */
} lumo_conn;

#define LUMO_DIAG_MAX 10000

/* Appends from's diagnostics (and its count of dropped ones) to c, then empties from. */
LUMO_API void lumo_diag_absorb(lumo_conn *c, lumo_conn *from);
LUMO_API void lumo_diag_reset(lumo_conn *c, const char *source);
LUMO_API void lumo_diag_add(lumo_conn *c, const char *source, const char *file,
                            int64_t line, const char *kind, const char *fmt, ...);
LUMO_API void lumo_conn_release(void *p);
LUMO_API void lumo_conn_release_diags(lumo_conn *c);

/* xBestIndex/xFilter helpers for vtabs with hidden arguments. */
LUMO_API char *lumo_expand_home(const char *path); /* caller frees; NULL on OOM */
LUMO_API int lumo_vtab_err(sqlite3_vtab *vt, const char *fmt, ...);
/* ISO-8601 text to milliseconds since the epoch; 1 ok, 0 not a time. */
LUMO_API int lumo_iso_to_ms(const char *s, int64_t *out);
/* Base name of a path (last component, trailing slashes ignored). */
LUMO_API lumo_span lumo_path_last(const char *p, size_t n);
/* The project of a folder (its last component) as a new string, NULL when path is NULL
** or has none; *rc set to SQLITE_NOMEM when the copy failed (a row without its project
** would be a wrong row). */
LUMO_API char *lumo_project_new(const char *path, int *rc);

/* num.c: strtod and snprintf of one double in the "C" locale, whatever the host set. */
LUMO_API double lumo_strtod(const char *s, char **end);
LUMO_API int lumo_fmt_double(char *buf, size_t cap, const char *fmt, double d);

/* ------------------------------------------------------------------ json.c */

/* Streaming JSON scanner: spans into a caller's buffer, nothing allocated except by
** lumo_json_decode. Every function bounds-checks against `end` and returns NULL (or
** a negative status) on malformed input. */
typedef struct lumo_json_obj {
  const char *p, *end; /* cursor inside an object; p just past '{' or a member */
  int n;               /* members returned so far */
  int err;             /* set on malformed input */
} lumo_json_obj;

LUMO_API const char *lumo_json_ws(const char *p, const char *end);
LUMO_API const char *lumo_json_skip(const char *p, const char *end);
LUMO_API const char *lumo_json_skip_string(const char *p, const char *end);
LUMO_API int lumo_json_obj_open(lumo_json_obj *o, const char *p, const char *end);
LUMO_API int lumo_json_obj_next(lumo_json_obj *o, lumo_span *key, lumo_span *val);
LUMO_API int lumo_json_arr_open(lumo_json_obj *a, const char *p, const char *end);
LUMO_API int lumo_json_arr_next(lumo_json_obj *a, lumo_span *val);
LUMO_API int lumo_json_key_is(lumo_span key, const char *lit, size_t n);
#define LUMO_KEY(k, lit) lumo_json_key_is((k), (lit), sizeof(lit) - 1)
LUMO_API int lumo_json_int(lumo_span v, int64_t *out);
LUMO_API int lumo_json_double(lumo_span v, double *out);
LUMO_API int lumo_json_decode(lumo_span v, lumo_buf *out); /* string -> UTF-8 */
LUMO_API int lumo_json_is_string(lumo_span v);
/* One JSON value, strictly by RFC 8259 (at most 1000 levels deep): a subset of what
** SQLite's json_valid() accepts. */
LUMO_API int lumo_json_valid_strict(const char *p, size_t n);
LUMO_API int lumo_json_bool(lumo_span v); /* 1 true, 0 false, -1 other */
LUMO_API int lumo_json_get(lumo_span obj, const char *key, lumo_span *val);
typedef void (*lumo_json_object_fn)(void *ctx, lumo_span object);
LUMO_API void lumo_json_each_object(lumo_span array, lumo_json_object_fn fn, void *ctx);
/* Token counts (json.c): whole numbers and digit strings in [0, LUMO_COUNT_MAX] are
** counts; anything else is reported (lumo_count_report) and counted as 0, the record
** kept. 10^12 tokens is a thousand times the largest context window, and keeps every
** sum of counts far inside int64 (SQLite's SUM fails on overflow). */
#define LUMO_COUNT_MAX 1000000000000LL
enum { LUMO_COUNT_OK = 0, LUMO_COUNT_WRONG_TYPE = 1, LUMO_COUNT_OUT_OF_RANGE = 2 };
LUMO_API int lumo_json_count(lumo_span v, int64_t *out);
LUMO_API const char *lumo_count_why(int status); /* the diagnostic kind */
/* The first count of a record that was not used, for its one diagnostic. */
typedef struct lumo_count_issue {
  const char *field; /* static */
  int status, n;
  lumo_span value;   /* borrowed from the line */
} lumo_count_issue;
LUMO_API void lumo_count_note(lumo_count_issue *b, const char *field, int status, lumo_span v);
LUMO_API char *lumo_count_detail(const lumo_count_issue *b); /* caller frees */
LUMO_API void lumo_count_report(lumo_conn *c, const char *source, const char *file, int64_t line,
                                const lumo_count_issue *b);
/* Invalid UTF-8 and NUL bytes replaced by U+FFFD into out; returns how many (0: p was
** valid, out untouched). */
LUMO_API int64_t lumo_utf8_fix(const char *p, size_t n, lumo_buf *out);
/* The bytes of a last character p[0, n) cuts (an unfinished line): 0 to 3. */
LUMO_API size_t lumo_utf8_unfinished(const char *p, size_t n);
/* A string, or the "text" members of an array of parts joined by newlines, appended. */
LUMO_API void lumo_json_texts(lumo_span v, lumo_buf *out);
/* The same, stopping once out holds limit bytes (its first limit bytes are the same). */
LUMO_API void lumo_json_texts_upto(lumo_span v, lumo_buf *out, size_t limit);

/* ---------------------------------------------------------------- reader.c */

typedef struct lumo_reader {
  int fd;           /* owned, -1 when closed */
  void *gz;         /* owned gzFile when the file is gzip, else NULL */
  void *zst;        /* owned zstd stream when the file is .zst, else NULL */
  char *buf;        /* owned */
  size_t cap, start, end, scan; /* valid data buf[start,end); newline search resumes at scan */
  int eof;
  size_t max_line;  /* longer lines are skipped, reported as LUMO_LINE_TOOLONG */
  int64_t line_no;  /* 1-based number of the line last returned */
  int64_t offset;   /* byte offset (uncompressed) where the line last returned starts */
  int64_t next_off; /* byte offset just past it */
  int err;          /* errno of a failed read */
  lumo_buf fixed;   /* the last line, made valid UTF-8 (lumo_next_raw), when it was not */
  int64_t in_off;   /* uncompressed offset of buf[end]: where a damaged gzip stream is re-read */
  int gz_broken;    /* the gzip stream met damaged data: what preceded it was salvaged */
  /* Memory cap of one line (reader.c, cut_strings): past cut_at bytes (0: never), the
  ** strings of the line being read keep their first LUMO_CUT_KEEP bytes */
  size_t cut_at;
  size_t cut_read, cut_write; /* the line's bytes scanned / kept so far (from start) */
  int cut_on, cut_in_str, cut_esc, cut_drop;
  size_t cut_run;   /* bytes kept of the current string */
  int64_t cut_removed; /* bytes left out of the line being read */
  int64_t line_cut;    /* of the line last returned: bytes left out (0: read whole) */
} lumo_reader;
#define LUMO_CUT_AT ((size_t)64 << 20)
#define LUMO_CUT_KEEP ((size_t)1 << 20)

enum { LUMO_LINE_EOF = 0, LUMO_LINE_OK = 1, LUMO_LINE_TORN = 2, LUMO_LINE_TOOLONG = 3,
       LUMO_LINE_ERROR = -1 };

LUMO_API int lumo_reader_open(lumo_reader *r, const char *path, int64_t start_offset,
                              int64_t start_line);
LUMO_API int lumo_reader_next(lumo_reader *r, const char **line, size_t *len);
LUMO_API void lumo_reader_close(lumo_reader *r);
LUMO_API int lumo_reader_zstd(void); /* 1 when built with libzstd (.zst files open) */
struct lumo_file;
enum { LUMO_RAW_END = 0, LUMO_RAW_LINE = 1, LUMO_RAW_SKIP = 2, LUMO_RAW_TORN = 3 };
LUMO_API int lumo_next_raw(lumo_reader *rd, const struct lumo_file *f, lumo_conn *c, const char *source,
                           const char **p, size_t *n, int *torn, int64_t *skipped);
LUMO_API int lumo_line_refused(const lumo_reader *rd, const struct lumo_file *f, lumo_conn *c, const char *source,
                               int torn, const char *why, int64_t *skipped);

/* ------------------------------------------------------------------ walk.c */

typedef struct lumo_file {
  char *path;     /* owned, absolute or as given */
  const char *rel;/* borrowed from path: the part below the root */
  int64_t size, mtime_ns, inode;
  int root;       /* index of the root it came from */
} lumo_file;

typedef struct lumo_filelist {
  lumo_file *f;   /* owned array, sorted by path within each root */
  int n, cap;
} lumo_filelist;

/* Adds every regular file under dir whose name ends with one of the suffixes
** (NULL-terminated). A missing dir adds nothing and returns SQLITE_OK. */
LUMO_API int lumo_walk(lumo_filelist *fl, const char *dir, size_t rel_from, int root,
                       const char *const *suffixes, lumo_conn *c, const char *source);
/* Roots: a comma-separated list of directories, ~ expanded, trailing slashes dropped;
** lumo_roots_default takes the argument, else $env + env_suffix, else the fallback list. */
LUMO_API int lumo_roots_parse(const char *list, char ***roots, int *n);
LUMO_API int lumo_roots_default(const char *arg, const char *env, const char *env_suffix,
                                const char *fallback, char ***roots, int *n);
LUMO_API void lumo_roots_free(char **roots, int n);
/* Adds one file by its path if it is a regular file (a missing one adds nothing). */
LUMO_API int lumo_filelist_add(lumo_filelist *fl, const char *path, size_t rel_from, int root);
LUMO_API void lumo_filelist_free(lumo_filelist *fl);

/* ---------------------------------------------------------------- claude.c */

/* What one Claude Code transcript line holds, as spans into the line. */
typedef struct claude_line {
  lumo_span type, uuid, parent_uuid, session_id, timestamp, cwd, git_branch, version;
  lumo_span agent_id, request_id;
  lumo_span role, model, message_id, content, stop_reason, usage;
  lumo_span service_tier, speed, inference_geo;
  lumo_span tool_use_result, summary;
  int is_sidechain, is_api_error, is_meta, has_message, has_usage, has_speed;
  int seen_message;   /* a "message" key was met (a second one is ignored) */
  int has_cost_usd;   /* costUSD: Claude Code's own estimate (old versions, spec 1.7) */
  int bad_cost_usd;   /* a costUSD that is not a non-negative number (reported, not kept) */
  double cost_usd;
  int64_t input, output, cache_read, cache_create, cache_5m, cache_1h, web_search;
  int has_split;  /* cache_creation object present */
  lumo_count_issue bad_counts; /* usage fields that are not counts (counted 0, reported) */
} claude_line;

enum { CLAUDE_PARSE_FULL = 0, CLAUDE_PARSE_USAGE = 1 };

/* Parses one line. Returns NULL on success, else a static error text. With usage_only,
** a record whose "type" is not "assistant" stops the parse early and returns
** claude_not_billable (not an error: the rest of the line is not looked at). */
LUMO_API const char *claude_parse_line(const char *p, size_t n, claude_line *out, int usage_only);
LUMO_API extern const char claude_not_billable[];
/* Adds the text of the content blocks (text blocks, and the string form) to out. */
LUMO_API void claude_content_text(lumo_span content, lumo_buf *out);
/* Calls fn for every object block of a content array; claude_block_is tests its type. */
typedef lumo_json_object_fn claude_block_fn;
LUMO_API void claude_each_block(lumo_span content, claude_block_fn fn, void *ctx);
LUMO_API int claude_block_is(lumo_span block, const char *type);
/* The decisions shared by every reader of a Claude line (claude.c). */
LUMO_API int claude_line_bills(const claude_line *L);
LUMO_API int claude_line_is_record(const claude_line *L);
LUMO_API int claude_line_text(const claude_line *L, lumo_buf *out); /* 0: no text (NULL) */
typedef struct claude_tool { lumo_span id, name, input; } claude_tool;                  /* tool_use */
typedef struct claude_result { lumo_span tool_use_id, content; int is_error; } claude_result; /* tool_result */
typedef void (*claude_tool_fn)(void *ctx, const claude_tool *t);
typedef void (*claude_result_fn)(void *ctx, const claude_result *r);
LUMO_API void claude_line_tools(const claude_line *L, claude_tool_fn on_use, claude_result_fn on_result,
                                void *ctx);
/* The same blocks one at a time (claude_tool_uses stops between them). */
typedef struct claude_tools_iter { const char *p, *end; int want; } claude_tools_iter;
enum { CLAUDE_TOOLS_END = 0, CLAUDE_TOOLS_USE = 1, CLAUDE_TOOLS_RESULT = 2 };
LUMO_API void claude_tools_open(claude_tools_iter *it, const claude_line *L);
LUMO_API int claude_tools_next(claude_tools_iter *it, claude_tool *u, claude_result *r);
enum { CLAUDE_LINE_END = 0, CLAUDE_LINE_RECORD = 1, CLAUDE_LINE_SKIP = 2, CLAUDE_LINE_TORN = 3 };
LUMO_API int claude_next_line(lumo_reader *rd, const lumo_file *f, lumo_conn *c, const char *source,
                              int usage_only, claude_line *L, int64_t *skipped);
/* Low-confidence test for streaming placeholders (spec 1.6 rule 5). */
LUMO_API int claude_is_placeholder(int64_t output, int64_t content_bytes);
struct lumo_cand;
LUMO_API void claude_cand_numbers(const claude_line *L, struct lumo_cand *k);
/* Collects the Claude roots from the argument or the environment. */
LUMO_API int claude_roots(const char *arg, char ***roots, int *n);
/* Lists transcript files under the roots, every projects/ file ending .jsonl or .jsonl.gz;
** a root that is one transcript (ROOT/projects/.../x.jsonl) lists it and its subagents'
** files, with the paths and rel parts a walk of ROOT gives them. */
LUMO_API int claude_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c,
                          const char *source);
/* For ROOT/projects/.../x.jsonl(.gz), a regular file: strlen("ROOT/"); else 0. */
LUMO_API size_t claude_transcript_root(const char *path);
/* Session id and whether the file is a subagent file, from its path. */
LUMO_API lumo_span claude_file_session(const lumo_file *f, int *is_subagent);

/* ---------------------------------------------------------------- pricing.c */
/* Registers the pricing functions and lumo_prices; *prices receives the connection's
** price state (for cost columns of source tables), released with lumo_prices_release. */
LUMO_API int lumo_pricing_register(sqlite3 *db, int with_files, void **prices);
LUMO_API void lumo_prices_release(void *prices);
/* For sync: hold the database's price_overrides as read now (1) or follow them again (0). */
LUMO_API void lumo_prices_freeze(void *prices, int frozen);
/* A fingerprint of a logged model name's prices over all time (usage.price_fp); never 0. */
LUMO_API int64_t lumo_price_fingerprint(void *prices, const char *model);
/* The built-in snapshot's hash, and a hash of everything that prices requests now. */
LUMO_API uint64_t lumo_prices_builtin_hash(void);
LUMO_API uint64_t lumo_prices_state_hash(void *prices);
LUMO_API const char *lumo_price_source(const void *prices, const char *model);
/* Cost of one request at the prices in force at the request's time: timestamp is the
** row's ISO-8601 text as the agent wrote it (NULL or not a time: now); the _ms form
** takes ms since the epoch, UTC (<= 0: now). *known is 0 when no price is in force. */
LUMO_API double lumo_cost_request(const void *prices, const char *model, int64_t in,
                                  int64_t out, int64_t cr, int64_t w5, int64_t w1,
                                  const char *speed, const char *geo, const char *tier,
                                  int64_t web_search, const char *timestamp, int *known);
LUMO_API double lumo_cost_request_ms(const void *prices, const char *model, int64_t in,
                                     int64_t out, int64_t cr, int64_t w5, int64_t w1,
                                     const char *speed, const char *geo, const char *tier,
                                     int64_t web_search, int64_t at_ms, int *known);

/* --------------------------------------------------------- registration helpers */
LUMO_API int lumo_register_claude(sqlite3 *db, lumo_conn *c);
LUMO_API int lumo_register_sync(sqlite3 *db, lumo_conn *c);
LUMO_API int lumo_register_gemini(sqlite3 *db, lumo_conn *c);
LUMO_API int lumo_register_codex(sqlite3 *db, lumo_conn *c);
LUMO_API int lumo_register_opencode(sqlite3 *db, lumo_conn *c);
LUMO_API int lumo_register_otlp(sqlite3 *db, lumo_conn *c);
LUMO_API int lumo_register_meta(sqlite3 *db, lumo_conn *c, int with_files);
LUMO_API int lumo_register_time(sqlite3 *db);

/* Column and object descriptors: one static array per table is the single source
** of its schema (sqlite3_declare_vtab text) and of its documentation (lumo_reference). */
typedef struct lumo_col {
  const char *name, *type, *doc;
  int hidden; /* a table-valued-function argument */
} lumo_col;

typedef struct lumo_object {
  const char *kind; /* 'table' or 'function' */
  const char *name;
  const char *doc;
  const lumo_col *cols; /* tables: columns; functions: arguments (NULL: none) */
  int ncol;
} lumo_object;

/* The vtab of a source table: base, then the shared connection state. */
typedef struct lumo_source_vtab {
  sqlite3_vtab base;
  lumo_conn *conn; /* shared, reference counted */
  int kind;        /* which table of a module family (claude: messages, usage, tool uses) */
  /* what the last finished scan of this table on this connection yielded: the planner's
  ** row and cost estimates (xBestIndex), 0 before the first */
  int64_t last_rows, last_bytes;
} lumo_source_vtab;
/* xConnect of a file-reading source table (DIRECTONLY): declares o's columns and
** allocates a lumo_source_vtab. xDisconnect: lumo_source_disconnect. */
LUMO_API int lumo_source_connect(sqlite3 *db, void *conn, const lumo_object *o, int kind,
                                 sqlite3_vtab **pp, char **err);
/* The xConnect function fn of one table (object, kind) of a source module. */
#define LUMO_SOURCE_CONNECT(fn, object, kind)                                                 \
  static int fn(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **pp, \
                char **err) {                                                                 \
    (void)argc;                                                                               \
    (void)argv;                                                                               \
    return lumo_source_connect(db, aux, object, kind, pp, err);                               \
  }
LUMO_API int lumo_source_disconnect(sqlite3_vtab *vt);
LUMO_API int lumo_declare_object(sqlite3 *db, const lumo_object *o, char **err);
/* xBestIndex of a source table whose only argument is the hidden root column:
** idxNum 1 = root given (argv[0], omitted); an unusable root is SQLITE_CONSTRAINT. */
LUMO_API int lumo_root_best_index(sqlite3_index_info *ii, int root_col);
/* Every documented object, NULL-terminated; defined in lumo.c. */
LUMO_API extern const lumo_object *const lumo_objects[];
LUMO_API char *lumo_declare_sql(const lumo_col *cols, int n); /* caller frees */
LUMO_API extern const lumo_object claude_messages_object, claude_usage_object,
    claude_tool_uses_object, lumo_diagnostics_object, lumo_reference_object, lumo_sync_object,
    lumo_merge_object, lumo_reprice_object, lumo_active_seconds_object, lumo_rest_level_object, gemini_usage_object, gemini_messages_object,
    codex_usage_object, codex_messages_object, opencode_usage_object, otlp_metrics_object, otlp_logs_object;

#endif
