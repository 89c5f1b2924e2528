-- prompts: the prompts people typed (user_prompts), per local day, agent and project: how
-- many, how long, the slash commands and the turns they interrupted.
-- day             local date (NULL: records without a time)
-- agent           claude, codex, gemini
-- project         project (NULL when unknown)
-- prompts         prompts typed (not commands)
-- median_chars    median length of those prompts in characters (the mean of the two middle ones for an even count)
-- p90_chars       90th percentile of their length, nearest rank: the shortest length at least 90% of them do not exceed
-- chars           characters of all those prompts
-- commands        slash commands (and Claude's ! bash-mode commands) run
-- interrupted     turns the user interrupted
DROP VIEW IF EXISTS prompts;
CREATE VIEW prompts AS
WITH typed AS (SELECT date(timestamp, 'localtime') AS day, agent, project, chars,
                      row_number() OVER (PARTITION BY date(timestamp, 'localtime'), agent, project ORDER BY chars) AS rn,
                      count(*) OVER (PARTITION BY date(timestamp, 'localtime'), agent, project) AS n
                 FROM user_prompts WHERE kind = 'prompt'),
     stats AS (SELECT day, agent, project,
                      avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN chars END) AS median_chars,
                      max(CASE WHEN rn = (9 * n + 9) / 10 THEN chars END) AS p90_chars
                 FROM typed GROUP BY day, agent, project),
     counts AS (SELECT date(timestamp, 'localtime') AS day, agent, project,
                       count(CASE WHEN kind = 'prompt' THEN 1 END) AS prompts,
                       sum(CASE WHEN kind = 'prompt' THEN chars ELSE 0 END) AS chars,
                       count(CASE WHEN kind = 'command' THEN 1 END) AS commands,
                       count(CASE WHEN kind = 'interrupted' THEN 1 END) AS interrupted
                  FROM user_prompts GROUP BY 1, 2, 3)
-- joined, not looked up per group: a correlated lookup scanned every group's stats for
-- each group (1 GB home: 1.2 s, then 0.1 s)
SELECT c.day, c.agent, c.project, c.prompts, s.median_chars, s.p90_chars, c.chars, c.commands, c.interrupted
  FROM counts c LEFT JOIN stats s ON s.day IS c.day AND s.agent = c.agent AND s.project IS c.project;
