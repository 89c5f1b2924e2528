/* activity.c: what a tool call did, from its name, input and result, for every agent: the
** files it changed and the lines added and removed, the git operations of a shell command,
** the MCP server of a tool, a Codex output's exit status. lumo_sync (sync.c) and the SQL
** functions registered here run the same code, so a synced row and a query over the
** source tables say the same of one call. The rules:
** - the agent's own figures win where its result record has them: Claude Code's
**   toolUseResult.structuredPatch ('+' and '-' lines; a Write of type create removed
**   nothing), Gemini's resultDisplay.diffStat; else, from the input:
** - Edit-like calls (Claude Edit and MultiEdit, Gemini replace, OpenCode edit): the lines of old and
**   new text that differ once the lines both share at the start and at the end are set
**   aside, which is a diff for the one contiguous change an edit makes;
** - Write-like calls (Claude Write, Gemini write_file, OpenCode write): the content's lines are added;
**   what they replaced is not in the input, so removed is unknown (-1 -> NULL);
** - Codex apply_patch (its own tool, or a shell command that runs apply_patch or
**   applypatch): the patch's '+' and '-' lines per file; a deleted file's removed lines are
**   unknown (the patch does not hold them).
** Nothing here reads a file or the database. */
#include "activity.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- lines */

/* Lines of a text: newlines, plus one for a last line without its newline. */
static int64_t count_lines(const char *p, size_t n) {
  if (!n) return 0; /* an empty text: p may be NULL */
  int64_t lines = 0;
  for (const char *q = p, *end = p + n; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++) lines++;
  if (n && p[n - 1] != '\n') lines++;
  return lines;
}

/* A text walked line by line from either end, without copying or indexing it (an edit's
** text can be megabytes of lines). [p + at, p + end) is the part not yet walked; the
** callers' line counts say when a line is left. */
typedef struct line_walk {
  const char *p;
  size_t at, end;
} line_walk;

static line_walk walk_of(const char *p, size_t n) {
  /* a last newline ends the last line; it does not open an empty one */
  line_walk w = {p, 0, n && p[n - 1] == '\n' ? n - 1 : n};
  return w;
}

static void first_line(const line_walk *w, const char **s, size_t *len) {
  const char *e = w->end > w->at ? memchr(w->p + w->at, '\n', w->end - w->at) : NULL;
  *s = w->p + w->at;
  *len = e ? (size_t)(e - *s) : w->end - w->at;
}

static void last_line(const line_walk *w, const char **s, size_t *len) {
  const char *nl = w->end > w->at ? memrchr(w->p + w->at, '\n', w->end - w->at) : NULL;
  size_t start = nl ? (size_t)(nl - w->p) + 1 : w->at;
  *s = w->p + start;
  *len = w->end - start;
}

/* Lines removed from old and added by new, the shared first and last lines set aside. */
static void edit_counts(const char *old, size_t on, const char *new, size_t nn, int64_t *added, int64_t *removed) {
  int64_t a = count_lines(old, on), b = count_lines(new, nn), head = 0, tail = 0;
  const char *x, *y;
  size_t xn, yn;
  line_walk wo = walk_of(old, on), wn = walk_of(new, nn);
  while (head < a && head < b) {
    first_line(&wo, &x, &xn);
    first_line(&wn, &y, &yn);
    if (xn != yn || memcmp(x, y, xn) != 0) break;
    head++;
    wo.at += xn + 1;
    wn.at += yn + 1;
  }
  while (tail < a - head && tail < b - head) {
    last_line(&wo, &x, &xn);
    last_line(&wn, &y, &yn);
    if (xn != yn || memcmp(x, y, xn) != 0) break;
    tail++;
    wo.end = x > old ? (size_t)(x - old) - 1 : 0; /* before the newline that ends the line above */
    wn.end = y > new ? (size_t)(y - new) - 1 : 0;
  }
  *removed += a - head - tail;
  *added += b - head - tail;
}

/* ----------------------------------------------------------- tool inputs */

static int tool_changes(const char *tool, const char *input, size_t n, lumo_change_fn fn, void *ctx, int count);
static int span_is(lumo_span v, const char *s);

static int name_is(const char *tool, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (strcmp(tool, names[i]) == 0) return 1;
  return 0;
}

/* Decodes the string member key of a JSON object into out; 1 when there is one. */
static int member_text(lumo_span obj, const char *key, lumo_buf *out) {
  lumo_span v;
  out->len = 0;
  if (lumo_json_get(obj, key, &v) != 1 || !lumo_json_is_string(v)) return 0;
  if (lumo_json_decode(v, out)) return 0;
  lumo_buf_nul(out);
  return out->p != NULL;
}

static void emit(lumo_change_fn fn, void *ctx, const char *path, const char *op, int64_t added, int64_t removed) {
  lumo_change c = {path, op, added, removed};
  fn(ctx, &c);
}

typedef struct edit_sum {
  lumo_buf old, new;
  int64_t added, removed;
  int count; /* 0: the counts come from elsewhere (the agent's own figures): not worked out */
} edit_sum;

/* One {old_string, new_string} of a MultiEdit's edits. */
static void multi_edit_one(void *ctx, lumo_span edit) {
  edit_sum *s = ctx;
  if (!s->count) return;
  if (!member_text(edit, "old_string", &s->old)) member_text(edit, "oldString", &s->old); /* OpenCode's edit */
  if (!member_text(edit, "new_string", &s->new)) member_text(edit, "newString", &s->new);
  edit_counts(s->old.p ? s->old.p : "", s->old.len, s->new.p ? s->new.p : "", s->new.len, &s->added, &s->removed);
}

