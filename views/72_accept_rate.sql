-- accept_rate: code-edit decisions per local day, agent, tool and language. Claude Code:
-- the claude_code.code_edit_tool.decision metric (Edit, Write, NotebookEdit), or its
-- tool_decision events for those tools when the metric is absent; Codex: tool_decision
-- events (approved* vs denied/abort); Gemini CLI: tool_call events (accept, auto_accept,
-- modify vs reject). user_* columns count only decisions a person made (Claude Code
-- source user_*; Codex source User), not allow rules or hooks.
-- day             local day
-- agent           claude, codex, gemini
-- tool_name       tool
-- language        language of the edited file (Claude Code metric only)
-- accepts         accepted decisions
-- rejects         rejected decisions
-- accept_rate     accepts / (accepts + rejects) x 100; NULL without decisions
-- user_accepts    accepts made by a person
-- user_rejects    rejects made by a person
-- user_accept_rate  user_accepts / (user_accepts + user_rejects) x 100
DROP VIEW IF EXISTS accept_rate;
CREATE VIEW accept_rate AS
WITH d AS (
  SELECT date(local_time) AS day, agent, tool_name, language, decision = 'accept' AS ok, decision = 'reject' AS bad,
         source LIKE 'user%' AS by_user, increase AS n
    FROM otel_increases WHERE metric = 'claude_code.code_edit_tool.decision'
  UNION ALL
  SELECT date(time, 'localtime'), agent, tool_name, NULL, decision = 'accept', decision = 'reject', source LIKE 'user%', 1
    FROM otel_events
   WHERE event_name = 'claude_code.tool_decision' AND tool_name IN ('Edit', 'Write', 'NotebookEdit', 'MultiEdit')
     AND NOT EXISTS (SELECT 1 FROM otel_points WHERE metric = 'claude_code.code_edit_tool.decision')
  UNION ALL
  SELECT date(time, 'localtime'), agent, tool_name, NULL, decision LIKE 'approved%', decision IN ('denied', 'abort'),
         source = 'User', 1
    FROM otel_events WHERE event_name = 'codex.tool_decision'
  UNION ALL
  SELECT date(time, 'localtime'), agent, tool_name, NULL, decision IN ('accept', 'auto_accept', 'modify'), decision = 'reject',
         decision IN ('accept', 'modify', 'reject'), 1
    FROM otel_events WHERE event_name = 'gemini_cli.tool_call' AND decision IS NOT NULL)
SELECT day, agent, tool_name, language, total(ok * n) AS accepts, total(bad * n) AS rejects,
       100.0 * total(ok * n) / nullif(total(ok * n) + total(bad * n), 0) AS accept_rate,
       total(ok * by_user * n) AS user_accepts, total(bad * by_user * n) AS user_rejects,
       100.0 * total(ok * by_user * n) / nullif(total(ok * by_user * n) + total(bad * by_user * n), 0) AS user_accept_rate
  FROM d GROUP BY day, agent, tool_name, language;
