"""check_readers: a reader is never refused while lumo_sync writes (issue 18 point 8).
A Python reader with no busy timeout (timeout=0, as BI tools and scripts open the
database) reads the daily view in a loop while 20 syncs each pick up one appended
response; before lumo_sync checkpointed the WAL itself and turned off the checkpoint
its connection made on close (which takes the exclusive lock), such readers got
"database is locked" several times per run. After one more sync, the database file
alone (copied without its -wal) holds every response: the count is the first sync's
plus the 21 appended, one each, written by hand below."""
import json
import os
import shutil
import sqlite3
import subprocess
import threading
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
    subprocess.run(["sqlite3", "-cmd", ".load " + SO, DB, "SELECT lumo_sync('%s', '', '', '', '')" % CLAUDE],
                   env=env, check=True, capture_output=True)


def usage_rows(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM usage").fetchone()[0]
    finally:
        con.close()


sync()
first = usage_rows(DB)
refused = {}
reads = [0]
done = threading.Event()


def reader():
    while not done.is_set():
        try:
            con = sqlite3.connect(DB, timeout=0)
            con.execute("SELECT count(*), sum(cost_usd) FROM daily").fetchall()
            con.close()
            reads[0] += 1
        except sqlite3.Error as e:
            refused[str(e)] = refused.get(str(e), 0) + 1


t = threading.Thread(target=reader)
t.start()


def append(i):
    with open(FILE, "a") as f:
        f.write(json.dumps({"type": "assistant", "sessionId": "r", "cwd": "/home/u/readers", "uuid": "r%d" % i,
                            "requestId": "q%d" % i, "timestamp": "2026-11-03T10:%02d:00.000Z" % i,
                            "message": {"id": "m%d" % i, "model": "claude-sonnet-4-5", "role": "assistant",
                                        "usage": {"input_tokens": 100, "output_tokens": 10}}}) + "\n")


for i in range(20):
    append(i)
    sync()
done.set()
t.join()
c.eq("the reader read while the syncs ran", True, reads[0] > 0)
c.eq("no read was refused", {}, refused)
# One more sync with nobody reading: its connection leaves the WAL file behind (no
# checkpoint on close), so the database file alone is whole only if the sync copied
# the WAL into it.
append(20)
sync()
alone = os.path.join(OUT, "copy.db")
shutil.copy(DB, alone)
c.eq("the database file alone holds every response", first + 21, usage_rows(alone))
c.done()
