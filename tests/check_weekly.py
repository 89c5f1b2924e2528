"""check_weekly: the weekly_summary view (this week against last week, Monday weeks, UTC)
on hand-placed requests and telemetry around the real clock's week boundary.

Last week: three requests (three sessions), one of them inside the span of two Claude Code
active-time telemetry points (delta, 100 s and 50 s), so its transcript minute is replaced
by the telemetry; the other two are lone minutes outside the span (60 s each, the active
time rule's minimum). Active time = 150 + 2 x 60 = 270 s, source telemetry+transcripts.
This week: a request at exactly the week's first millisecond (it belongs to this week,
not the last) and one a day later: 2 sessions, 2 x 60 s, source transcripts."""
import datetime
import json
import os
from lumo_sql import ROOT, Checker, fresh_db, insert_usage, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "weekly")
os.makedirs(OUT, exist_ok=True)
db = os.path.join(OUT, "weekly.db")
fresh_db(db)

today = datetime.datetime.now(datetime.timezone.utc).date()
this_week = datetime.datetime.combine(today - datetime.timedelta(days=today.weekday()), datetime.time())
last_week = this_week - datetime.timedelta(days=7)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


mid = last_week + datetime.timedelta(days=3, hours=10)  # Thursday 10:00 of last week
insert_usage(db, [("last-inside", iso(mid + datetime.timedelta(minutes=5))),
                  ("last-before", iso(mid - datetime.timedelta(hours=2))),
                  ("last-after", iso(mid + datetime.timedelta(hours=3))),
                  ("this-first", iso(this_week)),
                  ("this-later", iso(this_week + datetime.timedelta(days=1, hours=9)))])


def point(start, end, seconds, kind):
    ns = lambda t: str(int((t - datetime.datetime(1970, 1, 1)).total_seconds()) * 10**9)
    return {"startTimeUnixNano": ns(start), "timeUnixNano": ns(end), "asDouble": seconds,
            "attributes": [{"key": "session.id", "value": {"stringValue": "last-inside"}},
                           {"key": "type", "value": {"stringValue": kind}}]}


dump = {"resourceMetrics": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "claude-code"}}]},
                             "scopeMetrics": [{"scope": {"name": "com.anthropic.claude_code"}, "metrics": [{
                                 "name": "claude_code.active_time.total", "unit": "s",
                                 "sum": {"aggregationTemporality": 1, "isMonotonic": True, "dataPoints": [
                                     point(mid, mid + datetime.timedelta(minutes=10), 100.0, "cli"),
                                     point(mid + datetime.timedelta(minutes=10), mid + datetime.timedelta(minutes=20), 50.0, "user")]}}]}]}]}
path = os.path.join(OUT, "otlp.jsonl")
with open(path, "w") as f:
    f.write(json.dumps(dump) + "\n")
query("SELECT lumo_sync(NULL, NULL, NULL, NULL, '%s')" % path, db=db)

rows = {r["week"]: r for r in query("SELECT * FROM weekly_summary", db=db)}
cols = ["week_start", "sessions", "requests", "active_seconds", "active_time_source"]
c.eq("last week: 3 sessions, telemetry 150 s + two lone transcript minutes",
     [last_week.date().isoformat(), 3, 3, 270, "telemetry+transcripts"], [rows["last"][k] for k in cols])
c.eq("this week: the request at the first millisecond counts here",
     [this_week.date().isoformat(), 2, 2, 120, "transcripts"], [rows["this"][k] for k in cols])
c.eq("deltas on this week's row", [-1, -150], [rows["this"]["sessions_delta"], rows["this"]["active_seconds_delta"]])
c.eq("no deltas on last week's row", [None, None], [rows["last"]["sessions_delta"], rows["last"]["active_seconds_delta"]])
c.done()
