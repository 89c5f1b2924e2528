-- 011_traps_messages: claude_messages merges consecutive streaming copies into one
-- row (content arrays joined, text joined, largest usage kept) and keeps every
-- user/assistant record; tool_result-only user lines have no text.
SELECT file, line, type, role, message_id, copies, output_tokens, confidence,
       replace(text, char(10), '|') AS text
  FROM claude_messages('tests/fixtures/traps/claude');
-- the merged T1 row holds all three content blocks
SELECT json_array_length(content) AS blocks, json_extract(content, '$[2].name') AS tool
  FROM claude_messages('tests/fixtures/traps/claude') WHERE message_id = 'msg_T1' AND line = 2;
-- count(*) needs no text: same number of rows
SELECT count(*) AS n FROM claude_messages('tests/fixtures/traps/claude');
