"""check_examples: the shipped examples run with the real clients and give the demo's
known numbers: examples/*.sql in the plain sqlite3 shell (no extension), the budget check's
exit status, the cron report (examples/cron/daily-report.sh) for a fixed day and zone, and
the Python example. Expected numbers come from the demo generator's expected.json (its
Claude truth) plus the one real file added to the demo (4 responses, PROVENANCE.md)."""
import csv
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, Checker, demo_env, fresh_db, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "examples")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
db = os.path.join(OUT, "lumo.db")
home = os.path.join(ROOT, "examples", "demo-home")
exp = json.load(open(os.path.join(home, "expected.json")))
demo_env()
fresh_db(db)
query("SELECT lumo_sync()", db=db)
REAL_FILE_RESPONSES = 4  # projects/-home-marco-projects-spotter/d6e0bada...jsonl (PROVENANCE.md)


def shell(script, bail=False):
    args = ["sqlite3"] + (["-bail"] if bail else []) + [db, ".read " + script]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


r = shell("examples/model_comparison.sql")
c.eq("model_comparison.sql runs without the extension", 0, r.returncode)
req = sum(int(line.split("│")[3]) for line in r.stdout.splitlines() if line.startswith("│ claude"))  # Claude rows
c.eq("model_comparison.sql: requests add up to the demo's truth", exp["totals"]["claude"]["messages"] + REAL_FILE_RESPONSES, req)
r = shell("examples/top_sessions.sql")
c.eq("top_sessions.sql lists ten sessions", 10,
     sum(1 for line in r.stdout.splitlines() if line.startswith(("│ claude", "│ codex", "│ gemini"))))

subprocess.run(["sqlite3", db, "DELETE FROM budget_limits; INSERT INTO budget_limits VALUES ('today', 'day', 100, NULL, NULL)"], check=True)
r = shell("examples/budget_check.sql", bail=True)
c.eq("budget_check.sql: within budget exits 0", [0, True], [r.returncode, "within budget" in r.stdout])
subprocess.run(["sqlite3", db, "INSERT INTO budget_limits VALUES ('ever', 'month', 0.01, NULL, NULL)"], check=True)
subprocess.run(["sqlite3", db, "UPDATE budget_limits SET period = 'month'"], check=True)
over = subprocess.run(["sqlite3", db, "SELECT count(*) FROM budgets WHERE status = 'over'"], capture_output=True, text=True).stdout.strip()
r = shell("examples/budget_check.sql", bail=True)
if over != "0":
    c.eq("budget_check.sql: over budget exits non-zero", True, r.returncode != 0)
else:  # no spending in the current month of the machine's clock: only the within-budget case applies
    c.eq("budget_check.sql: nothing spent this month, still exits 0", 0, r.returncode)

# cron: yesterday's report for a fixed day, as CSV and JSON, checked per model against the truth
day = "2026-11-14"
reports = os.path.join(OUT, "reports")
env = dict(os.environ, LUMO_DB=db, LUMO_REPORTS=reports)
r = subprocess.run(["sh", "examples/cron/daily-report.sh", day], capture_output=True, text=True, cwd=ROOT, env=env)
c.eq("cron script exits 0", 0, r.returncode)
rows = list(csv.DictReader(open(os.path.join(reports, "daily-%s.csv" % day))))
got = {row["model"]: int(row["requests"]) for row in rows}
want = {d["model"]: d["messages"] for d in exp["daily"] if d["date"] == day}
c.eq("cron CSV for %s: requests per model = expected.json" % day, want, got)
js = json.load(open(os.path.join(reports, "daily-%s.json" % day)))
c.eq("cron JSON has the same rows", sorted(got.items()), sorted((x["model"], x["requests"]) for x in js))
c.eq("cron stdout is a table for the mail", True, "+-" in r.stdout and day in r.stdout)

# Demo telemetry (examples/demo-home/.lumo/otlp): read here with json alone. Every point is a
# delta, so a figure is the plain sum of its points; the dashboard and the Datasette canned
# query (examples/datasette/metadata.json) must say the same.
sums = {}
for line in open(os.path.join(home, ".lumo", "otlp", "otlp-2026-11-21.jsonl")):
    for rm in json.loads(line).get("resourceMetrics", []):
        for sm in rm["scopeMetrics"]:
            for m in sm["metrics"]:
                for p in m["sum"]["dataPoints"]:
                    assert m["sum"]["aggregationTemporality"] == 1  # delta
                    attrs = {a["key"]: list(a["value"].values())[0] for a in p["attributes"]}
                    k = (m["name"], attrs.get("type") or attrs.get("decision"))
                    sums[k] = sums.get(k, 0) + float(p.get("asDouble", p.get("asInt", 0)))
