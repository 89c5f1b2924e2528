"""check_readers: lumo_sync does not lock readers out when its connection closes (issue 18
point 8). SQLite's last connection to close checkpoints the WAL and deletes it under an
exclusive lock, and a reader without a busy timeout (timeout=0, as BI tools and scripts
open the database) that opens meanwhile is refused: a reader polling the daily view was
refused 1 to 52 times in 20 syncs before. lumo_sync now empties the WAL itself with a
checkpoint that waits for nobody and turns the close-time one off on its connection. So:
after a sync's process has ended, the WAL file is still there and empty (the close took
no lock and deleted nothing), and the database file copied alone holds every response
(the first sync's count plus the ones appended, one each, written by hand below). Readers
without a busy timeout can still meet SQLite's short recovery lock when they open a
database no connection has open; lumo's own clients wait 10 s (check_locked)."""
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, SO, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "readers")
shutil.rmtree(OUT, ignore_errors=True)
CLAUDE = os.path.join(OUT, "claude")
shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "real", "claude"), CLAUDE)
DB = os.path.join(OUT, "lumo.db")
env = dict(os.environ, LUMO_MACHINE="readers", TZ="UTC")
FILE = os.path.join(CLAUDE, "projects", "-home-u-readers", "r.jsonl")
os.makedirs(os.path.dirname(FILE))
open(FILE, "w").close()


def sync():
    r = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", "-cmd", ".load " + SO, DB,
                        "SELECT lumo_sync('%s', '', '', '', '')" % CLAUDE], env=env, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit("sync failed: %s" % r.stderr)


def usage_rows(path):
    r = subprocess.run(["sqlite3", path, "SELECT count(*) FROM usage"], capture_output=True, text=True)
    return int(r.stdout) if r.returncode == 0 and r.stdout.strip().isdigit() else r.stderr.strip()


def append(i):
    with open(FILE, "a") as f:
        f.write(json.dumps({"type": "assistant", "sessionId": "r", "cwd": "/home/u/readers", "uuid": "r%d" % i,
                            "requestId": "q%d" % i, "timestamp": "2026-11-03T10:%02d:00.000Z" % i,
                            "message": {"id": "m%d" % i, "model": "claude-sonnet-4-5", "role": "assistant",
                                        "usage": {"input_tokens": 100, "output_tokens": 10}}}) + "\n")


sync()
first = usage_rows(DB)
wal = DB + "-wal"
states = []
for i in range(3):
    append(i)
    sync()
    alone = os.path.join(OUT, "copy%d.db" % i)
    shutil.copy(DB, alone)
    states.append((os.path.exists(wal), os.path.getsize(wal) if os.path.exists(wal) else None, usage_rows(alone)))
c.eq("after each sync: the WAL file left in place, empty; the database file alone holds every response",
     [(True, 0, first + 1), (True, 0, first + 2), (True, 0, first + 3)], states)
c.done()
