"""check_agreement: every report agrees with every other (issue 17 point 6).

For the whole history and for sample local days, the totals of each token bucket,
requests, priced cost and unpriced tokens are computed here from the stored requests
(the usage table: one row per billed request, read with plain SQLite; local days by
Python's zoneinfo, not by SQL), and compared with what every view and lumo command that
carries them shows: daily, weekly, monthly, sessions, projects, project_groups, machines,
models, dashboard, efficiency, blocks, budgets (and their unpriced tokens), hourly, and `lumo daily|weekly|monthly|
session|blocks|dashboard --json`. Twice over: a home whose every model is priced (the
generated corpus, all three agents), and the same with requests of a model no table
prices plus requests made in the last hours (so the budgets' current periods hold some);
each in UTC and in Asia/Kathmandu (+05:45, where a local day starts at 18:15 UTC).
Unpriced requests must never count as $0: a total that includes one shows NULL cost_usd
with priced_cost_usd and unpriced_tokens beside it."""
import datetime
import json
import os
import shutil
import subprocess
import sys
import zoneinfo
from lumo_sql import ROOT, SO, Checker, query

OUT = os.path.join(ROOT, "tests", "out", "agreement")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
CORPUS = os.path.join(ROOT, "tests", "out", "corpus")
LUMO = [sys.executable, os.path.join(ROOT, "scripts", "lumo")]
BUCKETS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens")
c = Checker()