want = {"cost_usd": round(sums[("claude_code.cost.usage", None)], 6),
        "active_seconds": sums[("claude_code.active_time.total", "user")] + sums[("claude_code.active_time.total", "cli")],
        "lines_added": sums[("claude_code.lines_of_code.count", "added")],
        "lines_removed": sums[("claude_code.lines_of_code.count", "removed")],
        "commits": sums[("claude_code.commit.count", None)],
        "edit_accepts": sums[("claude_code.code_edit_tool.decision", "accept")],
        "edit_rejects": sums[("claude_code.code_edit_tool.decision", "reject")]}
got = query("SELECT round(cost_usd, 6) AS cost_usd, active_seconds, lines_added, lines_removed, commits,"
            " edit_accepts, edit_rejects FROM otel_dashboard", db=db)[0]
c.eq("otel_dashboard on the demo = the dump's delta sums (json reading)", want, got)
meta = json.load(open(os.path.join(ROOT, "examples", "datasette", "metadata.json")))
canned = query(meta["databases"]["lumo"]["queries"]["accept_rate_report"]["sql"], db=db)
c.eq("accept_rate canned query: Edit in Python, accepts / rejects / rate",
     [["claude", "Edit", "Python", want["edit_accepts"], want["edit_rejects"],
       round(100 * want["edit_accepts"] / (want["edit_accepts"] + want["edit_rejects"]), 1)]],
     [[r["agent"], r["tool_name"], r["language"], r["accepts"], r["rejects"], r["accept_rate"]] for r in canned])
broken = []
for name, q in sorted(meta["databases"]["lumo"]["queries"].items()):
    r = subprocess.run(["sqlite3", "-bail", db], input=q["sql"].replace(":session_id", "NULL"),
                       capture_output=True, text=True)
    if r.returncode != 0:
        broken.append((name, r.stderr.strip()))
c.eq("every canned query of the Datasette metadata runs without the extension", [], broken)
act = query("SELECT source, active_seconds FROM active_time", db=db)[0]
c.eq("active_time prefers the telemetry and adds transcript runs outside its span",
     ["telemetry+transcripts", True], [act["source"], act["active_seconds"] > want["active_seconds"]])

# session_telemetry: the demo's one telemetry session joins its transcript session; moved to
# an id no transcript has (in a copy), it becomes a telemetry-only row and the transcript
# session falls back to its own span.
demo_sid = "1d4c7a83-a7d9-4423-8cd0-8fa8a0424084"  # the session.id of every point in the dump
cols = "session_id, in_transcripts, in_telemetry, active_seconds, active_time_source"
n_sessions = query("SELECT count(*) AS n FROM sessions WHERE session_id IS NOT NULL", db=db)[0]["n"]
rows = query("SELECT %s FROM session_telemetry" % cols, db=db)
c.eq("session_telemetry: one row per transcript session, the demo session joined to its telemetry",
     [n_sessions, [[demo_sid, 1, 1, want["active_seconds"], "telemetry"]]],
     [len(rows), [list(r.values()) for r in rows if r["in_telemetry"]]])
moved = os.path.join(OUT, "telemetry-only.db")
shutil.copy(db, moved)
query("UPDATE otel_points SET session_id = 'telemetry-only' WHERE session_id = '%s';"
      "UPDATE otel_events SET session_id = 'telemetry-only' WHERE session_id = '%s'" % (demo_sid, demo_sid), db=moved)
span = query("SELECT duration_seconds FROM sessions WHERE session_id = '%s'" % demo_sid, db=moved)[0]["duration_seconds"]
rows = query("SELECT %s FROM session_telemetry WHERE session_id IN ('%s', 'telemetry-only') ORDER BY in_transcripts DESC"
             % (cols, demo_sid), db=moved)
c.eq("session_telemetry: a telemetry-only session is listed, the transcript session uses its span",
     [n_sessions + 1, [[demo_sid, 1, 0, span, "transcript_span"], ["telemetry-only", 0, 1, want["active_seconds"], "telemetry"]]],
     [query("SELECT count(*) AS n FROM session_telemetry", db=moved)[0]["n"], [list(r.values()) for r in rows]])

# Python: Debian's python3 loads the extension; 1,000 in + 500 out on Sonnet 4.5 = $0.0105
r = subprocess.run(["/usr/bin/python3", "examples/python_example.py", db], capture_output=True, text=True, cwd=ROOT)
c.eq("python example runs and prices with the extension", [0, True], [r.returncode, "$0.0105" in r.stdout])
c.done()