/* The files of an apply_patch text (from "*** Begin Patch"): one change per file header. */
static int patch_changes(const char *p, size_t n, lumo_change_fn fn, void *ctx) {
  static const char begin[] = "*** Begin Patch";
  const char *end = p + n, *at = NULL;
  for (const char *q = p; q + sizeof(begin) - 1 <= end; q++) {
    q = memchr(q, '*', (size_t)(end - q));
    if (!q || q + sizeof(begin) - 1 > end) break;
    /* at a line's start (a heredoc, the tool's own input) or after a word (the argv
    ** ["apply_patch", patch] joined with spaces, a quoted argument) */
    if (memcmp(q, begin, sizeof(begin) - 1) == 0 &&
        (q == p || q[-1] == '\n' || q[-1] == ' ' || q[-1] == '\'' || q[-1] == '"')) {
      at = q;
      break;
    }
  }
  if (!at) return 0;
  lumo_buf path = {0};
  const char *op = NULL;
  int64_t added = 0, removed = 0;
  int files = 0;
  for (const char *q = at; q < end;) {
    const char *e = memchr(q, '\n', (size_t)(end - q));
    size_t len = e ? (size_t)(e - q) : (size_t)(end - q);
    if (len && q[len - 1] == '\r') len--;
    static const struct { const char *head, *op; } heads[] = {
      {"*** Add File: ", "create"}, {"*** Update File: ", "edit"}, {"*** Delete File: ", "delete"}};
    int head = -1;
    for (int i = 0; i < 3; i++)
      if (len > strlen(heads[i].head) && memcmp(q, heads[i].head, strlen(heads[i].head)) == 0) head = i;
    int stop = len >= 13 && memcmp(q, "*** End Patch", 13) == 0;
    if ((head >= 0 || stop) && op) { /* the file before is complete */
      emit(fn, ctx, path.p, op, added, strcmp(op, "delete") == 0 ? -1 : removed);
      files++;
      op = NULL;
    }
    if (stop) break;
    if (head >= 0) {
      size_t hn = strlen(heads[head].head);
      path.len = 0;
      lumo_buf_append(&path, q + hn, len - hn);
      lumo_buf_nul(&path);
      if (path.oom) break;
      op = heads[head].op;
      added = removed = 0;
    } else if (op && len && q[0] == '+') {
      added++;
    } else if (op && len && q[0] == '-') {
      removed++;
    }
    q = e ? e + 1 : end;
  }
  /* a patch cut before its end line (a shell command's output, a torn copy) keeps what it said */
  if (op && !path.oom) {
    emit(fn, ctx, path.p, op, added, strcmp(op, "delete") == 0 ? -1 : removed);
    files++;
  }
  lumo_buf_free(&path);
  return files;
}

/* A shell command that runs apply_patch (Codex's patch tool, also spelled applypatch). */
static int runs_apply_patch(const char *cmd, size_t n) {
  static const char word[] = "applypatch", word2[] = "apply_patch";
  for (size_t i = 0; i + sizeof(word) - 1 <= n; i++)
    if ((cmd[i] == 'a') && (memcmp(cmd + i, word, sizeof(word) - 1) == 0 ||
                            (i + sizeof(word2) - 1 <= n && memcmp(cmd + i, word2, sizeof(word2) - 1) == 0)))
      return 1;
  return 0;
}

/* Gemini's own diff figures of an edit (resultDisplay.diffStat): model_added_lines and
** model_removed_lines, computed by the CLI from the file before and after; 1 when both. */
static int gemini_diff_stat(lumo_span display, int64_t *added, int64_t *removed) {
  lumo_span stat, a, r;
  return display.n && display.p[0] == '{' && lumo_json_get(display, "diffStat", &stat) == 1 &&
         lumo_json_get(stat, "model_added_lines", &a) == 1 && lumo_json_int(a, added) == 0 && *added >= 0 &&
         lumo_json_get(stat, "model_removed_lines", &r) == 1 && lumo_json_int(r, removed) == 0 && *removed >= 0;
}

/* Claude Code's own record of an edit (the result record's toolUseResult): the '+' and
** '-' lines of its structuredPatch hunks are the diff it applied (1, both counts); a Write
** that created the file (type "create") removed nothing (2, removed only); else 0. */
static int claude_patch_counts(lumo_span result, int64_t *added, int64_t *removed) {
  lumo_span hunks, hunk, lines, line, type;
  lumo_json_obj a, b;
  *added = *removed = 0;
  if (!result.n || result.p[0] != '{') return 0;
  int hunks_seen = 0;
  if (lumo_json_get(result, "structuredPatch", &hunks) == 1 && lumo_json_arr_open(&a, hunks.p, hunks.p + hunks.n) == 0)
    while (lumo_json_arr_next(&a, &hunk) == 1) {
      if (lumo_json_get(hunk, "lines", &lines) != 1 || lumo_json_arr_open(&b, lines.p, lines.p + lines.n) != 0)
        return 0;
      hunks_seen = 1;
      while (lumo_json_arr_next(&b, &line) == 1) { /* '+' and '-' are never escaped: the raw first character */
        if (line.n < 2 || line.p[0] != '"') continue;
        *added += line.p[1] == '+';
        *removed += line.p[1] == '-';
      }
    }
  if (hunks_seen) return 1;
  *added = 0;
  return lumo_json_get(result, "type", &type) == 1 && span_is(type, "create") ? 2 : 0;
}

/* An edit whose result carries the agent's own figures takes them. */
typedef struct stat_ctx {
  lumo_change_fn fn;
  void *ctx;
  int64_t added, removed; /* added -1: the input's count stands */
} stat_ctx;

