/* claude.c: the Claude Code source parser: where transcripts live, and what one
** transcript line says (spec: transcripts.md section 1). It turns a line into a
** claude_line of spans and numbers; it knows the agent's field names, the usage
** mapping to lumo's five token buckets, and the placeholder rule. It knows nothing
** of SQLite tables, deduplication across lines, or pricing. */
#include "lumo_int.h"
#include "dedup.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A string field. null, non-strings and "" count as absent (spec 1.8). A key written
** twice keeps its first value, in every mode of the parser: the usage-only mode decides
** on the first "type" it meets, and the full parse must decide the same. */
static int set_str(lumo_span *dst, lumo_span v) {
  if (!dst->n && lumo_json_is_string(v) && v.n > 2) *dst = v;
  return 0;
}

/* A token count (lumo_json_count): present makes *ok 1 even when the value is not a
** count, which then counts 0 and is reported (claude_next_line): the response is kept. */
static void get_count(claude_line *L, const char *field, lumo_span v, int64_t *dst, int *ok) {
  lumo_count_note(&L->bad_counts, field, lumo_json_count(v, dst), v);
  if (ok) *ok = 1;
}

static int parse_usage(lumo_span u, claude_line *L) {
  lumo_json_obj o;
  lumo_span k, v;
  int has_in = 0, has_out = 0, rc;
  if (lumo_json_obj_open(&o, u.p, u.p + u.n)) return -1;
  while ((rc = lumo_json_obj_next(&o, &k, &v)) == 1) {
    if (LUMO_KEY(k, "input_tokens")) get_count(L, "input_tokens", v, &L->input, &has_in);
    else if (LUMO_KEY(k, "output_tokens")) get_count(L, "output_tokens", v, &L->output, &has_out);
    else if (LUMO_KEY(k, "cache_read_input_tokens")) get_count(L, "cache_read_input_tokens", v, &L->cache_read, NULL);
    else if (LUMO_KEY(k, "cache_creation_input_tokens")) get_count(L, "cache_creation_input_tokens", v, &L->cache_create, NULL);
    else if (LUMO_KEY(k, "cache_creation") && v.n && v.p[0] == '{') {
      lumo_json_obj c;
      lumo_span ck, cv;
      int crc;
      if (lumo_json_obj_open(&c, v.p, v.p + v.n)) return -1;
      while ((crc = lumo_json_obj_next(&c, &ck, &cv)) == 1) {
        if (LUMO_KEY(ck, "ephemeral_5m_input_tokens")) get_count(L, "ephemeral_5m_input_tokens", cv, &L->cache_5m, &L->has_split);
        else if (LUMO_KEY(ck, "ephemeral_1h_input_tokens")) get_count(L, "ephemeral_1h_input_tokens", cv, &L->cache_1h, &L->has_split);
      }
      if (crc < 0) return -1;
    } else if (LUMO_KEY(k, "service_tier")) set_str(&L->service_tier, v);
    else if (LUMO_KEY(k, "speed")) {
      set_str(&L->speed, v);
      if (L->speed.n) L->has_speed = 1;
    } else if (LUMO_KEY(k, "inference_geo")) set_str(&L->inference_geo, v);
    else if (LUMO_KEY(k, "server_tool_use") && v.n && v.p[0] == '{') {
      lumo_span w;
      if (lumo_json_get(v, "web_search_requests", &w) == 1) get_count(L, "web_search_requests", w, &L->web_search, NULL);
    }
  }
  if (rc < 0) return -1;
  L->has_usage = has_in && has_out;
  if (!L->has_split) {
    /* Without the TTL split every cache write is a 5-minute write (spec 1.5). */
    L->cache_5m = L->cache_create;
    L->cache_1h = 0;
  }
  return 0;
}

static int parse_message(lumo_span m, claude_line *L) {
  lumo_json_obj o;
  lumo_span k, v;
  int rc;
  if (lumo_json_obj_open(&o, m.p, m.p + m.n)) return 0; /* a string message: no fields */
  L->has_message = 1;
  while ((rc = lumo_json_obj_next(&o, &k, &v)) == 1) {
    switch (k.n) {
      case 2:
        if (LUMO_KEY(k, "id")) set_str(&L->message_id, v);
        break;
      case 4:
        if (LUMO_KEY(k, "role")) set_str(&L->role, v);
        break;
      case 5:
        if (LUMO_KEY(k, "model")) set_str(&L->model, v);
        else if (LUMO_KEY(k, "usage") && v.n && v.p[0] == '{') {
          L->usage = v;
          if (parse_usage(v, L)) return -1;
        }
        break;
      case 7:
        if (LUMO_KEY(k, "content")) L->content = v;
        break;
      case 11:
        if (LUMO_KEY(k, "stop_reason")) set_str(&L->stop_reason, v);
        break;
      default:
        break;
    }
  }
  return rc < 0 ? -1 : 0;
}

