-- mcp_servers: MCP servers the agents called (tool names mcp__server__tool), over all time.
-- mcp_server      server name
-- agent           claude, codex, gemini, opencode
-- tools           distinct tools of the server called
-- calls           calls
-- errors          calls that failed (see tools)
-- error_rate      errors / calls whose outcome is known, 0-1
-- sessions        sessions that called it
-- first_used      UTC instant of the first call
-- last_used       UTC instant of the last call
DROP VIEW IF EXISTS mcp_servers;
CREATE VIEW mcp_servers AS
SELECT mcp_server, agent, count(DISTINCT mcp_tool) AS tools, count(*) AS calls, coalesce(sum(is_error), 0) AS errors,
       1.0 * sum(is_error) / nullif(count(is_error), 0) AS error_rate, count(DISTINCT session_id) AS sessions,
       min(timestamp) AS first_used, max(timestamp) AS last_used
  FROM tool_uses WHERE mcp_server IS NOT NULL GROUP BY mcp_server, agent;