static void with_stat(void *p, const lumo_change *c) {
  stat_ctx *s = p;
  lumo_change d = *c;
  if (s->added >= 0) d.added = s->added;
  d.removed = s->removed;
  s->fn(s->ctx, &d);
}

int lumo_tool_changes(const char *tool, const char *input, size_t n, lumo_span result, lumo_change_fn fn,
                      void *ctx) {
  static const char *const claude_edits[] = {"Edit", "MultiEdit", "Write", NULL};
  stat_ctx s = {fn, ctx, 0, 0};
  if (tool && (strcmp(tool, "replace") == 0 || strcmp(tool, "write_file") == 0) &&
      gemini_diff_stat(result, &s.added, &s.removed))
    return tool_changes(tool, input, n, with_stat, &s, 0);
  int said = tool && name_is(tool, claude_edits) ? claude_patch_counts(result, &s.added, &s.removed) : 0;
  if (said == 2) s.added = -1;
  /* the agent's figures replace the input's: both (said 1, the diff is not worked out) or
  ** the removed lines only (said 2: the lines a Write added are still counted) */
  if (said) return tool_changes(tool, input, n, with_stat, &s, said == 2);
  return tool_changes(tool, input, n, fn, ctx, 1);
}

/* A string member under Claude's and Gemini's snake_case name or OpenCode's camelCase one. */
static int member_text2(lumo_span obj, const char *snake, const char *camel, lumo_buf *out) {
  return member_text(obj, snake, out) || member_text(obj, camel, out);
}

static int tool_changes(const char *tool, const char *input, size_t n, lumo_change_fn fn, void *ctx, int count) {
  static const char *const edits[] = {"Edit", "replace", "edit", NULL};   /* Claude, Gemini, OpenCode */
  static const char *const writes[] = {"Write", "write_file", "write", NULL};
  if (!tool || !input) return 0;
  lumo_span in = {input, n};
  int files = 0;
  if (strcmp(tool, "apply_patch") == 0) { /* custom_tool_call: the patch; function_call: {"input": patch} */
    if (n && input[0] != '{') return patch_changes(input, n, fn, ctx);
    lumo_buf patch = {0};
    if (member_text(in, "input", &patch) || member_text(in, "patch", &patch) || member_text(in, "patchText", &patch))
      files = patch_changes(patch.p, patch.len, fn, ctx);
    lumo_buf_free(&patch);
    return files;
  }
  lumo_buf path = {0};
  if (name_is(tool, edits) || strcmp(tool, "MultiEdit") == 0) {
    if (member_text2(in, "file_path", "filePath", &path)) {
      edit_sum s = {{0}, {0}, 0, 0, count};
      lumo_span list;
      if (strcmp(tool, "MultiEdit") == 0) {
        if (lumo_json_get(in, "edits", &list) == 1) lumo_json_each_object(list, multi_edit_one, &s);
      } else {
        multi_edit_one(&s, in);
      }
      emit(fn, ctx, path.p, "edit", s.added, s.removed);
      files = 1;
      lumo_buf_free(&s.old);
      lumo_buf_free(&s.new);
    }
  } else if (name_is(tool, writes)) {
    lumo_buf content = {0};
    if (member_text2(in, "file_path", "filePath", &path)) {
      if (count) member_text(in, "content", &content);
      emit(fn, ctx, path.p, "write", count ? count_lines(content.p, content.len) : 0, -1);
      files = 1;
    }
    lumo_buf_free(&content);
  } else if (strcmp(tool, "NotebookEdit") == 0) {
    lumo_buf source = {0}, mode = {0};
    if (member_text(in, "notebook_path", &path)) {
      member_text(in, "new_source", &source);
      member_text(in, "edit_mode", &mode);
      const char *m = mode.p ? mode.p : "replace";
      /* insert adds a cell, delete removes one (its lines are not in the input), replace
      ** swaps one for the new source */
      int64_t added = strcmp(m, "delete") == 0 ? 0 : count_lines(source.p, source.len);
      emit(fn, ctx, path.p, "edit", added, strcmp(m, "insert") == 0 ? 0 : -1);
      files = 1;
    }
    lumo_buf_free(&source);
    lumo_buf_free(&mode);
  } else {
    lumo_buf cmd = {0};
    if (lumo_tool_command(tool, input, n, &cmd) && runs_apply_patch(cmd.p, cmd.len))
      files = patch_changes(cmd.p, cmd.len, fn, ctx);
    lumo_buf_free(&cmd);
  }
  lumo_buf_free(&path);
  return files;
}

/* ------------------------------------------------------------ commands */

static int span_is(lumo_span v, const char *s) {
  lumo_buf b = {0};
  int same = lumo_json_decode(v, &b) == 0 && b.len == strlen(s) && (b.len == 0 || memcmp(b.p, s, b.len) == 0);
  lumo_buf_free(&b);
  return same;
}

