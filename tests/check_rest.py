"""check_rest: work_stretches and rest_status on hand-built activity minutes.

Breaks are gaps of at least rest_gap_minutes (15) between active minutes; a gap of exactly
15 minutes is a break, 14 is not (whole minutes, no floating-point fractions). The current
stretch is measured from its first minute to now; the level is rested below 60 minutes,
heads_up from 60, take_a_break from 120; more than 15 minutes since the last activity is
rested with 0 minutes. Expected values are worked out here from the minute lists, with
the clock read in Python just before the query (continuous minutes are compared within
one minute for that reason)."""
import datetime
import os
from lumo_sql import ROOT, Checker, fresh_db, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "rest")
os.makedirs(OUT, exist_ok=True)
db = os.path.join(OUT, "rest.db")


def minutes(start, count):
    """count consecutive UTC minutes from start (a datetime), as YYYY-MM-DDTHH:MM."""
    return [(start + datetime.timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M") for i in range(count)]


def load(mins, settings=()):
    fresh_db(db)
    values = ",".join("('%s')" % m for m in sorted(set(mins)))
    sets = "".join("INSERT OR REPLACE INTO lumo_settings VALUES ('%s', '%s');" % kv for kv in settings)
    # active_minutes keys are whole minutes since 1970; the text goes through SQLite's unixepoch
    query("DELETE FROM active_minutes; INSERT INTO active_minutes SELECT unixepoch(column1 || ':00') / 60 FROM (VALUES %s); %s"
          % (values, sets), db=db)


def stretches():
    return [(r["started_at"][11:], r["ended_at"][11:], r["minutes"], r["level"])
            for r in query("SELECT * FROM work_stretches ORDER BY stretch", db=db)]


# Gaps at the threshold, at minutes whose julianday differences round below 15
# (21:29 -> 21:44 gave 14.9999998 before): 21:20-21:29, then 21:44 after exactly 15
# minutes (a break), 21:44-21:50, then 22:04 after 14 (no break), 22:04-22:06.
day = datetime.datetime(2026, 1, 30, 21, 20)
mins = minutes(day, 10) + minutes(day.replace(minute=44), 7) + minutes(day.replace(hour=22, minute=4), 3)
load(mins)
c.eq("exactly 15 minutes is a break, 14 is not", [("21:20", "21:29", 9, "rested"), ("21:44", "22:06", 22, "rested")],
     stretches())
load(mins, [("rest_gap_minutes", "15.5")])  # rounded up: a break needs 16 whole minutes
c.eq("rest_gap_minutes 15.5: a 15-minute gap is no break", [("21:20", "22:06", 46, "rested")], stretches())
load(mins, [("rest_gap_minutes", "14")])
c.eq("rest_gap_minutes 14: both gaps are breaks",
     [("21:20", "21:29", 9, "rested"), ("21:44", "21:50", 6, "rested"), ("22:04", "22:06", 2, "rested")], stretches())
# Levels of whole stretches: 60 minutes reaches heads_up, 120 take_a_break, 59 neither.
load(minutes(day, 60) + minutes(day + datetime.timedelta(hours=2), 61) + minutes(day + datetime.timedelta(hours=5), 121))
c.eq("stretch levels at 59, 60 and 120 minutes", [(59, "rested"), (60, "heads_up"), (120, "take_a_break")],
     [(s[2], s[3]) for s in stretches()])
# Hints from a finished pattern (TZ=UTC): last activity 23:xx -> night_owl; a 185-minute
# stretch -> marathon; no sessions -> no long_sessions.
load(minutes(datetime.datetime(2026, 1, 30, 20, 30), 186))
r = query("SELECT * FROM rest_status", db=db)[0]
c.eq("finished long stretch: rested, night_owl and marathon hints",
     ["2026-01-30T23:35", 0, None, "rested", 0, 60, "night_owl,marathon"],
     [r["last_activity_at"], r["continuous_minutes"], r["stretch_started_at"], r["level"], r["progress_percent"],
      r["minutes_to_next_level"], r["hints"]])


def status_now(before_now):
    """rest_status after activity at now - m minutes for each m in before_now."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, second=0, microsecond=0)
    load([(now - datetime.timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M") for m in before_now])
    t = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    r = query("SELECT * FROM rest_status", db=db)[0]
    return r, now, t


# A current stretch of 135 minutes after an exact 15-minute break (the older activity
# must not count): take_a_break, 100 %, nothing left to the next level.
r, now, t = status_now(list(range(150, 201)) + list(range(1, 136)))
start = now - datetime.timedelta(minutes=135)
want = (t - start).total_seconds() / 60
c.eq("current stretch starts after the 15-minute break", start.strftime("%Y-%m-%dT%H:%M"), r["stretch_started_at"])
c.eq("continuous minutes = now - stretch start (within a minute)", True, abs(r["continuous_minutes"] - want) <= 1)
c.eq("135 minutes: take_a_break, 100 %, 0 to the next level", ["take_a_break", 100, 0],
     [r["level"], r["progress_percent"], r["minutes_to_next_level"]])
# The same with a 14-minute gap: one stretch of 200 minutes.
r, now, t = status_now(list(range(150, 201)) + list(range(1, 137)))
c.eq("a 14-minute gap does not end the stretch", (now - datetime.timedelta(minutes=200)).strftime("%Y-%m-%dT%H:%M"),
     r["stretch_started_at"])
# 70 minutes: heads_up, progress 70/120, 50 minutes to take_a_break.
r, now, t = status_now(range(1, 71))
want = (t - (now - datetime.timedelta(minutes=70))).total_seconds() / 60
c.eq("70 minutes: heads_up", "heads_up", r["level"])
c.eq("70 minutes: progress and minutes to the break (within a minute)", [True, True],
     [abs(r["progress_percent"] - 100 * want / 120) <= 1, abs(r["minutes_to_next_level"] - (120 - want)) <= 1])
# Last activity 16 minutes ago: rested, 0 minutes, no stretch.
r, now, t = status_now(range(16, 100))
c.eq("16 minutes since the last activity: rested with 0 minutes", ["rested", 0, None, 0],
     [r["level"], r["continuous_minutes"], r["stretch_started_at"], r["progress_percent"]])
c.done()
