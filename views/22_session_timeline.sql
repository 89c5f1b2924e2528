-- session_timeline: a session's history as a person reads it: session_messages in time
-- order (records without a time last), each row saying what it holds. A message without
-- text says so: its tool calls ('tool call: Bash, Read'), thinking, a tool result, an
-- image or attachment; tool calls come with their input and the start of their result.
-- agent           agent
-- session_id      session id
-- seq             1-based position in the session (time order, then line)
-- timestamp       UTC time of the message (NULL: a record without a time, such as a summary)
-- kind            as session_messages
-- model           model (assistant messages)
-- message_id      API message id
-- shows           the text, or what the message holds when it has none
-- has_text        1 when shows is the message's own text
-- tool_calls      the message's tool calls, comma-separated (NULL: none)
-- tool_details    JSON array of the calls: name, input, is_error, result (first 2048 bytes)
-- records         transcript records merged into the row
DROP VIEW IF EXISTS session_timeline;
CREATE VIEW session_timeline AS
-- Each message's calls are looked up by its session (the tool_uses_session index), so a
-- WHERE on one session reads that session's calls only: a join with the calls grouped over
-- the whole table made one session's timeline cost the whole table (1 GB home: 1.7 s, then
-- a few ms). The calls of a message come in the order they were stored.
SELECT m.agent, m.session_id,
       row_number() OVER (PARTITION BY m.agent, m.session_id ORDER BY m.timestamp IS NULL, m.timestamp, m.file, m.line) AS seq,
       m.timestamp, m.kind, m.model, m.message_id,
       CASE WHEN coalesce(m.text, '') <> '' THEN m.text
            WHEN m.names IS NOT NULL THEN 'tool call: ' || m.names
            WHEN m.kind = 'assistant' THEN 'thinking (no text)'
            WHEN m.kind = 'reasoning' THEN 'reasoning (no text kept)'
            WHEN m.kind = 'tool_result' THEN 'tool result'
            WHEN m.kind = 'user' THEN 'image or attachment (no text)'
            ELSE m.kind || ' (no text)' END AS shows,
       coalesce(m.text, '') <> '' AS has_text,
       m.names AS tool_calls, CASE WHEN m.names IS NOT NULL THEN m.details END AS tool_details, m.records
  FROM (SELECT s.*,
               (SELECT group_concat(tool_name, ', ') FROM (SELECT tool_name FROM tool_uses t
                 WHERE t.session_id = s.session_id AND t.agent = s.agent AND t.message_id = s.message_id ORDER BY t.rowid))
                 AS names,
               (SELECT json_group_array(json_object('name', tool_name, 'input', input, 'is_error', is_error,
                                                    'result', result_text))
                  FROM (SELECT tool_name, input, is_error, result_text FROM tool_uses t
                 WHERE t.session_id = s.session_id AND t.agent = s.agent AND t.message_id = s.message_id ORDER BY t.rowid))
                 AS details
          FROM session_messages s) m;