int lumo_tool_command(const char *tool, const char *input, size_t n, lumo_buf *out) {
  static const char *const shells[] = {"Bash", "bash", "run_shell_command", "shell", "shell_command",
                                       "exec_command", "local_shell", "container.exec", NULL};
  out->len = 0;
  if (!tool || !input || !name_is(tool, shells) || !n || input[0] != '{') return 0;
  lumo_span in = {input, n}, v;
  if (member_text(in, "command", out) || member_text(in, "cmd", out)) return 1;
  if (lumo_json_get(in, "command", &v) != 1 || v.n < 2 || v.p[0] != '[') return 0;
  /* an argv: ["bash", "-lc", script] runs the script; else the words joined by spaces */
  lumo_json_obj a;
  lumo_span w[3];
  int k = 0;
  if (lumo_json_arr_open(&a, v.p, v.p + v.n) == 0)
    while (k < 3 && lumo_json_arr_next(&a, &w[k]) == 1 && lumo_json_is_string(w[k])) k++;
  if (k == 3 && (span_is(w[1], "-lc") || span_is(w[1], "-c")) &&
      (span_is(w[0], "bash") || span_is(w[0], "sh") || span_is(w[0], "zsh") || span_is(w[0], "/bin/bash") ||
       span_is(w[0], "/bin/sh") || span_is(w[0], "/bin/zsh"))) {
    int rc = lumo_json_decode(w[2], out);
    lumo_buf_nul(out);
    return rc == 0 && out->p;
  }
  lumo_span word;
  if (lumo_json_arr_open(&a, v.p, v.p + v.n) != 0) return 0;
  while (lumo_json_arr_next(&a, &word) == 1) {
    if (!lumo_json_is_string(word)) continue;
    if (out->len) lumo_buf_putc(out, ' ');
    lumo_json_decode(word, out);
  }
  lumo_buf_nul(out);
  return out->len > 0 && !out->oom;
}

/* --------------------------------------------------------------- git */

/* The next word of a command at *i (quotes removed, at most cap - 1 bytes kept) into w;
** 0 at the end. */
static int next_word(const char *s, size_t n, size_t *i, char *w, size_t cap) {
  size_t k = 0;
  while (*i < n && (s[*i] == ' ' || s[*i] == '\t')) (*i)++;
  if (*i >= n) return 0;
  char quote = 0;
  while (*i < n) {
    char c = s[*i];
    if (!quote && (c == ' ' || c == '\t')) break;
    (*i)++;
    if (quote && c == quote) quote = 0;
    else if (!quote && (c == '\'' || c == '"')) quote = c;
    else if (k + 1 < cap) w[k++] = c;
  }
  w[k] = 0;
  return 1;
}

static int is_assignment(const char *w) {
  const char *eq = strchr(w, '=');
  if (!eq || eq == w) return 0;
  for (const char *q = w; q < eq; q++)
    if (!(*q == '_' || (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))) return 0;
  return 1;
}

static int is_subcommand(const char *w) {
  if (!*w) return 0;
  for (const char *q = w; *q; q++)
    if (!((*q >= 'a' && *q <= 'z') || *q == '-')) return 0;
  return w[0] != '-';
}

/* One simple command: a git or gh operation, or nothing. */
static int command_op(const char *s, size_t n, lumo_git_fn fn, void *ctx) {
  static const char *const prefixes[] = {"sudo", "env", "time", "command", "exec", "nohup", "noglob", NULL};
  char w[256];
  size_t i = 0;
  int got;
  while ((got = next_word(s, n, &i, w, sizeof(w))) && (is_assignment(w) || name_is(w, prefixes))) {}
  if (!got) return 0;
  const char *base = strrchr(w, '/');
  base = base ? base + 1 : w;
  if (strcmp(base, "git") == 0) {
    /* options before the subcommand; these four take the next word as their value */
    static const char *const with_value[] = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", NULL};
    while (next_word(s, n, &i, w, sizeof(w))) {
      if (w[0] != '-') {
        if (!is_subcommand(w)) return 0;
        fn(ctx, w, s, n);
        return 1;
      }
      if (name_is(w, with_value) && !next_word(s, n, &i, w, sizeof(w))) return 0;
    }
    return 0;
  }
  if (strcmp(base, "gh") == 0) {
    char group[64], sub[64], op[140];
    if (!next_word(s, n, &i, group, sizeof(group)) || !is_subcommand(group)) return 0;
    if (!next_word(s, n, &i, sub, sizeof(sub)) || !is_subcommand(sub)) return 0;
    snprintf(op, sizeof(op), "gh %s %s", group, sub);
    fn(ctx, op, s, n);
    return 1;
  }
  return 0;
}

/* A here-document's delimiter word after "<<" or "<<-" at cmd[*i] (just past the
** operator), quotes and backslashes removed, into w (NUL-terminated, cap bytes); *i moves
** past it. 0 when there is no word, or one too long to hold (its body is then read as
** commands, as before here-documents were known). */
static int heredoc_word(const char *cmd, size_t n, size_t *i, char *w, size_t cap) {
  size_t k = 0;
  int whole = 1;
  char quote = 0;
  while (*i < n && (cmd[*i] == ' ' || cmd[*i] == '\t')) (*i)++;
  for (; *i < n; (*i)++) {
    char c = cmd[*i];
    if (quote && c == quote) {
      quote = 0;
      continue;
    }
    if (!quote && (c == '\'' || c == '"')) {
      quote = c;
      continue;
    }
    if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' ||
                   c == '(' || c == ')'))
      break;
    if (!quote && c == '\\' && *i + 1 < n) c = cmd[++*i];
    if (k + 1 < cap) w[k++] = c;
    else whole = 0;
  }
  w[k] = 0;
  return k > 0 && whole;
}

/* The end of the body of a here-document that starts at cmd[at]: the offset of the
** newline after its delimiter line (n when the command ends first, as bash reads it). */
static size_t heredoc_end(const char *cmd, size_t n, size_t at, const char *word, int strip_tabs) {
  size_t wn = strlen(word);
  while (at < n) {
    const char *nl = memchr(cmd + at, '\n', n - at);
    size_t e = nl ? (size_t)(nl - cmd) : n, s = at;
    if (strip_tabs)
      while (s < e && cmd[s] == '\t') s++;
    size_t len = e - s;
    if (len && cmd[s + len - 1] == '\r') len--;
    if (len == wn && memcmp(cmd + s, word, wn) == 0) return e;
    at = e + 1;
  }
  return n;
}

