"""teams.py: the team ledger at scale, simulated (`make bench-teams`, not part of `make test`;
issue 23 point 5). BENCH_TEAM_MACHINES machines (default 200), each a small home from
gen_corpus.py with its own seed (BENCH_TEAM_SIZE, default 1M) and machine id, are synced
and exported (scripts/lumo sync, scripts/lumo export); the exports are loaded into chdb
(in-process ClickHouse, the venv tests/check_clickhouse.py installs) through the `file`
table function over the drop folder, as README's Teams section shows, and each ported
view is timed (median of 3, the whole result read). Writes tests/bench/teams-results.md.
The loaded totals are checked against the sum of the machines' own databases."""
import glob
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
VENV = os.environ.get("LUMO_CHDB_VENV", os.path.join(ROOT, "dist", "chdb-venv"))
N = int(os.environ.get("BENCH_TEAM_MACHINES", "200"))
SIZE = os.environ.get("BENCH_TEAM_SIZE", "1M")
OUT = os.path.join(ROOT, "tests", "out", "bench-teams")
VIEWS = ("daily", "weekly", "monthly", "sessions", "models", "projects", "machines", "blocks", "budgets", "team_daily",
         "teams", "tools", "activity", "efficiency", "activity_by_machine", "efficiency_by_machine")

if not os.environ.get("LUMO_IN_CHDB_VENV"):
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):  # check_clickhouse installs the pinned chdb into the venv
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "check_clickhouse.py")], check=False)
    if not os.path.exists(py):
        raise SystemExit("teams bench: no chdb venv at %s (tests/check_clickhouse.py makes it)" % VENV)
    os.execve(py, [py] + sys.argv, dict(os.environ, LUMO_IN_CHDB_VENV="1"))
from chdb import session as chdb_session  # noqa: E402

shutil.rmtree(OUT, ignore_errors=True)
drop = os.path.join(OUT, "drop")
os.makedirs(drop)
so = os.path.join(ROOT, "dist", "lumo.so")
t0 = time.time()
local_rows = 0
for i in range(N):
    m = "dev%03d" % i
    home = os.path.join(OUT, "home", m)
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_corpus.py"), "--out", home, "--size", SIZE,
                    "--seed", str(1000 + i)], check=True, capture_output=True)
    env = dict(os.environ, LUMO_MACHINE=m, LUMO_EXTENSION=so, TZ="UTC", HOME=home)
    db = os.path.join(OUT, "db", m + ".db")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    lumo = ["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo"), "--db", db]
    roots = [x for a in ("claude", "codex", "gemini") if os.path.isdir(os.path.join(home, a))
             for x in ("--" + a, os.path.join(home, a))]  # a small home may lack an agent
    subprocess.run(lumo + ["sync", "-q"] + roots, check=True, env=env, capture_output=True)
    subprocess.run(lumo + ["--no-sync", "export", "--out", os.path.join(drop, m)], check=True, env=env,
                   capture_output=True)
    local_rows += int(subprocess.run(["sqlite3", db, "SELECT count(*) FROM usage"], capture_output=True, text=True,
                                     check=True).stdout)
prep = time.time() - t0
files = glob.glob(os.path.join(drop, "*", "*", "*", "*.ndjson"))
mb = sum(os.path.getsize(f) for f in files) / 1e6

chs = chdb_session.Session(os.path.join(OUT, "chdb"))
for name in ("00_tables.sql", "10_reports.sql"):
    sql = "\n".join(ln for ln in open(os.path.join(ROOT, "views", "clickhouse", name)).read().split("\n")
                    if not ln.lstrip().startswith("--"))
    for st in sql.split(";\n"):
        if st.strip():
            chs.query(st)
t0 = time.time()
loaded = {}
chs.query("INSERT INTO lumo.budget_limits (name, period, amount_usd) VALUES ('team-month', 'month', 1000)")
for table in ("usage", "messages", "tool_uses"):
    chs.query("INSERT INTO lumo.%s SELECT * FROM file('%s/*/%s/*/*.ndjson', 'JSONEachRow')" % (table, drop, table))
    loaded[table] = int(str(chs.query("SELECT count() FROM lumo.%s" % table, "CSV")).strip())
load = time.time() - t0
kept = int(str(chs.query("SELECT count() FROM lumo.usage_kept", "CSV")).strip())
if kept != local_rows:
    raise SystemExit("teams bench: usage_kept holds %d rows, the %d databases %d" % (kept, N, local_rows))
times = {}
for v in VIEWS:
    runs = []
    for _ in range(3):
        t = time.time()
        rows = str(chs.query("SELECT * FROM lumo.%s" % v, "TSV")).count("\n")
        runs.append(time.time() - t)
    times[v] = (statistics.median(runs), rows)

with open(os.path.join(HERE, "teams-results.md"), "w") as f:
    f.write("# Team ledger at scale (simulated)\n\nWritten by `make bench-teams` (tests/bench/teams.py) on %s: %d cores,"
            " %s, chdb %s. %d machines, each a %s home from gen_corpus.py (seeds 1000-%d), synced and exported by"
            " scripts/lumo (%.0f s for all, generation included); %d NDJSON files, %.1f MB, loaded with the `file` table"
            " function in %.2f s. View times: median of 3, whole result read.\n\n"
            % (time.strftime("%Y-%m-%d"), os.cpu_count(), platform.platform(),
               str(chs.query("SELECT version()", "CSV")).strip().strip('"'), N, SIZE, 1000 + N - 1, prep, len(files),
               mb, load))
    f.write("| table | rows loaded |\n|---|---|\n")
    for t, n in loaded.items():
        f.write("| %s | %d |\n" % (t, n))
    f.write("| usage_kept (= the %d databases' usage rows) | %d |\n\n" % (N, kept))
    f.write("| view | rows | median s |\n|---|---|---|\n")
    for v, (s, n) in times.items():
        f.write("| %s | %d | %.3f |\n" % (v, n, s))
print(open(os.path.join(HERE, "teams-results.md")).read())
