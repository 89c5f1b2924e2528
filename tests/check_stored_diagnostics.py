"""check_stored_diagnostics: what lumo_sync() skips stays visible after the sync (issue 19
point 7, issue 18's rule). The diagnostics table holds each skipped line with file, line and
kind; a file read again from where it stopped keeps the rows of the lines before and
replaces the rest; a file rewritten clean has none; the walk's rows (an older copy of a
Codex thread, superseded) are those of the latest sync. Expected rows are written by hand
from the lines this test puts in the files."""
import json
import os
import shutil
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "stored_diagnostics")
shutil.rmtree(OUT, ignore_errors=True)
CLAUDE = os.path.join(OUT, "claude")
PROJECT = os.path.join(CLAUDE, "projects", "-home-u-app")
os.makedirs(PROJECT)
DB = os.path.join(OUT, "lumo.db")
os.environ["LUMO_MACHINE"] = "test"
F = os.path.join(PROJECT, "s1.jsonl")
REL = "projects/-home-u-app/s1.jsonl"


def assistant(n):
    return json.dumps({"type": "assistant", "sessionId": "s1", "cwd": "/home/u/app", "requestId": "r%d" % n,
                       "uuid": "u%d" % n, "timestamp": "2026-11-02T10:00:%02d.000Z" % n,
                       "message": {"id": "m%d" % n, "model": "claude-sonnet-4-5", "role": "assistant",
                                   "usage": {"input_tokens": 10 * n, "output_tokens": n}}})


def write(lines, mtime):
    with open(F, "w") as out:
        out.write(lines)
    os.utime(F, (mtime, mtime))


def sync(claude=CLAUDE, codex=""):
    query("SELECT lumo_sync('%s', '', '%s', '', '')" % (claude, codex), db=DB)


def stored(phase="read"):
    return sorted((r["file"], r["line"], r["kind"]) for r in query(
        "SELECT file, line, kind FROM diagnostics WHERE phase = '%s'" % phase, db=DB))


def tokens():
    return query("SELECT count(*) AS n, sum(input_tokens) AS i FROM usage", db=DB)[0]


torn = assistant(4)[:40]
write(assistant(1) + "\n{not json\n" + assistant(3) + "\n" + torn, 1.7e9)
sync()
c.eq("a malformed line and a torn last line are kept", [(REL, 2, "malformed"), (REL, 4, "torn")], stored())
c.eq("the good lines are counted", {"n": 2, "i": 40}, tokens())
c.eq("every row names the machine and the sync", [("test", 1)],
     [(r["machine"], r["has_time"]) for r in query(
         "SELECT DISTINCT machine, synced_at LIKE '____-__-__T%' AS has_time FROM diagnostics", db=DB)])

# The writer finishes line 4 and writes a malformed line 5: read from line 4 on.
write(assistant(1) + "\n{not json\n" + assistant(3) + "\n" + assistant(4) + "\n[5\n", 1.7e9 + 10)
sync()
c.eq("after the append: line 2 kept, torn line 4 gone, line 5 added",
     [(REL, 2, "malformed"), (REL, 5, "malformed")], stored())
c.eq("line 4 is counted once complete", {"n": 3, "i": 80}, tokens())
sync()
c.eq("a sync of an unchanged file keeps its rows", [(REL, 2, "malformed"), (REL, 5, "malformed")], stored())

write(assistant(1) + "\n" + assistant(3) + "\n", 1.7e9 + 20)
sync()
c.eq("a file rewritten clean has no rows", [], stored())

# Codex: the same thread live and archived; the older copy is reported by the walk.
CODEX = os.path.join(OUT, "codex")
shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "real", "codex"), CODEX)
live = None
for dirpath, _, files in sorted(os.walk(os.path.join(CODEX, "sessions"))):
    for name in sorted(files):
        if name.endswith(".jsonl") and live is None:
            live = os.path.join(dirpath, name)
old = os.path.join(CODEX, "archived_sessions", os.path.basename(live))
shutil.copy(live, old)
with open(old) as src:
    head = src.readlines()
with open(old, "w") as dst:  # the archived copy is the older, shorter one
    dst.writelines(head[:max(1, len(head) - 1)])
os.utime(old, (1.6e9, 1.6e9))
os.utime(live, (1.7e9, 1.7e9))
sync(claude="", codex=CODEX)
c.eq("the older copy of a thread is a walk row",
     [("archived_sessions/" + os.path.basename(live), 0, "superseded")], stored("walk"))
os.remove(old)
sync(claude="", codex=CODEX)
c.eq("gone once the older copy is gone", [], stored("walk"))
c.done()
