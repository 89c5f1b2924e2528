"""check_rate_limits: Codex's plan limits (issue 19 point 5). The rate_limits table after a
sync of the real Codex fixtures equals what this file reads from the same rollouts with
json.loads: every token_count (and account/rateLimits/updated) event's rate_limits
windows that have a used_percent, a row each time a window's state changes within a
rollout (used share or length changed, or the reset time moved by 2 minutes or more),
reset times from resets_at or reset_at (epoch seconds) or resets_in_seconds (after the
event). rate_limit_status shows the latest of each window. A re-sync adds nothing; a line
appended to a rollout adds its row."""
import datetime
import json
import os
import shutil
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "rate_limits")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
CODEX = os.path.join(OUT, "codex")
shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "real", "codex"), CODEX)
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "test"


def iso(ms):
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def ms_of(ts):
    t = datetime.datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    frac = ts[19:].rstrip("Z")
    return int(t.timestamp()) * 1000 + (int((frac[1:] + "000")[:3]) if frac.startswith(".") else 0)


def expected():
    rows = []
    for dirpath, _, files in sorted(os.walk(CODEX)):
        for name in sorted(files):
            if not name.endswith(".jsonl"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), CODEX)
            prev = {}
            thread = None
            for no, line in enumerate(open(os.path.join(dirpath, name), encoding="utf-8"), 1):
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                p = rec.get("payload") or {}
                if rec.get("type") == "session_meta" and thread is None:
                    thread = p.get("id")
                if rec.get("type") != "event_msg" or p.get("type") not in ("token_count", "account/rateLimits/updated"):
                    continue
                rl = p.get("rate_limits")
                if not isinstance(rl, dict):
                    continue
                try:
                    at = ms_of(rec["timestamp"])
                except (KeyError, ValueError):
                    continue
                for window in ("primary", "secondary"):
                    w = rl.get(window)
                    if not isinstance(w, dict) or not isinstance(w.get("used_percent"), (int, float)):
                        continue
                    minutes = w.get("window_minutes") or None
                    if "resets_at" in w or "reset_at" in w:
                        resets = (w.get("resets_at") or w.get("reset_at")) * 1000
                    elif "resets_in_seconds" in w:
                        resets = at + w["resets_in_seconds"] * 1000
                    else:
                        resets = None
                    old = prev.get(window)
                    if old and old[0] == w["used_percent"] and old[1] == minutes and \
                            abs((resets or 0) - (old[2] or 0)) < 120000:
                        continue
                    prev[window] = (w["used_percent"], minutes, resets)
                    rows.append((rel, no, window, thread, iso(at), float(w["used_percent"]), minutes,
                                 iso(resets) if resets else None, rl.get("limit_id"), rl.get("plan_type")))
    return sorted(rows)


def stored():
    return sorted(tuple(r.values()) for r in query(
        "SELECT file, line, window, session_id, timestamp, used_percent, window_minutes, resets_at, limit_id, plan_type"
        " FROM rate_limits", db=DB))


query("SELECT lumo_sync('', '', '%s')" % CODEX, db=DB)
want = expected()
c.eq("the fixtures hold rate limits (at least 5 window states)", True, len(want) >= 5)
c.eq("rate_limits after a sync", want, stored())
latest = {}
for r in want:
    k = (r[8] or "codex", r[2])
    if k not in latest or (r[4], r[1]) > (latest[k][4], latest[k][1]):
        latest[k] = r
c.eq("rate_limit_status: the latest of each window",
     sorted((k[0], k[1], r[5], r[7]) for k, r in latest.items()),
     sorted((x["limit_id"] or "codex", x["window"], x["used_percent"], x["resets_at"]) for x in query(
         "SELECT limit_id, window, used_percent, resets_at FROM rate_limit_status", db=DB)))
query("SELECT lumo_sync('', '', '%s')" % CODEX, db=DB)
c.eq("a re-sync adds nothing", want, stored())
# One more event, 42% of the 5-hour window, resetting in 3600 s.
f = os.path.join(CODEX, "sessions", "2025", "10", "31", "rollout-2025-10-31T17-00-00-test-ratelimit-session.jsonl")
n = sum(1 for _ in open(f))
with open(f, "a") as out:
    out.write(json.dumps({"timestamp": "2025-10-31T18:00:00.000Z", "type": "event_msg", "payload": {
        "type": "token_count", "info": None, "rate_limits": {
            "primary": {"used_percent": 42.0, "window_minutes": 300, "resets_in_seconds": 3600},
            "secondary": None}}}) + "\n")
os.utime(f, (2e9, 2e9))
query("SELECT lumo_sync('', '', '%s')" % CODEX, db=DB)
got = stored()
c.eq("an appended event adds one row", len(want) + 1, len(got))
c.eq("the appended row", ("sessions/2025/10/31/" + os.path.basename(f), n + 1, "primary", "test-ratelimit-session",
                          "2025-10-31T18:00:00.000Z", 42.0, 300, "2025-10-31T19:00:00.000Z", None, None),
     [r for r in got if r[1] == n + 1][0] if any(r[1] == n + 1 for r in got) else None)
c.done()
