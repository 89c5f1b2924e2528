-- 012_traps_tool_uses: one row per tool_use block with the outcome of its tool_result
-- (toolu_3 was an error; the resumed file's copy of toolu_1 has no result in its file).
SELECT file, line, tool_name, tool_use_id, is_error, result_bytes, json_extract(input, '$.command') AS cmd
  FROM claude_tool_uses('tests/fixtures/traps/claude');
