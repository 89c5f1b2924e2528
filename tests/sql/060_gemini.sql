-- 060_gemini: gemini_usage over the real Gemini CLI fixtures (tests/fixtures/real/gemini,
-- PROVENANCE.md), per session, checked by hand from the files' token objects with
-- input = input - cached + tool, output = output + thoughts, cache_read = cached:
-- vibecodingtracker: 16 message lines for 11 ids, 6 distinct gemini token objects (5
-- re-appended): input 13906 + 20926 + 38324 + 31964 + 40238 + 8277 = 153635, output
-- 491 + 731 + 1404 + 437 + 718 + 512 = 4293, cached 8156 + 8158 + 32637 = 48951;
-- abc12345: m2 (100-20+10 = 90, 50+30 = 80) and m4 (250-50 = 200, 150+100 = 250) after a
-- $rewindTo that removed the error m3 only; the subagent chat counts for its parent
-- directory's session; bad-project: a {not_json line is reported, bm2 has no timestamp.
SELECT session_id, count(*) AS responses, sum(input_tokens) AS input, sum(output_tokens) AS output,
       sum(cache_read_tokens) AS cache_read, sum(reasoning_tokens) AS reasoning, sum(is_rewound) AS rewound,
       sum(is_subagent) AS subagent
  FROM gemini_usage('tests/fixtures/real/gemini') GROUP BY session_id ORDER BY session_id;
SELECT message_id, model, input_tokens, output_tokens, cache_read_tokens, line, timestamp
  FROM gemini_usage('tests/fixtures/real/gemini') WHERE session_id LIKE 'abc12345%' OR session_id = 'bad-session'
 ORDER BY message_id;
SELECT file, line, kind FROM lumo_diagnostics WHERE source = 'gemini_usage' ORDER BY file, line;
SELECT count(*) AS rows FROM gemini_usage('tests/fixtures/no/such/dir');
-- gemini_messages: every message once (tests/check_messages.py checks each against a
-- json reading); here per file: messages, rewound, tool calls; and a missing root
SELECT file, count(*) AS messages, sum(is_rewound) AS rewound, sum(tool_calls) AS tool_calls
  FROM gemini_messages('tests/fixtures/real/gemini') GROUP BY file ORDER BY file;
SELECT count(*) AS rows FROM gemini_messages('tests/fixtures/no/such/dir');
