#!/usr/bin/env python3
"""dashboard.py: `make bench` (after bench.py): how fast the Datasette dashboard answers on
a large database, by Datasette's own timing (--setting trace_debug 1, ?_trace=1).

The database: tests/bench/corpus/1G (gen_corpus.py, seed 2) synced into
tests/bench/corpus/dashboard/lumo.db once and kept. For each range the page asks for
(the whole span of the data, its last 30 days, its last 7 days, the same 30 days with
the agent and project filters, today), it fetches the dashboard page, then every panel's
SQL as the page's script does (/lumo.json?sql=...&<the filters>), REPS times after one
warm-up, and records Datasette's request_duration_ms (the whole request in the server)
and each panel's SQL time (the trace of its query). Page load in the server = the page
request plus every panel's request, added up (the browser sends them at once; on this
2-core machine Datasette's threads overlap them, so the sum is an upper bound).
Writes its section of tests/bench/results.md (between the dashboard markers)."""
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REPS = int(os.environ.get("BENCH_REPS", "5"))
CORPUS = os.path.join(HERE, "corpus", "1G")
DBDIR = os.path.join(HERE, "corpus", "dashboard")
DB = os.path.join(DBDIR, "lumo.db")
START, END = "<!-- dashboard:start -->", "<!-- dashboard:end -->"


def make_db():
    if not os.path.exists(os.path.join(CORPUS, "expected.json")):
        print("generating the 1G corpus ...", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--out", CORPUS, "--size", "1G", "--seed", "2"], check=True)
    if not os.path.exists(DB):
        os.makedirs(DBDIR, exist_ok=True)
        print("syncing the 1G corpus into %s ..." % DB, flush=True)
        subprocess.run(["sqlite3", "-cmd", ".load " + os.path.join(ROOT, "dist", "lumo"), DB,
                        "SELECT lumo_sync('%s/claude', '%s/gemini', '%s/codex')" % (CORPUS, CORPUS, CORPUS)],
                       check=True, capture_output=True, env=dict(os.environ, LUMO_MACHINE="bench", TZ="UTC"))


def main():
    make_db()
    meta = json.load(open(os.path.join(ROOT, "examples", "datasette", "metadata.json")))
    charts = meta["plugins"]["datasette-dashboards"]["lumo"]["charts"]
    span = subprocess.run(["sqlite3", DB, "SELECT date(min(timestamp)), date(max(timestamp)) FROM usage"],
                          capture_output=True, text=True, check=True).stdout.strip().split("|")
    last = span[1]
    minus = lambda days: subprocess.run(["sqlite3", ":memory:", "SELECT date('%s', '-%d days')" % (last, days)],  # noqa: E731
                                        capture_output=True, text=True).stdout.strip()
    project = subprocess.run(["sqlite3", DB, "SELECT project FROM usage_buckets GROUP BY project ORDER BY sum(requests) DESC LIMIT 1"],
                             capture_output=True, text=True).stdout.strip()
    scenarios = [("whole span %s..%s" % tuple(span), dict(range="custom", date_from=span[0], date_to=last)),
                 ("last 30 days of data", dict(range="custom", date_from=minus(29), date_to=last)),
                 ("last 7 days of data", dict(range="custom", date_from=minus(6), date_to=last)),
                 ("last 30 days, agent + project filter", dict(range="custom", date_from=minus(29), date_to=last, agent="claude",
                                                               project=project)),
                 ("today (no data: the fixed cost)", dict(range="today"))]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, TZ="UTC", LUMO_VENV=os.environ.get("LUMO_VENV", os.path.join(ROOT, "dist", "venv")))
    server = subprocess.Popen(["sh", os.path.join(ROOT, "scripts", "lumo-datasette"), "--db", DB, "--port", str(port),
                               "--setting", "trace_debug", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = "http://127.0.0.1:%d" % port
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        db_mb = os.path.getsize(DB) / 1e6
        load = os.getloadavg()[0]
        lines = [START, "", "## Datasette dashboard (tests/bench/dashboard.py)", "",
                 "Database: the 1G corpus synced (%.0f MB; %s). Datasette 0.65.5, datasette-dashboards 0.8.0, "
                 "nofs entry point. Times are Datasette's own (`?_trace=1`, `trace_debug`), ms, median (min-max) of %d runs "
                 "after a warm-up. Page load in the server = the page request + every panel's request, added up. "
                 "Load average when the run started: %.1f on %d cores (other sessions share the machine: "
                 "the slowest figures are the ones the load hits)." % (
                     db_mb, "%s rows of usage" % subprocess.run(["sqlite3", DB, "SELECT count(*) FROM usage"], capture_output=True,
                                                               text=True).stdout.strip(), REPS, load, os.cpu_count()), ""]
        summary = ["| range | page request | panels' requests, sum | page load in the server | slowest panel SQL |",
                   "|---|---|---|---|---|"]
        detail = {}
        for name, params in scenarios:
            page_ms, sums, slow = [], [], []
            for rep in range(REPS + 1):
                with urllib.request.urlopen(base + "/-/dashboards/lumo?" + urllib.parse.urlencode(dict(params, _trace=1)), timeout=60) as r:
                    html = r.read().decode()
                m = re.search(r"&#34;request_duration_ms&#34;: ([0-9.]+)", html)
                req_total, worst = 0.0, (0.0, "")
                for key, ch in charts.items():
                    q = urllib.parse.urlencode(dict(params, sql=ch["query"], _shape="objects", _trace=1))
                    with urllib.request.urlopen(base + "/lumo.json?" + q, timeout=60) as r:
                        d = json.loads(r.read())
                    if d.get("error"):
                        raise SystemExit("panel %s: %s" % (key, d["error"]))
                    sql_ms = sum(t["duration_ms"] for t in d["_trace"]["traces"] if t.get("database") == "lumo" and t["sql"] == ch["query"])
                    req_total += d["_trace"]["request_duration_ms"]
                    if rep:
                        detail.setdefault(name, {}).setdefault(key, []).append(sql_ms)
                    worst = max(worst, (sql_ms, key))
                if rep:
                    page_ms.append(float(m.group(1)))
                    sums.append(req_total)
                    slow.append(worst)
            fmt = lambda xs: "%.0f (%.0f-%.0f)" % (statistics.median(xs), min(xs), max(xs))  # noqa: E731
            loads = [a + b for a, b in zip(page_ms, sums)]
            worst = max(slow)
            summary.append("| %s | %s | %s | %s | %s %.0f ms |" % (name, fmt(page_ms), fmt(sums), fmt(loads), worst[1], worst[0]))
            print(summary[-1], flush=True)
        lines += summary + ["", "Each panel's SQL, ms, median of %d runs per range:" % REPS, "",
                            "| panel | " + " | ".join(n for n, _ in scenarios) + " |",
                            "|---|" + "---|" * len(scenarios)]
        for key in charts:
            lines.append("| %s | %s |" % (key, " | ".join("%.1f" % statistics.median(detail[n][key]) for n, _ in scenarios)))
        lines += ["", END]
        path = os.path.join(HERE, "results.md")
        text = open(path).read() if os.path.exists(path) else "# lumo benchmark results\n"
        if START in text:
            text = text[:text.index(START)] + "\n".join(lines) + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
        open(path, "w").write(text)
        print("wrote tests/bench/results.md (dashboard section)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