/* Splits a command at ; & | newlines and parentheses outside quotes (a $( ) inside
** double quotes, as in git commit -m "$(cat <<'EOF' ...)", stays in its command). The
** body of a here-document (cat > setup.sh <<'EOF' ... EOF) is text the command reads, not
** commands: its lines are skipped, so a script written that way runs none of its git
** commands. */
int lumo_git_ops(const char *cmd, size_t n, lumo_git_fn fn, void *ctx) {
  enum { MAX_HEREDOCS = 8 };
  int ops = 0, heredocs = 0, strip[MAX_HEREDOCS];
  char words[MAX_HEREDOCS][256];
  size_t start = 0;
  char quote = 0;
  int arithmetic = 0; /* inside $(( )) or (( )), where << is a shift */
  for (size_t i = 0; i <= n; i++) {
    char c = i < n ? cmd[i] : '\n';
    if (quote) {
      if (c == '\\' && quote == '"' && i + 1 < n) i++;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '\\' && i + 1 < n) {
      i++;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if ((c == '(' || c == ')') && i + 1 < n && cmd[i + 1] == c) arithmetic = c == '(';
    if (!arithmetic && c == '<' && i + 1 < n && cmd[i + 1] == '<' && (i + 2 >= n || cmd[i + 2] != '<')) { /* not <<< */
      size_t j = i + 2;
      int tabs = j < n && cmd[j] == '-';
      j += tabs;
      if (heredocs < MAX_HEREDOCS && heredoc_word(cmd, n, &j, words[heredocs], sizeof(words[0]))) {
        strip[heredocs++] = tabs;
        i = j - 1; /* the word is part of the command */
      } else {
        i++;
      }
      continue;
    }
    if (c == ';' || c == '&' || c == '|' || c == '\n' || c == '(' || c == ')') {
      while (start < i && (cmd[start] == ' ' || cmd[start] == '\t')) start++;
      size_t e = i;
      while (e > start && (cmd[e - 1] == ' ' || cmd[e - 1] == '\t' || cmd[e - 1] == '\r')) e--;
      if (e > start) ops += command_op(cmd + start, e - start, fn, ctx);
      start = i + 1;
      if (c == '\n' && i < n && heredocs) { /* the bodies follow this line, one after the other */
        size_t at = i + 1;
        for (int h = 0; h < heredocs && at <= n; h++) at = heredoc_end(cmd, n, at, words[h], strip[h]) + 1;
        heredocs = 0;
        if (at > n) break;
        i = at - 1; /* the loop's i++ lands on the line after the last delimiter */
        start = at;
      }
    }
  }
  return ops;
}

/* ---------------------------------------------------------- languages */

const char *lumo_language(const char *path, size_t n) {
  static const struct { const char *ext, *lang; } exts[] = {
    {"c", "C"}, {"h", "C"}, {"cc", "C++"}, {"cpp", "C++"}, {"cxx", "C++"}, {"hpp", "C++"}, {"hh", "C++"},
    {"hxx", "C++"}, {"cs", "C#"}, {"m", "Objective-C"}, {"mm", "Objective-C++"}, {"py", "Python"},
    {"pyi", "Python"}, {"ipynb", "Jupyter Notebook"}, {"js", "JavaScript"}, {"mjs", "JavaScript"},
    {"cjs", "JavaScript"}, {"jsx", "JavaScript"}, {"ts", "TypeScript"}, {"mts", "TypeScript"},
    {"cts", "TypeScript"}, {"tsx", "TypeScript"}, {"go", "Go"}, {"rs", "Rust"}, {"java", "Java"},
    {"kt", "Kotlin"}, {"kts", "Kotlin"}, {"scala", "Scala"}, {"swift", "Swift"}, {"rb", "Ruby"},
    {"php", "PHP"}, {"pl", "Perl"}, {"pm", "Perl"}, {"lua", "Lua"}, {"r", "R"}, {"dart", "Dart"},
    {"ex", "Elixir"}, {"exs", "Elixir"}, {"erl", "Erlang"}, {"hs", "Haskell"}, {"ml", "OCaml"},
    {"clj", "Clojure"}, {"zig", "Zig"}, {"nim", "Nim"}, {"jl", "Julia"}, {"sh", "Shell"},
    {"bash", "Shell"}, {"zsh", "Shell"}, {"fish", "Shell"}, {"ps1", "PowerShell"}, {"sql", "SQL"},
    {"html", "HTML"}, {"htm", "HTML"}, {"css", "CSS"}, {"scss", "SCSS"}, {"sass", "Sass"},
    {"less", "Less"}, {"vue", "Vue"}, {"svelte", "Svelte"}, {"md", "Markdown"}, {"mdx", "Markdown"},
    {"markdown", "Markdown"}, {"rst", "reStructuredText"}, {"tex", "TeX"}, {"json", "JSON"},
    {"jsonl", "JSON"}, {"yaml", "YAML"}, {"yml", "YAML"}, {"toml", "TOML"}, {"xml", "XML"},
    {"ini", "INI"}, {"cfg", "INI"}, {"proto", "Protocol Buffers"}, {"graphql", "GraphQL"},
    {"tf", "HCL"}, {"txt", "Text"}, {"csv", "CSV"}, {NULL, NULL}};
  static const struct { const char *name, *lang; } names[] = {
    {"Makefile", "Makefile"}, {"GNUmakefile", "Makefile"}, {"Dockerfile", "Dockerfile"},
    {"CMakeLists.txt", "CMake"}, {"Gemfile", "Ruby"}, {"Rakefile", "Ruby"}, {NULL, NULL}};
  if (!path) return NULL;
  lumo_span base = lumo_path_last(path, n);
  if (!base.n) return NULL;
  for (int i = 0; names[i].name; i++)
    if (strlen(names[i].name) == base.n && memcmp(names[i].name, base.p, base.n) == 0) return names[i].lang;
  const char *dot = NULL;
  for (size_t i = 1; i < base.n; i++) /* a leading dot is a hidden file, not an extension */
    if (base.p[i] == '.') dot = base.p + i;
  if (!dot) return NULL;
  size_t en = (size_t)(base.p + base.n - dot - 1);
  char ext[16];
  if (!en || en >= sizeof(ext)) return NULL;
  for (size_t i = 0; i < en; i++) ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] + 32 : dot[1 + i]);
  ext[en] = 0;
  for (int i = 0; exts[i].ext; i++)
    if (strcmp(exts[i].ext, ext) == 0) return exts[i].lang;
  return NULL;
}

