"""check_sync_one: lumo_sync() given one transcript (issue 19 point 3, what the statusline
syncs). A Claude "root" that is ROOT/projects/.../x.jsonl syncs that file and, for a
session's file, its subagents' files, under the same lumo_files paths as a sync of ROOT,
so a later root sync reads none of them again and nothing counts twice.

On the real Claude fixtures and the hand-made traps (a resumed session's copies in two
files, a subagent file, a gzip transcript), each synced into two databases:
  root: lumo_sync(ROOT) of each tree;
  one:  lumo_sync(file) of every transcript in path order (as a root sync meets them), then
        a root sync; and in the opposite order, where the billing tables are the same.
Every table of the two databases holds the same rows (lumo_sync_runs, lumo_dirs and the
sync times aside), and the root sync after the single ones reads 0 files. Then the status
line: after a request is appended to its session and one to another session, its sync
brings in the first only (the other's waits for a root sync)."""
import json
import os
import shutil
import sqlite3
import subprocess
import time
from lumo_sql import ROOT, Checker, query

c = Checker()
OUT = os.path.join(ROOT, "tests", "out", "sync_one")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
os.environ["LUMO_MACHINE"] = "test"
TREES = []
for name in ("real", "traps"):
    dst = os.path.join(OUT, name)
    shutil.copytree(os.path.join(ROOT, "tests", "fixtures", name, "claude"), dst)  # copy2: mtimes kept
    TREES.append(dst)


def transcripts(root, reverse=False):
    out = []
    for d, _, files in os.walk(os.path.join(root, "projects")):
        out += [os.path.join(d, f) for f in files if f.endswith((".jsonl", ".jsonl.gz"))]
    return sorted(out, reverse=reverse)


def sync(db, target):
    return json.loads(query("SELECT lumo_sync('%s') AS s" % target.replace("'", "''"), db=db)[0]["s"])


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


SKIP_TABLES = {"lumo_sync_runs", "lumo_dirs", "sqlite_sequence", "sqlite_stat1"}
SKIP_COLUMNS = {"synced_at"}


def dump(db):
    """{table: sorted rows} of every table, the sync times left out."""
    con = sqlite3.connect(db)
    out = {}
    for (t,) in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"):
        if t in SKIP_TABLES:
            continue
        cols = [r[1] for r in con.execute("SELECT * FROM pragma_table_info(?)", (t,)) if r[1] not in SKIP_COLUMNS]
        where = " WHERE phase = 'read'" if t == "diagnostics" else ""
        # sums of costs differ in the last bits with the order rows were added in
        out[t] = sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in con.execute(
            "SELECT %s FROM \"%s\"%s" % (", ".join('"%s"' % x for x in cols), t, where))), key=repr)
    con.close()
    return out


ROOT_DB, ONE_DB, BACK_DB = (os.path.join(OUT, n + ".db") for n in ("root", "one", "back"))
for tree in TREES:
    sync(ROOT_DB, tree)
singles, back = 0, 0
for tree in TREES:
    for f in transcripts(tree):
        singles += sync(ONE_DB, f)["files_read"]
    for f in transcripts(tree, reverse=True):
        back += sync(BACK_DB, f)["files_read"]
# 10 transcripts in the real tree (3 of them subagents' files), 4 in the traps (1)
c.eq("one transcript at a time: each of the 14 files read once (a subagent's file read as its session's"
     " companion is not read again)", [14, 14], [singles, back])
a, b = dump(ROOT_DB), dump(ONE_DB)
c.eq("every table has rows", True, all(a[t] for t in ("usage", "messages", "lumo_files", "usage_buckets")))
for t in sorted(a):
    c.eq("table %s: the same rows after single-file syncs as after root syncs" % t, a[t], b.get(t))
# In the opposite order every table is the same too: a record written in two files (the
# traps' resumed session bbbb2222 repeats aaaa1111's msg_T1 record, its Bash call and its
# prompt) is kept with the older file (then the smaller path), as usage keeps its
# response, whichever file is synced first (schema 13). Not session_totals: a session's
# project is its first stored request's, in insertion order (session 8463c716's subagent
# files have two cwds, spotter-fum and assets).
z = dump(BACK_DB)
for t in sorted(a):
    if t != "session_totals":
        c.eq("newest path first: table %s the same" % t, a[t], z.get(t))
TOTALS_BUT_PROJECT = ("SELECT agent, session_id, started_at, ended_at, requests, total_tokens FROM session_totals"
                      " ORDER BY agent, session_id")
c.eq("session_totals the same but for the project", query(TOTALS_BUT_PROJECT, db=ONE_DB), query(TOTALS_BUT_PROJECT, db=BACK_DB))
c.eq("the repeated record (3 streaming lines of msg_T1), its call and its prompt: aaaa1111's in both orders",
     [[("aaaa1111-0000-4000-8000-000000000001", 4)]] * 2,
     [[tuple(r.values()) for r in query("SELECT session_id, count(*) FROM (SELECT session_id FROM messages"
                                        " WHERE message_id = 'msg_T1' UNION ALL SELECT session_id FROM tool_uses"
                                        " WHERE key = 'claude:toolu_1') GROUP BY 1", db=d)]
      for d in (ONE_DB, BACK_DB)])
