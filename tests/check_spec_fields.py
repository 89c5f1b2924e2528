"""check_spec_fields: every field the transcript spec (shared/spec/transcripts.md) names for
an agent, section by section (Claude 1.x, Codex 2.x, Gemini 3.x, OpenCode 4), is either
exposed by a reader (a column of one of its virtual tables, checked against lumo_reference,
which is what pragma table_info of the tables reports) or has a written reason here for
not being one. A rule the readers drop, or a column renamed away, fails this check instead
of vanishing silently (issue 24).

Each row: (spec section, field as the spec names it, "table.column" or None, reason).
A row with a column must find it; a row without one must say why. Keep the reasons true:
each was checked against the readers' code when written."""
from lumo_sql import Checker, query

ROWS = [
    # --- 1. Claude Code -------------------------------------------------------------
    ("1.1", "transcript file", "claude_usage.file", ""),
    ("1.1", "sessionId from the file name stem / the directory holding subagents/", "claude_usage.session_id", ""),
    ("1.1", "subagent files (subagents/, agent-*.jsonl)", "claude_usage.agent_id", ""),
    ("1.1", "project = first cwd of the file", "claude_usage.project", ""),
    ("1.1", "subagent sidecar agent-<id>.meta.json (agentType, spawnDepth, model)", None,
     "not a transcript: skipped by the *.jsonl walk; the subagent's own lines carry its model"),
    ("1.2", "type", "claude_messages.type", ""),
    ("1.2", "uuid", "claude_messages.uuid", ""),
    ("1.2", "parentUuid", "claude_messages.parent_uuid", ""),
    ("1.2", "logicalParentUuid", None,
     "compaction-boundary link; the conversation view follows parentUuid, accounting needs neither"),
    ("1.2", "sessionId", "claude_messages.session_id", ""),
    ("1.2", "timestamp", "claude_usage.timestamp", ""),
    ("1.2", "cwd", "claude_usage.cwd", ""),
    ("1.2", "gitBranch", "claude_usage.git_branch", ""),
    ("1.2", "version", "claude_usage.version", ""),
    ("1.2", "userType", None, "always 'external' in normal use; no accounting meaning"),
    ("1.2", "entrypoint", None, "informational (cli, sdk-ts, ...); not read"),
    ("1.2", "isSidechain", "claude_usage.is_sidechain", ""),
    ("1.2", "agentId", "claude_usage.agent_id", ""),
    ("1.2", "slug", None, "plan slug shared across agents; informational, not read"),
    ("1.2", "requestId", "claude_usage.request_id", ""),
    ("1.2", "message", "claude_messages.content", ""),
    ("1.2", "isApiErrorMessage / error / apiErrorStatus", "claude_messages.is_api_error", ""),
    ("1.2", "isMeta", "claude_messages.is_meta", ""),
    ("1.2", "isCompactSummary, isVisibleInTranscriptOnly", None,
     "injected records; kept as messages (type user) without a flag of their own"),
    ("1.2", "toolUseResult", None,
     "its usage/totalTokens is a roll-up of the subagent file and must not count (1.7); tool results "
     "come from tool_result blocks (claude_tool_uses)"),
    ("1.2", "costUSD (Claude Code's own estimate, 1.7)", "claude_usage.stored_cost_usd", ""),
    ("1.2", "effort, thinkingMetadata, todos, attribution*", None, "informational, not read"),
    ("1.3", "record types user, assistant, system, summary", "claude_messages.type", ""),
    ("1.3", "progress (nested agent_progress usage)", None,
     "never counted: the same calls are in the subagent file (1.3, 1.7)"),
    ("1.3", "file-history-snapshot, queue-operation, other 2.1.x types", None,
     "no usage, not conversation: accepted and ignored"),
    ("1.4", "message.id", "claude_usage.message_id", ""),
    ("1.4", "message.model", "claude_usage.model", ""),
    ("1.4", "content text blocks", "claude_messages.text", ""),
    ("1.4", "stop_reason", "claude_messages.stop_reason", ""),
    ("1.4", "tool_use.id", "claude_tool_uses.tool_use_id", ""),
    ("1.4", "tool_use.name", "claude_tool_uses.tool_name", ""),
    ("1.4", "tool_use.input", "claude_tool_uses.input", ""),
    ("1.4", "tool_result.is_error", "claude_tool_uses.is_error", ""),
    ("1.4", "tool_result content (size)", "claude_tool_uses.result_bytes", ""),
    ("1.5", "usage.input_tokens", "claude_usage.input_tokens", ""),
    ("1.5", "usage.cache_creation_input_tokens (flat total: 5m when no split)", "claude_usage.cache_write_5m_tokens", ""),
    ("1.5", "usage.cache_creation.ephemeral_5m_input_tokens", "claude_usage.cache_write_5m_tokens", ""),
    ("1.5", "usage.cache_creation.ephemeral_1h_input_tokens", "claude_usage.cache_write_1h_tokens", ""),
    ("1.5", "usage.cache_read_input_tokens", "claude_usage.cache_read_tokens", ""),
    ("1.5", "usage.output_tokens", "claude_usage.output_tokens", ""),
    ("1.5", "usage.output_tokens_details.thinking_tokens", None,
     "rare; already inside output_tokens, which is what is billed"),
    ("1.5", "usage.service_tier", "claude_usage.service_tier", ""),
    ("1.5", "usage.speed", "claude_usage.speed", ""),
    ("1.5", "usage.server_tool_use.web_search_requests", "claude_usage.web_search_requests", ""),
    ("1.5", "usage.server_tool_use.web_fetch_requests", None,
     "web fetches carry no per-request charge in the price table; not read"),
    ("1.5", "usage.inference_geo", "claude_usage.inference_geo", ""),
    ("1.5", "usage.iterations", None, "the top-level numbers are used; iterations are never added on top (1.5)"),
    ("1.6", "streaming copies merged (largest total wins)", "claude_usage.copies", ""),
    ("1.6", "placeholder output flag (rule 5)", "claude_usage.confidence", ""),
    ("1.7", "<synthetic> / API-error lines kept as messages", "claude_messages.is_api_error", ""),
    ("1.7", "usage-limit reset time in 'Claude AI usage limit reached|<epoch>'", None,
     "not parsed; the API-error message text is kept in claude_messages.text"),
    ("1.7", "lumo's own computed cost", "claude_usage.cost_usd", ""),
    # --- 2. Codex CLI ---------------------------------------------------------------
    ("2.1", "rollout file (sessions/, archived_sessions/, .jsonl.zst)", "codex_usage.file", ""),
    ("2.2", "session_meta.id (first session_meta names the thread)", "codex_usage.session_id", ""),
    ("2.2", "session_meta.cwd", "codex_usage.cwd", ""),
    ("2.2", "session_meta.timestamp", None, "used as the thread's start for fork replay (2.4.5), not a column"),
    ("2.2", "session_meta.forked_from_id / source.subagent.thread_spawn", "codex_usage.is_fork", ""),
    ("2.2", "session_meta.model (not in the spec's list; issue 24)", "codex_usage.model", ""),
    ("2.2", "session_meta.originator, cli_version", None, "informational, not read"),
    ("2.2", "session_meta.model_provider (model_provider_id/_name)", None,
     "lumo prices by model name; the provider is not a column"),
    ("2.2", "session_meta.instructions / base_instructions", None, "prompt text, not conversation or usage"),
    ("2.2", "session_meta.git {commit_hash, branch, repository_url}", None,
     "not read: codex tables have no git_branch column (a gap, not a rule)"),
    ("2.2", "session_meta.agent_nickname, agent_role", None, "informational, not read"),
    ("2.2", "turn_context.model", "codex_usage.model", ""),
    ("2.2", "turn_context.cwd", "codex_usage.cwd", ""),
    ("2.2", "turn_context approval_policy, sandbox_policy, effort, summary, turn_id", None, "informational, not read"),
    ("2.2", "response_item type", "codex_messages.type", ""),
    ("2.2", "response_item message role", "codex_messages.role", ""),
    ("2.2", "response_item content text / reasoning summary", "codex_messages.text", ""),
    ("2.2", "function_call / custom_tool_call name", "codex_messages.tool_name", ""),
    ("2.2", "call_id", "codex_messages.call_id", ""),
    ("2.2", "event_msg task_started.started_at (fork replay)", "codex_messages.is_replay", ""),
    ("2.2", "event_msg thread_settings_applied.thread_settings.model", "codex_usage.model", ""),
    ("2.2", "compacted {message, replacement_history}", None,
     "not conversation items and often huge: skipped by scanning (2.5)"),
    ("2.3", "input_tokens (cached taken out)", "codex_usage.input_tokens", ""),
    ("2.3", "cached_input_tokens", "codex_usage.cache_read_tokens", ""),
    ("2.3", "cache_write_input_tokens", "codex_usage.cache_write_5m_tokens", ""),
    ("2.3", "output_tokens", "codex_usage.output_tokens", ""),
    ("2.3", "reasoning_output_tokens", "codex_usage.reasoning_tokens", ""),
    ("2.3", "total_tokens", None, "input + output, derivable"),
    ("2.3", "rate_limits, model_context_window", None, "not usage; not read"),
    ("2.4", "token_count event time", "codex_usage.timestamp", ""),
    ("2.4", "fallback model (no turn_context)", None,
     "rule 4: lumo leaves model NULL (hence cost_usd NULL) instead of guessing; the NULL is the flag"),
    ("2.4", "lumo's own computed cost", "codex_usage.cost_usd", ""),
    # --- 3. Gemini CLI --------------------------------------------------------------
    ("3.1", "chat file (tmp/<project>/chats/, .json and .jsonl)", "gemini_usage.file", ""),
    ("3.1", "project id (.project_root, else the directory)", "gemini_usage.project", ""),
    ("3.1", "subagent sessions (chats/<parent>/...)", "gemini_usage.is_subagent", ""),
    ("3.2", "sessionId", "gemini_usage.session_id", ""),
    ("3.2", "kind", "gemini_usage.is_subagent", ""),
    ("3.2", "session-level model (3.5.5)", "gemini_usage.model", ""),
    ("3.2", "projectHash", None, "the project comes from the directory or .project_root (3.6)"),
    ("3.2", "startTime, lastUpdated, summary, directories, memoryScratchpad", None,
     "session bookkeeping; lumo deduplicates by (sessionId, message id), not by lastUpdated"),
    ("3.3", "repeated message id: the last line wins", "gemini_usage.line", ""),
    ("3.3", "$rewindTo / $set checkpoint", "gemini_usage.is_rewound", ""),
    ("3.4", "id", "gemini_usage.message_id", ""),
    ("3.4", "timestamp", "gemini_usage.timestamp", ""),
    ("3.4", "type", "gemini_messages.type", ""),
    ("3.4", "content", "gemini_messages.text", ""),
    ("3.4", "displayContent", None, "a display variant of content; content is kept"),
    ("3.4", "model", "gemini_messages.model", ""),
    ("3.4", "tokens.input (cached taken out, tool added)", "gemini_usage.input_tokens", ""),
    ("3.4", "tokens.output (+ thoughts)", "gemini_usage.output_tokens", ""),
    ("3.4", "tokens.cached", "gemini_usage.cache_read_tokens", ""),
    ("3.4", "tokens.thoughts", "gemini_usage.reasoning_tokens", ""),
    ("3.4", "tokens.tool", "gemini_usage.input_tokens", ""),
    ("3.4", "tokens.total", None, "a sum of the others, derivable"),
    ("3.4", "thoughts [{subject, description}]", None, "summaries without token counts; not read"),
    ("3.4", "toolCalls", "gemini_messages.tool_calls", ""),
    ("3.4", "toolCalls[].name", "gemini_messages.tool_names", ""),
    ("3.5", "copies across .json/.jsonl twins", "gemini_usage.copies", ""),
    ("3.5", "lumo's own computed cost", "gemini_usage.cost_usd", ""),
    # --- 4. OpenCode ----------------------------------------------------------------
    ("4", "storage/ JSON files or opencode.db", "opencode_usage.source", ""),
    ("4", "message id", "opencode_usage.message_id", ""),
    ("4", "sessionID", "opencode_usage.session_id", ""),
    ("4", "time.created", "opencode_usage.timestamp", ""),
    ("4", "providerID", "opencode_usage.provider", ""),
    ("4", "modelID", "opencode_usage.model", ""),
    ("4", "path.cwd", "opencode_usage.project", ""),
    ("4", "tokens.input", "opencode_usage.input_tokens", ""),
    ("4", "tokens.output (+ reasoning)", "opencode_usage.output_tokens", ""),
    ("4", "tokens.reasoning", "opencode_usage.reasoning_tokens", ""),
    ("4", "tokens.cache.read", "opencode_usage.cache_read_tokens", ""),
    ("4", "tokens.cache.write", "opencode_usage.cache_write_5m_tokens", ""),
    ("4", "cost (OpenCode's own)", "opencode_usage.stored_cost_usd", ""),
    ("4", "error.name = MessageAbortedError", "opencode_usage.is_aborted", ""),
    ("4", "parentID, mode/agent, finish, time.completed; session parent_id", None,
     "conversation structure and status; opencode_usage is a usage table only"),
    ("4", "user messages (model, no tokens)", None, "no usage: skipped (rule: skip messages without tokens)"),
]
SECTIONS = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3", "2.4",
            "3.1", "3.2", "3.3", "3.4", "3.5", "4"]