/* ---------------------------------------------------------------- MCP */

int lumo_mcp_split(const char *name, size_t n, lumo_span *server, lumo_span *tool) {
  if (!name || n < 8 || memcmp(name, "mcp__", 5) != 0) return 0;
  const char *s = name + 5, *end = name + n;
  for (const char *q = s; q + 2 < end; q++)
    if (q[0] == '_' && q[1] == '_' && q > s) {
      *server = (lumo_span){s, (size_t)(q - s)};
      *tool = (lumo_span){q + 2, (size_t)(end - q - 2)};
      return 1;
    }
  return 0;
}

/* ------------------------------------------------------------ outcomes */

static int parse_exit(const char *p, const char *end, int64_t *code) {
  int neg = 0;
  if (p < end && *p == '-') neg = 1, p++;
  if (p >= end || *p < '0' || *p > '9') return 0;
  int64_t v = 0;
  while (p < end && *p >= '0' && *p <= '9' && v < 100000) v = v * 10 + (*p++ - '0');
  *code = neg ? -v : v;
  return 1;
}

int lumo_codex_output_status(const char *text, size_t n) {
  static const char lead[] = "Exit code: ", tail[] = "Process exited with code ";
  int64_t code;
  if (!text || !n) return -1;
  const char *end = text + n;
  if (text[0] == '{') {
    lumo_span meta, ec;
    if (lumo_json_get((lumo_span){text, n}, "metadata", &meta) == 1 && lumo_json_get(meta, "exit_code", &ec) == 1 &&
        lumo_json_int(ec, &code) == 0)
      return code != 0;
    return -1;
  }
  if (n > sizeof(lead) - 1 && memcmp(text, lead, sizeof(lead) - 1) == 0)
    return parse_exit(text + sizeof(lead) - 1, end, &code) ? code != 0 : -1;
  /* exec_command's "Chunk ID ... Process exited with code N ... Output:": the header only */
  size_t scan = n < 512 ? n : 512;
  for (size_t i = 0; i + sizeof(tail) - 1 <= scan; i++)
    if (text[i] == 'P' && memcmp(text + i, tail, sizeof(tail) - 1) == 0)
      return parse_exit(text + i + sizeof(tail) - 1, end, &code) ? code != 0 : -1;
  return -1;
}

/* {"secs": S, "nanos": N} in ms, -1 when not that shape. */
static int64_t duration_ms(lumo_span d) {
  lumo_span s, ns;
  int64_t secs, nanos;
  if (lumo_json_get(d, "secs", &s) != 1 || lumo_json_int(s, &secs) != 0 || secs < 0) return -1;
  if (lumo_json_get(d, "nanos", &ns) != 1 || lumo_json_int(ns, &nanos) != 0 || nanos < 0) nanos = 0;
  return secs * 1000 + nanos / 1000000;
}

/* Lines of a unified diff's hunks: '+' and '-' lines, not the "+++" and "---" headers;
** a text without a hunk ("@@") is no diff: both -1. */
static void diff_lines(const char *p, size_t n, int64_t *added, int64_t *removed) {
  int hunks = 0;
  for (const char *q = p, *end = p + n; q < end;) {
    const char *e = memchr(q, '\n', (size_t)(end - q));
    size_t len = e ? (size_t)(e - q) : (size_t)(end - q);
    int header = len >= 4 && (memcmp(q, "+++ ", 4) == 0 || memcmp(q, "--- ", 4) == 0);
    hunks += len >= 2 && q[0] == '@' && q[1] == '@';
    if (len && !header && q[0] == '+') (*added)++;
    if (len && !header && q[0] == '-') (*removed)++;
    q = e ? e + 1 : end;
  }
  if (!hunks) *added = *removed = -1;
}

int lumo_patch_end_changes(lumo_span changes, lumo_change_fn fn, void *ctx) {
  lumo_json_obj o;
  lumo_span k, v, t, d;
  lumo_buf path = {0}, text = {0};
  int files = 0;
  if (lumo_json_obj_open(&o, changes.p, changes.p + changes.n) != 0) return 0;
  while (lumo_json_obj_next(&o, &k, &v) == 1) {
    path.len = text.len = 0;
    /* the scanner hands the key without its quotes, which still surround it in the line */
    if (lumo_json_decode((lumo_span){k.p - 1, k.n + 2}, &path) || !path.len) continue;
    lumo_buf_nul(&path);
    const char *op = "edit";
    if (lumo_json_get(v, "type", &t) == 1) op = span_is(t, "add") ? "create" : span_is(t, "delete") ? "delete" : "edit";
    int64_t added = 0, removed = 0;
    if (lumo_json_get(v, "unified_diff", &d) == 1 && lumo_json_is_string(d) && lumo_json_decode(d, &text) == 0) {
      diff_lines(text.p, text.len, &added, &removed);
    } else if (lumo_json_get(v, "content", &d) == 1 && lumo_json_is_string(d) && lumo_json_decode(d, &text) == 0) {
      if (strcmp(op, "delete") == 0) removed = count_lines(text.p, text.len); /* the deleted file's content */
      else added = count_lines(text.p, text.len);
    } else {
      added = removed = -1;
    }
    if (path.oom || text.oom) break;
    emit(fn, ctx, path.p, op, added, removed);
    files++;
  }
  lumo_buf_free(&path);
  lumo_buf_free(&text);
  return files;
}

