-- search_tool_rows: the tool calls the search index search_tools holds (its content
-- table): every call but Codex's, whose input and output are its messages rows' text.
-- id              the call's rowid in tool_uses
-- tool_name       tool name
-- input           the call's input
-- result_text     the first 2048 bytes of its result
DROP VIEW IF EXISTS search_tool_rows;
CREATE VIEW search_tool_rows AS
SELECT rowid AS id, tool_name, input, result_text FROM tool_uses WHERE agent <> 'codex';