c = Checker()
ref = query("SELECT name, \"column\", hidden FROM lumo_reference WHERE kind = 'table' AND \"column\" IS NOT NULL")
columns = {"%s.%s" % (r["name"], r["column"]) for r in ref}
c.eq("lumo_reference lists the readers' tables",
     True, all(any(col.startswith(t + ".") for col in columns)
               for t in ("claude_usage", "claude_messages", "claude_tool_uses", "codex_usage", "codex_messages",
                         "gemini_usage", "gemini_messages", "opencode_usage")))
# lumo_reference is the tables' own declaration: pragma table_info of each reader table
# (which leaves out the hidden argument columns) agrees with it
for t in ("claude_usage", "claude_messages", "claude_tool_uses", "codex_usage", "codex_messages",
          "gemini_usage", "gemini_messages", "opencode_usage"):
    pragma = sorted(r["name"] for r in query("SELECT name FROM pragma_table_info('%s')" % t))
    c.eq("pragma table_info(%s) = lumo_reference's visible columns" % t,
         sorted(r["column"] for r in ref if r["name"] == t and not r["hidden"]), pragma)
c.eq("every spec section has at least one row", [], [s for s in SECTIONS if not any(r[0] == s for r in ROWS)])
c.eq("every row is in a known section", [], [r[:2] for r in ROWS if r[0] not in SECTIONS])
for section, field, expect, reason in ROWS:
    if expect is None:
        c.eq("%s %s: a written reason for not exposing it" % (section, field), True, len(reason.strip()) >= 10)
    else:
        c.eq("%s %s: column %s" % (section, field, expect), True, expect in columns)
c.done()
