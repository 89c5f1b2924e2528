-- 010_traps_usage: claude_usage over hand-made traps (tests/fixtures/traps/README.md):
-- T1 largest streaming copy wins (159), T2 identical copies count once, T3 a resumed
-- copy counts once for the older session, T4 /btw replay loses to the parent, T5
-- sidechain responses count, Bedrock lines without requestId merge on message.id,
-- <synthetic> is not billed, "speed": null is absent, T18 placeholder flagged low,
-- T20 project from the Windows cwd, gzip + BOM + CRLF read. Costs are worked by hand
-- in the comments (USD per MTok: sonnet 4.5 3/15/0.30/3.75/6, Bedrock US +10%,
-- haiku 4.5 1/5/0.10/1.25, opus 4.6 5/25).
SELECT session_id, project, message_id, input_tokens AS i, output_tokens AS o,
       cache_read_tokens AS cr, cache_write_5m_tokens AS w5, cache_write_1h_tokens AS w1,
       is_sidechain AS side, confidence, copies, line
  FROM claude_usage('tests/fixtures/traps/claude');
-- T1: 3*3 + 159*15 + 1000*0.3 + 500*6 = 5694 micro-USD
-- BR1: 6*3.3 + 40*16.5 = 679.8; S1: 1*1 + 30*5 + 100*1.25 = 276; W1: 10*5 + 100*25 = 2550
SELECT message_id, printf('%.10f', cost_usd) AS usd FROM claude_usage('tests/fixtures/traps/claude')
 WHERE message_id IN ('msg_T1', 'msg_BR1', 'msg_S1', 'msg_W1') ORDER BY message_id;
-- 9 responses; output 159+8+50+40+20+2+30+70+100 = 479; input 3+4+2+6+1+1+1+5+10 = 33
SELECT count(*) AS responses, sum(input_tokens) AS input, sum(output_tokens) AS output,
       sum(cache_read_tokens) AS cache_read FROM claude_usage('tests/fixtures/traps/claude');
-- the root argument is echoed by the hidden column
SELECT DISTINCT root FROM claude_usage('tests/fixtures/traps/claude');
