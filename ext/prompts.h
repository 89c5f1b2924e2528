/* prompts.h: what a user record says about the person at the keyboard (prompts.c): a prompt
** they typed and its length, a slash command, an interrupted turn, or nothing of theirs
** (injected context, command output, a subagent's task, a compaction summary). One set of
** decisions for lumo_sync (the user_prompts table) and the SQL function lumo_prompt over the
** source tables. */
#ifndef LUMO_PROMPTS_H
#define LUMO_PROMPTS_H

#include "lumo_int.h"

enum { LUMO_PROMPT_NONE = 0, LUMO_PROMPT_TYPED = 1, LUMO_PROMPT_COMMAND = 2, LUMO_PROMPT_INTERRUPTED = 3 };

/* What the record is, besides its text (flags of lumo_prompt_of). */
enum {
  LUMO_PROMPT_META = 1,     /* Claude's isMeta: injected by Claude Code, not typed */
  LUMO_PROMPT_SUBAGENT = 2, /* a subagent's or sidechain's record: the model wrote its task */
  LUMO_PROMPT_NOTICE = 4    /* a Gemini CLI notice (an info message): "Request cancelled." is an interrupt */
};

typedef struct lumo_prompt {
  int kind;           /* LUMO_PROMPT_* */
  char command[64];   /* a command's name with its slash ("/mcp"); "" otherwise */
  int64_t chars;      /* characters typed (code points): the prompt, or the command and its arguments; 0 for an interrupt */
} lumo_prompt;

/* The kind of a record of agent (claude, codex, gemini) whose text is [text, text + n).
** display: Gemini's displayContent as text (what the user typed when the CLI expanded it,
** as /init), NULL when the message has none; a display present without text (a function
** response the CLI sent back as "System: Please continue.") is not the user's. Returns
** out->kind. */
LUMO_API int lumo_prompt_of(const char *agent, const char *text, size_t n, const char *display, size_t dn, int flags,
                            lumo_prompt *out);

/* A Codex event_msg line about the user: user_message (its message into text, kind
** LUMO_PROMPT_TYPED or _COMMAND by lumo_prompt_of) or turn_aborted (LUMO_PROMPT_INTERRUPTED);
** LUMO_PROMPT_NONE for any other line. */
LUMO_API int lumo_codex_prompt_event(const char *line, size_t n, lumo_buf *text, lumo_prompt *out);

/* Characters (code points) of a UTF-8 text: its bytes that do not continue a character. */
LUMO_API int64_t lumo_utf8_chars(const char *p, size_t n);

/* SQL function lumo_prompt(agent, text [, flags [, display]]) (INNOCUOUS). */
LUMO_API int lumo_register_prompts(sqlite3 *db);
LUMO_API extern const lumo_object lumo_prompt_object;

#endif
