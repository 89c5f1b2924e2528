-- 050_time: lumo_active_seconds and lumo_rest_level on hand-built timestamp sequences.
-- Rule: events sorted; gaps up to the idle gap (default 300 s) are active; each run of
-- activity counts at least 60 s.
-- a gap of exactly 300 s is active: 300; one second more splits it: 60 + 60 = 120
SELECT lumo_active_seconds(column1) AS gap_300 FROM (VALUES ('2026-01-01T10:00:00Z'), ('2026-01-01T10:05:00Z'));
SELECT lumo_active_seconds(column1) AS gap_301 FROM (VALUES ('2026-01-01T10:00:00Z'), ('2026-01-01T10:05:01Z'));
-- input order does not matter: 09:59, 10:00, 10:05 (one run, 360 s) and 10:10:01 (alone, 60 s)
SELECT lumo_active_seconds(column1) AS shuffled FROM (VALUES ('2026-01-01T10:10:01Z'), ('2026-01-01T10:00:00Z'),
  ('2026-01-01T09:59:00Z'), ('2026-01-01T10:05:00Z'));
-- one event is a minute of work; no event is 0; NULL and unparsable times are ignored
SELECT lumo_active_seconds(column1) AS one_event FROM (VALUES ('2026-01-01T10:00:00Z'), (NULL), ('not a time'));
SELECT lumo_active_seconds(column1) AS no_event FROM (VALUES (NULL));
-- across midnight: 23:58 -> 00:02 is 240 s of one run
SELECT lumo_active_seconds(column1) AS midnight FROM (VALUES ('2026-01-01T23:58:00Z'), ('2026-01-02T00:02:00Z'));
-- across the US spring-forward (2026-03-08 07:00Z: 01:58 EST -> 03:03 EDT on the wall
-- clock): active time is measured on UTC instants, so 5 minutes stay 300 s
SELECT lumo_active_seconds(column1) AS dst FROM (VALUES ('2026-03-08T06:58:00Z'), ('2026-03-08T07:03:00Z'));
-- offsets and fractions: 10:00:00.500+02:00 is 08:00:00.5Z, 1.5 s before 08:00:02Z -> one run, at least 60
SELECT lumo_active_seconds(column1) AS offsets FROM (VALUES ('2026-01-01T10:00:00.500+02:00'), ('2026-01-01T08:00:02Z'));
-- a custom idle gap, and epoch seconds
SELECT lumo_active_seconds(column1, 60) AS idle_60 FROM (VALUES (0), (50), (200), (400));
-- per group and as a window (frame: the row and the one before)
SELECT column1 AS g, lumo_active_seconds(column2) AS per_group FROM (VALUES ('a', '2026-01-01T10:00:00Z'), ('a', '2026-01-01T10:02:00Z'),
  ('b', '2026-01-01T10:00:00Z')) GROUP BY 1 ORDER BY 1;
SELECT column1 AS t, lumo_active_seconds(column1, 60) OVER (ORDER BY column1 ROWS 1 PRECEDING) AS window_active
  FROM (VALUES ('2026-01-01T10:00:00Z'), ('2026-01-01T10:00:30Z'), ('2026-01-01T10:05:00Z'));
SELECT lumo_active_seconds(column1, -1) FROM (VALUES ('2026-01-01T10:00:00Z'));
-- rest levels: below 60 rested, from 60 heads_up, from 120 take_a_break; custom thresholds
SELECT lumo_rest_level(0) AS m0, lumo_rest_level(59.9) AS m59, lumo_rest_level(60) AS m60,
       lumo_rest_level(119) AS m119, lumo_rest_level(120) AS m120, lumo_rest_level(30, 20, 25) AS custom,
       lumo_rest_level(NULL) AS null_minutes;
SELECT lumo_rest_level(10, 50, 40);
