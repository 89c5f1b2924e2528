-- session_messages: a session's full history, one row per message: the streaming
-- copies of one response merged, user prompts, tool results and system records apart.
-- agent           agent
-- session_id      session id
-- timestamp       UTC time of the (first record of the) message
-- kind            user, assistant, tool_result, system or summary; Codex also tool_use and reasoning (and its other item types), Gemini error and warning
-- model           model (assistant messages)
-- message_id      API message id (assistant messages)
-- text            text of the message (copies joined in time order)
-- records         transcript records merged into the row
-- file            source file
-- line            first line
-- is_rewound      1 when the message is no longer in the conversation (Gemini $rewindTo or checkpoint; it was billed)
DROP VIEW IF EXISTS session_messages;
CREATE VIEW session_messages AS
SELECT agent, session_id, min(timestamp) AS timestamp,
       CASE WHEN max(type) = 'assistant' THEN 'assistant'
            WHEN max(type) = 'user' AND coalesce(max(text), '') = '' AND max(content_bytes) > 0 THEN 'tool_result'
            ELSE max(type) END AS kind,
       max(model) AS model, message_id,
       group_concat(nullif(text, ''), char(10)) AS text, count(*) AS records,
       min(file) AS file, min(line) AS line, max(is_rewound) AS is_rewound
  FROM messages
 GROUP BY session_id, agent, coalesce(message_id || ':' || is_sidechain, key);
