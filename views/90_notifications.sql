-- notifications: the Claude Code hook events the receiver stored (the hook_events table),
-- newest first, with their local time: what asked for your attention and when a session
-- or subagent stopped. Schema 11 called this view notifications_local.
-- id              arrival order (hook_events.id)
-- local_time      local date and time received
-- day             local date received
-- event           Notification, Stop or SubagentStop
-- message         Notification's message (NULL for Stop and SubagentStop)
-- title           Notification's title, where sent
-- agent           claude
-- session_id      session id
-- project         project (last path component of the cwd)
-- machine         machine id of the receiver
-- received_at     UTC instant received
DROP VIEW IF EXISTS notifications_local;
DROP VIEW IF EXISTS notifications;
CREATE VIEW notifications AS
SELECT id, datetime(received_at, 'localtime') AS local_time, date(received_at, 'localtime') AS day, event, message, title,
       agent, session_id, project, machine, received_at
  FROM hook_events ORDER BY received_at DESC, id DESC;