int lumo_codex_call_end(const char *line, size_t n, lumo_buf *call_id, int *is_error, int64_t *dur, lumo_buf *server,
                        lumo_buf *tool, lumo_span *changes) {
  lumo_span whole = {line, n}, type, payload, t, v, r;
  *is_error = -1;
  *dur = -1;
  *changes = (lumo_span){NULL, 0};
  if (lumo_json_get(whole, "type", &type) != 1 || !span_is(type, "event_msg") ||
      lumo_json_get(whole, "payload", &payload) != 1 || lumo_json_get(payload, "type", &t) != 1 ||
      !lumo_json_is_string(t))
    return 0;
  int exec = span_is(t, "exec_command_end"), mcp = span_is(t, "mcp_tool_call_end"), patch = span_is(t, "patch_apply_end");
  if (!exec && !mcp && !patch) return 0;
  call_id->len = 0;
  if (lumo_json_get(payload, "call_id", &v) != 1 || !lumo_json_is_string(v) || lumo_json_decode(v, call_id)) return 0;
  lumo_buf_nul(call_id);
  if (!call_id->len) return 0;
  int64_t code;
  if (exec && lumo_json_get(payload, "exit_code", &v) == 1 && lumo_json_int(v, &code) == 0) *is_error = code != 0;
  if (patch && lumo_json_get(payload, "success", &v) == 1 && lumo_json_bool(v) >= 0) *is_error = !lumo_json_bool(v);
  if (patch && *is_error == 0 && lumo_json_get(payload, "changes", &v) == 1 && v.n && v.p[0] == '{') *changes = v;
  server->len = tool->len = 0;
  lumo_span inv;
  if (mcp && lumo_json_get(payload, "invocation", &inv) == 1) { /* Codex names MCP tools server__tool, or not at all */
    if (lumo_json_get(inv, "server", &v) == 1 && lumo_json_is_string(v)) lumo_json_decode(v, server);
    if (lumo_json_get(inv, "tool", &v) == 1 && lumo_json_is_string(v)) lumo_json_decode(v, tool);
  }
  lumo_buf_nul(server);
  lumo_buf_nul(tool);
  if (mcp && lumo_json_get(payload, "result", &r) == 1) {
    lumo_span ok;
    if (lumo_json_get(r, "Err", &v) == 1) *is_error = 1;
    else if (lumo_json_get(r, "Ok", &ok) == 1)
      *is_error = lumo_json_get(ok, "isError", &v) == 1 && lumo_json_bool(v) == 1;
  }
  if (lumo_json_get(payload, "duration", &v) == 1) *dur = duration_ms(v);
  return 1;
}

size_t lumo_utf8_cut(const char *p, size_t n, size_t max) {
  if (n <= max) return n;
  size_t k = max;
  while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80) k--; /* p[k] starts the first character left out */
  return k;
}

void lumo_gemini_result_text(lumo_span call, lumo_buf *out) {
  lumo_span v, part, fr, resp, o;
  if (lumo_json_get(call, "resultDisplay", &v) == 1 && lumo_json_is_string(v) && v.n > 2) {
    lumo_json_decode(v, out);
    return;
  }
  if (lumo_json_get(call, "result", &v) != 1 || !v.n || v.p[0] != '[') return;
  lumo_json_obj a;
  if (lumo_json_arr_open(&a, v.p, v.p + v.n) != 0) return;
  while (lumo_json_arr_next(&a, &part) == 1)
    if (lumo_json_get(part, "functionResponse", &fr) == 1 && lumo_json_get(fr, "response", &resp) == 1 &&
        (lumo_json_get(resp, "output", &o) == 1 || lumo_json_get(resp, "error", &o) == 1) && lumo_json_is_string(o)) {
      if (out->len) lumo_buf_putc(out, '\n');
      lumo_json_decode(o, out);
    }
}

/* ------------------------------------------------------- SQL functions */

static void json_string(lumo_buf *b, const char *s) {
  lumo_buf_putc(b, '"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      lumo_buf_putc(b, '\\');
      lumo_buf_putc(b, (char)c);
    } else if (c < 0x20) {
      char e[8];
      snprintf(e, sizeof(e), "\\u%04x", c);
      lumo_buf_append(b, e, 6);
    } else {
      lumo_buf_putc(b, (char)c);
    }
  }
  lumo_buf_putc(b, '"');
}

static void json_count(lumo_buf *b, int64_t v) {
  char num[24];
  if (v < 0) lumo_buf_append(b, "null", 4);
  else lumo_buf_append(b, num, (size_t)snprintf(num, sizeof(num), "%lld", (long long)v));
}