const char claude_not_billable[] = "not billable";

const char *claude_parse_line(const char *p, size_t n, claude_line *L, int usage_only) {
  const char *end = p + n;
  memset(L, 0, sizeof(*L));
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3; /* UTF-8 BOM */
  lumo_json_obj o;
  lumo_span k, v;
  int rc;
  if (lumo_json_obj_open(&o, p, end)) return "not a JSON object";
  while ((rc = lumo_json_obj_next(&o, &k, &v)) == 1) {
    switch (k.n) {
      case 3:
        if (LUMO_KEY(k, "cwd")) set_str(&L->cwd, v);
        break;
      case 4:
        if (LUMO_KEY(k, "type") && !L->type.n) {
          set_str(&L->type, v);
          /* Only assistant records bill (claude_line_bills). Claude Code writes "type"
          ** before "message" on user records, so their (often huge) content is never
          ** even skipped. */
          if (usage_only && !(v.n == 11 && memcmp(v.p, "\"assistant\"", 11) == 0))
            return claude_not_billable;
        }
        else if (LUMO_KEY(k, "uuid")) set_str(&L->uuid, v);
        break;
      case 6:
        if (LUMO_KEY(k, "isMeta")) L->is_meta = lumo_json_bool(v) == 1;
        break;
      case 7:
        if (LUMO_KEY(k, "version")) set_str(&L->version, v);
        else if (LUMO_KEY(k, "message")) {
          if (!L->seen_message && parse_message(v, L)) return "malformed message object";
          L->seen_message = 1;
        } else if (LUMO_KEY(k, "agentId")) set_str(&L->agent_id, v);
        else if (LUMO_KEY(k, "costUSD") && !L->has_cost_usd) {
          double d;
          /* Claude Code's own estimate (spec 1.7), kept beside lumo's price */
          if (v.n && v.p[0] != '"' && lumo_json_double(v, &d) == 0 && d >= 0) {
            L->cost_usd = d;
            L->has_cost_usd = 1;
          } else if (!(v.n == 4 && memcmp(v.p, "null", 4) == 0)) {
            L->bad_cost_usd = 1; /* reported by claude_next_line; the response still bills */
          }
        }
        else if (LUMO_KEY(k, "summary")) set_str(&L->summary, v);
        else if (LUMO_KEY(k, "content") && !L->has_message) L->content = v; /* system records */
        break;
      case 9:
        if (LUMO_KEY(k, "sessionId")) set_str(&L->session_id, v);
        else if (LUMO_KEY(k, "timestamp")) set_str(&L->timestamp, v);
        else if (LUMO_KEY(k, "gitBranch")) set_str(&L->git_branch, v);
        else if (LUMO_KEY(k, "requestId")) set_str(&L->request_id, v);
        break;
      case 10:
        if (LUMO_KEY(k, "parentUuid")) set_str(&L->parent_uuid, v);
        else if (LUMO_KEY(k, "session_id") && !L->session_id.n) set_str(&L->session_id, v);
        break;
      case 11:
        if (LUMO_KEY(k, "isSidechain")) L->is_sidechain = lumo_json_bool(v) == 1;
        break;
      case 13:
        if (LUMO_KEY(k, "toolUseResult")) L->tool_use_result = v;
        break;
      case 17:
        if (LUMO_KEY(k, "isApiErrorMessage")) L->is_api_error = lumo_json_bool(v) == 1;
        break;
      default:
        break;
    }
  }
  if (rc < 0) return "malformed JSON";
  /* One record per line: anything after the object means two records ran together
  ** or the line is damaged; neither record counts (spec 5.1). */
  if (lumo_json_ws(o.p, end) != end) return "trailing data after the JSON object";
  if (L->model.n == 13 && memcmp(L->model.p, "\"<synthetic>\"", 13) == 0) L->is_api_error = 1;
  return NULL;
}

