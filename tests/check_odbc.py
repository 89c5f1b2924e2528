"""check_odbc: BI tools reach the lumo database through ODBC. Debian's SQLite ODBC driver
(libsqliteodbc) with unixODBC: a DSN without the extension reads the views, and a second
DSN with the driver's LoadExt option loads dist/lumo.so and calls lumo_cost. Results are
compared with the sqlite3 shell's on the same database (values printed as text by SQL,
so both clients format them alike)."""
import os
import subprocess
from lumo_sql import ROOT, Checker, demo_env, fresh_db, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "odbc")
os.makedirs(OUT, exist_ok=True)
db = os.path.join(OUT, "lumo.db")
demo_env()
fresh_db(db)
query("SELECT lumo_sync()", db=db)
ini = os.path.join(OUT, "odbc.ini")
with open(ini, "w") as f:
    f.write("[lumo]\nDriver=SQLite3\nDatabase=%s\n\n[lumo_ext]\nDriver=SQLite3\nDatabase=%s\nLoadExt=%s\n"
            % (db, db, os.path.join(ROOT, "dist", "lumo.so")))
env = dict(os.environ, ODBCINI=ini, ODBCSYSINI="/etc")


def isql(dsn, sql):
    r = subprocess.run(["isql", "-b", "-d|", dsn], input=sql + "\n", capture_output=True, text=True, env=env)
    if r.returncode:
        raise SystemExit("isql %s failed: %s %s" % (dsn, r.stdout, r.stderr))
    return [line.strip() for line in r.stdout.splitlines() if line.strip()]


def shell(sql, load=False):
    args = ["sqlite3"] + (["-cmd", ".load dist/lumo"] if load else []) + [db, sql]
    return [line.strip() for line in subprocess.run(args, capture_output=True, text=True, cwd=ROOT).stdout.splitlines() if line.strip()]


for name, sql in (
        ("daily", "SELECT day, model, requests, printf('%.6f', cost_usd) FROM daily ORDER BY day, model"),
        ("models", "SELECT model, requests, total_tokens, printf('%.6f', cost_usd) FROM models ORDER BY model"),
        ("sessions", "SELECT session_id, requests, messages, printf('%.6f', cost_usd) FROM sessions ORDER BY session_id"),
        ("dashboard", "SELECT requests, sessions, total_tokens, printf('%.6f', cost_usd) FROM dashboard")):
    got = isql("lumo", sql)
    c.eq("ODBC without the extension: view %s equals the sqlite3 shell (%d rows)" % (name, len(got)), shell(sql), got)
cost = "SELECT printf('%.7f', lumo_cost('claude-sonnet-4-5', 5, 812, 118422, 2876, 0))"
c.eq("ODBC DSN with LoadExt: lumo_cost = golden a02 = sqlite3 shell", ["0.0585066", "0.0585066"],
     isql("lumo_ext", cost) + shell(cost, load=True))
c.done()