os.mkfifo(os.path.join(TREES[0], "projects", "-tmp", "pipe.jsonl"))  # a walk diagnostic (skipped_entry)
again = [sync(ONE_DB, tree) for tree in reversed(TREES)]  # the real tree last: its walk's rows are the latest
c.eq("a root sync afterwards reads nothing again", [0, 0], [s["files_read"] for s in again])
c.eq("and changes nothing", a, dump(ONE_DB))
WALK = "SELECT file, kind FROM diagnostics WHERE phase = 'walk'"
c.eq("the root sync keeps the walk's diagnostic", [{"file": "projects/-tmp/pipe.jsonl", "kind": "skipped_entry"}],
     [{k: r[k] for k in ("file", "kind")} for r in query(WALK, db=ONE_DB)])
edge = os.path.join(TREES[0], "projects", "-tmp", "edge_cases.jsonl")
with open(edge, "a") as f:
    f.write("{not json\n")
s1 = sync(ONE_DB, edge)
c.eq("a single file's sync after it: reads the file, keeps the walk's rows, adds the file's", [1, 1, True],
     [s1["files_read"], len(query(WALK, db=ONE_DB)), query("SELECT count(*) AS n FROM diagnostics WHERE phase = 'read'"
                                                           " AND kind = 'malformed' AND file LIKE '%edge_cases.jsonl'",
                                                           db=ONE_DB)[0]["n"] > 0])

# The session's file brings its subagents' (the traps' aaaa1111 and its aside question).
COMP_DB = os.path.join(OUT, "companion.db")
main = [f for f in transcripts(TREES[1]) if f.endswith("aaaa1111-0000-4000-8000-000000000001.jsonl")][0]
s = sync(COMP_DB, main)
c.eq("a session's transcript: it and its subagent's file, keyed under the root",
     [2, ["projects/-home-u-app/aaaa1111-0000-4000-8000-000000000001.jsonl",
          "projects/-home-u-app/aaaa1111-0000-4000-8000-000000000001/subagents/agent-aside_question-1.jsonl"]],
     [s["files_read"], [r["p"] for r in query("SELECT substr(path, %d) AS p FROM lumo_files ORDER BY path"
                                             % (len(TREES[1]) + 2), db=COMP_DB)]])
c.eq("a path that is not a transcript in a root syncs nothing",
     [0, 0], [sync(COMP_DB, os.path.join(OUT, "nothing", "projects", "x", "y.jsonl"))["files_seen"],
              sync(COMP_DB, os.path.join(TREES[0], "projects", "-tmp",
                                         "0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f", "subagents",
                                         "agent-a0ad4f44468bdf20d.meta.json"))["files_seen"]])

# --- the statusline syncs its session's transcript only
HOME = os.path.join(OUT, "home")
PROJ = os.path.join(HOME, ".claude", "projects", "-home-u-proj")
os.makedirs(PROJ)
NOW = time.time()


def line(sid, n, out):
    ts = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(NOW - 600 + n))
    return json.dumps({"type": "assistant", "sessionId": sid, "cwd": "/home/u/proj", "requestId": "r-%s-%d" % (sid, n),
                       "uuid": "u-%s-%d" % (sid, n), "timestamp": ts,
                       "message": {"id": "m-%s-%d" % (sid, n), "model": "claude-sonnet-4-5", "role": "assistant",
                                   "usage": {"input_tokens": 0, "output_tokens": out}}}) + "\n"


S1, S2 = "11111111-0000-4000-8000-000000000001", "22222222-0000-4000-8000-000000000002"
for sid in (S1, S2):
    with open(os.path.join(PROJ, sid + ".jsonl"), "w") as f:
        f.write(line(sid, 1, 1000))
ENV = {k: v for k, v in os.environ.items() if k not in (
    "CLAUDE_CONFIG_DIR", "CODEX_HOME", "GEMINI_CLI_HOME", "GEMINI_DATA_DIR", "XDG_DATA_HOME", "LUMO_OTLP_DIR",
    "LUMO_DB", "NO_COLOR")}
ENV.update(HOME=HOME, TZ="UTC", NO_COLOR="1")
LUMO = ["/usr/bin/python3", os.path.join(ROOT, "scripts", "lumo")]
DB = os.path.join(HOME, ".lumo", "lumo.db")
r = subprocess.run(LUMO + ["sync", "-q"], capture_output=True, text=True, env=ENV)
c.eq("the first sync", [0, ""], [r.returncode, r.stderr])
for sid in (S1, S2):
    with open(os.path.join(PROJ, sid + ".jsonl"), "a") as f:
        f.write(line(sid, 2, 2000))
r = subprocess.run(LUMO + ["statusline", "--wait", "10000"], capture_output=True, text=True, env=ENV,
                   input=json.dumps({"session_id": S1, "transcript_path": os.path.join(PROJ, S1 + ".jsonl"),
                                     "model": {"display_name": "Opus"}}))
# sonnet output: 3,000 tokens x $15 per million = $0.045 for S1
c.eq("the statusline: its session's appended request is in ($0.045 = 3,000 output tokens)", [0, True],
     [r.returncode, " | session $0.04 | " in r.stdout or " | session $0.05 | " in r.stdout])
c.eq("S1 has both requests, S2 still one (its file was not read)", [{"s": S1, "n": 2}, {"s": S2, "n": 1}],
     query("SELECT session_id AS s, count(*) AS n FROM usage GROUP BY s ORDER BY s", db=DB))
r = subprocess.run(LUMO + ["sync", "-q"], capture_output=True, text=True, env=ENV)
c.eq("a root sync then reads S2 only and counts nothing twice",
     [0, [{"s": S1, "n": 2, "t": 3000}, {"s": S2, "n": 2, "t": 3000}]],
     [r.returncode, query("SELECT session_id AS s, count(*) AS n, sum(output_tokens) AS t FROM usage GROUP BY s"
                          " ORDER BY s", db=DB)])
c.done()
