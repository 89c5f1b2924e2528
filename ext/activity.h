/* activity.h: what a tool call did, derived from its name, input and result (activity.c):
** the files it changed with lines added and removed, the git operations of its shell
** command, its MCP server, its outcome. One set of decisions for lumo_sync and for the
** SQL functions over the source tables (lumo_tool_changes, lumo_git_ops, ...). */
#ifndef LUMO_ACTIVITY_H
#define LUMO_ACTIVITY_H

#include "lumo_int.h"

/* Bytes of a tool result's text kept for session history (tool_uses.result_text), cut at
** a character boundary; result_bytes keeps the whole size. */
#define LUMO_RESULT_TEXT_MAX 2048

/* One file a call changes. added/removed are -1 when the input cannot tell (a Write
** over a file whose old content the transcript does not hold). */
typedef struct lumo_change {
  const char *path;      /* NUL-terminated, as the call names it */
  const char *operation; /* edit, write, create, delete */
  int64_t added, removed;
} lumo_change;
typedef void (*lumo_change_fn)(void *ctx, const lumo_change *c);

/* The files a call changes: Claude Edit / MultiEdit / Write / NotebookEdit, Gemini
** replace / write_file, Codex apply_patch (as its own tool, or a shell command that runs
** apply_patch or applypatch). input: the call's input as JSON text (Codex's
** custom_tool_call apply_patch: the patch itself). result: the agent's own record of the
** result (empty span: none), whose figures win over the input's counts: a Gemini call's
** resultDisplay (diffStat, the CLI's diff of the file), Claude Code's toolUseResult
** (structuredPatch hunks; a Write of type create removed nothing). Returns the number of
** files. */
LUMO_API int lumo_tool_changes(const char *tool, const char *input, size_t n, lumo_span result, lumo_change_fn fn,
                               void *ctx);

/* The shell command of a call of a shell tool (Bash, run_shell_command, shell,
** shell_command, exec_command, local_shell), into out (NUL-terminated); 0 when the call
** is not one or has no command. A ["bash", "-lc", script] argv gives the script. */
LUMO_API int lumo_tool_command(const char *tool, const char *input, size_t n, lumo_buf *out);

/* The git (and GitHub CLI) operations of a shell command, one call per command of a
** pipeline or list: op is "commit", "push", ..., "gh pr create"; the command's text is
** [seg, seg + seg_n). Returns the number of operations. */
typedef void (*lumo_git_fn)(void *ctx, const char *op, const char *seg, size_t seg_n);
LUMO_API int lumo_git_ops(const char *cmd, size_t n, lumo_git_fn fn, void *ctx);

/* The language of a path from its extension or name (static text), NULL when unknown. */
LUMO_API const char *lumo_language(const char *path, size_t n);

/* mcp__<server>__<tool>: 1 with both spans set, else 0. */
LUMO_API int lumo_mcp_split(const char *name, size_t n, lumo_span *server, lumo_span *tool);

/* The outcome of a Codex tool output's text: 1 error (exit code not 0), 0 success, -1 not
** said. Shapes: {"output":..,"metadata":{"exit_code":N}}, "Exit code: N\n...",
** "...Process exited with code N...". */
LUMO_API int lumo_codex_output_status(const char *text, size_t n);

/* What a Codex event_msg line says about a call that ended (exec_command_end,
** mcp_tool_call_end, patch_apply_end): its call id (into call_id), is_error (-1 unknown),
** duration in ms (-1 unknown), an MCP call's server and tool (empty when not said) and a
** successful patch_apply_end's changes object (empty span otherwise). 1 when the line is
** one of them. */
LUMO_API int lumo_codex_call_end(const char *line, size_t n, lumo_buf *call_id, int *is_error, int64_t *duration_ms,
                                 lumo_buf *server, lumo_buf *tool, lumo_span *changes);
/* The files of a patch_apply_end's changes ({path: {type: add|update|delete, unified_diff
** or content}}): the diff's '+' and '-' lines, or the content's lines; counts -1 when
** neither is there. Returns the number of files. */
LUMO_API int lumo_patch_end_changes(lumo_span changes, lumo_change_fn fn, void *ctx);

/* Length of the longest prefix of [p, p+n) of at most max bytes that does not split a
** UTF-8 character. */
LUMO_API size_t lumo_utf8_cut(const char *p, size_t n, size_t max);

/* The text of a Gemini toolCalls entry's result: resultDisplay when it is a non-empty string, else
** the functionResponse outputs; appended to out. */
LUMO_API void lumo_gemini_result_text(lumo_span call, lumo_buf *out);

/* SQL functions lumo_tool_changes, lumo_git_ops, lumo_language, lumo_mcp_server,
** lumo_mcp_tool (INNOCUOUS: they read only their arguments). */
LUMO_API int lumo_register_activity(sqlite3 *db);
LUMO_API extern const lumo_object lumo_tool_changes_object, lumo_git_ops_object, lumo_language_object,
    lumo_mcp_server_object, lumo_mcp_tool_object;

#endif