static void text_block(void *ctx, lumo_span blk) {
  lumo_buf *out = ctx;
  lumo_span txt;
  if (claude_block_is(blk, "text") && lumo_json_get(blk, "text", &txt) == 1 && lumo_json_is_string(txt)) {
    if (out->len) lumo_buf_putc(out, '\n');
    lumo_json_decode(txt, out);
  }
}

/* Appends the text of a content value: the string itself, or the text blocks of an
** array joined by newlines. Thinking and tool blocks are not text. */
void claude_content_text(lumo_span content, lumo_buf *out) {
  if (!content.n) return;
  if (content.p[0] == '"') {
    lumo_json_decode(content, out);
    return;
  }
  claude_each_block(content, text_block, out);
}

/* Calls fn(ctx, block) for every object block of a content array. */
void claude_each_block(lumo_span content, claude_block_fn fn, void *ctx) {
  lumo_json_each_object(content, fn, ctx);
}

/* True when a block's "type" is lit. */
int claude_block_is(lumo_span blk, const char *lit) {
  lumo_span t;
  size_t n = strlen(lit);
  return lumo_json_get(blk, "type", &t) == 1 && t.n == n + 2 && memcmp(t.p + 1, lit, n) == 0;
}

/* The decisions every reader of a Claude line shares (claude_messages, claude_usage,
** claude_tool_uses and lumo_sync): which lines bill, which are conversation records,
** what their text is, and which content blocks are tool calls and results. */

static int type_is(const claude_line *L, const char *lit) {
  size_t n = strlen(lit);
  return L->type.n == n + 2 && memcmp(L->type.p + 1, lit, n) == 0;
}

/* Spec 1.7: a line bills when it has numeric usage at the top of its message, is no
** API error, and is an assistant record (or has no type: hand-made files omit it). */
int claude_line_bills(const claude_line *L) {
  return L->has_usage && !L->is_api_error && (!L->type.n || type_is(L, "assistant"));
}

/* A conversation record: user, assistant, system or summary (a typeless line with a
** message object counts too). */
int claude_line_is_record(const claude_line *L) {
  if (!L->type.n) return L->has_message;
  return type_is(L, "user") || type_is(L, "assistant") || type_is(L, "system") || type_is(L, "summary");
}

/* The text of a record: its content's text blocks, else a summary's text. Returns 0
** when the record holds neither (the text is then NULL, not empty). */
int claude_line_text(const claude_line *L, lumo_buf *out) {
  if (L->content.n) claude_content_text(L->content, out);
  else if (L->summary.n) lumo_json_decode(L->summary, out);
  else return 0;
  return 1;
}

static lumo_span string_member(lumo_span obj, const char *key) {
  lumo_span v;
  if (lumo_json_get(obj, key, &v) == 1 && lumo_json_is_string(v)) return v;
  return (lumo_span){NULL, 0};
}

/* Starts a walk over the tool blocks of a line: tool_use blocks of an assistant message,
** tool_result blocks of a user message. The walk can stop between blocks, so a reader
** hands out the calls of a line that holds thousands of them without queueing them all. */
void claude_tools_open(claude_tools_iter *it, const claude_line *L) {
  it->want = CLAUDE_TOOLS_END;
  if (L->role.n == 11 && memcmp(L->role.p, "\"assistant\"", 11) == 0) it->want = CLAUDE_TOOLS_USE;
  else if (L->role.n == 6 && memcmp(L->role.p, "\"user\"", 6) == 0) it->want = CLAUDE_TOOLS_RESULT;
  if (L->content.n < 2 || L->content.p[0] != '[') it->want = CLAUDE_TOOLS_END;
  it->p = it->want ? L->content.p + 1 : NULL;
  it->end = it->want ? L->content.p + L->content.n - 1 : NULL;
}

