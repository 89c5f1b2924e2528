"""check_locked: the lumo command and its status line beside a concurrent writer (issue 18
point 8). The lumo database is in WAL mode, so a writer in a transaction never stops a
reader; a writer in exclusive locking mode does (as a rollback-journal database's commit
or a recovery would). lumo waits for it up to its busy timeout of 10 s (set explicitly:
Python's default is 5 s) and then says the database is locked, with exit 1, never that a
view does not exist (reading the file as immutable instead would skip the WAL's commits).

The home: one Claude session, 2 requests of claude-sonnet-4-5 on 2026-11-02 UTC,
1,000 in + 100 out and 2,000 in + 200 out: 3,300 tokens, $0.003 + $0.0015 + $0.006 +
$0.003 = $0.0135 (input $3, output $15 per million tokens). The exclusive writer adds a
third: 3,302 tokens, $0.013518."""
import json
import os
import shutil
import subprocess
import sys
from lumo_sql import ROOT, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "locked")
shutil.rmtree(OUT, ignore_errors=True)
HOME = os.path.join(OUT, "home")
PROJ = os.path.join(HOME, ".claude", "projects", "-home-u-app")
os.makedirs(PROJ)
DB = os.path.join(HOME, ".lumo", "lumo.db")
LUMO = os.path.join(ROOT, "scripts", "lumo")
ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "COLUMNS")}
ENV.update(HOME=HOME, LUMO_MACHINE="test", TZ="UTC", NO_COLOR="1")


def assistant(n, inp, out):
    return json.dumps({"type": "assistant", "sessionId": "s1", "cwd": "/home/u/app", "requestId": "r%d" % n,
                       "uuid": "u%d" % n, "timestamp": "2026-11-02T10:0%d:00.000Z" % n,
                       "message": {"id": "m%d" % n, "model": "claude-sonnet-4-5", "role": "assistant",
                                   "usage": {"input_tokens": inp, "output_tokens": out}}})


with open(os.path.join(PROJ, "s1.jsonl"), "w") as f:
    f.write(assistant(1, 1000, 100) + "\n" + assistant(2, 2000, 200) + "\n")

# The writer: holds the database for `seconds`, in exclusive locking mode or in a plain
# write transaction; says "locked" once it holds it. In exclusive mode it first commits a
# third request (1 in + 1 out, $0.000018), which stays in the WAL while it holds the
# lock: a reader that read the database file as immutable would not see it.
WRITER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[3] == "exclusive":
    con.execute("PRAGMA locking_mode = EXCLUSIVE")
    con.execute("INSERT OR IGNORE INTO usage (key, agent, machine, session_id, timestamp, model, input_tokens,"
                " output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, rank_total,"
                " rank_has_speed, rank_mtime_ns, cost_usd) VALUES ('lock-test', 'claude', 'test', 's1',"
                " '2026-11-02T11:00:00.000Z', 'claude-sonnet-4-5', 1, 1, 0, 0, 0, 2, 0, 0, 0.000018)")
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT OR REPLACE INTO lumo_settings (key, value) VALUES ('lock_test', '1')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
con.close()
"""


def writer(seconds, mode):
    p = subprocess.Popen([sys.executable, "-c", WRITER, DB, str(seconds), mode], stdout=subprocess.PIPE, text=True)
    c.eq("the writer holds the database (%s, %g s)" % (mode, seconds), "locked\n", p.stdout.readline())
    return p


def start(*args, stdin=None):
    return subprocess.Popen(["/usr/bin/python3", LUMO] + list(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)


def finish(p, stdin=None):
    out, err = p.communicate(stdin, timeout=120)
    return p.returncode, out, err


DAILY = [{"day": "2026-11-02", "requests": 2, "total_tokens": 3300, "cost_usd": 0.0135}]
DAILY3 = [{"day": "2026-11-02", "requests": 3, "total_tokens": 3302, "cost_usd": 0.013518}]  # with the writer's


def daily(out):
    try:
        return [{k: r[k] for k in ("day", "requests", "total_tokens", "cost_usd")} for r in json.loads(out)]
    except (ValueError, KeyError):
        return out


STATUS_IN = json.dumps({"session_id": "s1", "model": {"display_name": "Opus"}})
rc, out, err = finish(start("sync", "-q"))
c.eq("the first sync", [0, ""], [rc, err])
rc, cached, err = finish(start("statusline", "--no-sync"), STATUS_IN)
c.eq("a status line while nothing holds the database", [0, True], [rc, cached.startswith("Opus | session $0.01 | ")])

# --- a plain write transaction (what a sync holds): readers are never refused nor held
w = writer(60, "transaction")
rc, out, err = finish(start("daily", "--no-sync", "--json"))
c.eq("WAL: daily --no-sync answers while a writer holds its transaction", [0, DAILY, None],
     [rc, daily(out), w.poll()])
w.kill()
w.wait()

# --- an exclusive lock held 6 s: longer than Python's default 5 s, shorter than lumo's 10 s
w = writer(6, "exclusive")
reports = [start("daily", "--no-sync", "--json"), start("report", "daily", "--no-sync", "--json"),
           start("daily", "--json")]  # the last syncs first: the sync waits for the lock too
results = [finish(p) for p in reports]
c.eq("held 6 s: daily --no-sync, report daily --no-sync and daily (with its sync) wait and answer, with the"
     " writer's request", [(0, DAILY3, "")] * 3, [(rc, daily(out), err) for rc, out, err in results])
c.eq("they answered after the writer let go", 0, w.wait())

# --- held 14 s: past the 10 s busy timeout the database is said to be locked
w = writer(14, "exclusive")
reports = [start("daily", "--no-sync", "--json"), start("report", "daily", "--no-sync")]
line = start("statusline", "--no-sync", "--timeout", "300")
rc, out, err = finish(line, STATUS_IN)
c.eq("statusline: within its --timeout, the cached line marked locked", [0, cached.strip() +
                                                                         " (cached: database locked by another process)"],
     [rc, out.strip()])
for name, p in zip(("daily --no-sync --json", "report daily --no-sync"), reports):
    rc, out, err = finish(p)
    c.eq("%s: exit 1, 'is locked by another process', nothing on stdout, no view error or 'not a lumo database'" % name,
         [1, "", True, False], [rc, out, "is locked by another process" in err,
                                "no view " in err or "no such view" in err or "not a lumo database" in err])
c.eq("the locked error came while the writer still held the database", None, w.poll())
w.wait()
rc, out, err = finish(start("daily", "--no-sync", "--json"))
c.eq("once it lets go: the report again", [0, DAILY3], [rc, daily(out)])
c.done()
