"""check_sync_summary: what a sync skipped is said after `lumo sync` and listed by `lumo
report diagnostics` (issue 19 point 7). The transcripts are written here with known bad
lines, so every expected line, kind and count below is counted by hand:

  s1.jsonl: 1 good, 2 "{bad" (malformed JSON), 3 good, 4 "[x" (not an object: malformed),
            5 a good line cut short without a newline (torn)
  s2.jsonl: 1 good, 2 "{bad" (malformed)
First sync: 4 (3 malformed, 1 torn) in 2 files. Second sync: nothing read, nothing skipped,
the 4 rows kept. A "{x" appended to s2 (line 3): 1 malformed in 1 file, said on stderr under
-q. s3.jsonl with 10,010 "{bad" lines: the connection keeps 10,000 diagnostics and counts
the 10 past them in a 'dropped' row: 10,010 = 10,000 malformed + 10 dropped, in 1 file."""
import csv
import io
import json
import os
import shutil
import subprocess
from lumo_sql import ROOT, Checker

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "sync_summary")
shutil.rmtree(OUT, ignore_errors=True)
HOME = os.path.join(OUT, "home")
PROJ = os.path.join(HOME, ".claude", "projects", "-home-u-app")
os.makedirs(PROJ)
DB = os.path.join(HOME, ".lumo", "lumo.db")
ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "COLUMNS")}
ENV.update(HOME=HOME, LUMO_MACHINE="test", TZ="UTC")


def assistant(n):
    return json.dumps({"type": "assistant", "sessionId": "s1", "cwd": "/home/u/app", "requestId": "r%d" % n,
                       "uuid": "u%d" % n, "timestamp": "2026-11-02T10:00:%02d.000Z" % n,
                       "message": {"id": "m%d" % n, "model": "claude-sonnet-4-5", "role": "assistant",
                                   "usage": {"input_tokens": 10, "output_tokens": n}}})


def lumo(*args):
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo")] + list(args),
                       capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    return r.returncode, r.stdout, r.stderr


def skip_line(out):
    return [x for x in out.splitlines() if x.startswith("lumo: nothing skipped") or "skipped or flagged" in x]


S1, S2 = "projects/-home-u-app/s1.jsonl", "projects/-home-u-app/s2.jsonl"
with open(os.path.join(PROJ, "s1.jsonl"), "w") as f:
    f.write(assistant(1) + "\n{bad\n" + assistant(3) + "\n[x\n" + assistant(5)[:30])
with open(os.path.join(PROJ, "s2.jsonl"), "w") as f:
    f.write(assistant(6) + "\n{bad\n")

rc, out, err = lumo("sync")
c.eq("first sync: exit 0, one line: 4 (3 malformed, 1 torn) in 2 files, and how to see them",
     [0, ["lumo: 4 lines or entries skipped or flagged this sync (3 malformed, 1 torn; in 2 files):"
          " `lumo report diagnostics` lists them with file, line and why"]], [rc, skip_line(out)])

rc, out, err = lumo("report", "diagnostics", "--json", "--no-sync")
rows = json.loads(out) if rc == 0 else []
c.eq("report diagnostics --json: file, line, kind of each, by hand",
     [(S1, 2, "malformed"), (S1, 4, "malformed"), (S1, 5, "torn"), (S2, 2, "malformed")],
     sorted((r["file"], r["line"], r["kind"]) for r in rows))
c.eq("every row has the machine, the phase, a why and the sync's time",
     [("test", "read", True, True)] * 4,
     [(r["machine"], r["phase"], bool(r["detail"]), len(r["synced_at"]) == 20) for r in rows])
rc, out, err = lumo("report", "diagnostics", "--csv", "--no-sync")
table = list(csv.reader(io.StringIO(out)))
c.eq("--csv: the header and 4 rows", [["machine", "file", "line", "kind", "detail", "phase", "synced_at"], 4],
     [table[0] if table else None, len(table) - 1])
rc, out, err = lumo("report", "diagnostics", "--no-sync")
c.eq("table: labelled, s1's torn line 5 on a row", [0, True, True],
     [rc, out.startswith("View diagnostics: "),
      any(S1 in x and "|    5 |" in x and "torn" in x for x in out.splitlines())])
rc, out, err = lumo("report", "diagnostics", "--no-sync", "--until", "yesterday")
c.eq("--until yesterday: none (every row is of today's sync)", [0, True], [rc, out.endswith("no data in this period\n")])
rc, out, err = lumo("report", "diagnostic", "--no-sync")
c.eq("a misspelt name: exit 2 and the closest name", [2, True], [rc, "did you mean 'diagnostics'?" in err])

rc, out, err = lumo("sync")
c.eq("a sync that reads nothing: nothing skipped, the 4 rows kept and where they are",
     [0, ["lumo: nothing skipped; 4 diagnostics kept from earlier syncs (files not read again):"
          " `lumo report diagnostics` lists them"]], [rc, skip_line(out)])

with open(os.path.join(PROJ, "s2.jsonl"), "a") as f:
    f.write("{x\n")
rc, out, err = lumo("sync", "-q")
c.eq("sync -q: nothing on stdout; the one skipped line said on stderr", [0, "", True],
     [rc, out, "lumo: 1 line or entry skipped or flagged this sync (1 malformed; in 1 file)" in err])
rc, out, err = lumo("report", "diagnostics", "--json", "--no-sync")
c.eq("s2 read again from line 3: its line 2 kept, line 3 added; s1's rows stay",
     [(S1, 2), (S1, 4), (S1, 5), (S2, 2), (S2, 3)], sorted((r["file"], r["line"]) for r in json.loads(out)))

with open(os.path.join(PROJ, "s3.jsonl"), "w") as f:
    f.write("{bad\n" * 10010)
rc, out, err = lumo("sync")
c.eq("10,010 bad lines: 10,000 kept and 10 counted as dropped, all in the count",
     [0, ["lumo: 10,010 lines or entries skipped or flagged this sync (10,000 malformed, 10 dropped; in 1 file):"
          " `lumo report diagnostics` lists them with file, line and why"]], [rc, skip_line(out)])
c.done()
