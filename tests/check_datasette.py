"""check_datasette: Datasette, installed from PyPI by scripts/lumo-datasette (pinned, in a
venv from Debian's python3), serves the demo database on a loopback port with lumo's
restricted entry point; headless Chromium opens the dashboard and a session's history.
Checks: the pages show the demo's known totals (requests = the demo generator's
expected.json for Claude, Codex and Gemini + 4 in the one real Claude file, PROVENANCE.md), file
reading tables are absent (nofs entry point) while lumo_cost works, and screenshots land
in tests/out/. A missing program fails this check with the reason; it never passes
silently."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from lumo_sql import ROOT, Checker, demo_env, fresh_db, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "datasette")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
db = os.path.join(OUT, "lumo.db")
exp = json.load(open(os.path.join(ROOT, "examples", "demo-home", "expected.json")))
demo_env()
fresh_db(db)
query("SELECT lumo_sync()", db=db)
requests = sum(exp["totals"][a]["messages"] for a in ("claude", "codex", "gemini")) + 4  # + the real Claude file
sessions = sum(exp["counts"][a]["sessions"] for a in ("claude", "codex", "gemini")) + 1

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
env = dict(os.environ, LUMO_VENV=os.environ.get("LUMO_VENV", os.path.join(ROOT, "dist", "venv")))
log = open(os.path.join(OUT, "datasette.log"), "w")
server = subprocess.Popen(["sh", "scripts/lumo-datasette", "--db", db, "--port", str(port)], cwd=ROOT, env=env,
                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
base = "http://127.0.0.1:%d" % port


def get(path):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return r.read().decode()


try:
    up = False
    for _ in range(600):  # the first run installs Datasette into the venv
        if server.poll() is not None:
            break
        try:
            get("/-/versions.json")
            up = True
            break
        except OSError:
            time.sleep(0.5)
    c.eq("Datasette started (see tests/out/datasette/datasette.log)", True, up)
    if up:
        dash = json.loads(get("/lumo/dashboard.json?_shape=array"))[0]
        c.eq("dashboard view over HTTP: requests and sessions", [requests, sessions], [dash["requests"], dash["sessions"]])
        api = json.loads(get("/lumo.json?sql=select+lumo_cost('claude-sonnet-4-5',1000,500,0,0,0)+as+c&_shape=array"))
        c.eq("lumo_cost is available (nofs entry point)", 0.0105, api[0]["c"])
        try:
            get("/lumo.json?sql=select+count(*)+from+claude_usage")
            c.eq("file-reading tables are not reachable", True, False)
        except urllib.error.HTTPError as e:
            c.eq("file-reading tables are not reachable", True, "no such table: claude_usage" in e.read().decode())
        session = json.loads(get("/lumo.json?sql=select+session_id+from+sessions+order+by+cost_usd+desc+limit+1&_shape=array"))[0]["session_id"]
        history = json.loads(get("/lumo/session_history.json?session_id=%s&_shape=array" % session))
        c.eq("session history canned query returns the session's messages", True, len(history) > 10)
        raw = query("SELECT count(*) AS n, min(timestamp) AS first FROM messages WHERE session_id = '%s'" % session, db=db)[0]
        c.eq("the history: no empty row, numbered in order, opening with the first timed record (no summary first)",
             [0, list(range(1, len(history) + 1)), raw["first"]],
             [sum(1 for r in history if not (r["shows"] or "").strip()), [r["seq"] for r in history], history[0]["timestamp"]])
        page = get("/lumo/sessions_report?_size=5")
        c.eq("the sessions canned query links each session's page", True,
             '<a href="/-/dashboards/session?session_id=' in page)
        chromium = shutil.which("chromium")
        c.eq("chromium is installed (make deps-test installs it)", True, chromium is not None)
        if chromium:
            def browse(url, *extra):
                profile = tempfile.mkdtemp(prefix="lumo-chromium-")
                r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                    "--user-data-dir=" + profile, "--window-size=1400,900"] + list(extra) + [base + url],
                                   capture_output=True, text=True, timeout=120)
                shutil.rmtree(profile, ignore_errors=True)
                return r.stdout
            page = browse("/lumo/dashboard", "--dump-dom")
            c.eq("the dashboard page in Chromium shows the totals", [True, True],
                 ["%d" % requests in page, "%.2f" % dash["cost_usd"] in page or "%.8f" % dash["cost_usd"] in page or str(dash["cost_usd"]) in page])
            page = browse("/lumo/session_history?session_id=" + session, "--dump-dom")
            c.eq("the session history page in Chromium lists its messages", True, page.count("<tr") > 10)
            browse("/-/dashboards/lumo", "--virtual-time-budget=5000", "--screenshot=" + os.path.join(OUT, "dashboard.png"))
            browse("/lumo/session_history?session_id=" + session, "--screenshot=" + os.path.join(OUT, "session.png"))
            c.eq("screenshots written", True, all(os.path.getsize(os.path.join(OUT, f)) > 10000 for f in ("dashboard.png", "session.png")))
finally:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)

# A writer holding the database: Datasette's connections wait for it (the launcher's plugin
# sets a 10 s busy timeout; Python's default 5 s would answer "database is locked"). A
# WAL database's open readers keep an exclusive writer out, so the copy served here uses
# a rollback journal (a database whose owner chose it keeps it), where a writer's
# exclusive transaction holds readers back for its 7 s.
db2 = os.path.join(OUT, "rollback.db")
subprocess.run(["sqlite3", db, ".backup '%s'" % db2], check=True)
subprocess.run(["sqlite3", db2, "PRAGMA journal_mode = DELETE"], check=True, capture_output=True)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port2 = s.getsockname()[1]
server = subprocess.Popen(["sh", "scripts/lumo-datasette", "--db", db2, "--port", str(port2)], cwd=ROOT, env=env,
                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
base2 = "http://127.0.0.1:%d" % port2
try:
    for _ in range(120):
        try:
            urllib.request.urlopen(base2 + "/-/versions.json", timeout=10).read()
            break
        except OSError:
            time.sleep(0.5)
    w = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time\n"
                          "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                          "con.execute('BEGIN EXCLUSIVE')\n"
                          "print('locked', flush=True)\ntime.sleep(7)\ncon.execute('ROLLBACK')\n", db2],
                         stdout=subprocess.PIPE, text=True)
    held = w.stdout.readline() == "locked\n"
    try:
        with urllib.request.urlopen(base2 + "/rollback/dashboard.json?_shape=array", timeout=60) as r:
            waited = json.loads(r.read().decode())[0]["requests"]
    except urllib.error.HTTPError as e:
        waited = e.read().decode()[:300]
    c.eq("a writer's exclusive transaction held 7 s: Datasette waits for it, then answers", [True, requests, 0],
         [held, waited, w.poll()])
    w.wait()
finally:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)
c.done()