def near(a, b):
    """Costs summed in another order differ in the last bits, never by more."""
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def extra_home():
    """A Claude session of acme-coder-1 (no price anywhere) beside a priced model, with two
    requests in the last hours (the budgets' current day, week and month)."""
    d = os.path.join(OUT, "extra", "projects", "-home-u-shop")
    os.makedirs(d)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    reqs = [("x1", "2026-03-01T18:30:00.000Z", "acme-coder-1", 1000, 500, 20000, 3000, 0),
            ("x2", "2026-03-02T09:00:00.000Z", "acme-coder-1", 200, 100, 0, 0, 1000),
            ("x3", "2026-03-01T12:00:00.000Z", "claude-sonnet-4-5-20250929", 100, 1000, 5000, 0, 0),
            ("x4", (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"), "acme-coder-1", 7, 70, 700, 0, 0),
            ("x5", (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "claude-sonnet-4-5-20250929", 9, 90, 900, 0, 0)]
    with open(os.path.join(d, "5e550002-0000-4000-8000-0000000000aa.jsonl"), "w") as f:
        for k, t, model, i, o, cr, w5, w1 in reqs:
            f.write(json.dumps({"type": "assistant", "sessionId": "5e550002-0000-4000-8000-0000000000aa",
                                "cwd": "/home/u/shop", "uuid": "u-" + k, "timestamp": t, "requestId": "req_" + k,
                                "message": {"model": model, "id": "msg_" + k, "role": "assistant", "type": "message",
                                            "content": [{"type": "text", "text": "ok"}],
                                            "usage": {"input_tokens": i, "output_tokens": o, "cache_read_input_tokens": cr,
                                                      "cache_creation_input_tokens": w5 + w1,
                                                      "cache_creation": {"ephemeral_5m_input_tokens": w5,
                                                                         "ephemeral_1h_input_tokens": w1}}}}) + "\n")
    return os.path.join(OUT, "extra")


def plain(db, sql, tz):
    r = subprocess.run(["sqlite3", "-json", db, sql], capture_output=True, text=True, env=dict(os.environ, TZ=tz))
    if r.returncode:
        raise SystemExit("sqlite3 failed: %s\n  in: %s" % (r.stderr, sql))
    return json.loads(r.stdout or "[]")


def lumo(db, tz, *argv):
    r = subprocess.run(LUMO + ["--db", db, "--no-sync"] + list(argv) + ["--json"], capture_output=True, text=True,
                       env=dict(os.environ, TZ=tz, LUMO_EXTENSION=SO + ".so"))
    if r.returncode:
        c.eq("lumo %s runs" % " ".join(argv), 0, (r.returncode, r.stderr))
        return []
    return json.loads(r.stdout)


def truth(db, tz):
    """From the stored requests: totals, and per local day (zoneinfo)."""
    rows = plain(db, "SELECT timestamp, %s, cost_usd FROM usage" % ", ".join(BUCKETS), "UTC")
    zone = zoneinfo.ZoneInfo(tz)

    def add(acc, r):
        acc["requests"] = acc.get("requests", 0) + 1
        for b in BUCKETS:
            acc[b] = acc.get(b, 0) + r[b]
        tokens = sum(r[b] for b in BUCKETS)
        acc["total_tokens"] = acc.get("total_tokens", 0) + tokens
        acc["priced_cost_usd"] = acc.get("priced_cost_usd", 0.0) + (r["cost_usd"] or 0.0)
        acc["unpriced_tokens"] = acc.get("unpriced_tokens", 0) + (tokens if r["cost_usd"] is None else 0)
    total, days = {}, {}
    for r in rows:
        add(total, r)
        t = datetime.datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
        r["local"] = t.astimezone(zone)
        add(days.setdefault(r["local"].date().isoformat(), {}), r)
    return total, days, rows


def sums(rows, keys):
    return {k: sum((r.get(k) or 0) for r in rows) for k in keys}


def agree(what, want, got, keys, rows=0):
    """rows: how many JSON rows were summed, each cost rounded to 6 decimals (half a
    micro-dollar each at most)."""
    for k in keys:
        ok = (near(want[k], got.get(k)) or abs(want[k] - (got.get(k) or 0)) <= 5e-7 * rows + 1e-9
              if isinstance(want[k], float) else want[k] == got.get(k))
        c.eq("%s: %s" % (what, k), want[k], want[k] if ok else got.get(k))


def null_rule(what, rows):
    """cost_usd is NULL exactly where the row holds unpriced tokens, else its priced cost."""
    bad = [r for r in rows if (r["cost_usd"] is None) != bool(r["unpriced_tokens"])
           or (r["cost_usd"] is not None and not near(r["cost_usd"], r["priced_cost_usd"]))]
    c.eq("%s: cost_usd NULL exactly on rows with unpriced tokens" % what, [], bad[:3])


ALL = ("requests",) + BUCKETS + ("total_tokens", "priced_cost_usd", "unpriced_tokens")
SHORT = ("requests", "total_tokens", "priced_cost_usd", "unpriced_tokens")


def check(db, label, tz):
    T, days, rows = truth(db, tz)
    w = "%s, %s" % (label, tz)
    # the periods: every bucket, whole history and sample local days
    for v in ("daily", "weekly", "monthly"):
        vr = plain(db, "SELECT * FROM %s" % v, tz)
        agree("%s %s whole history" % (w, v), T, sums(vr, ALL), ALL)
        null_rule("%s %s" % (w, v), vr)
    daily = plain(db, "SELECT * FROM daily", tz)
    for day in sorted(days)[:: max(1, len(days) // 4)]:
        agree("%s daily %s" % (w, day), days[day], sums([r for r in daily if r["day"] == day], ALL), ALL)
    # the groupings: requests, tokens, priced cost and unpriced tokens
    for v in ("sessions", "projects", "machines", "models"):
        vr = plain(db, "SELECT * FROM %s" % v, tz)
        agree("%s %s" % (w, v), T, sums(vr, SHORT), SHORT)
        null_rule("%s %s" % (w, v), vr)
    groups = plain(db, "SELECT * FROM project_groups", tz)
    agree("%s project_groups (one group of every project)" % w, T, sums(groups, SHORT), SHORT)
    null_rule("%s project_groups" % w, groups)
    d = plain(db, "SELECT * FROM dashboard", tz)[0]
    agree("%s dashboard" % w, dict(T, priced=T["priced_cost_usd"]),
          dict(d, priced=d["cost_usd"], cache_write=d["cache_write_tokens"]),
          ("requests", "input_tokens", "output_tokens", "cache_read_tokens", "total_tokens", "priced", "unpriced_tokens"))
    c.eq("%s dashboard cache writes" % w, T["cache_write_5m_tokens"] + T["cache_write_1h_tokens"], d["cache_write_tokens"])
    sessions = len(plain(db, "SELECT 1 FROM sessions", tz))
    e = plain(db, "SELECT * FROM efficiency", tz)[0]
    c.eq("%s efficiency: cost_per_session x sessions = priced cost" % w, True,
         near(T["priced_cost_usd"], e["cost_per_session"] * sessions))
    c.eq("%s efficiency: cost_per_1k_tokens x priced tokens = priced cost" % w, True,
         near(T["priced_cost_usd"], e["cost_per_1k_tokens"] * (T["total_tokens"] - T["unpriced_tokens"]) / 1000))
    b = plain(db, "SELECT * FROM blocks WHERE NOT is_gap", tz)
    keys = ("requests", "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens", "total_tokens",
            "priced_cost_usd", "unpriced_tokens")
    agree("%s blocks" % w, dict(T, cache_creation_tokens=T["cache_write_5m_tokens"] + T["cache_write_1h_tokens"]),
          sums(b, keys), keys)
    null_rule("%s blocks" % w, b)
    h = plain(db, "SELECT * FROM hourly", tz)
    agree("%s hourly" % w, T, sums(h, SHORT), SHORT)
    null_rule("%s hourly" % w, [r for r in h if r["requests"]])
    # budgets: the priced cost since the local start of the current day, week (Monday) and month
    zone = zoneinfo.ZoneInfo(tz)
    today = datetime.datetime.now(zone).date()
    starts = {"day": today, "week": today - datetime.timedelta(days=today.weekday()), "month": today.replace(day=1)}
    for name, start in starts.items():
        s = datetime.datetime.combine(start, datetime.time(), zone)
        want = sum(r["cost_usd"] or 0.0 for r in rows if r["local"] >= s)
        want_unpriced = sum(sum(r[k] for k in BUCKETS) for r in rows if r["local"] >= s and r["cost_usd"] is None)
        got = plain(db, "SELECT spent_usd, unpriced_tokens FROM budgets WHERE name = '%s'" % name, tz)[0]
        c.eq("%s budgets %s: spent since %s" % (w, name, start), True,
             near(want, got["spent_usd"]) or want == got["spent_usd"] == 0)
        c.eq("%s budgets %s: unpriced tokens since %s" % (w, name, start), want_unpriced, got["unpriced_tokens"])
    # the lumo command's JSON reports
    for cmd in ("daily", "weekly", "monthly"):
        got = lumo(db, tz, cmd)
        agree("%s lumo %s --json" % (w, cmd), T, sums(got, ALL), ALL, len(got))
        null_rule("%s lumo %s --json" % (w, cmd), got)
    got = lumo(db, tz, "session")
    agree("%s lumo session --json" % w, T, sums(got, SHORT), SHORT, len(got))
    null_rule("%s lumo session --json" % w, got)
    blk = [r for r in lumo(db, tz, "blocks") if not r.get("is_gap")]
    agree("%s lumo blocks --json" % w, T, sums(blk, SHORT), SHORT, len(blk))
    null_rule("%s lumo blocks --json" % w, blk)
    dash = lumo(db, tz, "dashboard")
    tot = (dash.get("totals", {}).get("rows") or [{}])[0] if isinstance(dash, dict) else {}
    agree("%s lumo dashboard --json totals" % w, T, tot, ("requests", "total_tokens", "priced_cost_usd", "unpriced_tokens"),
          1)
    # the dashboard's model and project tables carry every request too
    for part in ("models", "projects"):
        rows_ = dash.get(part, {}).get("rows", []) if isinstance(dash, dict) else []
        agree("%s lumo dashboard --json %s" % (w, part), T, sums(rows_, ("requests", "total_tokens")),
              ("requests", "total_tokens"))


def build(name, roots):
    db = os.path.join(OUT, name + ".db")
    os.environ["LUMO_MACHINE"] = "agree"
    query("SELECT lumo_sync(%s)" % ", ".join("'%s'" % r for r in roots), db=db)
    # one group of every project; a budget of each period
    subprocess.run(["sqlite3", db, "INSERT INTO project_group_members (group_name, project) SELECT DISTINCT 'all',"
                    " project FROM usage WHERE project IS NOT NULL;"
                    " INSERT INTO budget_limits (name, period, amount_usd) VALUES ('day', 'day', 1), ('week', 'week', 1),"
                    " ('month', 'month', 1)"], check=True)
    return db


roots = [os.path.join(CORPUS, "claude"), os.path.join(CORPUS, "gemini"), os.path.join(CORPUS, "codex"), "", ""]
priced = build("priced", roots)
c.eq("the corpus is priced throughout", 0, plain(priced, "SELECT count(*) n FROM usage WHERE cost_usd IS NULL", "UTC")[0]["n"])
mixed = build("mixed", [roots[0] + "," + extra_home()] + roots[1:])
c.eq("the mixed home has unpriced requests", 3,
     plain(mixed, "SELECT count(*) n FROM usage WHERE cost_usd IS NULL", "UTC")[0]["n"])
for db, label in ((priced, "priced"), (mixed, "with unpriced")):
    for tz in ("UTC", "Asia/Kathmandu"):
        check(db, label, tz)
c.done()