/* The next tool block of the walk: CLAUDE_TOOLS_USE with *u, CLAUDE_TOOLS_RESULT with *r
** (a result without tool_use_id is passed over), CLAUDE_TOOLS_END after the last. */
int claude_tools_next(claude_tools_iter *it, claude_tool *u, claude_result *r) {
  while (it->want) {
    const char *p = lumo_json_ws(it->p, it->end);
    if (p >= it->end) break;
    if (*p == ',') {
      it->p = p + 1;
      continue;
    }
    const char *e = lumo_json_skip(p, it->end);
    if (!e) break;
    it->p = e;
    if (*p != '{') continue;
    lumo_span blk = {p, (size_t)(e - p)};
    if (it->want == CLAUDE_TOOLS_USE && claude_block_is(blk, "tool_use")) {
      *u = (claude_tool){string_member(blk, "id"), string_member(blk, "name"), {NULL, 0}};
      if (lumo_json_get(blk, "input", &u->input) != 1) u->input = (lumo_span){NULL, 0};
      return CLAUDE_TOOLS_USE;
    }
    if (it->want == CLAUDE_TOOLS_RESULT && claude_block_is(blk, "tool_result")) {
      lumo_span err;
      *r = (claude_result){string_member(blk, "tool_use_id"), {NULL, 0}, 0};
      if (!r->tool_use_id.n) continue;
      r->is_error = lumo_json_get(blk, "is_error", &err) == 1 && lumo_json_bool(err) == 1;
      if (lumo_json_get(blk, "content", &r->content) != 1) r->content = (lumo_span){NULL, 0};
      return CLAUDE_TOOLS_RESULT;
    }
  }
  it->want = CLAUDE_TOOLS_END;
  return CLAUDE_TOOLS_END;
}

/* Calls on_use for every tool_use block of an assistant message and on_result for every
** tool_result block (with an id) of a user message; either may be NULL. */
void claude_line_tools(const claude_line *L, claude_tool_fn on_use, claude_result_fn on_result, void *ctx) {
  claude_tools_iter it;
  claude_tool u;
  claude_result r;
  int k;
  claude_tools_open(&it, L);
  while ((k = claude_tools_next(&it, &u, &r)) != CLAUDE_TOOLS_END) {
    if (k == CLAUDE_TOOLS_USE && on_use) on_use(ctx, &u);
    else if (k == CLAUDE_TOOLS_RESULT && on_result) on_result(ctx, &r);
  }
}

/* A cheap shape test for a line the usage-only parse did not read to its end. */
static int line_looks_whole(const char *p, size_t n) {
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\t')) n--;
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (n - i >= 3 && memcmp(p + i, "\xEF\xBB\xBF", 3) == 0) i += 3;
  return i < n && p[i] == '{' && p[n - 1] == '}';
}

/* One line of a transcript, as every reader takes it: CLAUDE_LINE_RECORD with *L parsed;
** CLAUDE_LINE_SKIP for a blank line, a line too long to read, a malformed line, or (usage
** only) a line that cannot bill; CLAUDE_LINE_TORN for an incomplete last line that does
** not parse (the file is being written: an incremental reader stops before it, so the
** next sync reads it again); CLAUDE_LINE_END at the end of the file or on a read error.
** Too long, malformed, torn and unreadable lines are reported to c under source, and
** the first two are counted in *skipped. */
int claude_next_line(lumo_reader *rd, const lumo_file *f, lumo_conn *c, const char *source,
                     int usage_only, claude_line *L, int64_t *skipped) {
  const char *p;
  size_t n;
  int torn, raw = lumo_next_raw(rd, f, c, source, &p, &n, &torn, skipped);
  if (raw != LUMO_RAW_LINE) return raw == LUMO_RAW_END ? CLAUDE_LINE_END : raw == LUMO_RAW_TORN ? CLAUDE_LINE_TORN : CLAUDE_LINE_SKIP;
  const char *err = claude_parse_line(p, n, L, usage_only);
  if (err == claude_not_billable) {
    /* Not parsed to the end: the cheap shape test still catches most damage. */
    if (line_looks_whole(p, n)) return CLAUDE_LINE_SKIP;
    err = "not a JSON object";
  }
  if (!err) {
    if (claude_line_bills(L)) lumo_count_report(c, source, f->rel, rd->line_no, &L->bad_counts);
    if (L->bad_cost_usd)
      lumo_diag_add(c, source, f->rel, rd->line_no, "wrong_type",
                    "costUSD is not a non-negative number: not kept (the response is billed at lumo's price)");
    return CLAUDE_LINE_RECORD;
  }
  return lumo_line_refused(rd, f, c, source, torn, err, skipped) ? CLAUDE_LINE_TORN : CLAUDE_LINE_SKIP;
}

/* Spec 1.6 rule 5: output below 10 with content far longer than that many tokens
** (more than 4x output_tokens at about 4 bytes a token) is a streaming placeholder. */
int claude_is_placeholder(int64_t output, int64_t content_bytes) {
  return output < 10 && content_bytes > 16 * (output > 0 ? output : 1);
}