static void change_json(void *ctx, const lumo_change *c) {
  lumo_buf *b = ctx;
  const char *lang = lumo_language(c->path, strlen(c->path));
  lumo_buf_putc(b, b->len ? ',' : '[');
  lumo_buf_append(b, "{\"path\":", 8);
  json_string(b, c->path);
  lumo_buf_append(b, ",\"operation\":", 13);
  json_string(b, c->operation);
  lumo_buf_append(b, ",\"language\":", 12);
  if (lang) json_string(b, lang);
  else lumo_buf_append(b, "null", 4);
  lumo_buf_append(b, ",\"lines_added\":", 15);
  json_count(b, c->added);
  lumo_buf_append(b, ",\"lines_removed\":", 17);
  json_count(b, c->removed);
  lumo_buf_putc(b, '}');
}

static void git_json(void *ctx, const char *op, const char *seg, size_t n) {
  lumo_buf *b = ctx;
  lumo_buf_putc(b, b->len ? ',' : '[');
  lumo_buf_append(b, "{\"operation\":", 13);
  json_string(b, op);
  lumo_buf_append(b, ",\"command\":", 11);
  lumo_buf cmd = {0};
  lumo_buf_append(&cmd, seg, n);
  lumo_buf_nul(&cmd);
  json_string(b, cmd.p ? cmd.p : "");
  b->oom |= cmd.oom;
  lumo_buf_free(&cmd);
  lumo_buf_putc(b, '}');
}

static void result_array(sqlite3_context *ctx, lumo_buf *b) {
  if (b->oom) sqlite3_result_error_nomem(ctx);
  else if (!b->len) sqlite3_result_null(ctx);
  else {
    lumo_buf_putc(b, ']');
    sqlite3_result_text64(ctx, b->p, b->len, SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  lumo_buf_free(b);
}

static void tool_changes_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *tool = (const char *)sqlite3_value_text(argv[0]);
  const char *input = (const char *)sqlite3_value_text(argv[1]);
  lumo_buf b = {0};
  const char *display = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : NULL;
  lumo_span shown = {display, display ? (size_t)sqlite3_value_bytes(argv[2]) : 0};
  if (tool && input) lumo_tool_changes(tool, input, (size_t)sqlite3_value_bytes(argv[1]), shown, change_json, &b);
  result_array(ctx, &b);
}

static void git_ops_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *tool = (const char *)sqlite3_value_text(argv[0]);
  const char *input = (const char *)sqlite3_value_text(argv[1]);
  lumo_buf b = {0}, cmd = {0};
  if (tool && input && lumo_tool_command(tool, input, (size_t)sqlite3_value_bytes(argv[1]), &cmd))
    lumo_git_ops(cmd.p, cmd.len, git_json, &b);
  lumo_buf_free(&cmd);
  result_array(ctx, &b);
}

static void language_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  const char *lang = path ? lumo_language(path, (size_t)sqlite3_value_bytes(argv[0])) : NULL;
  if (lang) sqlite3_result_text(ctx, lang, -1, SQLITE_STATIC);
  else sqlite3_result_null(ctx);
}

static void mcp_part_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *name = (const char *)sqlite3_value_text(argv[0]);
  lumo_span server, tool;
  if (name && lumo_mcp_split(name, (size_t)sqlite3_value_bytes(argv[0]), &server, &tool)) {
    lumo_span part = sqlite3_user_data(ctx) ? tool : server;
    sqlite3_result_text(ctx, part.p, (int)part.n, SQLITE_TRANSIENT);
  } else {
    sqlite3_result_null(ctx);
  }
}

static const lumo_col tool_call_args[] = {
  {"tool_name", "TEXT", "the tool's name as the agent logged it (Edit, write_file, apply_patch, Bash, ...)", 0},
  {"input", "TEXT", "the call's input JSON (tool_uses.input; Codex's apply_patch: the patch text)", 0},
  {"result", "TEXT", "optional: the agent's own record of the result, whose figures win: a Gemini call's "
   "resultDisplay (its diffStat), Claude Code's toolUseResult (its structuredPatch; a Write of type create removed "
   "nothing)", 0}};
static const lumo_col path_args[] = {{"path", "TEXT", "a file path or name", 0}};
static const lumo_col name_args[] = {{"tool_name", "TEXT", "a tool name, mcp__<server>__<tool> for MCP tools", 0}};
const lumo_object lumo_tool_changes_object = {
  "function", "lumo_tool_changes",
  "the files a tool call changes, as a JSON array of {path, operation (edit, write, create, delete), language, "
  "lines_added, lines_removed} (null: the input cannot tell), NULL when it changes none; the rules of the "
  "file_changes table",
  tool_call_args, 3};
const lumo_object lumo_git_ops_object = {
  "function", "lumo_git_ops",
  "the git and gh operations of a shell tool call's command, as a JSON array of {operation, command}, NULL when "
  "there are none; the rules of the git_ops table",
  tool_call_args, 2};
const lumo_object lumo_language_object = {"function", "lumo_language",
                                          "the language of a file from its extension or name, NULL when unknown",
                                          path_args, 1};
const lumo_object lumo_mcp_server_object = {"function", "lumo_mcp_server",
                                            "the server of an MCP tool name (mcp__server__tool), else NULL", name_args, 1};
const lumo_object lumo_mcp_tool_object = {"function", "lumo_mcp_tool",
                                          "the tool of an MCP tool name (mcp__server__tool), else NULL", name_args, 1};

int lumo_register_activity(sqlite3 *db) {
  const int pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc = sqlite3_create_function(db, "lumo_tool_changes", 2, pure, NULL, tool_changes_fn, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "lumo_tool_changes", 3, pure, NULL, tool_changes_fn, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "lumo_git_ops", 2, pure, NULL, git_ops_fn, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "lumo_language", 1, pure, NULL, language_fn, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "lumo_mcp_server", 1, pure, NULL, mcp_part_fn, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "lumo_mcp_tool", 1, pure, (void *)"tool", mcp_part_fn, NULL, NULL);
  return rc;
}