/* The ranking fields and token buckets of a billable line (strings are the caller's). */
void claude_cand_numbers(const claude_line *L, lumo_cand *k) {
  k->total = L->input + L->output + L->cache_5m + L->cache_1h + L->cache_read;
  k->has_speed = L->has_speed;
  k->is_sidechain = L->is_sidechain;
  k->copies = 1;
  k->content_bytes = (int64_t)L->content.n;
  k->input = L->input;
  k->output = L->output;
  k->cache_read = L->cache_read;
  k->cache_5m = L->cache_5m;
  k->cache_1h = L->cache_1h;
  k->web_search = L->web_search;
  k->has_stored_cost = L->has_cost_usd;
  k->stored_cost = L->cost_usd;
}

/* Roots: the argument, else $CLAUDE_CONFIG_DIR, else ~/.config/claude and ~/.claude;
** each may be a comma-separated list. */
int claude_roots(const char *arg, char ***roots, int *n) {
  return lumo_roots_default(arg, "CLAUDE_CONFIG_DIR", "", "~/.config/claude,~/.claude", roots, n);
}

/* A root that names one transcript, ROOT/projects/.../NAME.jsonl (or .jsonl.gz), a regular
** file: the length of ROOT/, where the part a root walk keys it by (projects/...) starts;
** 0 for anything else. */
size_t claude_transcript_root(const char *path) {
  size_t n = strlen(path);
  int named = (n > 6 && strcmp(path + n - 6, ".jsonl") == 0) || (n > 9 && strcmp(path + n - 9, ".jsonl.gz") == 0);
  const char *p = NULL;
  for (const char *q = named ? strstr(path, "/projects/") : NULL; q; q = strstr(q + 1, "/projects/")) p = q;
  struct stat st;
  if (!p || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return (size_t)(p - path) + 1;
}

int claude_files(char **roots, int nroot, lumo_filelist *fl, lumo_conn *c, const char *source) {
  static const char *const suffixes[] = {".jsonl", ".jsonl.gz", NULL};
  for (int i = 0; i < nroot; i++) {
    size_t rel_from = claude_transcript_root(roots[i]);
    if (rel_from) {
      /* one transcript: the file, and its subagents' files when it is a session's
      ** (projects/<dir>/<sid>.jsonl: those of projects/<dir>/<sid>/), keyed as a walk of
      ** its root keys them, so a later root sync finds them synced */
      int rc = lumo_filelist_add(fl, roots[i], rel_from, i);
      const char *rel = roots[i] + rel_from, *slash1 = strchr(rel + 9, '/');
      size_t n = strlen(roots[i]);
      if (!rc && slash1 && !strchr(slash1 + 1, '/')) {
        char *dir = sqlite3_mprintf("%.*s", (int)(n - (roots[i][n - 1] == 'z' ? 9 : 6)), roots[i]);
        rc = dir ? lumo_walk(fl, dir, rel_from, i, suffixes, c, source) : SQLITE_NOMEM;
        sqlite3_free(dir);
      }
      if (rc) return rc;
      continue;
    }
    char *dir = sqlite3_mprintf("%s/projects", roots[i]);
    if (!dir) return SQLITE_NOMEM;
    int rc = lumo_walk(fl, dir, strlen(roots[i]) + 1, i, suffixes, c, source);
    sqlite3_free(dir);
    if (rc) return rc;
  }
  return SQLITE_OK;
}

/* projects/<dir>/<sid>.jsonl -> <sid>; projects/<dir>/<sid>/subagents/... -> <sid>
** (is_subagent 1); legacy projects/<dir>/agent-<hex>.jsonl -> empty (the records
** name the session). */
lumo_span claude_file_session(const lumo_file *f, int *is_subagent) {
  const char *rel = f->rel;
  lumo_span none = {rel, 0};
  *is_subagent = 0;
  const char *sub = strstr(rel, "/subagents/");
  if (sub) {
    const char *s = sub;
    while (s > rel && s[-1] != '/') s--;
    *is_subagent = 1;
    lumo_span r = {s, (size_t)(sub - s)};
    return r;
  }
  lumo_span base = lumo_path_last(rel, strlen(rel));
  size_t n = base.n;
  if (n > 9 && memcmp(base.p + n - 9, ".jsonl.gz", 9) == 0) n -= 9;
  else if (n > 6 && memcmp(base.p + n - 6, ".jsonl", 6) == 0) n -= 6;
  if (n > 6 && memcmp(base.p, "agent-", 6) == 0) {
    *is_subagent = 1;
    return none;
  }
  lumo_span r = {base.p, n};
  return r;
}
